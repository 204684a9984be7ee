"""A paragraph's inline text broken into lines: itemise, measure, break.

Itemise: the spans of inline markup become words of pieces, each piece in one font
(the style's face for bold and italic; a fallback font, per character, where the main
font has no glyph), colour, link and language run. Measure: each piece's width, cached
per font and size. Break: greedily, in logical order, at spaces (never at a no-break
space), and at forced line breaks; a word wider than the line breaks after its own
hyphen, else is cut where it must (a web address at '/', '?', '&' ...). Each line then
keeps a real space at its end when it ends between words, so tools that read the text
rather than the page (screen readers, poppler's struct-text) never join two words.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any, NamedTuple

from ..inline import Span, keep_phones_whole, parse_inline
from .addresses import address_cuts, is_address
from .measure import advances, width, widths_for


@dataclass(frozen=True)
class TextStyle:
    """What a paragraph's lines depend on besides its text and widths (hashable: a cache key)."""

    fonts: Any  # a fonts.FontSet (frozen), or None: ``font`` for every character
    font: str  # the paragraph's own face (a FontSet face, or any registered font)
    size: float
    link_colour: str | None = None
    shrink: float = 0.0
    """How much each space of a line may shrink (a share of its width) to fit one more word
    (ReportLab's ``spaceShrinkage``: the line breaks stay those ReportLab made)."""


class Look(NamedTuple):
    """How a piece of text is drawn besides its text."""

    font: str
    colour: str | None  # None: the paragraph's colour
    link: str | None  # the address of the link it is in (drawn underlined)
    wraps: tuple[tuple[str, str, int], ...]  # the Link/Span elements it sits in, outermost first


class Piece(NamedTuple):
    """Text in one look, as drawn on a line (tuples: a paragraph makes thousands)."""

    text: str
    look: Look
    width: float


@dataclass(frozen=True, slots=True)
class Line:
    """One line: its pieces in display order, its width (a trailing space not counted)."""

    pieces: tuple[Piece, ...]
    width: float
    text: str  # the line's text, with the space kept at its end when it ends between words


#: A place to break: ordinary spaces and tabs (a no-break space U+00A0 is not one).
_SPACES = re.compile(r"([ \t]+)")

#: Per font set (by registered names): which font draws each character seen so far.
_FONT_OF: dict[tuple[str, ...], dict[str, str]] = {}


def _font_table(fonts: Any) -> dict[str, str]:
    key = (fonts.regular, *fonts.fallbacks)
    table = _FONT_OF.get(key)
    if table is None:
        table = _FONT_OF[key] = {}
    return table


class _Faces:
    """The faces of a paragraph's style: which font draws a character in bold or italic."""

    def __init__(self, ts: TextStyle):
        f = ts.fonts
        self.ts = ts
        self.known = f is not None and ts.font in (f.regular, f.bold, f.italic, f.bold_italic)
        self.bold = self.known and ts.font in (f.bold, f.bold_italic)
        self.italic = self.known and ts.font in (f.italic, f.bold_italic)
        self.looks: dict[tuple, Look] = {}

    def face(self, bold: bool, italic: bool) -> str:
        f = self.ts.fonts
        if not self.known:
            return self.ts.font
        bold, italic = bold or self.bold, italic or self.italic
        return (f.bold_italic if italic else f.bold) if bold else (f.italic if italic else f.regular)

    def look(self, font: str, s: Span) -> Look:
        key = (font, s.url, s.wraps)
        lk = self.looks.get(key)
        if lk is None:
            colour = self.ts.link_colour if s.url else None
            lk = self.looks[key] = Look(font, colour, s.url, s.wraps)
        return lk

    def covered(self, text: str) -> bool:
        """Whether the main font draws every character of ``text`` (no fallback needed)."""
        fonts = self.ts.fonts
        if not self.known:
            return True
        table = _font_table(fonts)
        chars = set(text)
        new = chars - table.keys()
        if new:
            from ..fonts import font_for

            for ch in new:
                table[ch] = font_for(ch, fonts) or fonts.regular
        regular = fonts.regular
        return all(table[ch] == regular for ch in chars)

    def runs(self, text: str, s: Span) -> list[Piece]:
        """``text`` (no spaces) in pieces of one font each: fallbacks where the face lacks a glyph."""
        bold = s.bold or self.bold
        face = self.face(s.bold, s.italic)
        size = self.ts.size
        fonts = self.ts.fonts
        table = _font_table(fonts)
        regular = fonts.regular
        out: list[Piece] = []
        start = 0
        current = table[text[0]]
        for i in range(1, len(text) + 1):
            f = table[text[i]] if i < len(text) else None
            if f != current:
                chunk = text[start:i]
                font = face if current == regular else (fonts.fallback_bold(current) if bold else current)
                out.append(Piece(chunk, self.look(font, s), width(chunk, font, size)))
                start, current = i, f  # type: ignore[assignment]
        return out


_NEWLINE = "\n"


class _Space:
    __slots__ = ("piece",)

    def __init__(self, piece: Piece):
        self.piece = piece


def _items(spans: tuple[Span, ...], faces: _Faces) -> list[Any]:
    """Words (lists of pieces), spaces and forced line breaks, in logical order; runs of
    spaces are one space, and none starts or ends a line."""
    items: list[Any] = []
    add = items.append
    word: list[Piece] = []
    size = faces.ts.size
    for s in spans:
        if s.text == "\n":
            if word:
                add(word)
                word = []
            if items and isinstance(items[-1], _Space):
                items.pop()
            add(_NEWLINE)
            continue
        text = keep_phones_whole(s.text)
        face = faces.face(s.bold, s.italic)
        look = faces.look(face, s)
        simple = faces.covered(text)
        wtable = widths_for(face, size)
        space: _Space | None = None
        for i, part in enumerate(_SPACES.split(text)):
            if i % 2:  # spaces
                if word:
                    add(word)
                    word = []
                if items and items[-1] is not _NEWLINE and not isinstance(items[-1], _Space):
                    if space is None:
                        space = _Space(Piece(" ", look, width(" ", face, size)))
                    add(space)
            elif part:
                if simple:
                    w = wtable.get(part)
                    if w is None:
                        w = width(part, face, size)
                    word.append(Piece(part, look, w))
                else:
                    word.extend(faces.runs(part, s))
    if word:
        add(word)
    if items and isinstance(items[-1], _Space):
        items.pop()
    return items


def _cut_word(word: list[Piece], at: int, size: float) -> tuple[list[Piece], list[Piece]]:
    """A word's pieces split at character offset ``at``."""
    head: list[Piece] = []
    tail: list[Piece] = []
    seen = 0
    for p in word:
        n = len(p.text)
        if seen + n <= at:
            head.append(p)
        elif seen >= at:
            tail.append(p)
        else:
            k = at - seen
            a, b = p.text[:k], p.text[k:]
            head.append(Piece(a, p.look, width(a, p.look.font, size)))
            tail.append(Piece(b, p.look, width(b, p.look.font, size)))
        seen += n
    return head, tail


def _long_word_cuts(word: list[Piece], size: float, room: float, first: float | None) -> list[int]:
    """Where a word wider than ``room`` is cut: an address at its marks (its first piece may
    fill ``first``, the rest of the line it starts on); any other word after its own
    hyphens where they fit, else at the last letter that fits."""
    text = "".join(p.text for p in word)
    widths: list[float] = []
    for p in word:
        widths += advances(p.text, p.look.font, size)
    if is_address(text):
        return address_cuts(text, widths, room, first=first)
    cuts: list[int] = []
    start = 0
    while sum(widths[start:]) > room:
        end, used = start, 0.0
        while end < len(text) and used + widths[end] <= room:
            used += widths[end]
            end += 1
        hyphen = max(text.rfind("-", start, end), text.rfind("\u2010", start, end))
        cut = hyphen + 1 if hyphen >= start and hyphen + 1 < len(text) else max(end, start + 1)
        cuts.append(cut)
        start = cut
    return cuts


def _merge(pieces: list[Piece]) -> tuple[Piece, ...]:
    """Neighbouring pieces in the same look as one."""
    out: list[Piece] = []
    texts: list[str] = []
    look: Look | None = None
    w = 0.0
    for p in pieces:
        if p.look != look:
            if texts:
                out.append(Piece("".join(texts), look, w))  # type: ignore[arg-type]
            texts, look, w = [p.text], p.look, p.width
        else:
            texts.append(p.text)
            w += p.width
    if texts:
        out.append(Piece("".join(texts), look, w))  # type: ignore[arg-type]
    return tuple(out)


def _break(items: list[Any], size: float, first: float, rest: float, shrink: float) -> list[Line]:
    lines: list[Line] = []
    cur: list[Piece] = []
    cur_w = 0.0
    spaces = 0  # the spaces on the current line
    room = first
    space: _Space | None = None
    fuzz = 1e-6

    def end_line(trailing: Piece | None) -> None:
        nonlocal cur, cur_w, room, spaces
        if trailing is not None:
            cur.append(trailing)
        merged = _merge(cur)
        lines.append(Line(merged, cur_w, "".join(p.text for p in merged)))
        cur, cur_w, room, spaces = [], 0.0, rest, 0

    for item in items:
        if item is _NEWLINE:
            # the reader hears a space where the line was broken (plain_text: a space)
            trail = None
            if cur:
                last = cur[-1].look
                trail = Piece(" ", Look(last.font, None, None, ()), width(" ", last.font, size))
            end_line(trail)
            space = None
            continue
        if isinstance(item, _Space):
            space = item
            continue
        word: list[Piece] = item
        w = sum(p.width for p in word)
        gap = space.piece.width if (space is not None and cur) else 0.0
        if cur and cur_w + gap + w <= room + fuzz + shrink * gap * (spaces + 1):
            if space is not None:
                cur.append(space.piece)
                spaces += 1
            cur.extend(word)
            cur_w += gap + w
            space = None
            continue
        if w > rest + fuzz and (not cur or is_address("".join(p.text for p in word))):
            # a word no line can hold: cut into pieces, each on a line of its own (an
            # address's first piece may fill the rest of the line it starts on)
            left = room - cur_w - gap if cur else room
            cuts = _long_word_cuts(word, size, rest, left if cur else None)
            if cur and cuts and _width_upto(word, cuts[0], size) <= left + fuzz:
                if space is not None:
                    cur.append(space.piece)
                cur_w += gap
            elif cur:
                end_line(space.piece if space is not None else None)
            space = None
            done = 0
            rem = word
            for cut in cuts:
                head, rem = _cut_word(rem, cut - done, size)
                done = cut
                cur.extend(head)
                cur_w += sum(p.width for p in head)
                end_line(None)  # inside a word: no space
            cur.extend(rem)
            cur_w += sum(p.width for p in rem)
            continue
        if cur:
            end_line(space.piece if space is not None else None)
        space = None
        if w > room + fuzz:  # wider than this (first) line only: the next lines are wider
            cuts = _long_word_cuts(word, size, room, None)[:1]
            if cuts:
                head, word = _cut_word(word, cuts[0], size)
                cur.extend(head)
                cur_w = sum(p.width for p in head)
                end_line(None)
                w = sum(p.width for p in word)
        cur.extend(word)
        cur_w += w
    if cur or (not lines and items):
        end_line(None)
    return lines


def _width_upto(word: list[Piece], at: int, size: float) -> float:
    head, _ = _cut_word(word, at, size)
    return sum(p.width for p in head)


def _lay_out(text: str, markup: bool, ts: TextStyle, first: float, rest: float) -> tuple[Line, ...]:
    spans = parse_inline(text) if markup else ([Span(text)] if text else [])
    faces = _Faces(ts)
    items = _items(tuple(spans), faces)
    return tuple(_break(items, ts.size, first, rest, ts.shrink))


class _Cache:
    """A bounded cache of laid-out paragraphs, keyed by their content (text, style, widths)."""

    def __init__(self, size: int = 4096):
        self.size = size
        self.data: OrderedDict[tuple, tuple[Line, ...]] = OrderedDict()

    def get(self, key: tuple) -> tuple[Line, ...] | None:
        hit = self.data.get(key)
        if hit is not None:
            self.data.move_to_end(key)
        return hit

    def put(self, key: tuple, value: tuple[Line, ...]) -> None:
        self.data[key] = value
        if len(self.data) > self.size:
            self.data.popitem(last=False)


_CACHE = _Cache()


def lay_out(text: str, ts: TextStyle, first: float, rest: float, *, markup: bool = True) -> tuple[Line, ...]:
    """The lines of a paragraph of inline-markup ``text`` (plain text with ``markup=False``)
    in ``ts``, its first line ``first`` points wide and the others ``rest``."""
    key = (text, markup, ts, round(first, 3), round(rest, 3))
    hit = _CACHE.get(key)
    if hit is None:
        hit = _lay_out(text, markup, ts, first, rest)
        _CACHE.put(key, hit)
    return hit


def clear_cache() -> None:
    """Forget every laid-out paragraph (the benchmark measures all-new content this way)."""
    _CACHE.data.clear()


def longest_word(text: str, ts: TextStyle, *, markup: bool = True) -> float:
    """The width of the widest word of a paragraph (a table's column needs at least this)."""
    spans = parse_inline(text) if markup else [Span(text)]
    items = _items(tuple(spans), _Faces(ts))
    return max((sum(p.width for p in it) for it in items if isinstance(it, list)), default=0.0)


def wrapped_texts(text: str) -> dict[tuple[str, str, int], str]:
    """The whole text of every link and language run in ``text`` (by its wrap), in order."""
    out: dict[tuple[str, str, int], str] = {}
    for s in parse_inline(text):
        for w in s.wraps:
            out[w] = out.get(w, "") + s.text
    return out
