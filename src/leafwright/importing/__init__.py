"""``leafwright import``: a Word, Markdown or HTML document → a leaflet YAML that builds.

``import_document(path)`` is pure (reads the document and the pictures it names, returns
text and bytes); the CLI writes the files. Every format goes through HTML: Word with
mammoth (:mod:`.docx`), Markdown with markdown-it-py (:mod:`.markdown`), then one
converter (:mod:`.html`) builds the title and sections. What the document cannot tell
(version, dates, publisher, authors, sources) is written as clearly marked TODO
placeholders, and the leaflet starts as a draft.
"""

from __future__ import annotations

import base64
import datetime as _dt
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..errors import EXIT_USAGE, LeafwrightError
from .html import Converted, convert_html

SUFFIXES = (".docx", ".md", ".markdown", ".html", ".htm")
_DIRECT = {"image/png": ".png", "image/jpeg": ".jpg"}


@dataclass
class Imported:
    """An imported leaflet: its YAML text, picture files (name → bytes), and notes for the user."""

    id: str
    yaml: str
    files: dict[str, bytes] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def leaflet_id(stem: str) -> str:
    """A leaflet id from a file name: lower-case letters, digits and hyphens."""
    slug = re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-")
    return slug or "imported-leaflet"


def _as_png_or_jpeg(data: bytes, content_type: str) -> tuple[bytes, str] | str:
    """PNG and JPEG as they are; anything Pillow reads (GIF, BMP, TIFF, WebP) as PNG."""
    if content_type in _DIRECT:
        return data, _DIRECT[content_type]
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as img:
            if img.format == "PNG":
                return data, ".png"
            if img.format == "JPEG":
                return data, ".jpg"
            img.load()
            out = io.BytesIO()
            img.convert("RGBA" if "A" in img.getbands() else "RGB").save(out, format="PNG", optimize=False)
            return out.getvalue(), ".png"
    except (UnidentifiedImageError, OSError):
        kind = content_type or "an unknown kind of picture"
        return f"{kind} cannot be read (save it as PNG or JPEG and add an image block)"


def _file_loader(base: Path):
    """Pictures named by an HTML or Markdown file: inside its folder, or data: URIs; never fetched."""
    base = base.resolve()

    def load(src: str) -> tuple[bytes, str] | str:
        if src.startswith("data:"):
            head, _, payload = src.partition(",")
            ctype = head[5:].split(";")[0]
            try:
                data = base64.b64decode(payload) if ";base64" in head else payload.encode()
            except ValueError:
                return "its data: address is damaged"
            return _as_png_or_jpeg(data, ctype)
        if re.match(r"^[a-z][a-z0-9+.-]*:", src, re.I):
            return "it is on the web and nothing is fetched: save it in the leaflet's folder"
        from urllib.parse import unquote

        target = (base / unquote(src.split("#")[0].split("?")[0])).resolve()
        if base not in target.parents:
            return "it is outside the document's folder"
        if not target.is_file():
            return f"file not found: {src}"
        return _as_png_or_jpeg(target.read_bytes(), "")

    return load


def _read(path: Path) -> tuple[Converted, list[str]]:
    suffix = path.suffix.lower()
    messages: list[str] = []
    if suffix == ".docx":
        from .docx import DocxError, core_title, docx_to_html

        data = path.read_bytes()
        pictures: list[tuple[bytes, str, str | None]] = []
        try:
            html, messages = docx_to_html(data, pictures)
        except DocxError as exc:
            raise LeafwrightError.single(f"{path}: {exc}", exit_code=EXIT_USAGE) from None

        def load(src: str) -> tuple[bytes, str] | str:
            n = int(src.split(":", 1)[1]) if src.startswith("lw-image:") else -1
            if not 0 <= n < len(pictures):
                return "it is linked, not embedded, in the document"
            return _as_png_or_jpeg(pictures[n][0], pictures[n][1])

        converted = convert_html(html, load, title=core_title(data))
        # mammoth gives alt text as an attribute; the converter read it from there
        return converted, messages
    text = path.read_text(encoding="utf-8-sig")
    if suffix in (".md", ".markdown"):
        from .markdown import markdown_to_html

        return convert_html(markdown_to_html(text), _file_loader(path.parent)), messages
    return convert_html(text, _file_loader(path.parent)), messages


class _Dumper(yaml.SafeDumper):
    """Block style, lists indented under their key; text with line breaks as a literal block."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


class _Row(list):
    """A table row or header, written on one line: [When, What]."""


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    if "\n" in value:
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


_Dumper.add_representer(str, _str)
_Dumper.add_representer(
    _Row,
    lambda d, v: d.represent_sequence("tag:yaml.org,2002:seq", v, flow_style=not any("\n" in c for c in v)),
)


def _dump(value: Any) -> str:
    return yaml.dump(value, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100, indent=2)


def import_document(path: str | Path, *, today: _dt.date | None = None) -> Imported:
    """Convert a .docx, .md or .html file into a leaflet (YAML text and picture files)."""
    path = Path(path)
    if path.suffix.lower() not in SUFFIXES:
        raise LeafwrightError.single(
            f"cannot import '{path.name}': not a Word, Markdown or HTML file",
            exit_code=EXIT_USAGE,
            hint="give a .docx, .md or .html file (save older .doc files as .docx first)",
        )
    if not path.is_file():
        raise LeafwrightError.single(f"no such file: {path}", exit_code=EXIT_USAGE)
    converted, messages = _read(path)
    lid = leaflet_id(path.stem)
    notes = list(converted.notes)
    files: dict[str, bytes] = {}
    for i, pic in enumerate(converted.pictures, 1):
        files[f"{lid}-picture-{i}{pic.suffix}"] = pic.data
    names = list(files)

    def fix_images(blocks: list[dict[str, Any]]) -> None:
        for b in blocks:
            if "image" in b and "picture" in b["image"]:
                n = b["image"].pop("picture")
                pic = converted.pictures[n]
                b["image"]["file"] = names[n]
                if pic.alt:
                    b["image"]["alt"] = pic.alt
                else:
                    b["image"]["alt"] = "TODO: say what this picture shows"
                    notes.append(f"{names[n]} has no alt text: say what it shows, or mark it decorative")

    def walk(sections: list[dict[str, Any]]) -> None:
        for sec in sections:
            fix_images(sec.get("blocks", []))
            walk(sec.get("sections", []))

    walk(converted.sections)
    _flow_tables(converted.sections)
    title = converted.title
    if not title:
        title = path.stem.replace("-", " ").replace("_", " ").strip().capitalize() or "Untitled"
        notes.append("the document has no title or heading: the title is the file name")
    if not converted.sections:
        converted.sections = [{"heading": "TODO", "blocks": [{"paragraph": "TODO: the leaflet's text"}]}]
        notes.append("the document has no text to import")
    today = today or _dt.date.today()
    text = _header(path.name, lid, title, today, notes + [f"Word: {m}" for m in messages])
    text += _dump({"sections": converted.sections})
    return Imported(lid, text, files, notes)


def _flow_tables(sections: list[dict[str, Any]]) -> None:
    for sec in sections:
        for b in sec.get("blocks", []):
            t = b.get("table")
            if t:
                t["header"] = _Row(t["header"])
                t["rows"] = [_Row(r) for r in t["rows"]]
        _flow_tables(sec.get("sections", []))


def _header(source: str, lid: str, title: str, today: _dt.date, notes: list[str]) -> str:
    lines = [
        f"# Imported from {source} by `leafwright import`.",
        "# It builds as it is, as a draft (marked DRAFT on every page and never published).",
        "# Before it is approved, replace every TODO below and check the text against the original.",
    ]
    if notes:
        lines.append("#")
        lines.append("# What the import could not do by itself:")
        lines.extend(f"#   - {n}" for n in notes)
    lines += [
        _dump({"id": lid}).rstrip(),
        _dump({"title": title}).rstrip(),
        "status: draft                   # change to 'approved' when the TODOs are done",
        "language: en-GB                 # TODO: the leaflet's language, if it is not British English",
        "# TODO: what the document does not say. Left out, nothing is printed for it (never",
        "# a guess) and `leafwright check` lists what is missing. Fill in and uncomment:",
        '# version: "1.0"',
        f"# published: {today.isoformat()}          # the date this version is published",
        "# review_by: YYYY-MM-DD          # when the content must be reviewed",
        "# publisher:",
        "#   name: Your organisation",
        "#   web: https://…               # and/or phone, helpline, email, address",
        "# authors: [{name: …, role: …}]",
        "# references: [the sources used are available on request]",
        "# feedback: How readers tell you what they think of the leaflet.",
        "# disclaimer: This leaflet does not replace advice from your own doctor.",
        '# other_formats: "Ask us for this leaflet in large print or audio: call …"  # if you offer it',
        "",
    ]
    return "\n".join(lines) + "\n"
