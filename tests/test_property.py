"""Any leaflet a user can write either builds or fails with a leafwright error -- never a crash."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import style
from leafwright.errors import LeafwrightError, MissingGlyphError
from leafwright.load import load_yaml
from leafwright.model import validate_leaflet
from leafwright.render import LeafletSource, render

# Latin, Greek and Cyrillic letters, punctuation, markup-like characters, spaces
ALPHABET = st.sampled_from(
    list("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,;:!?'\"()-–—")
    + list("αβγδΩΣπ")
    + list("жизньДЯ")
    + list("éüßøłő")
    + list("<>&*[]_\\#")
    + ["\n"]
)

text = st.text(ALPHABET, min_size=1, max_size=120).filter(lambda s: s.strip() != "")
long_word = st.text(st.sampled_from(list("abcdefghij")), min_size=60, max_size=200)
some_text = st.one_of(
    text, text, long_word, st.builds(lambda a, b: f"{a} [{b}](https://example.org/x)", text, text)
)

item = st.one_of(some_text, st.fixed_dictionaries({"text": some_text}, optional={"lead": text}))
block = st.one_of(
    st.builds(lambda t: {"paragraph": t}, some_text),
    st.builds(lambda i: {"bullets": i}, st.lists(item, min_size=1, max_size=6)),
    st.builds(lambda i: {"numbered": i}, st.lists(item, min_size=1, max_size=12)),
    st.builds(
        lambda q: {"faq": q},
        st.lists(st.fixed_dictionaries({"question": some_text, "answer": some_text}), min_size=1, max_size=4),
    ),
    st.builds(
        lambda k, t, x: {"callout": {"kind": k, "title": t, "text": x}},
        st.sampled_from(["info", "warning", "note"]),
        text,
        some_text,
    ),
    st.integers(1, 4).flatmap(
        lambda n: st.builds(
            lambda h, r, c: {"table": {"header": h, "rows": r, "caption": c}},
            st.lists(text, min_size=n, max_size=n),
            st.lists(st.lists(some_text, min_size=n, max_size=n), min_size=1, max_size=8),
            text,
        )
    ),
    st.builds(
        lambda items: {"links": {"items": items}},
        st.lists(
            st.fixed_dictionaries(
                {
                    "text": text,
                    "url": st.sampled_from(["https://example.org", "mailto:a@b.org", "tel:+441234567890"]),
                }
            ),
            min_size=1,
            max_size=3,
        ),
    ),
)
section = st.fixed_dictionaries({"heading": text, "blocks": st.lists(block, max_size=5)})
sections = st.lists(
    st.builds(lambda s, subs: dict(s, sections=subs), section, st.lists(section, max_size=2)), max_size=5
)


def _leaflet(title, subtitle, secs, key_points) -> dict:
    data = {
        "id": "random",
        "title": title,
        "version": "1.0",
        "published": dt.date(2024, 1, 1),
        "review_by": dt.date(2027, 1, 1),
        "publisher": {"name": "Example", "helpline": {"number": "0800 000 0000"}},
        "online_url": "https://example.org/random",
        "sections": secs,
    }
    if subtitle:
        data["subtitle"] = subtitle
    if key_points:
        data["key_points"] = {"items": key_points}
    return data


def _build(data: dict) -> bytes:
    doc = load_yaml(yaml.safe_dump(data, allow_unicode=True), "random.yaml")
    leaflet = validate_leaflet(doc)
    return render(LeafletSource(leaflet, doc, Path(".")), style())


# 30 examples, each reaching layout: as many layouts as the 60 examples of old, when half
# of them stopped at a missing font before anything was laid out
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    title=text,
    subtitle=st.none() | text,
    secs=sections,
    key_points=st.none() | st.lists(some_text, min_size=1, max_size=4),
)
def test_random_leaflets_build_or_fail_cleanly(title, subtitle, secs, key_points):
    """Every character here has a font (the default style's Noto Sans fallback covers Greek
    and Cyrillic), so every example reaches layout: it builds, or its text holds a link
    leafwright refuses, located in the file."""
    try:
        pdf = _build(_leaflet(title, subtitle, secs, key_points))
    except MissingGlyphError as exc:  # pragma: no cover - the failure this test exists for
        raise AssertionError(f"a character of the alphabet has no font: {exc.format()}") from None
    except LeafwrightError as exc:
        # random '[...](...)' runs can make a link with a refused address: a located user error
        assert exc.diagnostics and all(d.file == "random.yaml" and d.line for d in exc.diagnostics)
        assert all("link" in d.message for d in exc.diagnostics), exc.format()
        return
    assert pdf.startswith(b"%PDF-1.7") and pdf.rstrip().endswith(b"%%EOF")


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(title=st.text(st.sampled_from(list("abcdefghij ")), max_size=30).map(lambda a: a + " 漢字"))
def test_a_character_no_font_has_fails_cleanly_at_its_place(title):
    # CJK is in none of the default style's fonts; the body is plain, so nothing else fails first
    secs = [{"heading": "One", "blocks": [{"paragraph": "Plain text."}]}]
    with pytest.raises(MissingGlyphError) as err:
        _build(_leaflet(title, None, secs, None))
    (d,) = [d for d in err.value.diagnostics if "漢" in d.message]
    assert d.file == "random.yaml" and d.path == "title" and d.line
