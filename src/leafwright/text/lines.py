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
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any, NamedTuple

from ..inline import Span, keep_phones_whole, parse_inline
from .addresses import address_cuts, is_address
from .bidi import display_order, first_strong_is_rtl, level_runs, needs_bidi, type_code
from .measure import advances, width, widths_for
from .shape import Shaped, needs_shaping, shape


@dataclass(frozen=True)
class TextStyle:
    """What a paragraph's lines depend on besides its text and widths (hashable: a cache key)."""

    fonts: Any  # a fonts.FontSet (frozen), or None: ``font`` for every character (a TrueType
    # font, registered: right-to-left and complex text is shaped from its file)
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


def _fonts_key(fonts: Any) -> tuple:
    return (fonts.regular, fonts.fallbacks, fonts.scripts)


def _font_table(fonts: Any) -> dict[str, str]:
    key = _fonts_key(fonts)
    table = _FONT_OF.get(key)
    if table is None:
        table = _FONT_OF[key] = {}
    return table


# A paragraph's fonts and scripts are found as strings of one code a character (with
# str.translate, each character looked up once per process), and used as runs (found with
# a regular expression): a paragraph's characters are never visited one by one in Python.

#: Fonts by code (a code: one character) and codes by font.
_FONT_NAMES: list[str] = []
_FONT_CODES: dict[str, str] = {}


def _font_code(name: str) -> str:
    code = _FONT_CODES.get(name)
    if code is None:
        n = len(_FONT_NAMES)
        code = _FONT_CODES[name] = chr(0x21 + n if n < 0xDE else 0x1000 + n)
        _FONT_NAMES.append(name)
    return code


def _font_index(code: str) -> int:
    n = ord(code)
    return n - 0x21 if n < 0x100 else n - 0x1000


class _CharCodes(dict[int, str]):
    """Per font set: code point -> a code (one character) standing for all the paragraph
    path asks of a character: its bidirectional type, the scripts it is written in, and
    the font that draws it in the run of any script. A paragraph is translated with this
    once (the slow part, for text beyond Latin-1: a lookup a character); its types,
    scripts and fonts are then translated from those codes (ASCII: quick)."""

    def __init__(self, fonts: Any):
        super().__init__()
        self.fonts = fonts
        self.mapped: tuple[str, ...] = tuple(sc for sc, _name in fonts.scripts)
        self.kinds: dict[tuple, str] = {}
        self.types: dict[int, str] = {}  # code -> bidi type letter
        self.scripts: dict[int, str] = {}  # code -> script set code
        self.by_context: dict[str | None, _FontOfCode] = {}
        # the font set where no script's font applies (the main font, else a fallback)
        self.plain = replace(fonts, scripts=()) if fonts.scripts else fonts

    def __missing__(self, cp: int) -> str:
        from ..fonts import font_for
        from ..scripts import scripts_of

        ch = chr(cp)
        fonts = self.fonts
        regular = fonts.regular
        # its font in no script's run, in each mapped script's, and where no script's font applies
        sig = (
            font_for(ch, fonts) or regular,
            tuple(font_for(ch, fonts, sc) or regular for sc in self.mapped),
            font_for(ch, self.plain) or regular,
        )
        own = scripts_of(ch)
        kind = (type_code(ch), own, sig)
        code = self.kinds.get(kind)
        if code is None:
            n = len(self.kinds)
            code = self.kinds[kind] = chr(0x20 + n if n < 0x5F else 0x1000 + n)
            self.types[ord(code)] = kind[0]
            self.scripts[ord(code)] = _script_set_code(own)
        self[cp] = code
        return code

    def fonts_in(self, script: str | None) -> _FontOfCode:
        """Char code -> font code, in the run of ``script``."""
        table = self.by_context.get(script)
        if table is None:
            table = self.by_context[script] = _FontOfCode(self, script)
        return table


class _FontOfCode(dict[int, str]):
    def __init__(self, chars: _CharCodes, script: str | None):
        super().__init__()
        self.chars = chars
        self.script = script
        self.kinds = {code: kind for kind, code in chars.kinds.items()}

    def __missing__(self, cp: int) -> str:
        kind = self.kinds.get(chr(cp))
        if kind is None:
            self.kinds = {code: kind for kind, code in self.chars.kinds.items()}
            kind = self.kinds[chr(cp)]
        _type, own, (none, mapped, plain) = kind
        sc = self.script
        if sc is None:
            font = none
        elif sc in self.chars.mapped:
            font = mapped[self.chars.mapped.index(sc)]
        else:  # as font_for: a script no font is named for
            font = plain if (not own or sc in own) else none
        code = self[cp] = _font_code(font)
        return code


_CHAR_TABLES: dict[tuple, _CharCodes] = {}


def _char_codes(fonts: Any) -> _CharCodes:
    key = _fonts_key(fonts)
    table = _CHAR_TABLES.get(key)
    if table is None:
        table = _CHAR_TABLES[key] = _CharCodes(fonts)
    return table


#: The scripts a character is written in (``scripts.scripts_of``) by code: by all (a space,
#: a digit): U+0001; one script's letters and characters shared by some scripts: a code each.
_SCRIPT_SETS: dict[str, tuple[str, ...]] = {"\x01": ()}
_SCRIPT_SET_CODES: dict[tuple[str, ...], str] = {(): "\x01"}


def _script_set_code(own: tuple[str, ...]) -> str:
    code = _SCRIPT_SET_CODES.get(own)
    if code is None:
        n = len(_SCRIPT_SETS) + 1
        code = chr(n if n < 256 else 0x1000 + n)
        _SCRIPT_SET_CODES[own] = code
        _SCRIPT_SETS[code] = own
    return code


#: A character past the scripts below Hebrew (Latin, Greek, Cyrillic, Armenian).
_BEYOND_LATIN = re.compile("[\u0590-\U0010ffff]")


def _code_runs(codes: str) -> list[tuple[int, str]]:
    """The runs of one code in ``codes``: (end, code) each (most paragraphs: one or a few)."""
    out: list[tuple[int, str]] = []
    n = len(codes)
    i = 0
    while i < n:
        c = codes[i]
        i = n - len(codes[i:].lstrip(c))
        out.append((i, c))
    return out


def _script_runs(codes: str) -> list[tuple[int, str | None]]:
    """The script of a text's characters in context, from their script set codes, as runs:
    (end, ISO 15924 code or None) each, as ``fonts.run_scripts`` gives them (a shared
    character takes the script of the letter before it, else of the one after it)."""
    present = {c: _SCRIPT_SETS[c] for c in set(codes)}
    letters = [c for c, sc in present.items() if len(sc) == 1]
    scripts = [present[c][0] for c in letters]
    shared = [sc for sc in present.values() if len(sc) != 1]
    if letters and all(not sc or all(x in sc for x in scripts) for sc in shared):
        # every shared character goes with each script present: each letter's script runs
        # on to the next letter of another script (a shared character takes the script of
        # the letter before it, those before the first letter that of the first)
        n = len(codes)
        if len(letters) == 1:
            return [(n, scripts[0])]
        spans: list[tuple[int, str | None]] = []
        found = {c: codes.find(c) for c in letters}
        cur = min(letters, key=found.__getitem__)
        while True:
            start = found[cur]
            until = n
            for c in letters:
                if c != cur:
                    at = codes.find(c, start)
                    if 0 <= at < until:
                        until = at
            spans.append((until, present[cur][0]))
            if until == n:
                return spans
            cur = codes[until]
            found[cur] = until
    runs = [(end, _SCRIPT_SETS[c]) for end, c in _code_runs(codes)]
    out: list[str | None] = [None] * len(runs)
    last: str | None = None
    for i, (_end, sc) in enumerate(runs):
        if len(sc) == 1:
            last = out[i] = sc[0]
        elif last is not None and (not sc or last in sc):
            out[i] = last
    nxt: str | None = None
    for i in range(len(runs) - 1, -1, -1):
        sc = runs[i][1]
        if len(sc) == 1:
            nxt = sc[0]
        elif out[i] is None and nxt is not None and (not sc or nxt in sc):
            out[i] = nxt
    joined: list[tuple[int, str | None]] = []
    for (end, _sc), script in zip(runs, out):
        if joined and joined[-1][1] == script:
            joined[-1] = (end, script)
        else:
            joined.append((end, script))
    return joined


def script_runs(text: str, fonts: Any) -> list[tuple[int, str | None]]:
    """The script of each character of ``text`` in context, as runs (end, script)."""
    table = _char_codes(fonts)
    return _script_runs(text.translate(table).translate(table.scripts))


_STEER_RE = re.compile("[" + "".join(sorted(_STEER)) + "]")


@lru_cache(maxsize=65536)
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

    def font_runs(self, text: str, chars: str) -> list[tuple[int, str]]:
        """The font of a paragraph's characters as runs, (end, font) each: a script's font
        for its letters and the shared characters round them; steering characters take
        their neighbours'. ``chars``: the text's codes (:class:`_CharCodes`)."""
        fonts = self.ts.fonts
        table = _char_codes(fonts)
        if not fonts.scripts or not _BEYOND_LATIN.search(text):
            codes = chars.translate(table.fonts_in(None))
        else:
            # as fonts.fonts_for_text: a letter in its script's font, a shared character
            # (space, digit, punctuation) in the font of the script round it
            parts = []
            start = 0
            for end, sc in _script_runs(chars.translate(table.scripts)):
                parts.append(chars[start:end].translate(table.fonts_in(sc)))
                start = end
            codes = "".join(parts)
        if _STEER_RE.search(text):
            out = list(codes)
            n = len(text)
            for m in _STEER_RE.finditer(text):
                i = m.start()
                j = i - 1
                while j >= 0 and text[j] in _STEER:
                    j -= 1
                k = i + 1
                while k < n and text[k] in _STEER:
                    k += 1
                if j >= 0:
                    out[i] = out[j]
                elif k < n:
                    out[i] = out[k]
            codes = "".join(out)
        names = _FONT_NAMES
        return [(end, names[_font_index(code)]) for end, code in _code_runs(codes)]

    def font(self, base: str, s: Span) -> str:
        """The face of font ``base`` (a fallback or the main regular) for a span."""
        fonts = self.ts.fonts
        if base == fonts.regular:
            return self.face(s.bold, s.italic)
        return fonts.fallback_bold(base) if (s.bold or self.bold) else base


_NEWLINE = "\n"


class _Space:
    __slots__ = ("piece",)

    def __init__(self, piece: Piece):
        self.piece = piece


class _Para:
    """A paragraph's text as the spans give it, with its fonts and levels when it needs them:
    ``runs``, (end, font, level) each, in order (None: every character in its span's face,
    left to right)."""

    def __init__(self, spans: list[Span], faces: _Faces):
        ts = faces.ts
        self.spans = spans
        self.texts = ["\n" if s.text == "\n" else keep_phones_whole(s.text) for s in spans]
        full = "".join("\u2028" if t == "\n" else t for t in self.texts)
        self.rtl = ts.rtl if ts.rtl is not None else first_strong_is_rtl(full)
        self.bidi = needs_bidi(full, self.rtl)
        # right-to-left text in a style with script fonts: its fonts are found (its runs
        # say if the main font draws it all), not first checked for the main font
        simple = not faces.known or (not (self.bidi and ts.fonts.scripts) and faces.covered(full))
        self.runs: list[_Run] | None = None
        if self.bidi or not simple:
            fonts: list[tuple[int, str | None]] = [(len(full), None)]
            types = None  # (found by level_runs itself in a style without a font set)
            if faces.known:
                table = _char_codes(ts.fonts)
                chars = full.translate(table)
                types = chars.translate(table.types)
                if not simple:
                    fonts = [*faces.font_runs(full, chars)]
            lv = level_runs(full, self.rtl, types) if self.bidi else [(len(full), 0)]
            self.runs = _merged(fonts, lv)


_Run = tuple[int, str | None, int]  # end, font (None: the span's face), level


def _merged(fonts: list[tuple[int, str | None]], lv: list[tuple[int, int]]) -> list[_Run]:
    """Font runs and level runs as one list of runs, (end, font, level) each."""
    out: list[_Run] = []
    i = j = 0
    while i < len(fonts) and j < len(lv):
        fe, f = fonts[i]
        le, level = lv[j]
        end = min(fe, le)
        out.append((end, f, level))
        if fe == end:
            i += 1
        if le == end:
            j += 1
    return out


def _items(para: _Para, faces: _Faces) -> list[Any]:
    """Words (lists of pieces), spaces and forced line breaks, in logical order; runs of
    spaces are one space, and none starts or ends a line."""
    items: list[Any] = []
    add = items.append
    word: list[Piece] = []
    size = faces.ts.size
    runs = para.runs
    r = 0  # the run the text at ``pos`` is in
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
        simple = runs is None and not needs_shaping(text)
        wtable = widths_for(face, size)
        space: _Space | None = None
        # per run of fonts and levels, in this span: its look and its space
        run_looks: dict[int, Look] = {}
        run_spaces: dict[int, _Space] = {}
        for i, part in enumerate(_SPACES.split(text)):
            if runs is not None and part:
                while runs[r][0] <= pos:
                    r += 1
            if i % 2:  # spaces
                if word:
                    add(word)
                    word = []
                if items and items[-1] is not _NEWLINE and not isinstance(items[-1], _Space):
                    if runs is None:
                        if space is None:
                            space = _Space(Piece(" ", look, width(" ", face, size)))
                        add(space)
                    else:
                        sp = run_spaces.get(r)
                        if sp is None:
                            _end, f, level = runs[r]
                            sf = faces.font(f, s) if f is not None else face
                            piece = Piece(" ", faces.look(sf, s), width(" ", sf, size), level)
                            sp = run_spaces[r] = _Space(piece)
                        add(sp)
            elif part:
                if simple:
                    w = wtable.get(part)
                    if w is None:
                        w = width(part, face, size)
                    word.append(Piece(part, look, w))
                elif runs is None:
                    word.append(make_piece(part, look, size))
                else:
                    end = pos + len(part)
                    at = pos
                    k = r
                    while at < end:
                        run_end, f, level = runs[k]
                        lk = run_looks.get(k)
                        if lk is None:
                            lk = run_looks[k] = faces.look(faces.font(f, s), s) if f is not None else look
                        stop = run_end if run_end < end else end
                        word.append(make_piece(part[at - pos : stop - pos], lk, size, level))
                        at = stop
                        k += 1
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
    start = -1  # where the group of plain pieces being gathered starts
    for i, p in enumerate(pieces):
        if p.shaped is not None:
            if start >= 0:
                out.append(_plain_group(pieces, start, i))
                start = -1
            out.append(p)
        elif start < 0:
            start = i
        else:
            q = pieces[start]
            if p.level != q.level or (p.look is not q.look and p.look != q.look):
                out.append(_plain_group(pieces, start, i))
                start = i
    if start >= 0:
        out.append(_plain_group(pieces, start, len(pieces)))
    return out


def _plain_group(pieces: list[Piece], a: int, b: int) -> Piece:
    if b - a == 1:
        return pieces[a]
    q = pieces[a]
    w = 0.0
    for p in pieces[a:b]:
        w += p.width
    return Piece("".join([p.text for p in pieces[a:b]]), q.look, w, q.level)


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
        w = word[0].width if len(word) == 1 else sum(p.width for p in word)
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
    return tuple(_break(items, ts.size, first, rest, ts.shrink, para.rtl, para.bidi))


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
