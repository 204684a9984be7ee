"""Inline text: a small Markdown subset, parsed into spans of text.

Understood: ``**bold**``, ``*emphasis*``, ``[text](url)``, ``[words]{lang=cy}``
(a run in another language) and line breaks (a newline inside the text). A
backslash escapes the next character. Everything else is text: a leaflet containing
``<img src=...>`` or ``<font>`` prints those characters (no markup language is
written or read again on the way to the page: :mod:`leafwright.text` lays the spans
out directly).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import lru_cache

from .schema import _BCP47, check_url


@dataclass(frozen=True)
class Span:
    """A run of text with its emphasis, or a line break (``text == '\\n'``).

    ``wraps`` are the elements the run sits in, outermost first: ``("Link", url, n)`` or
    ``("Span", language, n)`` (``n`` tells two neighbouring links to the same address
    apart). ``url`` and ``lang`` are the innermost link's address and language.
    """

    text: str
    bold: bool = False
    italic: bool = False
    url: str | None = None
    lang: str | None = None
    wraps: tuple[tuple[str, str, int], ...] = ()


@dataclass(frozen=True)
class MarkupProblem:
    """Inline markup that would print as typed (or a link that may not be used)."""

    offset: int  # where in the text the markup starts
    message: str
    hint: str


_SPECIAL = re.compile(r"[\\\n*\[\]]")
_ESCAPABLE = "\\*[]()_{}"
_LANG_ATTR = re.compile(r"""\s*lang\s*=\s*["']?([^"'\s}]*)["']?\s*""")
_LINK_HINT = "write a link as [the words to click](https://example.org/page)"
_SPAN_HINT = "write a run in another language as [Croeso]{lang=cy}"


#: File names a link may point to besides http(s), mailto and tel links, while leafwright
#: lays out its own text: the other language editions' PDFs beside this one
#: (:func:`local_files`). A leaflet's own links are checked before layout, without them,
#: so a leaflet can never link to a file.
_LOCAL_FILES: ContextVar[frozenset[str]] = ContextVar("local_files", default=frozenset())


@contextmanager
def local_files(names: Iterable[str]) -> Iterator[None]:
    """While laying out a leaflet: links to these file names are links (see _LOCAL_FILES)."""
    token = _LOCAL_FILES.set(frozenset(names))
    try:
        yield
    finally:
        _LOCAL_FILES.reset(token)


def parse_inline(text: str) -> list[Span]:
    """Split inline Markdown into spans. Markup that does not parse is literal text."""
    return list(_parse_cached(text, _LOCAL_FILES.get())[0])


def markup_problems(text: str) -> list[MarkupProblem]:
    """Every piece of inline markup in ``text`` that would print as typed, in order."""
    return list(_parse_cached(text, _LOCAL_FILES.get())[1])


@lru_cache(maxsize=8192)
def _parse_cached(
    text: str, files: frozenset[str] = frozenset()
) -> tuple[tuple[Span, ...], tuple[MarkupProblem, ...]]:
    # layout parses each text twice (markup and plain text), and most have no markup
    if not _SPECIAL.search(text):
        return ((Span(text),) if text else ()), ()
    p = _Parser(text, files)
    p.run(0, len(text), False, False, ())
    p.flush(False, False, ())
    return tuple(p.spans), tuple(sorted(p.problems, key=lambda q: q.offset))


def _close(text: str, i: int, end: int, open_: str, close: str) -> int:
    """The index of the ``close`` matching ``text[i] == open_`` before ``end`` (escapes
    skipped, nesting counted, never across a line break), or -1."""
    depth = 0
    j = i
    while j < end:
        c = text[j]
        if c == "\\":
            j += 2
            continue
        if c == "\n":
            return -1
        if c == open_:
            depth += 1
        elif c == close:
            depth -= 1
            if depth == 0:
                return j
        j += 1
    return -1


class _Parser:
    """A recursive-descent parser over index ranges (offsets stay those of the whole text)."""

    def __init__(self, text: str, files: frozenset[str] = frozenset()) -> None:
        self.text = text
        self.files = files
        self.spans: list[Span] = []
        self.problems: list[MarkupProblem] = []
        self.buf: list[str] = []
        self.buf_at: list[int] = []  # where each buffered character is in the text (-1: escaped)
        self.count = 0
        self.covered: set[int] = set()  # the ']' of markup already reported

    def flush(self, bold: bool, italic: bool, wraps: tuple) -> None:
        if not self.buf:
            return
        run = "".join(self.buf)
        where = list(self.buf_at)
        self.buf.clear()
        self.buf_at.clear()
        for probe, what in (("](", "a link"), ("]{", "a language run")):
            at = run.find(probe)
            while at >= 0 and (where[at] < 0 or where[at] in self.covered):
                at = run.find(probe, at + 1)
            if at >= 0:
                self.problems.append(
                    MarkupProblem(
                        where[at],
                        f"'{probe}' looks like {what} but is not one, so it would print as typed",
                        (_LINK_HINT if what == "a link" else _SPAN_HINT) + "; write \\] to print a bracket",
                    )
                )
                break
        url = next((w[1] for w in reversed(wraps) if w[0] == "Link"), None)
        lang = next((w[1] for w in reversed(wraps) if w[0] == "Span"), None)
        self.spans.append(Span(run, bold, italic, url, lang, wraps))

    def literal(self, c: str, at: int) -> None:
        self.buf.append(c)
        self.buf_at.append(at)

    def problem(self, at: int, message: str, hint: str) -> None:
        self.problems.append(MarkupProblem(at, message, hint))

    def run(self, i: int, end: int, bold: bool, italic: bool, wraps: tuple) -> None:
        text = self.text
        while i < end:
            c = text[i]
            if c == "\\" and i + 1 < end and text[i + 1] in _ESCAPABLE:
                self.literal(text[i + 1], -1)
                i += 2
                continue
            if c == "\n":
                self.flush(bold, italic, wraps)
                self.spans.append(Span("\n"))
                i += 1
                continue
            if text.startswith("**", i):
                close = text.find("**", i + 2, end)
                if close > i + 2:
                    self.flush(bold, italic, wraps)
                    self.run(i + 2, close, True, italic, wraps)
                    self.flush(True, italic, wraps)
                    i = close + 2
                    continue
            elif c == "*":
                close = _find_single_star(text, i + 1, end)
                if close > i + 1 and not text[i + 1].isspace():
                    self.flush(bold, italic, wraps)
                    self.run(i + 1, close, bold, True, wraps)
                    self.flush(bold, True, wraps)
                    i = close + 1
                    continue
            elif c == "[":
                nxt = self.bracket(i, end, bold, italic, wraps)
                if nxt is not None:
                    i = nxt
                    continue
            self.literal(c, i)
            i += 1
        self.flush(bold, italic, wraps)

    def bracket(self, i: int, end: int, bold: bool, italic: bool, wraps: tuple) -> int | None:
        """Parse ``[text](url)`` or ``[text]{lang=xx}`` at ``i``; the index after it, or None."""
        text = self.text
        j = _close(text, i, end, "[", "]")
        if j < 0 or j + 1 >= end or text[j + 1] not in "({":
            return None
        label = text[i + 1 : j]
        self.covered.add(j)  # whatever follows, this ']' is reported here if it is wrong
        if text[j + 1] == "(":
            k = _close(text, j + 1, end, "(", ")")
            if k < 0:
                self.problem(i, "a link's address is not closed with ')'", _LINK_HINT)
                return None
            url = text[j + 2 : k]
            if any(w[0] == "Link" for w in wraps):
                self.problem(i, "a link cannot hold another link", "give each link its own words")
                return None
            if not label.strip():
                self.problem(i, f"the link to '{url}' has no words to click", _LINK_HINT)
                return None
            if any(ch.isspace() for ch in url):
                self.problem(
                    j + 2,
                    f"the link address '{url}' contains a space",
                    "a web address has no spaces: write %20 for a space, or check for a "
                    "missing ')' after the address",
                )
                return None
            try:
                if url not in self.files:
                    check_url(url)
            except ValueError as exc:
                self.problem(
                    j + 2, str(exc), "write the whole address, e.g. [our website](https://example.org)"
                )
                return None
            self.count += 1
            self.flush(bold, italic, wraps)
            self.run(i + 1, j, bold, italic, wraps + (("Link", url, self.count),))
            return k + 1
        k = _close(text, j + 1, end, "{", "}")
        if k < 0:
            self.problem(j + 1, "'{' after [text] is not closed with '}'", _SPAN_HINT)
            return None
        m = _LANG_ATTR.fullmatch(text, j + 2, k)
        if not m:
            self.problem(
                j + 1,
                f"'{text[j + 1 : k + 1]}' is not understood: only {{lang=...}} may follow [text]",
                _SPAN_HINT,
            )
            return None
        lang = m.group(1)
        if not _BCP47.match(lang):
            self.problem(
                j + 1,
                f"'{lang}' is not a language tag",
                "use a BCP 47 tag: a two- or three-letter language, then an optional region "
                "after a hyphen, e.g. cy, fr or fr-FR",
            )
            return None
        if not label.strip():
            self.problem(i, f"the run in language '{lang}' has no text", _SPAN_HINT)
            return None
        self.count += 1
        self.flush(bold, italic, wraps)
        self.run(i + 1, j, bold, italic, wraps + (("Span", lang, self.count),))
        return k + 1


def _find_single_star(text: str, start: int, end: int) -> int:
    j = start
    while True:
        j = text.find("*", j, end)
        if j < 0:
            return -1
        if not text.startswith("**", j) and not text[j - 1].isspace():
            return j
        j += 2 if text.startswith("**", j) else 1


def link_targets(text: str) -> list[str]:
    """The targets of every ``[text](url)`` in a text that parses as a link, in order."""
    out: list[tuple[str, int]] = []
    for s in parse_inline(text):
        for role, value, n in s.wraps:
            if role == "Link" and (value, n) not in out:
                out.append((value, n))
    return [v for v, _n in out]


def bad_links(text: str) -> list[str]:
    """Messages for link markup that cannot be used (bad scheme, spaces, unclosed)."""
    return [p.message for p in markup_problems(text)]


def plain_text(text: str) -> str:
    """What a reader sees: the text without markup (line breaks become spaces)."""
    return "".join(" " if s.text == "\n" else s.text for s in parse_inline(text))


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
