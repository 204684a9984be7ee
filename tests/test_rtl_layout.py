"""Right to left outside the paragraph: in an Arabic or Hebrew leaflet the tables run right
to left, boxes have their bar on the right, the title band's logo is at the left and the
footer is set at the right; an English leaflet keeps them as they were. Positions are read
from the PDF (text) and from the rendered page (rules and bars)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from leafwright.pdfread import MarkedText, Node, inspect_pdf
from leafwright.render import load_leaflet, render
from leafwright.style import resolve_style

DATA = Path(__file__).resolve().parent / "data" / "scripts"
STYLE_DIR = Path(__file__).resolve().parents[1] / "styles"


def _leaflet(tmp_path: Path, name: str, **changes: str) -> Path:
    """A test leaflet, with top-level keys changed (e.g. its language)."""
    text = (DATA / f"{name}.yaml").read_text(encoding="utf-8")
    for key, value in changes.items():
        text = "\n".join(f"{key}: {value}" if ln.startswith(f"{key}:") else ln for ln in text.splitlines())
    path = tmp_path / f"{name}-{'-'.join(changes.values()) or 'as-is'}.yaml"
    path.write_text(text + "\n", encoding="utf-8")
    return path


def _pdf(tmp_path: Path, leaflet: Path, style: str = "default") -> Path:
    out = leaflet.with_suffix(f".{style}.pdf")
    out.write_bytes(render(load_leaflet(leaflet), resolve_style(style, [STYLE_DIR])))
    return out


def _x(node: Node) -> float:
    """Where an element's first glyph is drawn, across the page (points)."""
    for kid in node.kids:
        if isinstance(kid, MarkedText) and kid.pos is not None:
            return kid.pos[0]
        if isinstance(kid, Node):
            return _x(kid)
    raise AssertionError(f"{node.role} has no drawn text")


def _page_image(pdf: Path, page: int = 0):
    """A page as an RGB image at 72 dpi: one pixel a point."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(pdf))
    try:
        return doc[page].render(scale=1).to_pil().convert("RGB")
    finally:
        doc.close()


def _bar_x(pdf: Path, colour: str) -> float:
    """The x (points) of the tallest vertical run of a colour on page 1: a box's bar."""
    img = _page_image(pdf)
    want = tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))
    px = img.load()
    best, best_x = 0, -1
    for x in range(img.width):
        run = longest = 0
        for y in range(img.height):
            if all(abs(a - b) <= 24 for a, b in zip(px[x, y], want)):
                run += 1
                longest = max(longest, run)
            else:
                run = 0
        if longest > best:
            best, best_x = longest, x
    assert best > 20, f"no bar of {colour} on the page"
    return float(best_x)


@pytest.mark.parametrize("lang", ["ar", "he"])
def test_a_right_to_left_tables_first_column_is_on_the_right(lang, tmp_path):
    pdf = _pdf(tmp_path, _leaflet(tmp_path, lang))
    (table,) = inspect_pdf(pdf).tree.find("Table")
    heads = table.find("TH")[:3]
    xs = [_x(th) for th in heads]
    assert xs[0] > xs[1] > xs[2], xs
    # and the cells of each row follow their headings
    rows = table.find("TR")[1:]
    for tr in rows:
        cells = [_x(c) for c in tr.kids if isinstance(c, Node)]
        assert cells[0] > cells[1] > cells[2], cells
    # the tags keep the reading order: the first heading is the first column's
    assert heads[0].text().strip() == {"ar": "الدواء", "he": "תרופה"}[lang]


def test_the_same_table_in_a_left_to_right_language_runs_left_to_right(tmp_path):
    pdf = _pdf(tmp_path, _leaflet(tmp_path, "ar", language="en-GB"))
    (table,) = inspect_pdf(pdf).tree.find("Table")
    xs = [_x(th) for th in table.find("TH")][:3]
    assert xs[0] < xs[1] < xs[2], xs


def test_a_callouts_bar_is_on_the_right_in_arabic_and_on_the_left_in_english(tmp_path):
    style = resolve_style("default", [STYLE_DIR])
    bar = style.colours.accent  # a warning callout's bar
    left, right = style.margins[3], style.page_width - style.margins[1]
    rtl = _bar_x(_pdf(tmp_path, _leaflet(tmp_path, "ar")), bar)
    ltr = _bar_x(_pdf(tmp_path, _leaflet(tmp_path, "ar", language="en-GB")), bar)
    assert abs(rtl - right) <= 4, (rtl, right)
    assert abs(ltr - left) <= 4, (ltr, left)


def test_a_block_in_a_right_to_left_language_is_mirrored_in_an_english_leaflet(tmp_path):
    """A callout with lang: ar in an English leaflet has its bar on the right."""
    text = (DATA / "ar.yaml").read_text(encoding="utf-8").replace("language: ar", "language: en-GB")
    said = "          text: اتصل بطبيبك إذا شعرت بألم في الفك.\n"
    assert said in text
    text = text.replace(said, said + "        lang: ar\n")
    path = tmp_path / "mixed.yaml"
    path.write_text(text, encoding="utf-8")
    style = resolve_style("default", [STYLE_DIR])
    x = _bar_x(_pdf(tmp_path, path), style.colours.accent)
    assert abs(x - (style.page_width - style.margins[1])) <= 4


def _ink_columns(pdf: Path, top: float, bottom: float, page: int = 0) -> tuple[int, int]:
    """The leftmost and rightmost x with anything drawn between two heights (points from the top)."""
    img = _page_image(pdf, page).convert("L")
    px = img.load()
    xs = [x for x in range(img.width) for y in range(int(top), int(bottom)) if px[x, y] < 160]
    assert xs, "nothing drawn there"
    return min(xs), max(xs)


def test_the_footer_is_set_at_the_right_in_a_right_to_left_leaflet(tmp_path):
    style = resolve_style("default", [STYLE_DIR])
    h, mid = style.page_height, style.page_width / 2
    # the "Page 1 of 2" line: the lowest line of the footer, 8 mm above the page's edge
    band = (h - 8 * 72 / 25.4 - 14, h - 8 * 72 / 25.4 + 4)
    lo, hi = _ink_columns(_pdf(tmp_path, _leaflet(tmp_path, "ar")), *band)
    # it ends at the right margin, less the room kept for a two-digit page count (the count is
    # written when the PDF is saved: "2" here, one digit)
    from reportlab.pdfbase.pdfmetrics import stringWidth

    slot = stringWidth("00", style.fonts.regular, style.type.small)
    end = style.page_width - style.margins[1]
    assert lo > mid and end - slot - 2 <= hi <= end + 1, (lo, hi, end, slot)
    lo, hi = _ink_columns(_pdf(tmp_path, _leaflet(tmp_path, "ar", language="en-GB")), *band)
    assert hi < mid and abs(lo - style.margins[3]) <= 3, (lo, hi)
    # the footer's text above it: its last line ends at the right margin, ragged at the left
    # (shaped Arabic is narrower than the letters drawn one by one: it may fit on one line)
    size = style.type.small
    y_text = 8 * 72 / 25.4 + size * 1.25  # its last line's baseline (render._footer)
    lines = (h - y_text - size * 0.8, h - y_text + 1)
    lo, hi = _ink_columns(_pdf(tmp_path, _leaflet(tmp_path, "ar")), *lines)
    assert lo > style.margins[3] + 10 and abs(hi - end) <= 2, (lo, hi, end)


def test_the_logo_is_at_the_left_of_a_right_to_left_title(tmp_path):
    """Heather's logo (a purple square) sits at the right of an English title, the left of an Arabic one."""
    style = resolve_style("heather", [STYLE_DIR])
    top = style.margins[0]
    rtl = _ink_columns(_pdf(tmp_path, _leaflet(tmp_path, "ar"), "heather"), top, top + 40)
    ltr = _ink_columns(_pdf(tmp_path, _leaflet(tmp_path, "ar", language="en-GB"), "heather"), top, top + 40)
    left, right = style.margins[3], style.page_width - style.margins[1]
    # the logo is flush with the edge it is on; the title ends short of the other
    assert abs(rtl[0] - left) <= 2 and abs(ltr[1] - right) <= 2, (rtl, ltr)


def test_a_right_to_left_leaflet_passes_pdfua(tmp_path):
    import page

    for name, style in (("ar", "default"), ("he", "heather")):
        pdf = _pdf(tmp_path, _leaflet(tmp_path, name), style)
        report = page.validate_pdf(str(pdf), profile="ua1")
        assert report.is_compliant, [f.rule_id for f in report.failures]


def test_a_stacked_right_to_left_table_has_its_headings_on_the_right(tmp_path):
    """Six columns do not fit across a large-print page: each row is stacked as heading: value
    lines, the headings at the right in Arabic and at the left in English."""
    header = ", ".join(f"عمود{n}" for n in range(6))
    row = ", ".join(f"قيمة{n}" for n in range(6))
    xs = {}
    for lang in ("ar", "en-GB"):
        text = (DATA / "ar.yaml").read_text(encoding="utf-8").replace("language: ar", f"language: {lang}")
        text += f"      - table: {{header: [{header}], rows: [[{row}]]}}\n"
        path = tmp_path / f"stacked-{lang}.yaml"
        path.write_text(text, encoding="utf-8")
        pdf = tmp_path / f"stacked-{lang}.pdf"
        pdf.write_bytes(
            render(load_leaflet(path), resolve_style("default", [STYLE_DIR], variant="large-print"))
        )
        stacked = inspect_pdf(pdf).tree.find("Table")[-1]
        (tr,) = stacked.find("TR")
        cells = [k for k in tr.kids if isinstance(k, Node)]
        assert [c.std_role for c in cells[:2]] == ["TH", "TD"]  # each value after its heading
        xs[lang] = (_x(cells[0]), _x(cells[1]))
    assert xs["ar"][0] > xs["ar"][1], xs
    assert xs["en-GB"][0] < xs["en-GB"][1], xs


def test_a_right_to_left_booklet_is_bound_on_the_right(tmp_path):
    """Imposed for saddle-stitching, an Arabic booklet has its front cover (the page with
    the title band) on the left of the outside sheet, an English one on the right; each
    reading PDF tells a two-up viewer its direction."""
    from pypdf import PdfReader

    from leafwright.post import booklet_order, impose_booklet

    assert booklet_order(8, right_to_left=True) == [(1, 8), (7, 2), (3, 6), (5, 4)]
    style = resolve_style("default", [STYLE_DIR], variant="booklet")
    band = tuple(int(style.colours.primary[i : i + 2], 16) for i in (1, 3, 5))
    for lang, cover_left in (("ar", True), ("en-GB", False)):
        reading = render(load_leaflet(_leaflet(tmp_path, "ar", language=lang)), style)
        prefs = PdfReader(io.BytesIO(reading)).root_object["/ViewerPreferences"]
        assert (prefs.get("/Direction") == "/R2L") is cover_left
        imposed = tmp_path / f"imposed-{lang}.pdf"
        imposed.write_bytes(impose_booklet(reading))
        img = _page_image(imposed)
        px = img.load()
        # the band's colour, a little below the sheet's top edge, on each half
        y = 10
        left = sum(px[x, y] == band for x in range(img.width // 2))
        right = sum(px[x, y] == band for x in range(img.width // 2, img.width))
        assert (left > right) is cover_left, (lang, left, right)
