"""A paragraph's inline text broken into lines: itemise, measure, break, reorder.

Itemise: the spans of inline markup become words of pieces, each piece in one font
(the style's face for bold and italic; the font of its script, or a fallback, where the
main font has no glyph), colour, link and language run, and embedding level (right to
left or not: :mod:`leafwright.text.bidi`). Measure: a piece in a simple script from the
font's advances (word widths cached per font and size); a piece in a complex script or
right to left from its HarfBuzz glyphs (:mod:`leafwright.text.shape`). Break: greedily,
in logical order, at spaces (never at a no-break space), and at forced line breaks; a
word wider than the line breaks after its own hyphen, else is cut where it must (a web
address at '/', '?', '&' ...). Each line keeps a real space at its end when it ends
between words, so tools that read the text rather than the page (screen readers,
poppler's struct-text) never join two words. Reorder: each line's pieces are put in
display order (rule L2) when it holds right-to-left text.
"""

from __future__ import annotations

import re
import unicodedata
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any, NamedTuple

from ..inline import Span, keep_phones_whole, parse_inline
from .addresses import address_cuts, is_address
from .bidi import display_order, first_strong_is_rtl, levels, needs_bidi
from .measure import advances, width, widths_for
from .shape import Shaped, needs_shaping, shape


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
    rtl: bool | None = None
    """The paragraph's direction: right to left (its language is), left to right, or None:
    that of its first strongly directional character."""
    lang: str | None = None
    """The paragraph's language (shaping follows a language's conventions)."""


class Look(NamedTuple):
    """How a piece of text is drawn besides its text."""

    font: str
    colour: str | None  # None: the paragraph's colour
    link: str | None  # the address of the link it is in (drawn underlined)
    wraps: tuple[tuple[str, str, int], ...]  # the Link/Span elements it sits in, outermost first
    lang: str | None = None  # the language it is shaped in


class Piece(NamedTuple):
    """Text in one look and direction, as drawn on a line (tuples: a paragraph makes thousands)."""

    text: str
    look: Look
    width: float
    level: int = 0  # embedding level: odd is right to left
    shaped: Shaped | None = None  # the glyphs HarfBuzz gave it (complex scripts, right to left)


@dataclass(frozen=True, slots=True)
class Line:
    """One line: its pieces in display order, its width (a trailing space not counted)."""

    pieces: tuple[Piece, ...]
    width: float
    text: str  # the line's text in logical order, with the space kept at its end when it ends between words
    rtl: bool = False  # the paragraph's direction
    logical: tuple[int, ...] | None = None  # each piece's place in logical order (None: as drawn)
    trail: bool = False  # the line ends with a space kept for the text (drawn, not counted)

    @property
    def plain(self) -> bool:
        """Drawn as written: left to right, in logical order, nothing shaped."""
        return self.logical is None and not any(p.shaped for p in self.pieces)


#: A place to break: ordinary spaces and tabs (a no-break space U+00A0 is not one).
_SPACES = re.compile(r"([ \t]+)")

#: Characters that draw nothing and steer shaping or direction: they take the font round them.
_STEER = frozenset("\u200c\u200d\u200e\u200f\u061c\u2060\ufeff")

#: Per font set (by its main font, fallbacks and script fonts: all that ``font_for`` reads):
#: which font draws each character seen so far.
_FONT_OF: dict[tuple, dict[str, str]] = {}
#: The same for a character in the run of a script (ISO 15924 code, or None).
_SCRIPT_FONT: dict[tuple, dict[tuple[str, str | None], str]] = {}


def _fonts_key(fonts: Any) -> tuple:
    return (fonts.regular, fonts.fallbacks, fonts.scripts)


def _font_table(fonts: Any) -> dict[str, str]:
    key = _fonts_key(fonts)
    table = _FONT_OF.get(key)
    if table is None:
        table = _FONT_OF[key] = {}
    return table


def make_piece(text: str, look: Look, size: float, level: int = 0) -> Piece:
    """A piece measured: from HarfBuzz when it is right to left or in a complex script."""
    if level % 2 or needs_shaping(text):
        sh = shape(text, look.font, bool(level % 2), look.lang)
        return Piece(text, look, sh.advance * size / sh.upem, level, sh)
    return Piece(text, look, width(text, look.font, size), level)


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
        key = (font, s.url, s.wraps, s.lang)
        lk = self.looks.get(key)
        if lk is None:
            colour = self.ts.link_colour if s.url else None
            lk = self.looks[key] = Look(font, colour, s.url, s.wraps, s.lang or self.ts.lang)
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

    def fonts_of(self, text: str) -> list[str]:
        """The font of each character of a paragraph (a script's font for its letters and
        the shared characters round them; steering characters take their neighbours')."""
        fonts = self.ts.fonts
        regular = fonts.regular
        if max(text, default=" ") < "\u0590" or not fonts.scripts:
            table = _font_table(fonts)
            self.covered(text)
            out = [table[ch] for ch in text]
        else:
            # as fonts.fonts_for_text: a letter in its script's font, a shared character
            # (space, digit, punctuation) in the font of the script round it; looked up
            # once per (character, script) per process
            from ..fonts import font_for, run_scripts

            table2 = _SCRIPT_FONT.setdefault(_fonts_key(fonts), {})
            out = []
            for ch, sc in zip(text, run_scripts(text)):
                f = table2.get((ch, sc))
                if f is None:
                    f = table2[(ch, sc)] = font_for(ch, fonts, sc) or regular
                out.append(f)
        for i, ch in enumerate(text):
            if ch in _STEER:
                j = i - 1
                while j >= 0 and text[j] in _STEER:
                    j -= 1
                k = i + 1
                while k < len(text) and text[k] in _STEER:
                    k += 1
                if j >= 0:
                    out[i] = out[j]
                elif k < len(text):
                    out[i] = out[k]
        return out

    def font(self, base: str, s: Span) -> str:
        """The face of font ``base`` (a fallback or the main regular) for a span."""
        fonts = self.ts.fonts
        if base == fonts.regular:
            return self.face(s.bold, s.italic)
        return fonts.fallback_bold(base) if (s.bold or self.bold) else base

    def pieces(self, text: str, s: Span, fonts: list[str], lv: list[int] | None) -> list[Piece]:
        """``text`` (no spaces) in pieces of one font and level each."""
        size = self.ts.size
        out: list[Piece] = []
        start = 0
        n = len(text)
        for i in range(1, n + 1):
            if i == n or fonts[i] != fonts[start] or (lv is not None and lv[i] != lv[start]):
                look = self.look(self.font(fonts[start], s), s)
                out.append(make_piece(text[start:i], look, size, lv[start] if lv is not None else 0))
                start = i
        return out


_NEWLINE = "\n"


class _Space:
    __slots__ = ("piece",)

    def __init__(self, piece: Piece):
        self.piece = piece


class _Para:
    """A paragraph's text as the spans give it, with its fonts and levels when it needs them."""

    def __init__(self, spans: list[Span], faces: _Faces):
        ts = faces.ts
        self.spans = spans
        self.texts = ["\n" if s.text == "\n" else keep_phones_whole(s.text) for s in spans]
        full = "".join("\u2028" if t == "\n" else t for t in self.texts)
        self.rtl = ts.rtl if ts.rtl is not None else first_strong_is_rtl(full)
        self.levels = levels(full, self.rtl) if needs_bidi(full, self.rtl) else None
        simple = not faces.known or faces.covered(full)
        self.fonts = None if simple else faces.fonts_of(full)


def _items(para: _Para, faces: _Faces) -> list[Any]:
    """Words (lists of pieces), spaces and forced line breaks, in logical order; runs of
    spaces are one space, and none starts or ends a line."""
    items: list[Any] = []
    add = items.append
    word: list[Piece] = []
    size = faces.ts.size
    lv = para.levels
    fonts = para.fonts
    pos = 0
    for s, text in zip(para.spans, para.texts):
        if text == "\n":
            if word:
                add(word)
                word = []
            if items and isinstance(items[-1], _Space):
                items.pop()
            add(_NEWLINE)
            pos += 1
            continue
        face = faces.face(s.bold, s.italic)
        look = faces.look(face, s)
        simple = fonts is None and lv is None and not needs_shaping(text)
        wtable = widths_for(face, size)
        space: _Space | None = None
        for i, part in enumerate(_SPACES.split(text)):
            if i % 2:  # spaces
                if word:
                    add(word)
                    word = []
                if items and items[-1] is not _NEWLINE and not isinstance(items[-1], _Space):
                    if lv is None and fonts is None:
                        if space is None:
                            space = _Space(Piece(" ", look, width(" ", face, size)))
                        add(space)
                    else:
                        sf = faces.font(fonts[pos], s) if fonts is not None else face
                        sl = lv[pos] if lv is not None else 0
                        add(_Space(Piece(" ", faces.look(sf, s), width(" ", sf, size), sl)))
            elif part:
                if simple:
                    w = wtable.get(part)
                    if w is None:
                        w = width(part, face, size)
                    word.append(Piece(part, look, w))
                else:
                    end = pos + len(part)
                    word.extend(
                        faces.pieces(
                            part,
                            s,
                            fonts[pos:end] if fonts is not None else [face] * len(part),
                            lv[pos:end] if lv is not None else None,
                        )
                    )
            pos += len(part)
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
            head.append(make_piece(p.text[:k], p.look, size, p.level))
            tail.append(make_piece(p.text[k:], p.look, size, p.level))
        seen += n
    return head, tail


def _can_cut(text: str, at: int) -> bool:
    """Whether a word may be cut before ``text[at]``: not inside a cluster (before a mark or
    a joiner, after a virama or a joiner), where the cut would leave a mark on a dotted circle."""
    if at <= 0 or at >= len(text):
        return True
    ch, before = text[at], text[at - 1]
    return not (
        unicodedata.category(ch)[0] == "M"
        or ch in "\u200c\u200d"
        or before == "\u200d"
        or unicodedata.combining(before) == 9
    )


def _long_word_cuts(word: list[Piece], size: float, room: float, first: float | None) -> list[int]:
    """Where a word wider than ``room`` is cut: an address at its marks (its first piece may
    fill ``first``, the rest of the line it starts on); any other word after its own
    hyphens where they fit, else at the last letter that fits."""
    text = "".join(p.text for p in word)
    widths: list[float] = []
    for p in word:
        if p.shaped is not None:  # a shaped piece's width shared out over its characters
            widths += [p.width / len(p.text)] * len(p.text)
        else:
            widths += advances(p.text, p.look.font, size)
    if is_address(text):
        return address_cuts(text, widths, room, first=first)
    shaped = any(p.shaped is not None for p in word)

    def too_wide(a: int, b: int) -> bool:
        if not shaped:
            return sum(widths[a:b]) > room
        # a shaped word's letters change form (and width) where it is cut: measure the part
        _, tail = _cut_word(word, a, size)
        part, _ = _cut_word(tail, b - a, size)
        return sum(p.width for p in part) > room + 1e-6

    cuts: list[int] = []
    start = 0
    while too_wide(start, len(text)):
        end, used = start, 0.0
        while end < len(text) and used + widths[end] <= room:
            used += widths[end]
            end += 1
        hyphen = max(text.rfind("-", start, end), text.rfind("\u2010", start, end))
        cut = hyphen + 1 if hyphen >= start and hyphen + 1 < len(text) else max(end, start + 1)
        while cut > start + 1 and (too_wide(start, cut) or not _can_cut(text, cut)):
            cut -= 1
        while cut < len(text) and not _can_cut(text, cut):  # a cluster wider than the line
            cut += 1
        if cut >= len(text):
            break
        cuts.append(cut)
        start = cut
    return cuts


def _merge(pieces: list[Piece]) -> list[Piece]:
    """Neighbouring plain pieces in the same look and direction as one."""
    out: list[Piece] = []
    texts: list[str] = []
    key: tuple | None = None
    w = 0.0
    for p in pieces:
        k = (p.look, p.level) if p.shaped is None else None
        if k is None or k != key:
            if texts:
                out.append(Piece("".join(texts), key[0], w, key[1]))  # type: ignore[index]
                texts = []
            if k is None:
                out.append(p)
                key = None
                continue
            texts, key, w = [p.text], k, p.width
        else:
            texts.append(p.text)
            w += p.width
    if texts:
        out.append(Piece("".join(texts), key[0], w, key[1]))  # type: ignore[index]
    return out


def _break(
    items: list[Any], size: float, first: float, rest: float, shrink: float, rtl: bool, bidi: bool
) -> list[Line]:
    lines: list[Line] = []
    cur: list[Piece] = []
    cur_w = 0.0
    spaces = 0  # the spaces on the current line
    room = first
    space: _Space | None = None
    fuzz = 1e-6
    base = 1 if rtl else 0

    def end_line(trailing: Piece | None) -> None:
        nonlocal cur, cur_w, room, spaces
        merged = _merge(cur)
        if trailing is not None:
            # rule L1: a space at a line's end takes the paragraph's level; a piece of its own
            # (the drawing leaves it out of the line's links and width)
            merged.append(trailing if trailing.level == base else trailing._replace(level=base))
        text = "".join(p.text for p in merged)
        if bidi:
            order = display_order([p.level for p in merged])
            shown = tuple(merged[i] for i in order)
            lines.append(Line(shown, cur_w, text, rtl, tuple(order), trailing is not None))
        else:
            lines.append(Line(tuple(merged), cur_w, text, rtl, None, trailing is not None))
        cur, cur_w, room, spaces = [], 0.0, rest, 0

    for item in items:
        if item is _NEWLINE:
            # the reader hears a space where the line was broken (plain_text: a space)
            trail = None
            if cur:
                last = cur[-1].look
                trail = Piece(
                    " ", Look(last.font, None, None, (), last.lang), width(" ", last.font, size), base
                )
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
        if w > rest + fuzz and cur and not is_address("".join(p.text for p in word)):
            # a word no line can hold, after others: it starts a line of its own
            end_line(space.piece if space is not None else None)
            space = None
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
    para = _Para(spans, faces)
    items = _items(para, faces)
    return tuple(_break(items, ts.size, first, rest, ts.shrink, para.rtl, para.levels is not None))


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
    faces = _Faces(ts)
    items = _items(_Para(spans, faces), faces)
    return max((sum(p.width for p in it) for it in items if isinstance(it, list)), default=0.0)


def wrapped_texts(text: str) -> dict[tuple[str, str, int], str]:
    """The whole text of every link and language run in ``text`` (by its wrap), in order."""
    out: dict[tuple[str, str, int], str] = {}
    for s in parse_inline(text):
        for w in s.wraps:
            out[w] = out.get(w, "") + s.text
    return out
