"""How wide text is: per font and size, each word measured once per process.

Simple scripts are measured from the font's advance widths (ReportLab's C-accelerated
``stringWidth`` over the font's width table); the result of every word is kept per
font and size, so the common words of a library of leaflets are measured once.
"""

from __future__ import annotations

from reportlab.pdfbase.pdfmetrics import getFont

#: per (font, size): word -> width in points (cleared when it grows past _LIMIT words)
_WIDTHS: dict[tuple[str, float], dict[str, float]] = {}
_LIMIT = 50_000


def width(text: str, font: str, size: float) -> float:
    """The width of ``text`` in ``font`` at ``size`` points (no kerning, as drawn)."""
    key = (font, size)
    table = _WIDTHS.get(key)
    if table is None:
        table = _WIDTHS[key] = {}
    w = table.get(text)
    if w is None:
        if len(table) > _LIMIT:
            table.clear()
        w = table[text] = getFont(font).stringWidth(text, size)
    return w


def widths_for(font: str, size: float) -> dict[str, float]:
    """The words measured so far in ``font`` at ``size`` (to look up before :func:`width`)."""
    table = _WIDTHS.get((font, size))
    if table is None:
        table = _WIDTHS[(font, size)] = {}
    return table


def advances(text: str, font: str, size: float) -> list[float]:
    """The advance of each character of ``text`` (for cutting a word that cannot fit)."""
    return [width(ch, font, size) for ch in text]
