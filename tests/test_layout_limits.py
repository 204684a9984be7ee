"""Layout at its limits: bold in every script, pictures and logos larger than the page,
long web addresses, dates that must not break, pages that must not go empty, and
builds that say when an output fails its own PDF/UA check (issue 9, layout side)."""

from __future__ import annotations

import io
from pathlib import Path

import pypdf
import pytest

from conftest import ROOT, style
from leafwright.render import load_leaflet, render, render_document

HEAD = """\
id: {id}
title: {title}
version: "1.0"
published: 2024-01-01
review_by: 2027-01-01
publisher:
  name: Example Charity
  address: [1 High Street, Dundee]
authors: [{{name: A Writer}}]
references: [Sources are available on request.]
disclaimer: This leaflet does not replace your doctor's advice.
feedback: Email us to tell us what you think.
"""


def leaflet(folder: Path, body: str, *, lid: str = "limits", title: str = "Test", extra: str = "") -> Path:
    """A leaflet file with everything the build's checks require, and ``body`` (its sections)."""
    path = folder / f"{lid}.yaml"
    path.write_text(HEAD.format(id=lid, title=title) + extra + body, encoding="utf-8")
    return path


def runs(pdf: bytes, page: int = 0) -> list[tuple[str, str]]:
    """(font name without subset prefix, text) of every text run drawn on a page."""
    out: list[tuple[str, str]] = []

    def visit(text, cm, tm, font, size):
        if text.strip() and font:
            out.append((str(font.get("/BaseFont", "")).split("+")[-1], text.strip()))

    pypdf.PdfReader(io.BytesIO(pdf)).pages[page].extract_text(visitor_text=visit)
    return out


# --- item 12: bold in Greek, Cyrillic and Vietnamese --------------------------------------


def test_bold_stays_bold_in_greek_cyrillic_and_vietnamese(tmp_path):
    path = leaflet(
        tmp_path,
        """\
sections:
  - heading: Τι είναι η οστεοπόρωση;
    blocks:
      - paragraph: "Η **Οστεοπόρωση** είναι πάθηση. Το **Остеопороз** και **Loãng xương** επίσης."
""",
    )
    drawn = runs(render(load_leaflet(path), style()))
    greek_heading = [f for f, t in drawn if t in ("Τι", "η", "οστεο")]  # the heading's words
    assert greek_heading and all(f == "NotoSans-Bold" for f in greek_heading), drawn
    # inside **bold**: the fallback's letters bold, like the main font's
    assert ("NotoSans-Bold", "Остеопороз") in drawn
    assert ("NotoSans-Bold", "Οστεο") in drawn
    # and regular text stays regular
    assert ("NotoSans-Regular", "πάθηση") in drawn or ("NotoSans-Regular", "άθηση") in drawn


def test_a_variable_font_given_as_the_bold_file_gives_bold(tmp_path):
    import fontpkg

    variable = next(f.path for f in fontpkg.family("Noto Sans").files if f.style == "normal")
    brand = tmp_path / "brand.yaml"
    brand.write_text(
        f"extends: default\nfonts: {{regular: '{variable}', bold: '{variable}', fallback: []}}\n",
        encoding="utf-8",
    )
    from leafwright.style import resolve_style

    st = resolve_style(str(brand), [ROOT / "styles"])
    path = leaflet(
        tmp_path,
        "sections:\n  - heading: Heading\n    blocks:\n      - paragraph: Plain and **bold** words.\n",
    )
    drawn = runs(render(load_leaflet(path), st))
    assert ("NotoSans-Bold", "Heading") in drawn
    assert ("NotoSans-Bold", "bold") in drawn
    assert any(f == "NotoSans-Regular" and "Plain" in t for f, t in drawn)


# --- pictures and logos larger than the page (items 8 and 14) --------------------------------


def _png(path: Path, size: tuple[int, int], mode: str = "L", colour=128) -> Path:
    from PIL import Image

    Image.new(mode, size, colour).save(path)
    return path


def figure_boxes(pdf: bytes) -> list[list[float]]:
    """The /BBox of every Figure in the structure tree, in reading order."""
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    out: list[list[float]] = []

    def walk(node):
        node = node.get_object()
        if node.get("/S") == "/Figure":
            out.append([float(v) for v in node["/A"]["/BBox"]])
        kids = node.get("/K")
        if kids is None:
            return
        for k in kids if isinstance(kids, list) else [kids]:
            k = k.get_object()
            if isinstance(k, dict):
                walk(k)

    walk(reader.trailer["/Root"]["/StructTreeRoot"])
    return out


def test_a_16_bit_greyscale_png_prints_its_picture(tmp_path):
    from PIL import Image

    im = Image.new("I;16", (256, 64))
    im.putdata([x * 257 for _ in range(64) for x in range(256)])  # black to white, left to right
    im.save(tmp_path / "grey16.png")
    path = leaflet(
        tmp_path,
        "sections:\n  - heading: Grey\n    blocks:\n"
        "      - image: {file: grey16.png, alt: A grey gradient, width: 80}\n",
    )
    pdf = render(load_leaflet(path), style())
    [picture] = pypdf.PdfReader(io.BytesIO(pdf)).pages[0].images
    grey = picture.image.convert("L")
    row = [grey.getpixel((x, grey.height // 2)) for x in range(0, grey.width, grey.width // 8)]
    # a gradient, as in the file (it printed all white past the first few columns)
    assert row == sorted(row) and row[0] < 20 and 100 < row[4] < 160 and row[-1] > 200, row


@pytest.mark.parametrize("variant", ["standard", "large-print", "booklet"])
def test_a_picture_taller_than_the_page_is_scaled_to_fit(tmp_path, variant):
    _png(tmp_path / "tall.png", (1000, 4000))
    path = leaflet(
        tmp_path,
        "sections:\n  - heading: Tall\n    blocks:\n"
        "      - image: {file: tall.png, alt: A tall picture, caption: A caption under it}\n",
    )
    st = style(variant=variant)
    done = render_document(load_leaflet(path), st)
    reader = pypdf.PdfReader(io.BytesIO(done.pdf))
    [(x0, y0, x1, y1)] = figure_boxes(done.pdf)
    top, _, bottom, _ = st.margins
    assert y1 - y0 < st.page_height - top - bottom and y0 >= bottom - 0.01
    assert x1 - x0 <= st.frame_width + 0.01
    # the heading shares the picture's page, and so does the caption
    for page in reader.pages:
        if page.images:
            text = page.extract_text()
            assert "Tall" in text and "A caption under it" in text


def test_a_wide_banner_logo_is_scaled_into_the_title_band(tmp_path):
    _png(tmp_path / "banner.png", (2400, 150), "RGB", (30, 30, 160))
    brand = tmp_path / "brand.yaml"
    brand.write_text("extends: default\nlogo: banner.png\nlogo_alt: Example Charity\n", encoding="utf-8")
    from leafwright.style import resolve_style

    path = leaflet(tmp_path, "sections:\n  - heading: One\n    blocks:\n      - paragraph: Text.\n")
    for variant in ("standard", "booklet"):
        st = resolve_style(str(brand), [ROOT / "styles"], variant=variant)
        pdf = render(load_leaflet(path), st)
        logo = figure_boxes(pdf)[0]
        assert logo[2] - logo[0] <= 0.4 * st.frame_width + 0.01
        assert logo[2] <= st.page_width - st.margins[1] + 0.01  # inside the page, not off it
        assert "Test" in pypdf.PdfReader(io.BytesIO(pdf)).pages[0].extract_text()


def test_a_long_title_and_subtitle_fit_the_booklet_page_with_the_title_in_the_footer(tmp_path):
    """heather (a logo beside the title) on A5, its footer repeating a four-line title."""
    brand = tmp_path / "brand.yaml"
    brand.write_text(
        f"extends: {ROOT / 'styles' / 'heather.yaml'}\n"
        'footer: {text: "{title} · Version {version} · Review by {review_by}"}\n',
        encoding="utf-8",
    )
    from leafwright.style import resolve_style

    title = (
        "Bisphosphonates, denosumab and other medicines used to treat osteoporosis and secondary "
        "bone cancer: what you need to know before, during and after your treatment course"
    )
    path = leaflet(
        tmp_path,
        "subtitle: A guide for patients, families and carers about how these medicines work, how they "
        "are given, their side effects including osteonecrosis of the jaw and atypical fractures, and "
        "how to look after your teeth and bones\n"
        "sections:\n  - heading: One\n    blocks:\n      - paragraph: Text.\n",
        title=f'"{title}"',
    )
    st = resolve_style(str(brand), [ROOT / "styles"], variant="booklet")
    pdf = render(load_leaflet(path), st)
    first = " ".join(pypdf.PdfReader(io.BytesIO(pdf)).pages[0].extract_text().split())
    assert title in first and "how to look after your teeth and bones" in first


# --- table rows taller than a page (item 8) ---------------------------------------------------

WORDS = " ".join(f"word{i}" for i in range(110))


@pytest.mark.parametrize("variant", ["large-print", "booklet"])
@pytest.mark.parametrize("columns", [2, 6])  # a grid, and one stacked for its narrow columns
def test_a_table_cell_of_110_words_breaks_across_pages(tmp_path, variant, columns):
    header = ", ".join(f"Column{c}" for c in range(columns))
    cells = ", ".join(["short"] * (columns - 1) + [f'"{WORDS}"'])
    path = leaflet(
        tmp_path,
        f"sections:\n  - heading: Doses\n    blocks:\n"
        f"      - table: {{header: [{header}], rows: [[{cells}], [{', '.join(['end'] * columns)}]]}}\n",
    )
    pdf = render(load_leaflet(path), style(variant=variant))
    text = " ".join(" ".join(p.extract_text().split()) for p in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    for i in (0, 55, 109):
        assert f"word{i}" in text


# --- pages that must not go empty, captions that must not wander (item 14) --------------------


def test_a_long_block_after_a_heading_starts_on_the_same_page(tmp_path):
    filler = " ".join(["Some words in a paragraph that fills part of the first page."] * 12)
    long = " ".join(["A long answer that runs on for much longer than one page can hold."] * 60)
    path = leaflet(
        tmp_path,
        f"sections:\n  - heading: First\n    blocks:\n      - paragraph: {filler}\n"
        f"  - heading: Second heading\n    blocks:\n      - paragraph: {long}\n",
    )
    pages = pypdf.PdfReader(io.BytesIO(render(load_leaflet(path), style()))).pages
    first = pages[0].extract_text()
    # the heading and the start of its paragraph fill page 1 instead of both moving on
    assert "Second heading" in first
    assert "A long answer" in first.split("Second heading", 1)[1]


def test_a_large_print_caption_stays_with_its_picture(tmp_path):
    for n in (1, 2, 3):
        # nearly a page tall each, and distinct (each its own XObject)
        _png(tmp_path / f"p{n}.png", (600, 1170), colour=60 * n)
    blocks = "".join(
        f"      - image: {{file: p{n}.png, alt: Picture {n}, width: 120, caption: Caption number {n}}}\n"
        for n in (1, 2, 3)
    )
    path = leaflet(
        tmp_path,
        "sections:\n  - heading: Pictures\n    blocks:\n"
        "      - paragraph: A few lines of text before the pictures begin, to push them down.\n" + blocks,
    )
    pages = pypdf.PdfReader(io.BytesIO(render(load_leaflet(path), style(variant="large-print")))).pages
    for page in pages:
        text = page.extract_text()
        captions = sum(f"Caption number {n}" in text for n in (1, 2, 3))
        assert captions == len(page.images), (captions, len(page.images), text[:200])


# --- dates and versions never break (item 7) ---------------------------------------------------


def test_the_footer_never_splits_a_date_or_a_version(tmp_path):
    """The footer wraps at many places as the organisation's name grows; never inside a date."""
    import re

    st = style(variant="booklet")
    cut_end = re.compile(
        r"((^|[^\d.])\d{1,2}|\d{1,2} (January|March)|Version)$"
    )  # a date or version cut here...
    cut_start = re.compile(r"^((January|March) )?\d{4}\b|^\d\.\d")  # ...or carried on here
    wrapped = 0
    for n in range(0, 40, 3):
        org = "Charity " + "x" * n
        path = tmp_path / f"f{n}.yaml"
        path.write_text(
            HEAD.format(id=f"f{n}", title="Test").replace("Example Charity", org)
            + "sections:\n  - heading: One\n    blocks:\n      - paragraph: Text.\n",
            encoding="utf-8",
        )
        pdf = render(load_leaflet(path), st)
        lines = [ln.strip() for ln in pypdf.PdfReader(io.BytesIO(pdf)).pages[0].extract_text().splitlines()]
        lines = [ln for ln in lines if not ln.isdigit()]  # the page count, drawn on its own
        footer = [ln for ln in lines if org in ln] + [ln for ln in lines if ln.startswith("by ")]
        wrapped += len(footer) > 1
        for ln in lines:
            assert not cut_end.search(ln) and not cut_start.search(ln), ln
    assert wrapped  # the footer did wrap, at some of the places tried


# --- a build whose output fails our own PDF/UA check says so (item 11) ----------------------


def test_build_fails_when_an_output_fails_the_pdfua_check(tmp_path, monkeypatch):
    """A real PDF/UA failure (the tagging canvas swapped for the plain one: no structure
    tree) must fail the build -- not '1 built, 0 failed' with only the manifest knowing."""
    import json

    from click.testing import CliRunner

    import leafwright.render as render_module
    from leafwright.cli import main
    from leafwright.tag import PlainCanvas

    monkeypatch.setattr(render_module, "TaggingCanvas", PlainCanvas)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "leaflets").mkdir()
    leaflet(tmp_path / "leaflets", "sections:\n  - heading: One\n    blocks:\n      - paragraph: Text.\n")
    args = ["build", "leaflets", "--style", str(ROOT / "styles" / "default.yaml"), "--jobs", "1"]
    for attempt in ("first build", "second build, nothing changed"):
        r = CliRunner().invoke(main, args)
        assert r.exit_code == 1, (attempt, r.output)
        assert "limits.pdf fails the PDF/UA-1 check (PDFUA1-" in r.output, attempt
        assert "0 built, 1 failed" in r.output, attempt
        assert not (tmp_path / "out" / "limits.pdf").exists(), "a failed PDF is not written"
    manifest = tmp_path / "out" / "manifest.json"
    assert not manifest.exists() or json.loads(manifest.read_text()).get("outputs") == []  # none built


# --- booklets too long to stitch (item 14) ------------------------------------------------------


def test_a_booklet_too_long_to_stitch_is_refused_not_imposed_without_a_word():
    from pypdf import PdfWriter

    from leafwright.errors import LeafwrightError
    from leafwright.post import MAX_IMPOSED_PAGES, impose_booklet

    w = PdfWriter()
    for _ in range(MAX_IMPOSED_PAGES + 1):
        w.add_blank_page(420, 595)
    buf = io.BytesIO()
    w.write(buf)
    with pytest.raises(LeafwrightError, match=r"cannot impose a booklet of 1001 pages"):
        impose_booklet(buf.getvalue())


def test_a_booklet_over_the_stitching_limit_builds_with_a_warning(tmp_path, monkeypatch):
    import leafwright.post
    from leafwright.variants import build_variant

    monkeypatch.setattr(leafwright.post, "SADDLE_STITCH_PAGES", 4)  # 64 in use: a quicker test
    para = " ".join(["Words in a long paragraph that fills page after page of the booklet."] * 40)
    blocks = "".join(f"      - paragraph: {para}\n" for _ in range(3))
    path = leaflet(tmp_path, "sections:\n  - heading: Long\n    blocks:\n" + blocks)
    built = build_variant(load_leaflet(path), style(variant="booklet"), "booklet")
    assert built.pages > 4
    [warning] = [w for w in built.warnings if "saddle-stitched" in w.message]
    assert warning.severity == "warning" and f"has {built.pages} pages" in warning.message
    assert len(built.files) == 2  # still imposed: the printer decides


# --- long web addresses (item 9) ----------------------------------------------------------------

URL = (
    "https://www.example.org/health/conditions/osteoporosis/treatments/bisphosphonates-and-other-"
    "medicines/patient-information-leaflet?version=3&lang=en-GB&format=large-print-edition"
)
URL_BODY = f"""\
sections:
  - heading: Links
    blocks:
      - paragraph: "Read {URL} today."
      - paragraph: "Or [{URL}](https://www.example.org/x) here."
      - bullets: ["A bullet {URL} end."]
      - callout: {{kind: info, title: Web, text: "See {URL} end."}}
      - table: {{header: [A, B, C, D, E, F], rows: [[a, b, c, d, e, "{URL}"]]}}
"""


@pytest.mark.parametrize("variant", ["standard", "large-print", "booklet"])
def test_long_web_addresses_wrap_inside_the_column_at_sensible_points(tmp_path, variant):
    import pypdfium2

    from leafwright.pdfread import inspect_pdf

    st = style(variant=variant)
    pdf = render(load_leaflet(leaflet(tmp_path, URL_BODY)), st)
    doc = pypdfium2.PdfDocument(pdf)
    right = st.page_width - st.margins[1] + 1.0
    drawn = ""
    for i in range(len(doc)):
        text = doc[i].get_textpage()
        for c in range(text.count_chars()):
            ch = text.get_text_range(c, 1)
            if not ch.isspace():  # (the space kept at a line's end for screen readers may stick out)
                assert text.get_charbox(c)[2] <= right, f"page {i + 1}: '{ch}' off the column"
        drawn += text.get_text_range()
    # (pdfium reports a line ending in a hyphen as U+FFFE and joins the next line to it)
    lines = [ln.strip() for ln in drawn.replace("\r", "").replace("\ufffe", "-\n").split("\n")]
    # drawn whole, five times (line breaks aside): nothing added to it, nothing lost
    assert "".join(lines).count(URL) == 5
    for ln in lines:  # each piece of it ends after '/', '?', '&' or '-', never inside 'https'
        if ln and not ln.isdigit() and ln in URL and not URL.endswith(ln):
            assert ln[-1] in "/?&-", ln
        assert not ln.endswith(("htt", "http", "https", "https:", "https:/"))
    # an address begun after a few words starts on their line, not below them
    for lead in ("A bullet", "See"):
        [line] = [ln for ln in lines if ln.lstrip("• ").startswith(lead + " ")]
        assert "https://" in line, line
    # and a screen reader hears the exact address
    tree = inspect_pdf(pdf).tree
    assert tree.text().replace("\xa0", " ").count(URL) == 5


def test_address_pieces_prefer_slashes_and_fall_back_to_any_letter():
    from leafwright.layout import address_pieces

    st = style()
    font, size = st.fonts.regular, 14
    from reportlab.pdfbase.pdfmetrics import stringWidth

    room = stringWidth("https://www.example.org/abc", font, size)
    pieces = address_pieces("https://www.example.org/abcdefghijklmnopqrstuvwxyz/x?y=1&z=2", font, size, room)
    assert "".join(pieces) == "https://www.example.org/abcdefghijklmnopqrstuvwxyz/x?y=1&z=2"
    assert pieces[0] == "https://www.example.org/"
    assert all(stringWidth(p, font, size) <= room for p in pieces)
    # a room narrower than the scheme: cut anywhere, but still every letter kept
    tiny = address_pieces("https://example.org", font, size, stringWidth("htt", font, size))
    assert "".join(tiny) == "https://example.org"
    # the rest of a partly filled line: filled up to a mark that fits, or left alone
    rest = address_pieces(
        "https://www.example.org/abcdefghijklmnopqrstuvwxyz/x", font, size, room, first=room / 2
    )
    assert rest[0].startswith("https://") and stringWidth(rest[0], font, size) <= room / 2
    assert "".join(rest) == "https://www.example.org/abcdefghijklmnopqrstuvwxyz/x"
    none = address_pieces("https://www.example.org/abcdefghijklmnopqrstuvwxyz", font, size, room, first=4.0)
    assert none[0] == "https://www.example.org/"  # too little room left: starts on a new line


# --- headings H4, H5 and H6 look different (item 14) ---------------------------------------------


def test_headings_four_to_six_each_look_different_and_stay_clear_print(tmp_path):
    from leafwright.layout import layout_leaflet

    def nest(level: int) -> str:
        pad = "  " * (level - 2)
        inner = f"\n{pad}    sections:\n{nest(level + 1)}" if level < 6 else ""
        return f"{pad}  - heading: Level {level}\n{pad}    blocks:\n{pad}      - paragraph: Text.{inner}"

    path = leaflet(tmp_path, "sections:\n" + nest(2) + "\n")
    for variant in ("standard", "large-print"):
        st = style(variant=variant)
        flow = layout_leaflet(load_leaflet(path).leaflet, st).flowables
        looks = {}
        for f in flow:
            role = getattr(getattr(f, "lw_elem", None), "role", "")
            if role in ("H3", "H4", "H5", "H6"):
                looks[role] = (f.style.fontName, f.style.fontSize, f.style.textColor.hexval())
        assert len(set(looks.values())) == 4, looks  # H3 to H6: four different looks
        sizes = [looks[h][1] for h in ("H3", "H4", "H5", "H6")]
        assert sizes == sorted(sizes, reverse=True) and min(sizes) >= st.type.body
        assert all(font == st.fonts.bold for font, _, _ in looks.values())  # bold, never italic


# --- check flags what build would otherwise surprise the user with (item 14) ---------------------


def test_check_flags_a_too_tall_picture_and_an_address_wider_than_a_line(tmp_path):
    from leafwright.checks import check_source

    _png(tmp_path / "tall.png", (1000, 4000))
    path = leaflet(
        tmp_path,
        "sections:\n  - heading: Tall\n    blocks:\n"
        "      - image: {file: tall.png, alt: A tall picture}\n"
        f'      - paragraph: "Read {URL} today."\n'
        "      - paragraph: Read [our leaflet](https://www.example.org/a/very/long/address/indeed) today.\n",
    )
    lines = path.read_text(encoding="utf-8").splitlines()
    image, written, linked = (
        next(i for i, ln in enumerate(lines, 1) if key in ln) for key in ("tall.png", URL, "[our")
    )
    found = {(d.code, d.line) for d in check_source(load_leaflet(path), style())}
    assert ("LW305", image) in found
    assert ("LW407", written) in found  # the address written out
    assert ("LW407", linked) not in found  # link text: fine


def test_a_static_fallback_file_without_bold_is_a_warning_and_a_family_is_not(tmp_path):
    import fontpkg

    from leafwright.checks import check_source
    from leafwright.style import resolve_style

    static = next(f.path for f in fontpkg.family("Atkinson Hyperlegible").files if f.weight == 400)
    path = leaflet(tmp_path, "sections:\n  - heading: One\n    blocks:\n      - paragraph: Text.\n")
    for fallback, warned in ((f"['{static}']", True), ("[Noto Sans]", False)):
        brand = tmp_path / "brand.yaml"
        brand.write_text(f"extends: default\nfonts: {{fallback: {fallback}}}\n", encoding="utf-8")
        found = check_source(load_leaflet(path), resolve_style(str(brand), [ROOT / "styles"]))
        assert any(d.code == "LW209" for d in found) is warned, fallback


def test_a_variable_bold_file_whose_weight_cannot_reach_bold_is_a_clear_style_error(tmp_path):
    import struct

    import fontpkg

    from leafwright.errors import StyleError
    from leafwright.style import resolve_style

    variable = next(f.path for f in fontpkg.family("Noto Sans").files if f.style == "normal")
    data = bytearray(Path(variable).read_bytes())
    # a light family, its heaviest medium: the wght axis's maximum (OpenType 'fvar' axis
    # record: tag, min, default, max as 16.16 fixed) patched from 900 to 500
    count = struct.unpack(">H", data[4:6])[0]
    records = [data[12 + 16 * i : 28 + 16 * i] for i in range(count)]
    fvar = next(struct.unpack(">I", r[8:12])[0] for r in records if r[:4] == b"fvar")
    first, n_axes, size = struct.unpack(">HxxHH", data[fvar + 4 : fvar + 12])
    for i in range(n_axes):
        at = fvar + first + i * size
        if data[at : at + 4] == b"wght":
            data[at + 12 : at + 16] = struct.pack(">i", 500 << 16)
    thin = tmp_path / "Light[wght].ttf"
    thin.write_bytes(bytes(data))
    brand = tmp_path / "brand.yaml"
    brand.write_text(
        f"extends: default\nfonts: {{regular: '{variable}', bold: '{thin}'}}\n", encoding="utf-8"
    )
    with pytest.raises(StyleError) as err:
        resolve_style(str(brand), [ROOT / "styles"])
    message = err.value.format()
    assert "fonts.bold Light[wght].ttf is a variable font whose weight axis does not reach bold" in message
    assert "give a static bold font file" in message
