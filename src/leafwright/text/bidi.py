"""Right-to-left text: a paragraph's direction, its characters' embedding levels (the
Unicode Bidirectional Algorithm: resolved here a run of one type at a time, or by
python-bidi for explicit embeddings) and each line's display order (rule L2).

Text with no right-to-left character in a left-to-right paragraph needs none of this:
:func:`needs_bidi` says so cheaply, and such paragraphs never reach the algorithm.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache


def language_is_rtl(lang: str | None) -> bool | None:
    """True for a language written right to left ('ar', 'ur', 'he', 'pa-Arab'), else None:
    a paragraph in any other language takes the direction of its first strong letter."""
    from ..scripts import is_rtl

    return True if is_rtl(lang) else None


def first_strong_is_rtl(text: str) -> bool:
    """Whether the first strongly directional character of ``text`` is right to left."""
    for ch in text:
        if ch < "\u0590":
            if ch.isalpha():
                return False
            continue
        c = type_code(ch)
        if c in "RA":
            return True
        if c == "L":
            return False
    return False


#: The explicit formatting characters that open right-to-left text: RLE, RLO, RLI.
_RTL_EXPLICIT = frozenset("\u202b\u202e\u2067")


def needs_bidi(text: str, rtl: bool) -> bool:
    """Whether any character of ``text`` could be laid out other than left to right."""
    if rtl:
        return True
    if not text or max(text) < "\u0590":
        return False
    return any(type_code(ch) in "RAN" or ch in _RTL_EXPLICIT for ch in text if ch >= "\u0590")


#: Each bidirectional type as one letter (a paragraph's types are a string: its runs are found
#: with a regular expression, its rules applied a run at a time, not a character at a time).
_CODE = {
    "L": "L", "R": "R", "AL": "A", "EN": "E", "ES": "s", "ET": "t", "AN": "N", "CS": "c",
    "NSM": "m", "BN": "b", "B": "B", "S": "S", "WS": "W", "ON": "O",
}  # fmt: skip
#: Explicit embeddings, overrides and isolates (rules X1-X8): python-bidi resolves those.
_EXPLICIT = "X"


@lru_cache(maxsize=1)
def _brackets() -> dict[str, str]:
    """Each paired bracket (BD14, BD15) to the other of its pair: '(' <-> ')', '[' <-> ']',
    '（' <-> '）' ... Unicode's Bidi_Paired_Bracket, which Python's unicodedata lacks, is the
    mirrored character of an opening or closing punctuation mark (python-bidi's table)."""
    from bidi.mirror import MIRRORED

    out: dict[str, str] = {}
    for a, b in MIRRORED.items():
        if unicodedata.category(a) == "Ps" and unicodedata.category(b) == "Pe":
            out[a] = b
            out[b] = a
    return out


#: Brackets that are one by canonical equivalence (BD16): the angle brackets U+2329, U+232A.
_CANONICAL = {"\u2329": "\u3008", "\u232a": "\u3009"}


class _Codes(dict[int, str]):
    """Code point -> its type's letter, found once per character per process (a paired
    bracket: 'p', an other neutral for every rule but N0)."""

    def __missing__(self, cp: int) -> str:
        ch = chr(cp)
        # an unassigned code point: left to right, as most of Unicode's defaults
        code = _CODE.get(unicodedata.bidirectional(ch) or "L", _EXPLICIT)
        if code == "O" and _CANONICAL.get(ch, ch) in _brackets():
            code = "p"
        self[cp] = code
        return code


_CODES = _Codes()


def type_code(ch: str) -> str:
    """A character's bidirectional type as one letter (as :func:`level_runs` reads them)."""
    return _CODES[ord(ch)]


#: A paragraph's types in runs: a stretch of right-to-left letters (or of left-to-right
#: ones) with only neutrals, separators, terminators and marks between them resolves to
#: the letters' direction whatever is round it (rules W1-W7 and N1 change nothing in it)
#: and is one run, typed by its last letter (rule W2 looks back to it); else a run of
#: characters of one type.
#: A paired bracket is a run of its own (rule N0 pairs them).
_RUN = re.compile(r"[AR](?:[ARWOSBtscm]*[AR])?|L(?:[LWOSBtscm]*L)?|p|(.)\1*", re.S)
_NEUTRAL_CODES = frozenset("BSWO")
#: What makes a right-to-left paragraph other than all right to left: a left-to-right
#: letter, a number, or an explicit embedding.
_NOT_ALL_RTL = re.compile("[LENX]")


def level_runs(text: str, rtl: bool, codes: str | None = None) -> list[tuple[int, int]]:
    """A paragraph's embedding levels (even: left to right) as runs: (end, level) each,
    in order, each run's level differing from the one before.

    A paragraph with no explicit embedding or isolate (the loader drops those characters)
    is one level run: its levels are resolved here, rules W1-W7, N1-N2, I1-I2 of UAX #9 as
    python-bidi applies them, a run of characters of one type at a time; any other goes to
    python-bidi. ``codes``: the text's types, one :func:`type_code` a character, if known."""
    n = len(text)
    base = 1 if rtl else 0
    if not n:
        return []
    if codes is None:
        codes = text.translate(_CODES)
    if rtl and not _NOT_ALL_RTL.search(codes):
        return [(n, 1)]  # right-to-left letters, marks and neutrals only: all at level 1
    if _EXPLICIT in codes:
        return _runs_of(_levels_python_bidi(text, rtl))
    kept: list[int] | None = None
    if "b" in codes:  # X9: boundary neutrals set aside; each takes the level before it
        kept = [i for i, c in enumerate(codes) if c != "b"]
        codes = codes.replace("b", "")
        if not codes:
            return [(n, base)]
    found = [m.end() for m in _RUN.finditer(codes)]
    ts = [codes[e - 1] for e in found]  # each run's type, and where it ends: ``found``
    sor = "R" if rtl else "L"
    prev = strong = sor
    for i, t in enumerate(ts):  # W1 (marks take the type before), W2 (numbers after Arabic letters)
        if t == "m":  # (a mark on a bracket: 'q', which N0 gives the bracket's direction)
            t = "q" if prev == "p" else prev
        if t == "E" and strong == "A":
            t = "N"
        elif t in "RLA":
            strong = t
        prev = t
        ts[i] = "R" if t == "A" else t  # W3
    ends: list[int] = []
    types: list[str] = []
    for t, e in zip(ts, found):  # neighbouring runs of one type now as one (not brackets)
        if types and types[-1] == t and t != "p":
            ends[-1] = e
        else:
            types.append(t)
            ends.append(e)
    m = len(types)
    for i in range(1, m - 1):  # W4: one separator between two numbers
        t = types[i]
        if t in "sc" and ends[i] - ends[i - 1] == 1:
            a, b = types[i - 1], types[i + 1]
            if a == b and (a == "E" or (t == "c" and a == "N")):
                types[i] = a
    for i in range(m):  # W5: terminators next to European numbers
        if types[i] == "t" and ((i and types[i - 1] == "E") or (i + 1 < m and types[i + 1] == "E")):
            types[i] = "E"
    strong = sor
    for i, t in enumerate(types):  # W6, W7
        if t in "tsc":
            types[i] = "O"
        elif t == "E" and strong == "L":
            types[i] = "L"
        elif t in "LR":
            strong = t
    if "p" in types:
        _paired_brackets(text, types, ends, kept, sor)
    i = 0
    while i < m:  # N1, N2: a run of neutrals takes the direction round it, else the paragraph's
        if types[i] not in _NEUTRAL_CODES:
            i += 1
            continue
        j = i
        while j < m and types[j] in _NEUTRAL_CODES:
            j += 1
        before = types[i - 1] if i else sor
        after = types[j] if j < m else sor
        before = "R" if before in "NE" else before
        after = "R" if after in "NE" else after
        fill = before if before == after else sor
        for k in range(i, j):
            types[k] = fill
        i = j
    out: list[tuple[int, int]] = []
    for t, end in zip(types, ends):  # I1, I2
        if base == 0:
            lv = 1 if t == "R" else (2 if t in "NE" else 0)
        else:
            lv = 1 if t == "R" else 2
        if kept is not None:
            end = kept[end] if end < len(kept) else n
        if out and out[-1][1] == lv:
            out[-1] = (end, lv)
        else:
            out.append((end, lv))
    if kept is not None and kept[0] > 0 and out[0][1] != base:
        out.insert(0, (kept[0], base))  # boundary neutrals first: the paragraph's level
    return out


def _paired_brackets(text: str, types: list[str], ends: list[int], kept: list[int] | None, e: str) -> None:
    """Rule N0: each pair of brackets (BD16) takes the direction of the text inside it: the
    paragraph's (``e``) if that is inside, else the other direction if that is inside and
    also before the pair (the paragraph's if not); a pair with no strong text inside is
    left to N1. ``types`` (bracket runs are 'p', one bracket each; the marks on a bracket
    'q') are changed in place: the marks on a bracket take its direction (they are drawn
    on it); brackets not paired, and their marks, become other neutrals ('O')."""
    brackets = _brackets()
    pairs: list[tuple[int, int]] = []
    stack: list[tuple[str, int]] = []  # (the closing bracket looked for, its opener's run)
    for i, t in enumerate(types):
        if t != "p":
            continue
        at = ends[i] - 1
        ch = text[kept[at] if kept is not None else at]
        ch = _CANONICAL.get(ch, ch)
        if unicodedata.category(ch) == "Ps":
            if len(stack) == 63:  # BD16: stop at a depth of 63
                break
            stack.append((_CANONICAL.get(brackets[ch], brackets[ch]), i))
            continue
        for k in range(len(stack) - 1, -1, -1):
            if stack[k][0] == ch:
                pairs.append((stack[k][1], i))
                del stack[k:]
                break
    pairs.sort()
    for o, c in pairs:
        inside = {"L" if t == "L" else "R" for t in types[o + 1 : c] if t in "LRNE"}
        if e in inside:
            direction = e
        elif inside:  # the other direction only: that, if the text before the pair is so too
            direction = next(("L" if t == "L" else "R" for t in reversed(types[:o]) if t in "LRNE"), e)
        else:
            continue
        types[o] = types[c] = direction
        for at in (o + 1, c + 1):
            if at < len(types) and types[at] == "q":
                types[at] = direction
    for i, t in enumerate(types):
        if t == "p" or t == "q":
            types[i] = "O"


def _runs_of(lv: list[int]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for i, v in enumerate(lv):
        if out and out[-1][1] == v:
            out[-1] = (i + 1, v)
        else:
            out.append((i + 1, v))
    return out


def levels(text: str, rtl: bool) -> list[int]:
    """The embedding level of each character of a paragraph (even: left to right)."""
    out: list[int] = []
    start = 0
    for end, lv in level_runs(text, rtl):
        out += [lv] * (end - start)
        start = end
    return out


def _levels_python_bidi(text: str, rtl: bool) -> list[int]:
    """:func:`levels` by python-bidi's full algorithm (explicit embeddings and isolates)."""
    from bidi import algorithm as uba

    # the algorithm drops boundary-neutral characters (ZWJ, ZWNJ) from its list (rule X9):
    # levels are found for the others and those take their neighbour's level
    kept = [i for i, ch in enumerate(text) if type_code(ch) != "b"]
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
        if type_code(text[i]) == "b":
            out[i] = out[i - 1] if i else base
    return out


def display_order(levels: list[int]) -> list[int]:
    """Rule L2: the logical indices of a line's items in display order (left to right)."""
    order = list(range(len(levels)))
    if not levels:
        return order
    top = max(levels)
    if top == min(levels):  # one level: as it is, or reversed
        return order[::-1] if top % 2 else order
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
