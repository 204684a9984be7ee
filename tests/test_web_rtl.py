"""The web edition of right-to-left leaflets and of runs in other languages: the page says
its direction (``<html dir="rtl">``), blocks and spans in another language say theirs,
the stylesheet mirrors itself (logical properties), the style's per-script fonts are
shipped, and axe-core finds nothing in an Arabic and a Hebrew page.
Set LEAFWRIGHT_SCREENSHOTS=1 to keep a screenshot of the Arabic page in /tmp."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from lxml import html as lxml_html

from browser import axe_violations, describe, open_page
from leafwright.render import load_leaflet
from leafwright.style import resolve_style
from leafwright.web.edition import render_web

DATA = Path(__file__).resolve().parent / "data" / "scripts"
STYLE_DIR = Path(__file__).resolve().parents[1] / "styles"


def _write(edition, out: Path) -> Path:
    for name, data in edition.files:
        (out / name).parent.mkdir(parents=True, exist_ok=True)
        (out / name).write_bytes(data)
    return out / edition.page


@pytest.fixture(scope="module")
def pages(tmp_path_factory) -> dict[str, Path]:
    """The Arabic, Hebrew and Hindi test leaflets' web pages (default style), and the Arabic in Heather."""
    out = tmp_path_factory.mktemp("web-rtl")
    built = {}
    for lang in ("ar", "he", "hi"):
        built[lang] = _write(render_web(load_leaflet(DATA / f"{lang}.yaml"), resolve_style("default")), out)
    heather = out / "heather"
    heather.mkdir()
    built["ar-heather"] = _write(
        render_web(load_leaflet(DATA / "ar.yaml"), resolve_style("heather", [STYLE_DIR])), heather
    )
    return built


def _tree(path: Path):
    return lxml_html.fromstring(path.read_bytes())


@pytest.mark.parametrize(("lang", "direction"), [("ar", "rtl"), ("he", "rtl"), ("hi", "ltr")])
def test_the_page_says_its_language_and_direction(pages, lang, direction):
    root = _tree(pages[lang])
    assert (root.get("lang"), root.get("dir")) == (lang, direction)


def test_a_block_and_a_run_in_another_language_say_their_direction(tmp_path):
    text = (DATA / "he.yaml").read_text(encoding="utf-8")
    text = text.replace(
        "      - paragraph: התרופה",
        "      - paragraph: The tablet is called [Fosamax]{lang=en} in English.\n"
        "        lang: en\n"
        "      - paragraph: שם התרופה הוא [ألندرونات]{lang=ar} בערבית.\n"
        "      - paragraph: התרופה",
    )
    src = tmp_path / "mixed.yaml"
    src.write_text(text, encoding="utf-8")
    root = lxml_html.fromstring(render_web(load_leaflet(src), resolve_style("default")).html)
    (english,) = root.xpath("//p[@lang='en']")
    assert english.get("dir") == "ltr"
    assert english.xpath(".//span[@lang='en']")[0].get("dir") == "ltr"
    (arabic,) = root.xpath("//span[@lang='ar']")
    assert (arabic.get("dir"), arabic.text_content()) == ("rtl", "ألندرونات")


def test_the_scripts_fonts_are_shipped_with_their_weights(pages):
    """The Arabic page ships a cut of Noto Sans Arabic for its letters (variable: real bold for
    headings), the Hebrew page Heebo; neither ships the other's."""
    ar = pages["ar"].read_text(encoding="utf-8")
    he = pages["he"].read_text(encoding="utf-8")
    assert "fonts/NotoSansArabic-" in ar and "fonts/Heebo-" not in ar
    assert "fonts/Heebo-" in he and "fonts/NotoSansArabic-" not in he
    face = ar[ar.index("fonts/NotoSansArabic-") :].split("}", 1)[0]
    assert "font-weight: 100 900" in face and "U+0628" in face  # ب


def _box(page, selector: str) -> dict:
    return page.evaluate(
        f"(() => {{ const r = document.querySelector('{selector}').getBoundingClientRect(); "
        "return {left: r.left, right: r.right, width: r.width}; })()"
    )


@pytest.mark.parametrize("name", ["ar", "he", "ar-heather"])
def test_axe_finds_nothing_on_a_right_to_left_page_and_it_is_mirrored(browser, pages, name):
    page = open_page(browser, pages[name])
    try:
        violations = axe_violations(page)
        assert not violations, describe(violations)
        # the callout's bar is on its right: the border drawn is the right one
        right, left = page.evaluate(
            "(() => { const s = getComputedStyle(document.querySelector('aside.callout'));"
            " return [parseFloat(s.borderRightWidth), parseFloat(s.borderLeftWidth)]; })()"
        )
        assert right > 3 and left == 0
        # the table's first column is at the right
        first = _box(page, "thead th:first-child")
        last = _box(page, "thead th:last-child")
        assert first["left"] > last["left"]
        # text starts at the right: a short line hugs its box's right edge, room left at its left
        gaps = page.evaluate(
            "(() => { const p = document.querySelector('aside.callout p:last-child');"
            " const r = document.createRange(); r.selectNodeContents(p);"
            " const t = r.getBoundingClientRect(), b = p.getBoundingClientRect();"
            " return [b.right - t.right, t.left - b.left]; })()"
        )
        assert gaps[0] < 1 and gaps[1] > 20, gaps
        if name == "ar-heather":  # the logo at the left of the title
            assert _box(page, "img.logo")["left"] < _box(page, "h1")["left"]
        if name == "ar" and os.environ.get("LEAFWRIGHT_SCREENSHOTS") == "1":
            page.screenshot(path="/tmp/leafwright-web-ar.png", full_page=True)
    finally:
        page.context.close()


def test_a_left_to_right_page_is_not_mirrored(browser, pages):
    page = open_page(browser, pages["hi"])
    try:
        assert not axe_violations(page)
        first = _box(page, "thead th:first-child")
        last = _box(page, "thead th:last-child")
        assert first["left"] < last["left"]
    finally:
        page.context.close()


def test_a_hindi_page_ships_no_bengali_font_for_its_danda(pages):
    """The danda (।) is shared by Hindi and Bengali: in Hindi text it comes with the
    Devanagari font, so a Hindi page needs no Bengali font at all."""
    hi = pages["hi"].read_text(encoding="utf-8")
    assert "।" in hi
    deva = hi[hi.index("fonts/NotoSansDevanagari-") :].split("}", 1)[0]
    assert "U+0964" in deva and "fonts/HindSiliguri-" not in hi


def test_a_label_shown_in_english_in_a_hebrew_page_says_its_direction(pages):
    """Hebrew has no label catalogue yet: its labels are in English, marked as English and
    left to right, so each stays whole inside the right-to-left page."""
    root = _tree(pages["he"])
    english = root.xpath("//main//span[@lang='en']")
    assert english and all(s.get("dir") == "ltr" for s in english)


def test_an_english_field_label_keeps_its_colon_in_a_hebrew_page(pages):
    """'Telephone:' in the contact panel is one English run, colon included: it reads
    'Telephone:' and not ':Telephone' inside the right-to-left page."""
    root = _tree(pages["he"])
    runs = [s.text_content() for s in root.xpath("//address//span[@lang='en']")]
    assert "Telephone:" in runs, runs
    assert root.xpath("//dt/span[@lang='en']")[0].text_content() == "Version:"
