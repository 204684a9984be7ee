"""Inline text: a small Markdown subset, turned into safe ReportLab paragraph markup.

Understood: ``**bold**``, ``*emphasis*``, ``[text](url)``, ``[words]{lang=cy}``
(a run in another language) and line breaks (a newline inside the text). A
backslash escapes the next character. Everything else is text: ``<``, ``>`` and ``&`` are escaped before ReportLab sees them, so
a leaflet containing ``<img src=...>`` or ``<font>`` prints those characters.
Characters the main font lacks are wrapped in the fallback font that has them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .model import check_url


@dataclass(frozen=True)
class Span:
    """A run of text with its emphasis, or a line break (``text == '\\n'``)."""

    text: str
    bold: bool = False
    italic: bool = False
    url: str | None = None
    lang: str | None = None


_LINK = re.compile(r"\[([^\]\n]+)\]\(([^)\s]+)\)")
# a run of text in another language: [Croeso]{lang=cy} (Pandoc's bracketed-span syntax)
_LANG_SPAN = re.compile(r"\[([^\]\n]+)\]\{lang=([A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*)\}")


_SPECIAL = re.compile(r"[\\\n*\[]")


def parse_inline(
    text: str, *, bold: bool = False, italic: bool = False, url: str | None = None, lang: str | None = None
) -> list[Span]:
    """Split inline Markdown into spans. Unmatched markers are literal text."""
    return list(_parse_cached(text, bold, italic, url, lang))


@lru_cache(maxsize=8192)
def _parse_cached(text: str, bold: bool, italic: bool, url: str | None, lang: str | None) -> tuple[Span, ...]:
    # layout parses each text twice (markup and plain text), and most have no markup
    if not _SPECIAL.search(text):
        return (Span(text, bold, italic, url, lang),) if text else ()
    return tuple(_parse(text, bold, italic, url, lang))


def _parse(text: str, bold: bool, italic: bool, url: str | None, lang: str | None) -> list[Span]:
    spans: list[Span] = []
    buf: list[str] = []
    i = 0
    n = len(text)

    def flush() -> None:
        if buf:
            spans.append(Span("".join(buf), bold, italic, url, lang))
            buf.clear()

    while i < n:
        c = text[i]
        if c == "\\" and i + 1 < n and text[i + 1] in "\\*[]()_":
            buf.append(text[i + 1])
            i += 2
            continue
        if c == "\n":
            flush()
            spans.append(Span("\n"))
            i += 1
            continue
        if text.startswith("**", i):
            end = text.find("**", i + 2)
            if end > i + 2:
                flush()
                spans.extend(parse_inline(text[i + 2 : end], bold=True, italic=italic, url=url, lang=lang))
                i = end + 2
                continue
        elif c == "*" and not text.startswith("**", i):
            end = _find_single_star(text, i + 1)
            if end > i + 1 and not text[i + 1].isspace():
                flush()
                spans.extend(parse_inline(text[i + 1 : end], bold=bold, italic=True, url=url, lang=lang))
                i = end + 1
                continue
        elif c == "[" and url is None and lang is None and _LANG_SPAN.match(text, i):
            m = _LANG_SPAN.match(text, i)
            flush()
            spans.extend(parse_inline(m.group(1), bold=bold, italic=italic, lang=m.group(2)))
            i = m.end()
            continue
        elif c == "[" and url is None:
            m = _LINK.match(text, i)
            if m:
                try:
                    target = check_url(m.group(2))
                except ValueError:
                    target = None
                if target is not None:
                    flush()
                    spans.extend(parse_inline(m.group(1), bold=bold, italic=italic, url=target, lang=lang))
                    i = m.end()
                    continue
        buf.append(c)
        i += 1
    flush()
    return spans


def _find_single_star(text: str, start: int) -> int:
    j = start
    while True:
        j = text.find("*", j)
        if j < 0:
            return -1
        if not text.startswith("**", j) and not text[j - 1].isspace():
            return j
        j += 2 if text.startswith("**", j) else 1


def link_targets(text: str) -> list[str]:
    """The targets of every ``[text](url)`` in a text, in order."""
    return [m.group(2) for m in _LINK.finditer(text)]


def bad_links(text: str) -> list[str]:
    """Link targets in ``[text](url)`` that are not http(s), mailto or tel."""
    out = []
    for url in link_targets(text):
        try:
            check_url(url)
        except ValueError:
            out.append(url)
    return out


def plain_text(text: str) -> str:
    """What a reader sees: the text without markup (line breaks become spaces)."""
    return "".join(" " if s.text == "\n" else s.text for s in parse_inline(text))


def escape(text: str) -> str:
    """Escape text for ReportLab's paragraph parser."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


_FONT_OF: dict[tuple[str, ...], dict[str, str]] = {}
"""Per font set (by registered names): which font draws each character seen so far."""


def _font_runs(text: str, fonts, bold: bool = False) -> str:
    """Escape text, wrapping characters the main font lacks in their fallback font.

    ``bold``: the text is bold (a ``**bold**`` run, or a paragraph set in the bold face,
    like a heading): the fallback's bold face is named, as ``<font face>`` sets a face
    exactly and would otherwise drop the bold.
    """
    from .fonts import font_for

    # looked up once per character per process: the per-character lookup led the profile
    table = _FONT_OF.setdefault((fonts.regular, *fonts.fallbacks), {})
    chars = set(text)
    for ch in chars - table.keys():
        table[ch] = font_for(ch, fonts) or fonts.regular
    if all(table[ch] == fonts.regular for ch in chars):
        return escape(text)
    out: list[str] = []
    current: str | None = None
    run: list[str] = []

    def flush() -> None:
        if not run:
            return
        chunk = escape("".join(run))
        if current in (None, fonts.regular):
            out.append(chunk)
        else:
            face = fonts.fallback_bold(current) if bold else current
            out.append(f'<font face="{face}">{chunk}</font>')
        run.clear()

    for ch in text:
        f = table[ch]
        if f != current:
            flush()
            current = f
        run.append(ch)
    flush()
    return "".join(out)


def unbroken(text: str) -> str:
    """Plain text that never breaks across lines (a date, a version): no-break spaces."""
    return text.replace(" ", "\u00a0")


def nobreak(text: str) -> str:
    """Join a phone number's groups with no-break spaces so it never splits across lines."""
    return re.sub(r"(?<=\d) (?=\d)", "\u00a0", text)


# A phone number: a leading group starting 0 or +, then two to four space-separated groups.
_PHONE = re.compile(r"(?<![\w.,])(?:\+\d{1,3} ?)?\(?0?\d{2,5}\)?(?: \d{2,4}){1,4}(?![\w])")


def keep_phones_whole(text: str) -> str:
    """No-break spaces inside anything that looks like a phone number (9+ digits, 0 or + first)."""

    def fix(m: re.Match) -> str:
        s = m.group(0)
        digits = sum(c.isdigit() for c in s)
        if digits < 9 or s.lstrip("(")[0] not in "0+":
            return s
        return s.replace(" ", "\u00a0")

    return _PHONE.sub(fix, text)


def to_markup(
    text: str,
    fonts,
    *,
    link_colour: str | None = None,
    links: list[tuple[str, str, str]] | None = None,
    bold: bool = False,
) -> str:
    """Inline Markdown to ReportLab paragraph markup.

    Links (drawn underlined in ``link_colour``) and runs in another language are
    bracketed by ``lw_link`` callbacks so the tagging canvas can give each its own
    ``Link`` or ``Span`` element; ``links`` collects (role, text, url or language)
    in order. ``bold``: the paragraph itself is set in the bold face (a heading).
    """
    parts: list[str] = []
    spans = parse_inline(text)
    i = 0
    while i < len(spans):
        s = spans[i]
        if s.text == "\n":
            parts.append("<br/>")
            i += 1
            continue
        if s.url is not None or s.lang is not None:
            # gather the whole link or language run (it may hold bold or italic spans)
            key = (s.url, s.lang)
            j = i
            group = []
            while j < len(spans) and (spans[j].url, spans[j].lang) == key and spans[j].text != "\n":
                group.append(spans[j])
                j += 1
            idx = len(links) if links is not None else 0
            role, value = ("Link", s.url) if s.url is not None else ("Span", s.lang)
            if links is not None:
                links.append((role, "".join(g.text for g in group), value))
            inner = "".join(_styled(g, fonts, bold) for g in group)
            if role == "Link":
                colour = f' color="{link_colour}"' if link_colour else ""
                inner = f'<a href="{escape(s.url)}"{colour} underline="1">{inner}</a>'
            parts.append(
                f'<onDraw name="lw_link" label="start:{idx}"/>{inner}'
                f'<onDraw name="lw_link" label="end:{idx}"/>'
            )
            i = j
            continue
        parts.append(_styled(s, fonts, bold))
        i += 1
    return "".join(parts)


def _styled(s: Span, fonts, bold: bool = False) -> str:
    body = _font_runs(keep_phones_whole(s.text), fonts, bold or s.bold)
    if s.italic:
        body = f"<i>{body}</i>"
    if s.bold:
        body = f"<b>{body}</b>"
    return body
