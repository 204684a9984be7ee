"""What a reader would see changed between two versions of a leaflet.

:func:`compare` takes two :class:`~leafwright.content.ReaderView` s and returns
:class:`Changes`: changed details (version, dates, authors, owner...), then section by
section the sentences, list items and table rows added, removed or changed (with the
words that changed), and sections added, removed, renamed or moved. It is not a line
diff of the YAML: re-folding a paragraph or re-ordering keys changes nothing here.

:func:`format_text`, :func:`to_json` and :func:`format_html` present it for a terminal,
for programs, and as a "changes" page for a committee pack (semantic, escaped HTML that
says in words, not only in colour, what was added and removed).
"""

from __future__ import annotations

import difflib
import html
from dataclasses import asdict, dataclass, field
from typing import Literal

from .content import ReaderSection, ReaderView

#: a changed sentence is one whose words are at least this much alike; below, it is removed + added
SIMILAR = 0.5

#: the details compared, in the order they are listed, with their labels
META_LABELS = {
    "title": "Title",
    "version": "Version",
    "published": "Published",
    "review_by": "Review by",
    "status": "Status",
    "withdrawn_on": "Withdrawn on",
    "change_note": "What changed in this version",
    "owner": "Owner",
    "authors": "Written by",
    "reviewers": "Reviewed by",
    "language": "Language",
}


@dataclass
class WordOp:
    """A run of words: kept (equal), added (insert) or removed (delete)."""

    op: Literal["equal", "insert", "delete"]
    text: str


@dataclass
class UnitChange:
    """One sentence, list item, table row or question added, removed or changed."""

    op: Literal["added", "removed", "changed"]
    old: str | None
    new: str | None
    words: list[WordOp] = field(default_factory=list)
    """For a changed unit: its words, with what was removed and added."""


@dataclass
class SectionChange:
    """A section that was added, removed, moved, renamed or changed inside."""

    heading: str
    """The heading (the new one when it was renamed)."""
    key: str
    """Its heading path, e.g. 'Side effects › Rare ones'."""
    op: Literal["added", "removed", "changed", "unchanged"]
    old_heading: str | None = None
    """The old heading, when it was renamed."""
    moved: bool = False
    """Whether it moved relative to the other sections."""
    old_position: int | None = None
    """Its place among its sibling sections before (1 = first), None when added."""
    new_position: int | None = None
    """Its place among its sibling sections after, None when removed."""
    units: list[UnitChange] = field(default_factory=list)


@dataclass
class MetaChange:
    """A detail that changed: version, a date, the authors, the owner..."""

    field: str
    label: str
    old: str
    new: str


@dataclass
class Changes:
    """Everything a reader would see changed from ``old`` to ``new``."""

    title: str
    old_label: str
    new_label: str
    old_version: str
    new_version: str
    old_published: str
    new_published: str
    language: str
    meta: list[MetaChange] = field(default_factory=list)
    sections: list[SectionChange] = field(default_factory=list)

    @property
    def changed_sections(self) -> list[SectionChange]:
        """Sections with something to report (in the order of the new version)."""
        return [s for s in self.sections if s.op != "unchanged" or s.moved or s.old_heading]

    @property
    def empty(self) -> bool:
        """True when a reader would see no difference."""
        return not self.meta and not self.changed_sections

    def summary(self) -> dict[str, int]:
        """Counts for a one-line summary."""
        units = [u for s in self.sections for u in s.units]
        return {
            "details": len(self.meta),
            "sections_added": sum(s.op == "added" for s in self.sections),
            "sections_removed": sum(s.op == "removed" for s in self.sections),
            "sections_moved": sum(s.moved for s in self.sections),
            "sections_renamed": sum(bool(s.old_heading) for s in self.sections),
            "added": sum(u.op == "added" for u in units),
            "removed": sum(u.op == "removed" for u in units),
            "changed": sum(u.op == "changed" for u in units),
        }


# --- comparing ------------------------------------------------------------------------------


def _similarity(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a.split(), b.split(), autojunk=False).ratio()


def word_diff(old: str, new: str) -> list[WordOp]:
    """The words of ``old`` and ``new`` as runs kept, removed and added."""
    a, b = old.split(), new.split()
    ops: list[WordOp] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            ops.append(WordOp("equal", " ".join(a[i1:i2])))
            continue
        if i2 > i1:
            ops.append(WordOp("delete", " ".join(a[i1:i2])))
        if j2 > j1:
            ops.append(WordOp("insert", " ".join(b[j1:j2])))
    return ops


def _pair(old: list[str], new: list[str]) -> list[UnitChange]:
    """Units replaced by others: alike ones paired as changed (in order), the rest removed/added."""
    out: list[UnitChange] = []
    j = 0
    for o in old:
        best, best_ratio = None, SIMILAR
        for k in range(j, len(new)):
            r = _similarity(o, new[k])
            if r >= best_ratio:
                best, best_ratio = k, r
        if best is None:
            out.append(UnitChange("removed", o, None))
            continue
        out.extend(UnitChange("added", None, n) for n in new[j:best])
        out.append(UnitChange("changed", o, new[best], word_diff(o, new[best])))
        j = best + 1
    out.extend(UnitChange("added", None, n) for n in new[j:])
    return out


def compare_units(old: list[str], new: list[str]) -> list[UnitChange]:
    """The units added, removed and changed between two lists of units, in reading order."""
    out: list[UnitChange] = []
    sm = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        if tag == "equal":
            continue
        if tag == "delete":
            out.extend(UnitChange("removed", u, None) for u in old[i1:i2])
        elif tag == "insert":
            out.extend(UnitChange("added", None, u) for u in new[j1:j2])
        else:
            out.extend(_pair(old[i1:i2], new[j1:j2]))
    return out


def _match_renamed(
    old: list[ReaderSection], new: list[ReaderSection], matched: dict[str, str]
) -> dict[str, str]:
    """{new key: old key} for sections whose heading changed but whose text is much the same."""
    old_keys = {s.key for s in old} - set(matched.values())
    renamed: dict[str, str] = {}
    for n in new:
        if n.key in matched:
            continue
        best, best_ratio = None, 0.6
        for o in old:
            if o.key not in old_keys or o.level != n.level or not o.units:
                continue
            r = difflib.SequenceMatcher(None, o.units, n.units, autojunk=False).ratio()
            if r >= best_ratio:
                best, best_ratio = o.key, r
        if best is not None:
            renamed[n.key] = best
            old_keys.discard(best)
    return renamed


def _places(sections: list[ReaderSection]) -> dict[str, int | None]:
    """Each section's place among its siblings (1 = first); None for the key points, contact..."""
    counts: dict[str, int] = {}
    out: dict[str, int | None] = {}
    for s in sections:
        if s.key.startswith("("):
            out[s.key] = None
            continue
        parent = s.key.rsplit(" › ", 1)[0] if " › " in s.key else ""
        counts[parent] = counts.get(parent, 0) + 1
        out[s.key] = counts[parent]
    return out


def compare(old: ReaderView, new: ReaderView, old_label: str = "old", new_label: str = "new") -> Changes:
    """What a reader would see changed from ``old`` to ``new``."""
    changes = Changes(
        title=new.title,
        old_label=old_label,
        new_label=new_label,
        old_version=old.meta["version"],
        new_version=new.meta["version"],
        old_published=old.meta["published"],
        new_published=new.meta["published"],
        language=new.meta["language"],
    )
    for key, label in META_LABELS.items():
        a, b = old.meta.get(key, ""), new.meta.get(key, "")
        if a != b:
            changes.meta.append(MetaChange(key, label, a, b))
    old_by_key = {s.key: s for s in old.sections}
    matched = {s.key: s.key for s in new.sections if s.key in old_by_key}
    matched.update(_match_renamed(old.sections, new.sections, matched))
    old_pos = {s.key: i for i, s in enumerate(old.sections, 1)}
    old_place, new_place = _places(old.sections), _places(new.sections)
    # moved: matched sections outside the longest run kept in the same order
    new_order = [matched[s.key] for s in new.sections if s.key in matched]
    old_order = [s.key for s in old.sections if s.key in set(new_order)]
    in_order: set[str] = set()
    sm = difflib.SequenceMatcher(None, old_order, new_order, autojunk=False)
    for block in sm.get_matching_blocks():
        in_order.update(old_order[block.a : block.a + block.size])
    emitted: set[str] = set()

    def removed_before(limit: int) -> None:
        for s in old.sections:
            if old_pos[s.key] < limit and s.key not in emitted and s.key not in matched.values():
                emitted.add(s.key)
                changes.sections.append(
                    SectionChange(
                        s.heading,
                        s.key,
                        "removed",
                        old_position=old_place[s.key],
                        units=[UnitChange("removed", u, None) for u in s.units],
                    )
                )

    for s in new.sections:
        okey = matched.get(s.key)
        if okey is None:
            changes.sections.append(
                SectionChange(
                    s.heading,
                    s.key,
                    "added",
                    new_position=new_place[s.key],
                    units=[UnitChange("added", None, u) for u in s.units],
                )
            )
            continue
        removed_before(old_pos[okey])
        emitted.add(okey)
        o = old_by_key[okey]
        units = compare_units(o.units, s.units)
        changes.sections.append(
            SectionChange(
                s.heading,
                s.key,
                "changed" if units else "unchanged",
                old_heading=o.heading if okey != s.key else None,
                moved=okey not in in_order,
                old_position=old_place[okey],
                new_position=new_place[s.key],
                units=units,
            )
        )
    removed_before(len(old.sections) + 1)
    return changes


# --- presenting -----------------------------------------------------------------------------


def _ordinal(n: int | None) -> str:
    if n is None:
        return "?"
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _version_line(c: Changes) -> str:
    return (
        f"from version {c.old_version or '?'} (published {c.old_published or '?'}, {c.old_label}) "
        f"to version {c.new_version or '?'} (published {c.new_published or '?'}, {c.new_label})"
    )


def _section_notes(s: SectionChange) -> list[str]:
    notes = []
    if s.op == "added":
        notes.append("new section")
    elif s.op == "removed":
        notes.append("section removed")
    if s.old_heading:
        notes.append(f'renamed from "{s.old_heading}"')
    if s.moved:
        notes.append(f"moved from {_ordinal(s.old_position)} to {_ordinal(s.new_position)} place")
    return notes


def _words_text(words: list[WordOp], style) -> str:
    out = []
    for w in words:
        if w.op == "equal":
            out.append(w.text)
        elif w.op == "delete":
            out.append(style(f"[-{w.text}-]", "red"))
        else:
            out.append(style(f"{{+{w.text}+}}", "green"))
    return " ".join(out)


def format_text(c: Changes, colour: bool = False) -> str:
    """The changes for a terminal: [-removed-] and {+added+} words, - and + sentences.

    The markers carry the meaning; ``colour`` adds red and green for those who can see it.
    """

    def style(text: str, fg: str) -> str:
        if not colour:
            return text
        import click

        return click.style(text, fg=fg)

    lines = [f"Changes to {c.title}", f"  {_version_line(c)}"]
    if c.empty:
        lines += ["", "A reader would see no difference."]
        return "\n".join(lines) + "\n"
    if c.meta:
        lines += ["", "Details"]
        for m in c.meta:
            lines.append(f"  {m.label}: {m.old or '(none)'} -> {m.new or '(none)'}")
    for s in c.changed_sections:
        notes = _section_notes(s)
        head = f'Section "{s.heading}"' + (f" ({'; '.join(notes)})" if notes else "")
        lines += ["", head]
        if s.op in ("added", "removed"):
            sign = "+" if s.op == "added" else "-"
            fg = "green" if s.op == "added" else "red"
            lines += [style(f"  {sign} {u.new or u.old}", fg) for u in s.units]
            continue
        for u in s.units:
            if u.op == "added":
                lines.append(style(f"  + {u.new}", "green"))
            elif u.op == "removed":
                lines.append(style(f"  - {u.old}", "red"))
            else:
                lines.append("  ~ " + _words_text(u.words, style))
    n = c.summary()
    lines += [
        "",
        f"{n['changed']} changed, {n['added']} added, {n['removed']} removed; "
        f"sections: {n['sections_added']} added, {n['sections_removed']} removed, "
        f"{n['sections_moved']} moved, {n['sections_renamed']} renamed; {n['details']} details changed",
    ]
    return "\n".join(lines) + "\n"


def to_json(c: Changes) -> dict:
    """The changes as plain data (``leafwright diff --format json``)."""
    data = asdict(c)
    data["sections"] = [asdict(s) for s in c.changed_sections]
    data["summary"] = c.summary()
    data["empty"] = c.empty
    return data


_CSS = """
body { font-family: "Atkinson Hyperlegible", Verdana, sans-serif; font-size: 1.125rem;
  line-height: 1.5; color: #1a1a1a; background: #ffffff; max-width: 48rem; margin: 0 auto;
  padding: 1rem; }
h1 { font-size: 1.75rem; } h2 { font-size: 1.375rem; margin-top: 2rem; }
table { border-collapse: collapse; width: 100%; }
li, p { overflow-wrap: anywhere; }
th, td { overflow-wrap: break-word; }
@media (max-width: 30em) {
  body { padding: 0.5rem; }
  th, td { padding: 0.25rem; }
} th, td { border: 1px solid #595959; padding: 0.25rem 0.5rem;
  text-align: left; vertical-align: top; }
del { color: #8a1010; background: #fde7e7; text-decoration: line-through; }
ins { color: #0a5a1e; background: #e3f4e7; text-decoration: underline; }
.kind { font-weight: bold; }
.note { font-style: normal; font-weight: bold; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden;
  clip: rect(0 0 0 0); white-space: nowrap; }
ul.changes { padding-left: 1.25rem; } ul.changes li { margin-bottom: 0.5rem; }
"""


def _e(text: str | None) -> str:
    return html.escape(text or "", quote=True)


def _words_html(words: list[WordOp]) -> str:
    out = []
    for w in words:
        if w.op == "equal":
            out.append(_e(w.text))
        elif w.op == "delete":
            out.append(
                f'<del><span class="visually-hidden">[removed: </span>{_e(w.text)}'
                '<span class="visually-hidden">]</span></del>'
            )
        else:
            out.append(
                f'<ins><span class="visually-hidden">[added: </span>{_e(w.text)}'
                '<span class="visually-hidden">]</span></ins>'
            )
    return " ".join(out)


def format_html(c: Changes) -> str:
    """A "changes" page: one self-contained, escaped HTML document with semantic markup.

    Headings in order (h1 title, h2 per section), the details as a table with header
    cells, each change a list item that says in words whether it was added, removed or
    changed; within a changed sentence the words are in ``<del>`` and ``<ins>`` with
    hidden "[removed: …]"/"[added: …]" text, because screen readers do not announce
    those elements on their own.
    """
    lang = _e(c.language or "en")
    title = f"Changes to {c.title}: version {c.old_version} to {c.new_version}"
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{lang}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(title)}</title>",
        f"<style>{_CSS}</style>",
        "</head>",
        "<body>",
        "<main>",
        f"<h1>Changes to {_e(c.title)}</h1>",
        f"<p>{_e(_version_line(c)[0].upper() + _version_line(c)[1:])}.</p>",
    ]
    n = c.summary()
    if c.empty:
        parts.append("<p>A reader would see no difference.</p>")
    else:
        parts.append(
            f"<p>Sentences, list items and table rows: {n['changed']} changed, {n['added']} added, "
            f"{n['removed']} removed. Sections: {n['sections_added']} added, "
            f"{n['sections_removed']} removed, "
            f"{n['sections_moved']} moved, {n['sections_renamed']} renamed.</p>"
        )
    if c.meta:
        parts += [
            '<section aria-labelledby="details">',
            '<h2 id="details">Details</h2>',
            "<table>",
            "<caption>Details that changed</caption>",
            '<thead><tr><th scope="col">Detail</th><th scope="col">Before</th>'
            '<th scope="col">After</th></tr></thead>',
            "<tbody>",
        ]
        for m in c.meta:
            parts.append(
                f'<tr><th scope="row">{_e(m.label)}</th><td>{_e(m.old) or "(none)"}</td>'
                f"<td>{_e(m.new) or '(none)'}</td></tr>"
            )
        parts += ["</tbody>", "</table>", "</section>"]
    for i, s in enumerate(c.changed_sections, 1):
        hid = f"s{i}"
        parts += [f'<section aria-labelledby="{hid}">', f'<h2 id="{hid}">{_e(s.heading)}</h2>']
        notes = _section_notes(s)
        if notes:
            parts.append(f'<p class="note">{_e("; ".join(notes)).capitalize()}.</p>')
        if s.units:
            parts.append('<ul class="changes">')
            for u in s.units:
                if u.op == "added":
                    body = f"<ins>{_e(u.new)}</ins>"
                elif u.op == "removed":
                    body = f"<del>{_e(u.old)}</del>"
                else:
                    body = _words_html(u.words)
                parts.append(f'<li><span class="kind">{u.op.capitalize()}:</span> {body}</li>')
            parts.append("</ul>")
        parts.append("</section>")
    parts += ["</main>", "</body>", "</html>"]
    return "\n".join(parts) + "\n"
