"""Long web addresses: broken into pieces that fit the line, at sensible points.

A web address (or e-mail address, or path) wider than its line would be cut at any
letter ('htt / ps://'). The line breaker cuts such a word into pieces no wider than
the line, each ending after the last '/', '?', '&' or '-' that fits (then after '.',
'=', '_' ...; at any letter only as a last resort, and never inside the scheme
'https://'), each piece on a line of its own.
Nothing is added to the text: what is drawn and what is tagged is the exact address.
"""

from __future__ import annotations

import re

#: Where an address may break: after any of the first group, then of the second; else anywhere.
BREAK_AFTER = ("/?&-", ".=_#~+%,;:@")
_ADDRESS = re.compile(r"://|^www\.|[/@?&]")


def is_address(word: str) -> bool:
    """Whether a word looks like a web or e-mail address or a path (breaks at its marks)."""
    return _ADDRESS.search(word) is not None


def address_pieces(
    word: str, font: str, size: float, room: float, *, first: float | None = None
) -> list[str]:
    """A long address cut into pieces no wider than ``room``: each ends after the last
    '/', '?', '&' or '-' that fits (then after '.', '=', '_' ...), or, with none, at the
    last letter that fits. Never inside the scheme ('https://') when that fits at all.

    ``first``: the room left on the line the address starts on. The first piece fills
    it when it can end at one of those marks there; otherwise the address starts on a
    line of its own."""
    from .measure import advances

    cuts = address_cuts(word, advances(word, font, size), room, first=first)
    return [word[a:b] for a, b in zip([0, *cuts], [*cuts, len(word)])]


def address_cuts(word: str, widths: list[float], room: float, *, first: float | None = None) -> list[int]:
    """Where :func:`address_pieces` cuts ``word`` (offsets), given each character's advance."""
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

    cuts: list[int] = []
    start = 0
    if first is not None and first < room:
        cut = cut_in(0, first, anywhere=False) if first > 0 else None
        if cut is not None:  # a piece that ends at a mark fills the rest of the line
            cuts.append(cut)
            start = cut
    while sum(widths[start:]) > room:
        cut = cut_in(start, room, anywhere=True)
        assert cut is not None
        cuts.append(cut)
        start = cut
    return cuts
