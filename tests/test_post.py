"""Booklet imposition and merging, checked the way a printer would see the result.

Input PDFs are built with ReportLab: A5 pages, each showing "Page N" in big
text. Imposed sheets are read back with pypdf; text left of the sheet's
middle is on the left page, text right of it on the right page.
"""

from __future__ import annotations

import io
import re
from functools import cache

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader, PdfWriter
from reportlab.lib.pagesizes import A4, A5, landscape
from reportlab.pdfgen import canvas

from leafwright.errors import LeafwrightError
from leafwright.post import booklet_order, impose_booklet, merge_pdfs

A4_LANDSCAPE = landscape(A4)  # 841.89 x 595.28 pt


def make_pdf(n_pages: int, *, title: str | None = None, sizes=None, label: str = "Page") -> bytes:
    """A reading PDF of ``n_pages`` A5 pages, page i showing "Page i"."""
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A5, invariant=1)
    if title:
        c.setTitle(title)
    for i in range(1, n_pages + 1):
        size = sizes[i - 1] if sizes else A5
        c.setPageSize(size)
        c.setFont("Helvetica-Bold", 48)
        c.drawCentredString(size[0] / 2, size[1] / 2, f"{label} {i}")
        c.showPage()
    c.save()
    return buf.getvalue()


@cache
def reading_pdf(n_pages: int) -> bytes:
    """Cached :func:`make_pdf`, so the property test stays fast."""
    return make_pdf(n_pages)


def _page_number(text: str) -> int | str | None:
    """3 for "Page 3", None for no text, the raw text otherwise (so asserts show it)."""
    if not text:
        return None
    m = re.fullmatch(r"Page (\d+)", text)
    return int(m.group(1)) if m else text


def sheet_sides(pdf: bytes) -> list[tuple[int | str | None, int | str | None]]:
    """(left, right) page numbers printed on each sheet of an imposed PDF."""
    sides = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        mid_x = float(page.mediabox.left) + float(page.mediabox.width) / 2
        halves: dict[str, list[str]] = {"left": [], "right": []}

        def visit(text, cm, tm, font_dict, font_size, halves=halves, mid_x=mid_x):
            if not text.strip():
                return
            # Where the text starts on the sheet: text matrix, then the CTM.
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            halves["left" if x < mid_x else "right"].append(text.strip())

        page.extract_text(visitor_text=visit)
        sides.append((_page_number(" ".join(halves["left"])), _page_number(" ".join(halves["right"]))))
    return sides


def test_eight_pages_order():
    assert booklet_order(8) == [(8, 1), (2, 7), (6, 3), (4, 5)]


@pytest.mark.parametrize(
    "n, expected",
    [
        (1, [(None, 1), (None, None)]),
        (2, [(2, 1), (None, None)]),
        (3, [(3, 1), (2, None)]),
        (4, [(4, 1), (2, 3)]),
        (5, [(5, 1), (2, None), (None, 3), (4, None)]),
        (6, [(6, 1), (2, None), (None, 3), (4, 5)]),
    ],
)
def test_padding_goes_before_the_back_cover(n, expected):
    assert booklet_order(n) == expected


@pytest.mark.parametrize("n", [0, -1])
def test_booklet_order_rejects_no_pages(n):
    with pytest.raises(ValueError):
        booklet_order(n)


@pytest.mark.parametrize("n", [8, 5, 1])
def test_imposed_sheets_are_a4_landscape_in_saddle_stitch_order(n):
    out = impose_booklet(make_pdf(n))
    reader = PdfReader(io.BytesIO(out))
    order = booklet_order(n)
    assert len(reader.pages) == len(order) == -(-n // 4) * 2
    for page in reader.pages:
        assert float(page.mediabox.width) == pytest.approx(A4_LANDSCAPE[0], abs=0.5)
        assert float(page.mediabox.height) == pytest.approx(A4_LANDSCAPE[1], abs=0.5)
    assert sheet_sides(out) == order


def test_eight_page_booklet_sheets():
    assert sheet_sides(impose_booklet(make_pdf(8))) == [(8, 1), (2, 7), (6, 3), (4, 5)]


def test_pages_meet_at_the_fold():
    # Two A5 pages are 1 mm narrower than A4: the spare goes to the outer
    # edges, so each page's text is centred in its own half of the sheet.
    out = impose_booklet(make_pdf(4))
    page = PdfReader(io.BytesIO(out)).pages[0]
    mid_x = float(page.mediabox.width) / 2
    starts = []
    page.extract_text(
        visitor_text=lambda t, cm, tm, fd, fs: (
            t.strip() and starts.append(tm[4] * cm[0] + tm[5] * cm[2] + cm[4])
        )
    )
    source_start = []
    PdfReader(io.BytesIO(make_pdf(1))).pages[0].extract_text(
        visitor_text=lambda t, cm, tm, fd, fs: (
            t.strip() and source_start.append(tm[4] * cm[0] + tm[5] * cm[2] + cm[4])
        )
    )
    left_x, right_x = sorted(starts)
    assert left_x == pytest.approx(mid_x - A5[0] + source_start[0], abs=0.01)
    assert right_x == pytest.approx(mid_x + source_start[0], abs=0.01)


def test_rotated_page_is_placed_upright():
    # Page 2 is drawn landscape and shown portrait through /Rotate 90, as some
    # tools save scanned or re-exported pages: it must still fit its slot.
    buf = io.BytesIO()
    c = canvas.Canvas(buf, invariant=1)
    for i, size in enumerate([A5, landscape(A5), A5, A5], start=1):
        c.setPageSize(size)
        c.setFont("Helvetica-Bold", 24)
        c.drawString(20, 20, f"Page {i}")  # near the bottom-left as drawn
        c.showPage()
    c.save()
    writer = PdfWriter(clone_from=buf)
    writer.pages[1].rotate(90)
    rotated = io.BytesIO()
    writer.write(rotated)

    out = impose_booklet(rotated.getvalue())
    assert sheet_sides(out) == booklet_order(4)
    sheet = PdfReader(io.BytesIO(out)).pages[1]  # inside: Page 2 | Page 3
    found = {}
    sheet.extract_text(
        visitor_text=lambda t, cm, tm, fd, fs: (
            t.strip() and found.setdefault(t.strip(), tm[4] * cm[1] + tm[5] * cm[3] + cm[5])
        )
    )
    # Turned clockwise, the drawing's bottom-left corner is at the top-left.
    assert found["Page 2"] > A5[1] - 30
    assert found["Page 3"] < 30


def test_links_are_dropped_from_the_print_file():
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A5, invariant=1)
    for i in range(1, 5):
        c.bookmarkPage(f"p{i}")
        c.drawString(50, 50, f"Page {i}")
        c.linkAbsolute("to the back", "p4", (40, 40, 200, 70))
        c.linkURL("https://example.org", (40, 100, 200, 130))
        c.showPage()
    c.save()
    out = impose_booklet(buf.getvalue())
    reader = PdfReader(io.BytesIO(out))
    for page in reader.pages:
        subtypes = [a.get_object()["/Subtype"] for a in page.get("/Annots", [])]
        assert "/Link" not in subtypes
    # No page of the reading order is dragged in behind the sheets as an orphan.
    assert len(re.findall(rb"/Type\s*/Page\b", out)) == len(reader.pages) == 2


@settings(max_examples=25, deadline=None)
@given(st.integers(min_value=1, max_value=40))
def test_booklet_property(n):
    order = booklet_order(n)
    padded = 2 * len(order)
    assert padded % 4 == 0 and n <= padded < n + 4
    # Back cover: the last page is outside left of the outermost sheet.
    assert order[0] == ((n if n > 1 else None), 1)
    placed = [p for side in order for p in side if p is not None]
    assert sorted(placed) == list(range(1, n + 1))
    assert sum(p is None for side in order for p in side) == padded - n

    printed = sheet_sides(impose_booklet(reading_pdf(n)))
    assert printed == order
    on_paper = [p for side in printed for p in side if p is not None]
    assert sorted(on_paper) == list(range(1, n + 1))


def test_imposing_twice_gives_identical_bytes():
    src = make_pdf(6, title="Asthma")
    first = impose_booklet(src)
    assert impose_booklet(bytes(src)) == first
    # The file identifier follows the input, so a different leaflet differs.
    other = PdfReader(io.BytesIO(impose_booklet(make_pdf(6, title="Asthma", label="Seite"))))
    assert PdfReader(io.BytesIO(first)).trailer["/ID"] != other.trailer["/ID"]


def test_title_says_it_is_the_imposed_booklet():
    out = impose_booklet(make_pdf(4, title="Asthma: using your inhaler"))
    assert PdfReader(io.BytesIO(out)).metadata.title == "Asthma: using your inhaler (imposed booklet)"
    # ReportLab always writes a /Title ("untitled"), so remove it with pypdf.
    writer = PdfWriter(clone_from=io.BytesIO(make_pdf(4)))
    writer.metadata = None
    buf = io.BytesIO()
    writer.write(buf)
    assert PdfReader(io.BytesIO(buf.getvalue())).metadata is None
    untitled = PdfReader(io.BytesIO(impose_booklet(buf.getvalue())))
    assert (untitled.metadata or {}).get("/Title") is None


@pytest.mark.parametrize("data", [b"not a pdf", b"", b"%PDF-1.4\ngarbage\n%%EOF\n"])
def test_not_a_pdf_is_a_leafwright_error(data):
    with pytest.raises(LeafwrightError, match="not a"):
        impose_booklet(data)


def test_pdf_without_pages_is_a_leafwright_error():
    buf = io.BytesIO()
    PdfWriter().write(buf)
    with pytest.raises(LeafwrightError, match="no pages"):
        impose_booklet(buf.getvalue())


def test_pages_of_different_sizes_are_a_leafwright_error():
    src = make_pdf(3, sizes=[A5, A4, A5])
    with pytest.raises(LeafwrightError, match="page 2"):
        impose_booklet(src)


def test_merge_keeps_order_and_is_deterministic():
    a, b = make_pdf(2), make_pdf(3, label="Page")
    merged = merge_pdfs([a, b])
    texts = [p.extract_text().strip() for p in PdfReader(io.BytesIO(merged)).pages]
    assert texts == ["Page 1", "Page 2", "Page 1", "Page 2", "Page 3"]
    assert merge_pdfs([a, b]) == merged
    assert merge_pdfs([b, a]) != merged


def test_merge_rejects_bad_input():
    with pytest.raises(LeafwrightError):
        merge_pdfs([])
    with pytest.raises(LeafwrightError, match="PDF 2 of 2"):
        merge_pdfs([make_pdf(1), b"not a pdf"])
