"""Right-to-left text: a paragraph's direction, its characters' embedding levels (the
Unicode Bidirectional Algorithm, from python-bidi) and each line's display order (rule L2).

Text with no right-to-left character in a left-to-right paragraph needs none of this:
:func:`needs_bidi` says so cheaply, and such paragraphs never reach the algorithm.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache


def language_is_rtl(lang: str | None) -> bool | None:
    """True for a language written right to left ('ar', 'ur', 'he', 'pa-Arab'), else None:
    a paragraph in any other language takes the direction of its first strong letter."""
    from ..scripts import is_rtl

    return True if is_rtl(lang) else None


@lru_cache(maxsize=4096)
def bidi_class(ch: str) -> str:
    return unicodedata.bidirectional(ch)


def first_strong_is_rtl(text: str) -> bool:
    """Whether the first strongly directional character of ``text`` is right to left."""
    for ch in text:
        if ch < "\u0590":
            if ch.isalpha():
                return False
            continue
        c = bidi_class(ch)
        if c in ("R", "AL"):
            return True
        if c == "L":
            return False
    return False


def needs_bidi(text: str, rtl: bool) -> bool:
    """Whether any character of ``text`` could be laid out other than left to right."""
    if rtl:
        return True
    if not text or max(text) < "\u0590":
        return False
    return any(bidi_class(ch) in ("R", "AL", "AN", "RLE", "RLO", "RLI") for ch in text if ch >= "\u0590")


#: Types that open or close an explicit embedding, override or isolate (rules X1-X8).
_EXPLICIT = frozenset({"LRE", "RLE", "LRO", "RLO", "PDF", "LRI", "RLI", "FSI", "PDI"})
_NEUTRAL = frozenset({"B", "S", "WS", "ON"})


def levels(text: str, rtl: bool) -> list[int]:
    """The embedding level of each character of a paragraph (even: left to right).

    A paragraph with no explicit embedding or isolate (the loader drops those characters)
    is one level run: its levels are resolved here, rules W1-W7, N1-N2, I1-I2 of UAX #9 as
    python-bidi applies them, at a tenth of its cost; any other goes to python-bidi."""
    types = [bidi_class(ch) for ch in text]
    if _EXPLICIT.intersection(types):
        return _levels_python_bidi(text, rtl)
    base = 1 if rtl else 0
    sor = "R" if rtl else "L"
    kept = [i for i, t in enumerate(types) if t != "BN"]  # X9: boundary neutrals set aside
    ts = [types[i] for i in kept]
    n = len(ts)
    prev = strong = sor
    for i in range(n):  # W1 (marks take the type before), W2 (numbers after Arabic letters)
        t = ts[i]
        if t == "NSM":
            ts[i] = t = prev
        if t == "EN" and strong == "AL":
            ts[i] = "AN"
        elif t in ("R", "L", "AL"):
            strong = t
        prev = ts[i]
    ts = ["R" if t == "AL" else t for t in ts]  # W3
    for i in range(1, n - 1):  # W4
        t = ts[i]
        if t == "ES" and ts[i - 1] == ts[i + 1] == "EN":
            ts[i] = "EN"
        elif t == "CS" and ts[i - 1] == ts[i + 1] and ts[i - 1] in ("AN", "EN"):
            ts[i] = ts[i - 1]
    if "ET" in ts:  # W5: terminators next to European numbers
        for i in range(n):
            if ts[i] == "EN":
                j = i - 1
                while j >= 0 and ts[j] == "ET":
                    ts[j] = "EN"
                    j -= 1
                j = i + 1
                while j < n and ts[j] == "ET":
                    ts[j] = "EN"
                    j += 1
    strong = sor
    for i in range(n):  # W6, W7
        t = ts[i]
        if t in ("ET", "ES", "CS"):
            ts[i] = "ON"
        elif t == "EN" and strong == "L":
            ts[i] = "L"
        elif t in ("L", "R"):
            strong = t
    i = 0
    while i < n:  # N1, N2: a run of neutrals takes the direction round it, else the paragraph's
        if ts[i] not in _NEUTRAL:
            i += 1
            continue
        j = i
        while j < n and ts[j] in _NEUTRAL:
            j += 1
        before = ts[i - 1] if i else sor
        after = ts[j] if j < n else sor
        before = "R" if before in ("AN", "EN") else before
        after = "R" if after in ("AN", "EN") else after
        fill = before if before == after else sor
        for k in range(i, j):
            ts[k] = fill
        i = j
    out = [base] * len(text)
    for i, t in zip(kept, ts):  # I1, I2
        if base == 0:
            out[i] = 1 if t == "R" else (2 if t in ("AN", "EN") else 0)
        else:
            out[i] = 1 if t == "R" else 2
    for i in range(len(text)):  # a boundary neutral: the level before it (else the base)
        if types[i] == "BN":
            out[i] = out[i - 1] if i else base
    return out


def _levels_python_bidi(text: str, rtl: bool) -> list[int]:
    """:func:`levels` by python-bidi's full algorithm (explicit embeddings and isolates)."""
    from bidi import algorithm as uba

    # the algorithm drops boundary-neutral characters (ZWJ, ZWNJ) from its list (rule X9):
    # levels are found for the others and those take their neighbour's level
    kept = [i for i, ch in enumerate(text) if bidi_class(ch) != "BN"]
    storage = uba.get_empty_storage()
    storage["base_level"] = 1 if rtl else 0
    storage["base_dir"] = "R" if rtl else "L"
    uba.get_embedding_levels("".join(text[i] for i in kept), storage)
    uba.explicit_embed_and_overrides(storage, False)
    uba.resolve_weak_types(storage, False)
    uba.resolve_neutral_types(storage, False)
    uba.resolve_implicit_levels(storage, False)
    found = [c["level"] for c in storage["chars"]]
    base = 1 if rtl else 0
    out = [base] * len(text)
    for i, lv in zip(kept, found):
        out[i] = lv
    for i in range(len(text)):  # a dropped character: the level before it (else the base)
        if bidi_class(text[i]) == "BN":
            out[i] = out[i - 1] if i else base
    return out


def display_order(levels: list[int]) -> list[int]:
    """Rule L2: the logical indices of a line's items in display order (left to right)."""
    order = list(range(len(levels)))
    if not levels:
        return order
    top = max(levels)
    lowest_odd = min((lv for lv in levels if lv % 2), default=top + 1)
    for lv in range(top, lowest_odd - 1, -1):
        i = 0
        n = len(order)
        while i < n:
            if levels[order[i]] >= lv:
                j = i
                while j < n and levels[order[j]] >= lv:
                    j += 1
                order[i:j] = order[i:j][::-1]
                i = j
            else:
                i += 1
    return order
