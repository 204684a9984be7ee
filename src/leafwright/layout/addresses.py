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
    for f in merged:
        text = f.text if rl.is_text_frag(f) else ""
        longest = max(map(len, text.split()), default=0)
        if longest * f.fontSize * _widest_glyph(f.fontName) <= room:  # nothing long enough to measure
            out.append(f)
            continue
        pending: list[str] = []  # text of this run not yet emitted
        for part in re.split(r"(\s+)", text):
            if (
                part
                and not part.isspace()
                and _ADDRESS.search(part)
                and stringWidth(part, f.fontName, f.fontSize) > room
            ):
                pieces = address_pieces(part, f.fontName, f.fontSize, room)
                for piece in pieces[:-1]:
                    out.append(rl.frag_with_text(f, "".join(pending) + piece))
                    out.append(rl.line_break_after(f))
                    pending = []
                pending.append(pieces[-1])
                changed = True
            else:
                pending.append(part)
        out.append(rl.frag_with_text(f, "".join(pending)))
    rl.set_paragraph_frags(para, out if changed else frags)


def address_pieces(word: str, font: str, size: float, room: float) -> list[str]:
    """A long address cut into pieces no wider than ``room``: each ends after the last
    '/', '?', '&' or '-' that fits (then after '.', '=', '_' ...), or, with none, at the
    last letter that fits. Never inside the scheme ('https://') when that fits at all."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    widths = [stringWidth(ch, font, size) for ch in word]
    scheme = word.find("://")
    protect = scheme + 3 if 0 < scheme < 12 else 0
    pieces: list[str] = []
    start = 0
    while sum(widths[start:]) > room:
        end, used = start, 0.0
        while end < len(word) and used + widths[end] <= room:
            used += widths[end]
            end += 1
        end = max(end, start + 1)  # a glyph wider than the room still moves on
        cut = end
        for marks in BREAK_AFTER:
            spots = [i + 1 for i in range(max(start, protect), end) if word[i] in marks]
            if spots:
                cut = spots[-1]
                break
        else:
            if start < protect < end:
                cut = protect
        pieces.append(word[start:cut])
        start = cut
    pieces.append(word[start:])
    return pieces
