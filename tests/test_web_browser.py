"""The web edition and the catalogue in a real browser (headless Chromium).

axe-core 4.x (WCAG 2.2 rules at levels A and AA) must find nothing on any sample's page,
the starter leaflet's (every block type) and the catalogue; pages reflow at 320 CSS
pixels with no horizontal scroll; text at 200% stays readable; the print stylesheet
prints cleanly; nothing is fetched from elsewhere and nothing needs JavaScript.
Set LEAFWRIGHT_SCREENSHOTS=1 to refresh the README's screenshots in docs/.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from browser import axe_violations, describe, open_page
from conftest import LEAFLETS, ROOT
from leafwright.cli import main

SAMPLE_IDS = [p.stem for p in LEAFLETS]  # each sample's file is named for its id


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """The samples and the starter leaflet built as web pages and PDFs, and the catalogue."""
    from leafwright.starter import write_starter

    tmp = tmp_path_factory.mktemp("site")
    starter = write_starter("every-block", tmp / "src")[0]
    # approved, so that it is published beside the samples (a draft goes to out/drafts/)
    starter.write_text(starter.read_text().replace("status: draft", "status: approved"))
    out = tmp / "out"
    style = str(ROOT / "styles" / "default.yaml")
    runner = CliRunner()
    r = runner.invoke(
        main,
        [
            "build",
            *map(str, LEAFLETS),
            str(starter),
            "--variant",
            "standard,html",
            "--out",
            str(out),
            "--style",
            style,
            "-q",
        ],
    )
    assert r.exit_code == 0, r.output
    r = runner.invoke(
        main,
        [
            "build",
            str(ROOT / "leaflets" / "oi-bisphosphonates.yaml"),
            str(starter),
            "--variant",
            "html",
            "--out",
            str(tmp / "heather"),
            "--style",
            str(ROOT / "styles" / "heather.yaml"),
            "-q",
        ],
    )
    assert r.exit_code == 0, r.output
    r = runner.invoke(main, ["site", "--out", str(out), "--style", style])
    assert r.exit_code == 0, r.output
    return out


PAGES = SAMPLE_IDS + ["every-block", "../heather/oi-bisphosphonates", "../heather/every-block"]


@pytest.mark.parametrize("name", PAGES + ["index"])
def test_axe_finds_no_wcag_22_a_or_aa_violations(browser, site, name):
    page = open_page(browser, site / f"{name}.html")
    try:
        violations = axe_violations(page)
        assert not violations, describe(violations)
    finally:
        page.context.close()


@pytest.mark.parametrize("name", ["oi-bisphosphonates", "every-block", "../heather/every-block", "index"])
def test_reflows_at_320_css_pixels_without_horizontal_scrolling(browser, site, name):
    page = open_page(browser, site / f"{name}.html", width=320, height=640)
    try:
        assert page.evaluate("document.documentElement.scrollWidth") <= 320
        # and nothing is cut off at the right edge
        overflow = page.evaluate(
            """() => [...document.querySelectorAll('body *')]
                .filter(e => e.getClientRects().length && e.getBoundingClientRect().right > 320.5)
                .map(e => e.tagName + '.' + e.className)"""
        )
        assert not overflow
    finally:
        page.context.close()


@pytest.mark.parametrize("name", ["every-block", "index"])
def test_text_at_200_percent_grows_and_nothing_overflows(browser, site, name):
    """The reader's text size doubled (as in the browser's settings), the page still fits."""
    page = open_page(browser, site / f"{name}.html", width=1280, height=900)
    try:
        size = "parseFloat(getComputedStyle(document.querySelector('main p, main li')).fontSize)"
        before = page.evaluate(size)
        cdp = page.context.new_cdp_session(page)
        cdp.send("Page.setFontSizes", {"fontSizes": {"standard": 32, "fixed": 26}})  # default 16 -> 32
        after = page.evaluate(size)
        assert after == pytest.approx(2 * before, rel=0.01)
        assert page.evaluate("document.documentElement.scrollWidth") <= 1280
        clipped = page.evaluate(
            """() => [...document.querySelectorAll('body *')].filter(e => {
                const s = getComputedStyle(e);
                return s.overflow !== 'visible'
                    && (e.scrollWidth > e.clientWidth + 1 || e.scrollHeight > e.clientHeight + 1);
            }).map(e => e.tagName)"""
        )
        assert not clipped
        assert not axe_violations(page), "violations at 200% text"
    finally:
        page.context.close()


def test_print_stylesheet_prints_the_whole_leaflet_cleanly(browser, site):
    import pypdfium2 as pdfium

    page = open_page(browser, site / "every-block.html")
    try:
        page.emulate_media(media="print")
        assert page.evaluate("getComputedStyle(document.querySelector('nav.editions')).display") == "none"
        # A4 less the print margins (16 mm each side) is 178 mm: nothing wider than the paper
        page.set_viewport_size({"width": round(178 / 25.4 * 96), "height": 1000})
        assert page.evaluate("document.documentElement.scrollWidth") <= round(178 / 25.4 * 96)
        headings = page.evaluate("[...document.querySelectorAll('h1, h2, h3')].map(h => h.innerText)")
        pdf = page.pdf(format="A4", print_background=True)
    finally:
        page.context.close()
    doc = pdfium.PdfDocument(pdf)
    text = " ".join(doc[i].get_textpage().get_text_range() for i in range(len(doc)))
    text = re.sub(r"\s+", " ", text)
    assert 1 <= len(doc) <= 6
    for h in headings:
        assert re.sub(r"\s+", " ", h) in text, h
    assert "This leaflet as a file to download" not in text  # the navigation is not printed
    assert "(https://example.org)" in text  # a printed link says where it goes
    assert all(abs(doc[i].get_width() - 595.3) < 1 for i in range(len(doc))), [
        doc[i].get_width() for i in range(len(doc))
    ]


def test_nothing_is_fetched_from_elsewhere_and_nothing_needs_javascript(browser, site):
    page = open_page(browser, site / "every-block.html", java_script_enabled=False)
    try:
        base = site.resolve().as_uri() + "/"
        assert page.lw_requests and all(u.startswith(base) for u in page.lw_requests), page.lw_requests
        assert any("/fonts/" in u for u in page.lw_requests) and any(
            "/images/" in u for u in page.lw_requests
        )
        assert page.evaluate("document.scripts.length") == 0
        assert page.evaluate("document.fonts.check('16px lw-body')")
        assert page.locator("figure img").evaluate("img => img.complete && img.naturalWidth > 0")
        assert page.locator("h1").is_visible()
    finally:
        page.context.close()


def test_catalogue_filters_by_text_and_language_and_is_a_plain_list_without_javascript(browser, site):
    page = open_page(browser, site / "index.html")
    try:
        items = page.locator("#leaflets > li")
        assert items.count() == len(SAMPLE_IDS) + 1
        page.fill("#filter-text", "denosumab")
        visible = [t.strip() for t in page.locator("#leaflets > li:visible h2").all_inner_texts()]
        # the English guide and its sample translations (the Arabic one found by its id)
        assert sorted(visible) == [
            "Denosumab ar gyfer osteoporosis",
            "Denosumab for osteoporosis",
            "Denosumab w leczeniu osteoporozy",
            "دينوسوماب لعلاج هشاشة العظام",
        ]
        assert page.locator("#filter-count").inner_text() == f"4 of {len(SAMPLE_IDS) + 1} leaflets shown"
        page.fill("#filter-text", "دينوسوماب")
        visible = [t.strip() for t in page.locator("#leaflets > li:visible h2").all_inner_texts()]
        assert visible == ["دينوسوماب لعلاج هشاشة العظام"]
        page.fill("#filter-text", "denosumab")
        page.select_option("#filter-lang", "cy")
        visible = [t.strip() for t in page.locator("#leaflets > li:visible h2").all_inner_texts()]
        assert visible == ["Denosumab ar gyfer osteoporosis"]
        page.select_option("#filter-lang", "")
        page.fill("#filter-text", "")
        assert page.locator("#leaflets > li:visible").count() == len(SAMPLE_IDS) + 1
    finally:
        page.context.close()
    page = open_page(browser, site / "index.html", java_script_enabled=False)
    try:
        assert page.locator("form.filter").is_hidden()  # a filter that cannot work is not shown
        assert page.locator("#leaflets > li:visible").count() == len(SAMPLE_IDS) + 1
        # every link on the catalogue leads to a file that is there
        for href in page.locator("#leaflets a").evaluate_all("as => as.map(a => a.getAttribute('href'))"):
            assert (site / href).is_file(), href
        thumbs = page.locator("img.thumb")
        assert thumbs.count() == len(SAMPLE_IDS) + 1
        assert all(thumbs.nth(i).evaluate("i => i.naturalWidth") > 0 for i in range(thumbs.count()))
    finally:
        page.context.close()


def test_screenshots_for_the_readme(browser, site, tmp_path):
    """Small PNGs of a web edition and of the catalogue (written to docs/ with LEAFWRIGHT_SCREENSHOTS=1)."""
    from PIL import Image

    target = ROOT / "docs" if os.environ.get("LEAFWRIGHT_SCREENSHOTS") else tmp_path
    for name, png in (("every-block", "web-edition.png"), ("index", "catalogue.png")):
        page = open_page(browser, site / f"{name}.html", width=900, height=1100)
        try:
            raw = tmp_path / ("raw-" + png)
            page.screenshot(path=str(raw))
        finally:
            page.context.close()
        with Image.open(raw) as img:
            small = img.resize((600, round(img.height * 600 / img.width)), Image.LANCZOS)
            small = small.convert("P", palette=Image.ADAPTIVE, colors=128)
            small.save(target / png, optimize=True)
        assert (target / png).stat().st_size < 150_000


def test_a_translation_is_one_click_away_and_links_back(browser, site):
    """The English page links its translations by language name (hreflang, lang); following
    the Welsh link opens a page in Welsh that links back to the English."""
    page = open_page(browser, site / "denosumab-osteoporosis.html")
    try:
        links = page.eval_on_selector_all(
            "nav.editions a[hreflang]", "els => els.map(a => [a.hreflang, a.lang, a.textContent])"
        )
        assert [lang for lang, _, _ in links] == ["ar", "cy", "pl"]
        assert all(lang == tag for lang, tag, _ in links)
        assert links[1][2] == "Cymraeg: Denosumab ar gyfer osteoporosis"
        page.click("nav.editions a[hreflang=cy]")
        page.wait_for_load_state("load")
        assert page.url.endswith("/denosumab-osteoporosis-cy.html")
        assert page.evaluate("document.documentElement.lang") == "cy"
        back = page.eval_on_selector_all("nav.editions a[hreflang]", "els => els.map(a => a.hreflang)")
        assert "en-GB" in back
        assert not axe_violations(page)
    finally:
        page.context.close()
