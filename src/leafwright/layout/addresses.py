"""Long web addresses: broken into pieces that fit the line, at sensible points.

A web address (or e-mail address, or path) wider than its line was cut by ReportLab at
any letter ('htt / ps://') or, after its one URI split, run off the page. Here such a
word is cut into pieces no wider than the line, each ending after the last '/', '?',
'&' or '-' that fits (then after '.', '=', '_' ...; at any letter only as a last resort,
and never inside the scheme 'https://'), with a forced line break after each piece.
Nothing is added to the text: what is drawn and what is tagged is the exact address.
"""

from __future__ import annotations

import re
from typing import Any

from .. import reportlab_internals as rl

#: Where an address may break: after any of the first group, then of the second; else anywhere.
BREAK_AFTER = ("/?&-", ".=_#~+%,;:@")
_ADDRESS = re.compile(r"://|^www\.|[/@?&]")


def break_addresses(para: Any, room: float) -> None:
    """Break every address in a paragraph wider than ``room`` points into pieces that fit.

    Called on each wrap with that wrap's width: the runs as parsed are kept, and broken
    afresh for each width (a table measures its cells at one width, lays them out at another).
    """
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from .flowables import _widest_glyph

    frags = getattr(para, "_lw_frags", None) or rl.paragraph_frags(para)
    if not frags or room <= 0:
        return  # a piece of a paragraph split across pages: already broken
    para._lw_frags = frags
    # the parser makes a run of each escaped character ('&amp;'): join neighbours that
    # differ only in text, so an address is one word to measure
    merged: list = []
    for f in frags:
        prev = merged[-1] if merged else None
        if (
            prev is not None
            and rl.is_text_frag(f)
            and rl.is_text_frag(prev)
            and rl.frag_style_key(f) == rl.frag_style_key(prev)
        ):
            merged[-1] = rl.frag_with_text(prev, prev.text + f.text)
        else:
            merged.append(f)
    out: list = []
    changed = False
    # where the current line has got to (points), following the lines as ReportLab fills
    # them, word by word: an address's first piece may then fill the rest of its line
    x, gap = 0.0, 0.0
    for f in merged:
        if not rl.is_text_frag(f):
            if getattr(f, "lineBreak", False):
                x, gap = 0.0, 0.0
            out.append(f)
            continue
        text = f.text
        space = stringWidth(" ", f.fontName, f.fontSize)
        longest = max(map(len, text.split()), default=0)
        measure = longest * f.fontSize * _widest_glyph(f.fontName) > room  # any address to break?
        pending: list[str] = []  # text of this run not yet emitted
        for part in re.split(r"(\s+)", text):
            if not part:
                continue
            if part.isspace():
                gap = space
                pending.append(part)
                continue
            w = stringWidth(part, f.fontName, f.fontSize)
            if measure and w > room and _ADDRESS.search(part):
                left = room - x - gap if x > 0 else room
                pieces = address_pieces(part, f.fontName, f.fontSize, room, first=left)
                for piece in pieces[:-1]:
                    out.append(rl.frag_with_text(f, "".join(pending) + piece))
                    out.append(rl.line_break_after(f))
                    pending = []
                pending.append(pieces[-1])
                x, gap = stringWidth(pieces[-1], f.fontName, f.fontSize), 0.0
                changed = True
                continue
            if x > 0 and x + gap + w > room:
                x = w  # the word starts a new line
            else:
                x += gap + w
            gap = 0.0
            pending.append(part)
        out.append(rl.frag_with_text(f, "".join(pending)))
    rl.set_paragraph_frags(para, out if changed else frags)


def address_pieces(
    word: str, font: str, size: float, room: float, *, first: float | None = None
) -> list[str]:
    """A long address cut into pieces no wider than ``room``: each ends after the last
    '/', '?', '&' or '-' that fits (then after '.', '=', '_' ...), or, with none, at the
    last letter that fits. Never inside the scheme ('https://') when that fits at all.

    ``first``: the room left on the line the address starts on. The first piece fills
    it when it can end at one of those marks there; otherwise the address starts on a
    line of its own."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    widths = [stringWidth(ch, font, size) for ch in word]
    scheme = word.find("://")
    protect = scheme + 3 if 0 < scheme < 12 else 0

    def cut_in(start: int, limit: float, anywhere: bool) -> int | None:
        end, used = start, 0.0
        while end < len(word) and used + widths[end] <= limit:
            used += widths[end]
            end += 1
        for marks in BREAK_AFTER:
            spots = [i + 1 for i in range(max(start, protect), end) if word[i] in marks]
            if spots:
                return spots[-1]
        if not anywhere:
            return None
        if start < protect < end:
            return protect
        return max(end, start + 1)  # a glyph wider than the room still moves on

    pieces: list[str] = []
    start = 0
    if first is not None and first < room:
        cut = cut_in(0, first, anywhere=False) if first > 0 else None
        if cut is not None:  # a piece that ends at a mark fills the rest of the line
            pieces.append(word[:cut])
            start = cut
    while sum(widths[start:]) > room:
        cut = cut_in(start, room, anywhere=True)
        assert cut is not None
        pieces.append(word[start:cut])
        start = cut
    pieces.append(word[start:])
    return pieces
