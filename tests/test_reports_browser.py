"""The other HTML that leafwright writes, in a real browser (headless Chromium).

The ``audit --format html`` report and the ``diff --format html`` committee "changes"
page: axe-core 4.x (WCAG 2.2 rules at levels A and AA) finds nothing, each page reflows
at 320 CSS pixels with no horizontal scroll and nothing cut off at the right edge, and
neither fetches anything from elsewhere (the audit's page thumbnails are inline).
The harness is tests/browser.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from browser import axe_violations, describe, open_page
from leafwright.cli import main
from pdfmaker import Block, make_pdf

LIVING = Path(__file__).resolve().parent / "data" / "living"

#: what the narrow page may not exceed: the viewport of a 320 CSS pixel wide window
NARROW = 320

#: the elements sticking out past the right edge of the viewport
OVERFLOWING = """() => [...document.querySelectorAll('body *')]
    .filter(e => e.getClientRects().length && e.getBoundingClientRect().right > window.innerWidth + 0.5)
    .map(e => e.tagName + (e.className ? '.' + e.className : ''))"""

#: words in table cells (not the file names and labels of row headers) that a line break cuts in two
SPLIT_WORDS = """() => {
    const split = [];
    for (const cell of document.querySelectorAll('td, thead th')) {
        const walk = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
        for (let node = walk.nextNode(); node; node = walk.nextNode()) {
            for (const m of node.data.matchAll(/[^\\s\\/-]+/g)) {
                const r = document.createRange();
                r.setStart(node, m.index);
                r.setEnd(node, m.index + m[0].length);
                if (r.getClientRects().length > 1) split.push(m[0]);
            }
        }
    }
    return split;
}"""


def untagged_reportlab_pdf(path: Path) -> Path:
    """A PDF as ReportLab writes it by default: no structure tree, no language, a long unbroken path."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), pagesize=A4, invariant=True)
    c.setTitle("Untagged letter")
    c.setFont("Helvetica-Bold", 18)
    c.drawString(72, 770, "A letter nobody tagged")
    c.setFont("Helvetica", 12)
    for i, line in enumerate(
        [
            "This text has no tags: a screen reader has to guess the reading order.",
            "See https://example.org/a/very/long/address/that/does/not/break/anywhere/at/all",
        ]
    ):
        c.drawString(72, 740 - 16 * i, line)
    c.showPage()
    c.drawString(72, 770, "A second page.")
    c.save()
    return path


@pytest.fixture(scope="module")
def audit_report(samples, tmp_path_factory) -> Path:
    """``audit --format html`` of a sample, a PDF with defects, an untagged ReportLab PDF and a non-PDF."""
    tmp = tmp_path_factory.mktemp("audit")
    defects = make_pdf(
        tmp / "defects-with-a-long-file-name-that-does-not-break-anywhere.pdf",
        [
            Block("H1", [(72, 780, "A heading <b>& markup</b>")]),
            Block("H3", [(72, 750, "Skipped to three")]),
            Block("P", [(72, 720, "The first line ends with a word"), (72, 705, "and the next goes on.")]),
            Block("P", [(72, 600, "Nobody claims this text")], claimed=False),
            Block("Figure", [], alt="IMG_0042.jpg", figure_box=(72, 400, 100, 100)),
        ],
    )
    untagged = untagged_reportlab_pdf(tmp / "untagged.pdf")
    notes = tmp / "notes.pdf"
    notes.write_text("not a PDF")
    out = tmp / "report.html"
    sample = samples[("oi-bisphosphonates", "default")]
    files = [sample, defects, untagged, notes]
    r = CliRunner().invoke(main, ["audit", "--format", "html", "-o", str(out), *map(str, files)])
    assert r.exit_code == 2, r.output  # the file that is not a PDF
    text = out.read_text()
    # every kind of section the report has is on the page under test
    assert "Passes the PDF/UA-1 checks." in text and "Fails the PDF/UA-1 checks" in text
    assert "Cannot audit this file" in text and "This PDF has no tags" in text
    assert 'class="reading"' in text and 'class="pages"' in text
    return out


@pytest.fixture(scope="module")
def changes_page(tmp_path_factory) -> Path:
    """``diff --format html`` of the two versions of the leaflet in tests/data/living/."""
    out = tmp_path_factory.mktemp("diff") / "changes.html"
    r = CliRunner().invoke(
        main,
        [
            "diff",
            str(LIVING / "zoledronate-v1.yaml"),
            str(LIVING / "zoledronate-v2.yaml"),
            "--format",
            "html",
            "-o",
            str(out),
        ],
    )
    assert r.exit_code == 0, r.output
    text = out.read_text()
    assert "<table>" in text and "<del>" in text and "<ins>" in text
    return out


PAGES = ["audit_report", "changes_page"]


@pytest.mark.parametrize("which", PAGES)
def test_axe_finds_no_wcag_22_a_or_aa_violations(browser, request, which):
    path: Path = request.getfixturevalue(which)
    page = open_page(browser, path)
    try:
        violations = axe_violations(page)
        assert not violations, describe(violations)
        assert not page.evaluate(SPLIT_WORDS)
        # self-contained: nothing but the file itself is requested (thumbnails are data: URLs)
        assert page.lw_requests == [path.resolve().as_uri()], page.lw_requests
    finally:
        page.context.close()


@pytest.mark.parametrize("which", PAGES)
def test_reflows_at_320_css_pixels_without_horizontal_scrolling(browser, request, which):
    path: Path = request.getfixturevalue(which)
    page = open_page(browser, path, width=NARROW, height=640)
    try:
        assert page.evaluate("window.innerWidth") == NARROW
        assert page.evaluate("document.documentElement.scrollWidth") <= NARROW
        assert not page.evaluate(OVERFLOWING)
        assert not page.evaluate(SPLIT_WORDS)
        assert not axe_violations(page), "violations at 320 CSS pixels"
    finally:
        page.context.close()
