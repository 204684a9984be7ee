"""Shaping: complex scripts and right-to-left runs through HarfBuzz (uharfbuzz).

Arabic joins its letters and ligates lam-alef, Devanagari reorders its vowel signs and
makes conjuncts, and every right-to-left run comes out in display order: none of this
can be done character by character. A run (text in one font, one direction) is shaped
once per process (:func:`shape`, cached); the glyphs are drawn through the font's
subset by a code each (:func:`glyph_codes`): the character itself where the glyph is
the one the font's cmap gives it, else a private-use code (U+F0000 + glyph id, the same
in every run and process) whose ToUnicode entry is the text the glyph stands for.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from typing import Any, NamedTuple

from .. import reportlab_internals as rl

#: Private-use codes for glyphs no character maps to: this plus the glyph id (plane 15).
GLYPH_BASE = 0xF0000

_ZW = frozenset("\u200c\u200d")


class Glyph(NamedTuple):
    gid: int
    cluster: int  # offset in the run's text of the first character it draws
    advance: int  # font units
    dx: int  # offsets (font units)
    dy: int


class Shaped(NamedTuple):
    glyphs: tuple[Glyph, ...]  # in display order (left to right)
    advance: int  # the run's width in font units
    upem: int


@lru_cache(maxsize=4096)
def is_complex(ch: str) -> bool:
    """Whether a character needs shaping: right to left, a combining mark, a joiner, or in
    a script whose letters change shape or order (Indic, South-East Asian)."""
    if ch < "\u0300":
        return False
    if ch in _ZW:
        return True
    cp = ord(ch)
    if 0x0590 <= cp <= 0x08FF or 0x0900 <= cp <= 0x0DFF or 0x0E00 <= cp <= 0x0FFF or 0x1000 <= cp <= 0x109F:
        return True
    if 0x1780 <= cp <= 0x17FF or 0xFB1D <= cp <= 0xFDFF or 0xFE70 <= cp <= 0xFEFF:
        return True
    return unicodedata.category(ch) in ("Mn", "Mc", "Me") or unicodedata.bidirectional(ch) in ("R", "AL")


def needs_shaping(text: str) -> bool:
    return max(text) >= "\u0300" and any(is_complex(ch) for ch in text)


_HB: dict[str, Any] = {}


def _hb_font(font: str) -> Any:
    import uharfbuzz as hb

    f = _HB.get(font)
    if f is None:
        f = _HB[font] = hb.Font(hb.Face(hb.Blob(rl.font_file_bytes(font))))
    return f


@lru_cache(maxsize=32768)
def shape(text: str, font: str, rtl: bool, lang: str | None = None) -> Shaped:
    """The glyphs HarfBuzz gives ``text`` in ``font`` (font units; display order)."""
    import uharfbuzz as hb

    hbf = _hb_font(font)
    buf = hb.Buffer()
    buf.add_str(text)
    buf.direction = "rtl" if rtl else "ltr"
    if lang:
        buf.language = lang
    buf.guess_segment_properties()
    buf.flags = hb.BufferFlags.REMOVE_DEFAULT_IGNORABLES
    hb.shape(hbf, buf)
    glyphs = tuple(
        Glyph(i.codepoint, i.cluster, p.x_advance, p.x_offset, p.y_offset)
        for i, p in zip(buf.glyph_infos, buf.glyph_positions)
    )
    return Shaped(glyphs, sum(g.advance for g in glyphs), hbf.face.upem)


def cluster_texts(text: str, shaped: Shaped) -> list[str]:
    """For each glyph, the text of its cluster (the characters it and its cluster draw)."""
    starts = sorted({g.cluster for g in shaped.glyphs})
    ends = dict(zip(starts, starts[1:] + [len(text)]))
    return [text[g.cluster : ends[g.cluster]] for g in shaped.glyphs]


def glyph_codes(text: str, font: str, rtl: bool, lang: str | None, names: dict[tuple[str, int], str]) -> str:
    """A character code for each glyph of ``shape(text, font, rtl, lang)``, to draw it
    through the font's subset (as a string, one character a glyph).

    A glyph the font's cmap gives one character of its cluster is drawn as that
    character; any other (a joining form, a ligature, a reordered or extra glyph) as
    ``GLYPH_BASE + gid``, registered with the font, and ``names`` notes the text it
    stands for (for the ToUnicode CMap: the first cluster it was drawn for).
    """
    codes, private = _codes(text, font, rtl, lang)
    for code, rest in private:
        names.setdefault((font, code), rest)
    return codes


@lru_cache(maxsize=32768)
def _codes(text: str, font: str, rtl: bool, lang: str | None) -> tuple[str, tuple[tuple[int, str], ...]]:
    shaped = shape(text, font, rtl, lang)
    cmap = rl.font_cmap(font)
    out: list[int] = []
    private: list[tuple[int, str]] = []
    texts = cluster_texts(text, shaped)
    used: dict[int, set[str]] = {}
    for g, t in zip(shaped.glyphs, texts):
        seen = used.setdefault(g.cluster, set())
        code = next((ord(ch) for ch in t if cmap.get(ord(ch)) == g.gid and ch not in seen), None)
        if code is not None:
            seen.add(chr(code))
            out.append(code)
            continue
        code = GLYPH_BASE + g.gid
        # its /Widths entry: the glyph's own advance (hmtx), which HarfBuzz's may adjust
        rl.add_glyph_code(font, code, g.gid, _hb_font(font).get_glyph_h_advance(g.gid) * 1000 / shaped.upem)
        private.append((code, "".join(ch for ch in t if ch not in seen and ch not in _ZW) or t))
        out.append(code)
    return "".join(map(chr, out)), tuple(private)
