"""``leafwright audit`` results as text, JSON or one HTML page.

The text and HTML say each finding as a sentence with what to do, the page and the
structure element it concerns; the HTML page adds page thumbnails and the reading
order as a screen reader reads it. Everything taken from a PDF is escaped: a PDF can
never put markup into the report.
"""

from __future__ import annotations

import base64
import html
import io
import json
from dataclasses import dataclass
from pathlib import Path

from .audit import AuditResult, Finding, clip, explain
from .errors import display_path


@dataclass
class Unreadable:
    """A file the audit could not open, and why (not a PDF, encrypted, missing)."""

    file: str
    reason: str


Outcome = AuditResult | Unreadable


def verdict(r: Outcome) -> str:
    """One word for the summary: compliant, not compliant, or unreadable."""
    if isinstance(r, Unreadable):
        return "unreadable"
    return "compliant" if r.compliant else "NOT COMPLIANT"


def _where(f: Finding) -> str:
    bits = []
    if f.page is not None:
        bits.append(f"page {f.page}")
    if f.element:
        bits.append(f.element)
    head = ", ".join(bits)
    if f.excerpt:
        head += (": " if head else "") + f"\u201c{f.excerpt}\u201d"
    return head


def grouped(findings: list[Finding]) -> list[tuple[str, str, str, list[Finding]]]:
    """Findings of one kind together, in order of first appearance: (code, meaning, fix, findings)."""
    groups: dict[str, list[Finding]] = {}
    for f in findings:
        groups.setdefault(f.code, []).append(f)
    return [(code, explain(code) or fs[0].message, fs[0].fix, fs) for code, fs in groups.items()]


def _own_words(f: Finding, meaning: str) -> str | None:
    """What is particular to this place: its note, or its message when that differs from the group's."""
    if f.note:
        return f.note
    return f.message if f.message != meaning else None


# --- text -------------------------------------------------------------------------------


def format_text(r: Outcome, *, full: bool = False) -> str:
    """One file's audit as the terminal shows it."""
    name = display_path(r.file)
    if isinstance(r, Unreadable):
        return f"== {name}\ncannot audit this file: {r.reason}\n"
    out = [f"== {name}"]
    if r.title:
        shown = (
            "shown in the window title"
            if r.title_shown
            else "NOT shown in the window title: viewers show the file name"
        )
        out.append(f"title:     {r.title}  ({shown})")
    else:
        out.append("title:     (none)")
    out.append(f"language:  {r.lang or 'NOT SET'}")
    out.append(f"pages:     {r.pages}" + ("  (encrypted, opened without a password)" if r.encrypted else ""))
    out.append("fonts:")
    for font in r.fonts:
        out.append(
            f"  {font['name']} ({font['type']}, {'embedded' if font['embedded'] else 'NOT EMBEDDED'}"
            f"{'' if font['unicode'] else ', no ToUnicode map'})"
        )
    if not r.fonts:
        out.append("  (none)")
    if not r.tagged:
        out.append("reading order: NO STRUCTURE TREE (untagged: a screen reader guesses)")
    else:
        out.append("reading order (what a screen reader follows):")
        out += ["  " + line for line in r.outline]
    if r.checker:
        out.append(f"PDF/UA-1 rule checks ({r.checker}): {r.rules} rules, {len(r.errors)} problem(s)")
    for title, items in (
        ("problems (these fail PDF/UA-1)", r.errors),
        ("warnings (allowed by PDF/UA-1, but a screen reader user would notice)", r.warnings),
    ):
        if not items:
            continue
        out.append(f"{title}:")
        for code, meaning, fix, fs in grouped(items):
            out.append(f"  {code}" + (f" ({len(fs)} places)" if len(fs) > 1 else "") + f": {meaning}")
            out.append(f"    what to do: {fix}")
            for f in fs if full else fs[:_SHOWN]:
                own = _own_words(f, meaning)
                out.append(f"    - {_where(f) or 'the whole document'}" + (f": {own}" if own else ""))
                if f.detail:
                    out.append(f"      ({f.detail})")
            if not full and len(fs) > _SHOWN:
                out.append(f"    - … and {len(fs) - _SHOWN} more places (--full lists them all)")
    out.append(
        "result:    "
        + ("compliant (PDF/UA-1)" if r.compliant else "NOT COMPLIANT (PDF/UA-1)")
        + (f", {len(r.warnings)} warning(s)" if r.warnings else "")
    )
    return "\n".join(out) + "\n"


def summary_rows(results: list[Outcome]) -> list[tuple[str, str, str, str, str]]:
    """File, pages, verdict, problems, warnings: one row a file."""
    rows = []
    for r in results:
        if isinstance(r, Unreadable):
            rows.append((display_path(r.file), "-", "unreadable", "-", "-"))
        else:
            rows.append(
                (display_path(r.file), str(r.pages), verdict(r), str(len(r.errors)), str(len(r.warnings)))
            )
    return rows


def format_summary(results: list[Outcome]) -> str:
    """A plain-text table of every file audited, and the totals."""
    head = ("file", "pages", "PDF/UA-1", "problems", "warnings")
    rows = summary_rows(results)
    widths = [max(len(x) for x in col) for col in zip(head, *rows)]
    line = "  ".join(h.ljust(w) for h, w in zip(head, widths))
    out = ["summary:", line, "  ".join("-" * w for w in widths)]
    out += ["  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip() for row in rows]
    ok = sum(1 for r in results if verdict(r) == "compliant")
    bad = sum(1 for r in results if verdict(r) == "NOT COMPLIANT")
    unread = sum(1 for r in results if isinstance(r, Unreadable))
    out.append(f"{len(results)} files: {ok} compliant, {bad} not compliant, {unread} unreadable")
    return "\n".join(out) + "\n"


# --- JSON -------------------------------------------------------------------------------


def format_json(results: list[Outcome]) -> str:
    """Every result as JSON: ``{"files": [...], "summary": {...}}`` (no outline duplicates)."""
    files = []
    for r in results:
        if isinstance(r, Unreadable):
            files.append({"file": r.file, "verdict": "unreadable", "reason": r.reason})
        else:
            d = r.to_dict()
            d["verdict"] = "compliant" if r.compliant else "not-compliant"
            d.pop("page_sizes", None)
            files.append(d)
    summary = {
        "files": len(results),
        "compliant": sum(1 for r in results if verdict(r) == "compliant"),
        "not_compliant": sum(1 for r in results if verdict(r) == "NOT COMPLIANT"),
        "unreadable": sum(1 for r in results if isinstance(r, Unreadable)),
    }
    return json.dumps({"files": files, "summary": summary}, indent=2, ensure_ascii=False) + "\n"


# --- HTML -------------------------------------------------------------------------------

_CSS = """
body { font-family: system-ui, sans-serif; line-height: 1.5; margin: 0; color: #1b1b1b; background: #fff; }
header, main { max-width: 60rem; margin: 0 auto; padding: 0 1rem; }
h1 { margin-top: 1.5rem; }
table { border-collapse: collapse; margin: 1rem 0; }
th, td { border: 1px solid #767676; padding: .3rem .6rem; text-align: left; vertical-align: top;
  overflow-wrap: anywhere; }
h2, li, p, dd { overflow-wrap: anywhere; }
img { max-width: 100%; height: auto; }
caption { text-align: left; font-weight: bold; padding-bottom: .3rem; }
article { border-top: 3px solid #1b1b1b; margin-top: 2rem; }
.ok { color: #05661f; font-weight: bold; }
.bad { color: #a4000f; font-weight: bold; }
.finding { margin-bottom: 1rem; }
.finding p { margin: .2rem 0; }
.where { font-weight: bold; }
.element { font-family: ui-monospace, monospace; font-size: .95em; }
.pages { display: flex; flex-wrap: wrap; gap: 1rem; list-style: none; padding: 0; }
.pages img { border: 1px solid #767676; display: block; }
.role { font-style: italic; color: #4a4a4a; }
.reading li { margin: .15rem 0; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; }
dt { font-weight: bold; }
dd { margin: 0; }
"""


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def page_thumbnails(path: str | Path, *, width: int = 160, limit: int = 24) -> list[str]:
    """PNG thumbnails (base64) of the first ``limit`` pages, ``width`` pixels wide."""
    import pypdfium2 as pdfium

    out = []
    pdf = pdfium.PdfDocument(str(path))
    try:
        for i in range(min(len(pdf), limit)):
            page = pdf[i]
            scale = width / page.get_width()
            image = page.render(scale=scale).to_pil()
            buf = io.BytesIO()
            image.save(buf, format="PNG", optimize=True)
            out.append(base64.b64encode(buf.getvalue()).decode("ascii"))
            page.close()
    finally:
        pdf.close()
    return out


_SHOWN = 10  # places listed before the rest fold away (HTML) or are counted (text without --full)


def _place_html(f: Finding, meaning: str) -> str:
    where = []
    if f.page is not None:
        where.append(_e(f"Page {f.page}"))
    if f.element:
        where.append(f'<span class="element">{_e(f.element)}</span>')
    head = ", ".join(where) or "The whole document"
    excerpt = f" \u201c{_e(f.excerpt)}\u201d" if f.excerpt else ""
    own = _own_words(f, meaning)
    detail = f" <small>({_e(f.detail)})</small>" if f.detail else ""
    return (
        f'<li><span class="where">{head}</span>{excerpt}' + (f": {_e(own)}" if own else "") + f"{detail}</li>"
    )


def _group_html(code: str, meaning: str, fix: str, fs: list[Finding]) -> str:
    count = f" ({len(fs)} places)" if len(fs) > 1 else ""
    return (
        '<li class="finding">'
        + f"<p>{_e(meaning)}{_e(count)}</p>"
        + f"<p><strong>What to do:</strong> {_e(fix)}</p>"
        + "<ul>"
        + "".join(_place_html(f, meaning) for f in fs[:_SHOWN])
        + "</ul>"
        + (
            f"<details><summary>{len(fs) - _SHOWN} more places</summary><ul>"
            + "".join(_place_html(f, meaning) for f in fs[_SHOWN:])
            + "</ul></details>"
            if len(fs) > _SHOWN
            else ""
        )
        + f"<p><small>Check: {_e(code)}</small></p>"
        + "</li>"
    )


def _file_html(r: Outcome, n: int, thumbnails: bool) -> str:
    name = display_path(r.file)
    hid = f"file-{n}"
    parts = [f'<article aria-labelledby="{hid}"><h2 id="{hid}">{_e(name)}</h2>']
    if isinstance(r, Unreadable):
        parts.append(f'<p class="bad">Cannot audit this file: {_e(r.reason)}</p></article>')
        return "".join(parts)
    ok = r.compliant
    parts.append(
        f'<p class="{"ok" if ok else "bad"}">'
        + (
            "Passes the PDF/UA-1 checks."
            if ok
            else f"Fails the PDF/UA-1 checks: {len(r.errors)} problem(s) to fix."
        )
        + (f" {len(r.warnings)} warning(s) about what a screen reader user gets." if r.warnings else "")
        + "</p>"
    )
    title = _e(r.title) if r.title else "none"
    if r.title and not r.title_shown:
        title += " (not shown in the window title: viewers show the file name)"
    parts.append(
        "<dl>"
        f"<dt>Title</dt><dd>{title}</dd>"
        f"<dt>Language</dt><dd>{_e(r.lang) if r.lang else 'not set'}</dd>"
        f"<dt>Pages</dt><dd>{r.pages}</dd>"
        f"<dt>Tagged</dt><dd>{'yes' if r.tagged else 'no: a screen reader has to guess'}</dd>"
        f"<dt>Checked by</dt><dd>{_e(r.checker or 'no rule checker')}, {r.rules} rules</dd>"
        "</dl>"
    )
    for label, items, slug in (
        ("Problems that fail PDF/UA-1", r.errors, "problems"),
        ("Warnings: allowed by PDF/UA-1, but a screen reader user would notice", r.warnings, "warnings"),
    ):
        sid = f"{hid}-{slug}"
        parts.append(f'<section aria-labelledby="{sid}"><h3 id="{sid}">{_e(label)} ({len(items)})</h3>')
        if items:
            parts.append("<ol>" + "".join(_group_html(*g) for g in grouped(items)) + "</ol>")
        else:
            parts.append("<p>None.</p>")
        parts.append("</section>")
    if thumbnails:
        try:
            thumbs = page_thumbnails(r.file)
        except Exception:  # a file pdfium cannot render still gets its report
            thumbs = []
        if thumbs:
            sid = f"{hid}-pages"
            more = f" (the first {len(thumbs)} of {r.pages})" if len(thumbs) < r.pages else ""
            parts.append(
                f'<section aria-labelledby="{sid}"><h3 id="{sid}">Pages{more}</h3><ul class="pages">'
            )
            for i, b64 in enumerate(thumbs, 1):
                parts.append(
                    f'<li><img src="data:image/png;base64,{b64}" alt="Page {i} of {_e(Path(name).name)}" '
                    f'width="160"><span>Page {i}</span></li>'
                )
            parts.append("</ul></section>")
    sid = f"{hid}-reading"
    parts.append(
        f'<section aria-labelledby="{sid}"><h3 id="{sid}">Reading order, as a screen reader reads it</h3>'
    )
    if not r.reading:
        parts.append("<p>This PDF has no tags: a screen reader guesses the order from the page layout.</p>")
    else:
        parts.append('<ol class="reading">')
        for s in r.reading:
            pad = f' style="margin-left: {s.depth * 1.5:.1f}rem"' if s.depth else ""
            role = f'<span class="role">{_e(s.role)}</span> ' if s.role else ""
            page = f"<small>(page {s.page})</small> " if s.page else ""
            parts.append(f"<li{pad}>{page}{role}{_e(clip(s.text, 400))}</li>")
        parts.append("</ol>")
    parts.append("</section></article>")
    return "".join(parts)


def format_html(results: list[Outcome], *, thumbnails: bool = True) -> str:
    """One HTML page: a summary table, then each file's findings, pages and reading order."""
    rows = summary_rows(results)
    count = f"{len(results)} PDF" + ("" if len(results) == 1 else "s")
    body = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>Accessibility audit: {_e(count)}</title>",
        f"<style>{_CSS}</style></head><body>",
        f"<header><h1>Accessibility audit of {_e(count)}</h1>",
        "<p>Made by <code>leafwright audit</code>. Problems fail the PDF/UA-1 rules for accessible "
        "PDF; warnings are allowed by the rules but a screen reader user would notice them.</p></header>",
        "<main>",
        '<section aria-labelledby="summary"><h2 id="summary">Summary</h2>',
        "<table><caption>Every file audited</caption><thead><tr>"
        + "".join(f'<th scope="col">{h}</th>' for h in ("File", "Pages", "PDF/UA-1", "Problems", "Warnings"))
        + "</tr></thead><tbody>",
    ]
    for i, row in enumerate(rows, 1):
        body.append(
            f'<tr><th scope="row"><a href="#file-{i}">{_e(row[0])}</a></th>'
            + "".join(f"<td>{_e(c)}</td>" for c in row[1:])
            + "</tr>"
        )
    body.append("</tbody></table></section>")
    body += [_file_html(r, i, thumbnails) for i, r in enumerate(results, 1)]
    body.append("</main></body></html>")
    return "\n".join(body) + "\n"
