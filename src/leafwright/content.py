"""What a reader sees of a leaflet, as plain sentences section by section.

Two jobs share this view of a leaflet: :func:`content_hash` tells whether the text a
reader sees has changed (reformatting the YAML, re-quoting or re-folding a paragraph,
changes nothing here), and :mod:`leafwright.changes` compares two versions section by
section. Markup is dropped (``**bold**`` reads as ``bold``); pictures count by their
alt text, caption and file bytes.

What is *not* content: the version, the dates, the change note, the owner and status
(governance data, compared as metadata), keywords and the checks' ignore list.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from .inline import plain_text
from .model import Leaflet, Section

#: a sentence ends at . ! or ? followed by a space and a capital, digit or opening mark
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)]?\s+(?=[\"'“‘(]?[A-Z0-9])")


@dataclass
class ReaderSection:
    """One section as a reader meets it: its heading and its sentences, in reading order."""

    key: str
    """The heading path that identifies it, e.g. 'Side effects › Rare ones'."""
    heading: str
    level: int
    """Heading level: 2 for a top-level section (the title is 1)."""
    units: list[str] = field(default_factory=list)
    """Sentences, list items, table rows, questions, in reading order."""


@dataclass
class ReaderView:
    """A leaflet as its reader sees it, with its metadata beside it."""

    title: str
    meta: dict[str, str]
    """version, dates, status, owner, authors and the like, as text."""
    sections: list[ReaderSection]


def sentences(text: str) -> list[str]:
    """Plain text split into sentences (a blank line or a line break also ends one)."""
    out: list[str] = []
    for para in re.split(r"\n\s*\n", text):
        flat = " ".join(plain_text(para).split())
        if flat:
            out.extend(s.strip() for s in _SENTENCE_END.split(flat) if s.strip())
    return out


def _flat(text: str) -> str:
    return " ".join(plain_text(text).split())


def _item(item: Any) -> str:
    if isinstance(item, str):
        return _flat(item)
    return _flat(((item.lead or "") + " " + item.text).strip())


def block_units(block) -> list[str]:
    """A block's text as units a reader takes in one at a time."""
    kind, v = block.kind, block.value
    if kind == "paragraph":
        return sentences(v)
    if kind in ("bullets", "numbered"):
        return [_item(i) for i in v]
    if kind == "faq":
        out: list[str] = []
        for entry in v:
            out.append("Q: " + _flat(entry.question))
            if isinstance(entry.answer, str):
                out.extend(sentences(entry.answer))
            else:
                for b in entry.answer:
                    out.extend(block_units(b))
        return out
    if kind == "callout":
        return ([_flat(v.title)] if v.title else []) + sentences(v.text)
    if kind == "table":
        out = [_flat(v.caption)] if v.caption else []
        out.append("Columns: " + " | ".join(_flat(h) for h in v.header))
        out.extend("; ".join(f"{_flat(h)}: {_flat(c)}" for h, c in zip(v.header, row)) for row in v.rows)
        return out
    if kind == "image":
        if v.decorative:
            return []
        return ["Picture: " + _flat(v.alt or "")] + ([_flat(v.caption)] if v.caption else [])
    if kind == "links":
        out = [_flat(v.title)] if v.title else []
        out.extend(
            f"{_flat(link.text)} ({link.url})" + (f" {_flat(link.description)}" if link.description else "")
            for link in v.items
        )
        return out
    # a block type without its own reading here: its texts, as the checks read them
    from .blocks import BLOCKS

    return [_flat(text) for _, text in BLOCKS[kind].texts(v, ())]


def _walk(sections: list[Section], parents: tuple[str, ...], level: int, out: list[ReaderSection]) -> None:
    for sec in sections:
        heading = _flat(sec.heading)
        path = parents + (heading,)
        rs = ReaderSection(" › ".join(path), heading, level)
        for b in sec.blocks:
            rs.units.extend(block_units(b))
        out.append(rs)
        _walk(sec.sections, path, level + 1, out)


def _people(people: list) -> str:
    return "; ".join(p.name + (f" ({p.role})" if p.role else "") for p in people)


def reader_view(leaflet: Leaflet) -> ReaderView:
    """The leaflet's reader-visible content, section by section, and its metadata."""
    lf = leaflet
    out: list[ReaderSection] = []
    if lf.subtitle:
        out.append(ReaderSection("(subtitle)", "Subtitle", 2, [_flat(lf.subtitle)]))
    if lf.booklet:
        bk = lf.booklet
        units = [_flat(bk.title)] + ([_flat(bk.series)] if bk.series else [])
        units += [_flat(c) + (" (this section)" if c == bk.current else "") for c in bk.contents]
        out.append(ReaderSection("(booklet contents)", "Booklet contents", 2, units))
    if lf.key_points:
        out.append(
            ReaderSection(
                "(key points)",
                _flat(lf.key_points.title or "Key points"),
                2,
                [_flat(i) for i in lf.key_points.items],
            )
        )
    _walk(lf.sections, (), 2, out)
    pub = lf.publisher
    contact: list[str] = []
    if pub is not None:
        contact += [pub.name, *pub.address]
        if pub.helpline:
            h = pub.helpline
            contact.append(f"{h.label or 'Helpline'}: {h.number}" + (f" ({h.hours})" if h.hours else ""))
        contact += [f"Telephone: {pub.phone}"] if pub.phone else []
        contact += [f"Email: {pub.email}"] if pub.email else []
        contact += [f"Website: {pub.web}"] if pub.web else []
        contact += [f"{s.network}: {s.handle}" for s in pub.social]
        contact += [pub.charity_number] if pub.charity_number else []
    contact += [f"Online: {lf.online_url}"] if lf.online_url else []
    if contact:
        out.append(ReaderSection("(contact)", "Contact", 2, contact))
    for key, heading, text in (
        ("(acknowledgements)", "Acknowledgements", lf.acknowledgements),
        ("(feedback)", "Tell us what you think", lf.feedback),
        ("(disclaimer)", "Disclaimer", lf.disclaimer),
        ("(other formats)", "Other formats", lf.other_formats),
    ):
        if text:
            out.append(ReaderSection(key, heading, 2, sentences(text)))
    if lf.references:
        out.append(ReaderSection("(sources)", "Sources", 2, [_flat(r) for r in lf.references]))
    meta = {
        "title": _flat(lf.title),
        "language": lf.language,
        "version": lf.version or "",
        "published": lf.published.isoformat() if lf.published else "",
        "review_by": lf.review_by.isoformat() if lf.review_by else "",
        "status": lf.status,
        "withdrawn_on": lf.withdrawn_on.isoformat() if lf.withdrawn_on else "",
        "change_note": lf.change_note or "",
        "owner": f"{lf.owner.name} ({lf.owner.contact})" if lf.owner else "",
        "authors": _people(lf.authors),
        "reviewers": _people(lf.reviewers),
    }
    return ReaderView(_flat(lf.title), meta, out)


#: metadata a reader sees and that belongs to the content (a new title is new content)
_CONTENT_META = ("title", "language", "authors", "reviewers")


def content_hash(leaflet: Leaflet, base_dir: str | Path | None = None) -> str:
    """SHA-256 of what a reader sees: the text section by section, and the pictures' bytes.

    The same for any two YAML files that read the same; different when a sentence,
    a heading, a list item, a picture or the contact details change. The version,
    dates, change note, owner and status are not part of it.
    """
    view = reader_view(leaflet)
    data: dict[str, Any] = {
        "meta": {k: view.meta[k] for k in _CONTENT_META},
        "sections": [asdict(s) for s in view.sections],
    }
    if base_dir is not None:
        from .model import walk_sections

        pictures = []
        for sec, _ in walk_sections(leaflet.sections):
            for b in sec.blocks:
                if b.kind == "image":
                    try:
                        from .source import image_inside

                        found = image_inside(Path(base_dir), b.value.file)
                        digest = hashlib.sha256(found.read_bytes()).hexdigest() if found else "outside"
                    except OSError:
                        digest = "missing"
                    pictures.append(digest)
        data["pictures"] = pictures
    blob = json.dumps(data, sort_keys=True, ensure_ascii=False).encode("utf-8")
    return hashlib.sha256(blob).hexdigest()
