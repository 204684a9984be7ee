"""The canary: every private part of ReportLab and pypdf that leafwright relies on.

All of them are reached through ``leafwright.reportlab_internals`` and
``leafwright.pypdf_internals``. Each test here uses one of them on the installed
library and says what moved when it fails: read this file first after upgrading
ReportLab or pypdf.
"""

from __future__ import annotations

import datetime as _dt
import io
import re
from pathlib import Path

import reportlab
from pypdf import PdfReader, PdfWriter
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import ttfonts
from reportlab.pdfbase.pdfdoc import PDFDictionary, PDFName, PDFString
from reportlab.pdfbase.pdfmetrics import getFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Table

from conftest import style
from leafwright import pypdf_internals
from leafwright import reportlab_internals as rl
from leafwright.fonts import _to_unicode_cmap


def test_reportlab_is_a_tested_version() -> None:
    version = ".".join(reportlab.Version.split(".")[:2])
    assert version in rl.TESTED, (
        f"ReportLab {reportlab.Version} is not a version leafwright's internals were checked "
        f"against ({', '.join(rl.TESTED)}): run this file, fix reportlab_internals.py, add it to TESTED"
    )


def _canvas() -> tuple[Canvas, io.BytesIO]:
    buf = io.BytesIO()
    return Canvas(buf, pagesize=A4, invariant=1), buf


def test_operators_are_appended_to_the_content_stream() -> None:
    canv, buf = _canvas()
    assert not rl.has_content(canv)
    rl.emit(canv, "/Artifact BMC")
    rl.emit(canv, "EMC")
    assert rl.operators(canv)[-2:] == ["/Artifact BMC", "EMC"] and rl.has_content(canv)
    canv.showPage()
    canv.save()
    assert b"/Artifact BMC" in PdfReader(buf).pages[0].get_contents().get_data()


def test_a_marked_text_object_is_a_text_object_with_an_operator_list() -> None:
    canv, _ = _canvas()
    tx = rl.MarkedText(canv, 10, 20, elem="P")
    rl.text_out(tx, "hello")
    assert tx.elem == "P" and not tx.open and any("Tj" in op for op in rl.operators(tx))


def test_text_out_shows_text_in_the_subset_of_a_truetype_font() -> None:
    from leafwright.style import resolve_style

    font = resolve_style("default").fonts.regular
    canv, buf = _canvas()
    tx = canv.beginText(10, 20)
    tx.setFont(font, 12)
    rl.text_out(tx, "hello")
    canv.drawText(tx)
    canv.showPage()
    canv.save()
    data = PdfReader(buf).pages[0].get_contents().get_data()
    assert b"+0 12 Tf" in data and b"Tj" in data  # a subset font selected, text shown


def test_page_size_is_the_media_being_drawn() -> None:
    canv, _ = _canvas()
    canv.setPageSize((300, 400))
    assert rl.page_size(canv) == (300, 400)


def test_current_matrix_follows_translation() -> None:
    canv, _ = _canvas()
    canv.translate(12, 34)
    assert rl.current_matrix(canv)[4:] == (12, 34)


def test_frame_state_is_read_from_the_doc_template() -> None:
    from reportlab.platypus import Frame, PageTemplate
    from reportlab.platypus.doctemplate import BaseDocTemplate

    seen = []

    class Probe(Table):
        def draw(self):
            seen.append(rl.frame_state(self.canv))
            super().draw()

    doc = BaseDocTemplate(io.BytesIO(), pagesize=A4)
    doc.addPageTemplates([PageTemplate(frames=[Frame(0, 0, 300, 400, id="f")])])
    doc.build([Probe([["x"]]), Probe([["y"]])])
    assert seen == [(400, True), (400, False)]  # the frame's height; only the first is at its top


def test_artifact_fills_table_overrides_reportlabs_drawing_steps() -> None:
    assert callable(getattr(Table, "_drawBkgrnd", None)) and callable(getattr(Table, "_drawLines", None))
    t = rl.ArtifactFillsTable([["a"], ["b"]])
    assert t.wrapped_height() == 0
    t.wrap(200, 200)
    assert t.wrapped_height() > 0


def test_pages_annotations_objects_and_catalog() -> None:
    canv, buf = _canvas()
    canv.drawString(10, 10, "x")
    ann = PDFDictionary({"Type": PDFName("Annot"), "Subtype": PDFName("Link")})
    ann["Rect"] = rl.abs_rect(canv, (0, 0, 10, 10), 1)
    ref = rl.add_annotation(canv, ann, "lwprobe")
    assert ref is not None
    rl.add_annotation(canv, PDFDictionary({"Type": PDFName("Annot"), "Subtype": PDFName("Text")}))
    canv.showPage()
    rl.set_page_entries(rl.last_page(canv), StructParents=7, Tabs=PDFName("S"))
    rl.add_object(canv, PDFDictionary({"Probe": PDFString("yes")}), "lwProbe")
    rl.catalog(canv).Lang = PDFString("en-GB")
    rl.set_pdf_version(canv, (1, 7))
    rl.stamp_date(canv, _dt.date(2024, 2, 29))
    rl.save(canv)
    data = buf.getvalue()
    assert data.startswith(b"%PDF-1.7")
    reader = PdfReader(io.BytesIO(data))
    page = reader.pages[0]
    assert page["/StructParents"] == 7 and page["/Tabs"] == "/S" and len(page["/Annots"]) == 2
    assert reader.trailer["/Root"]["/Lang"] == "en-GB"
    assert b"(yes)" in data and b"D:20240229" in data


def test_raw_objects_and_the_xmp_stream_format() -> None:
    canv, buf = _canvas()
    canv.drawString(10, 10, "x")
    canv.showPage()
    other = rl.add_object(canv, PDFDictionary({"A": 1}), "lwOther")
    rl.add_object(canv, rl.RawObject([b"<< /Probe ", other, b" /N ", PDFName("X"), b" >>"]), "lwRaw")
    rl.catalog(canv).Metadata = rl.XMPStream("<x:xmpmeta/>")
    canv.save()
    data = buf.getvalue()
    assert re.search(rb"<< /Probe \d+ 0 R /N /X >>", data)
    assert b"<x:xmpmeta/>" in data  # uncompressed


def test_our_to_unicode_cmap_is_the_one_reportlab_writes() -> None:
    style("default")  # registers the fonts, and with them the CMap
    assert ttfonts.makeToUnicodeCMap is _to_unicode_cmap
    from conftest import LEAFLETS
    from leafwright.render import load_leaflet, render

    pdf = render(load_leaflet(LEAFLETS[0]), style("default"))
    reader = PdfReader(io.BytesIO(pdf))
    fonts = reader.pages[0]["/Resources"]["/Font"]
    cmaps = [f.get_object()["/ToUnicode"].get_object().get_data() for f in fonts.values()]
    assert cmaps and all(b"<0000>" not in c for c in cmaps)  # ReportLab's own maps code 0 to U+0000


def test_joined_text_shows_neighbouring_pieces_in_one_tj_array() -> None:
    """JoinedText runs pieces in one subset at one rise into one TJ array, their strings
    into one string; a new subset or rise closes it, and end() sets the rise back."""
    from leafwright.fonts import ensure_registered

    font = style("default").fonts.regular
    ensure_registered(font)
    canv, _ = _canvas()
    tx = canv.beginText(10, 20)
    tx.setFont(font, 12)
    ab, space, cd, empty = (rl.text_shown(tx, t) for t in ("a(b", " ", "cd", ""))
    assert ab is not None and space is not None and cd is not None and empty is not None
    out = rl.JoinedText(tx)
    out.show([empty, ab, space, cd])  # (an empty piece draws nothing, not an empty array)
    out.flush()
    subset, _, _, items, opened, between, last_subset, _, last_items, closes = ab
    raised = (subset, 2.5, "2.5 Ts", items, opened, between, last_subset, 2.5, last_items, closes)
    out.show([ab, raised, cd, raised])
    out.end()
    code = [op for op in rl.operators(tx) if "Tf" not in op and "Tm" not in op and op != "BT"]
    assert code == [
        "[(a\\(b cd)] TJ",
        "[(a\\(b)] TJ 2.5 Ts [(a\\(b)] TJ 0 Ts [(cd)] TJ 2.5 Ts [(a\\(b)] TJ",
        "0 Ts",
    ], code


def test_shaped_glyphs_are_drawn_through_the_subset_with_private_codes_and_their_text() -> None:
    """shaped_shown gives the TJ items for glyphs given by code (font_cmap, add_glyph_code),
    JoinedText writes them, and the ToUnicode CMap gives a private-use code the text
    glyph_names says it stands for."""
    from leafwright.style import resolve_style
    from leafwright.text.shape import GLYPH_BASE, glyph_codes, shape

    fonts = resolve_style("default").fonts
    font = fonts.script_font("Arab")
    assert font is not None
    from leafwright.fonts import ensure_registered

    ensure_registered(font)
    assert rl.font_file_bytes(font)[:4] in (b"\x00\x01\x00\x00", b"true")
    word = "\u0643\u0644\u0627\u0645"  # kalam: joining forms, lam-alef
    shaped = shape(word, font, True)
    names: dict = {}
    codes = glyph_codes(word, font, True, None, names)
    assert len(codes) == len(shaped.glyphs) and any(ord(c) >= GLYPH_BASE for c in codes)
    assert all(rl.font_cmap(font)[ord(c)] == g.gid for c, g in zip(codes, shaped.glyphs))
    canv, buf = _canvas()
    tx = canv.beginText(10, 20)
    tx.setFont(font, 12)
    out = rl.JoinedText(tx)
    shown = rl.shaped_shown(tx, font, codes, shaped, (word, font, True, None))
    space = rl.text_shown(tx, " ")
    assert space is not None
    out.show([shown, space, shown])
    out.end()
    canv.drawText(tx)
    canv.showPage()
    with rl.glyph_names(names):
        assert rl.glyph_text("ABCDEF+" + getFont(font).face.name.decode(), next(iter(names))[1]) in word
        canv.save()
    reader = PdfReader(buf)
    assert b"TJ" in reader.pages[0].get_contents().get_data()
    fonts = [f.get_object() for f in reader.pages[0]["/Resources"]["/Font"].values()]
    (arabic,) = [f for f in fonts if "NotoSansArabic" in str(f["/BaseFont"])]
    cmap = arabic["/ToUnicode"].get_data()
    assert "\u0645".encode("utf-16-be").hex().upper().encode() in cmap  # meem, its own glyph
    for (_f, _code), text in names.items():  # each private code maps to letters of the word
        assert text.encode("utf-16-be").hex().upper().encode() in cmap


def _font_draws(font: ttfonts.TTFont) -> bytes:
    """A page of text in one font: its subset, widths and names as written."""
    from reportlab.pdfbase import pdfmetrics

    pdfmetrics.registerFont(font)
    buf = io.BytesIO()
    canv = Canvas(buf, invariant=1)
    canv.setFont(font.fontName, 12)
    canv.drawString(72, 700, "Bisphosphonates: ősteogenesis imperfecta – 100% (£5)")
    canv.showPage()
    canv.save()
    return buf.getvalue()


def test_a_font_rebuilt_from_its_face_state_is_the_font_reportlab_parses(tmp_path) -> None:
    import fontpkg
    from fontTools.ttLib import TTFont

    atkinson = next(f.path for f in fontpkg.family("Atkinson Hyperlegible").files if f.style == "normal")
    noto = next(f.path for f in fontpkg.family("Noto Sans").files if f.style == "normal")
    # a font of 2048 units to the em (as DejaVu's), for ReportLab's scaled metrics
    scaled = TTFont(str(atkinson))
    scaled["head"].unitsPerEm = 2048
    scaled.save(str(tmp_path / "scaled.ttf"))
    for i, (path, upm) in enumerate(((atkinson, 1000), (noto, 1000), (tmp_path / "scaled.ttf", 2048))):
        fresh = ttfonts.TTFont(f"Fresh{i}", str(path), asciiReadable=1)
        state = rl.face_state(fresh)
        kept = rl.font_from_state(f"Kept{i}", str(path), Path(path).read_bytes(), marshal_roundtrip(state), 1)
        # the font object: the same attributes as TTFont.__init__ sets
        assert set(vars(kept)) == set(vars(fresh)), "TTFont.__init__ sets other attributes now"
        assert kept.shapable == fresh.shapable and kept._asciiReadable == fresh._asciiReadable
        # its face: every attribute equal, the scale function giving the same numbers
        face, want = vars(kept.face), vars(fresh.face)
        assert set(face) == set(want), "TTFontFace stores other attributes now"
        for key, value in want.items():
            if key == "_pdfScale":
                assert [face[key](v) for v in (0, 1, 333, -77)] == [value(v) for v in (0, 1, 333, -77)]
            else:
                assert face[key] == value, key
                assert type(face[key]) is type(value), key
        # and drawn the same (apart from the font's name, which differs here on purpose)
        a = _font_draws(fresh).replace(b"Fresh", b"Font")
        b = _font_draws(kept).replace(b"Kept", b"Font")
        assert a == b
        assert fresh.face.unitsPerEm == upm


def marshal_roundtrip(state: dict) -> dict:
    import marshal

    return marshal.loads(marshal.dumps(state))


def test_pypdf_is_a_tested_version() -> None:
    import pypdf

    assert pypdf.__version__.split(".")[0] in pypdf_internals.TESTED, (
        f"pypdf {pypdf.__version__} is not a version leafwright's pypdf internals were checked against"
    )


def test_pypdf_glyph_list_and_encodings() -> None:
    assert pypdf_internals.adobe_glyphs()["/Aacute"] == "\u00c1"
    assert pypdf_internals.charset_encodings()["/WinAnsiEncoding"][0x41] == "A"


def test_pypdf_file_id() -> None:
    writer = PdfWriter()
    writer.add_blank_page(100, 100)
    digest = bytes(range(200, 216))
    pypdf_internals.set_file_id(writer, digest)
    out = io.BytesIO()
    writer.write(out)
    ids = PdfReader(io.BytesIO(out.getvalue())).trailer["/ID"]
    assert [i.get_original_bytes() for i in ids] == [digest] * 2


def test_tallest_row_is_read_after_a_wrap() -> None:
    t = rl.ArtifactFillsTable([["a"], ["b\nc\nd"]])
    assert t.tallest_row() == 0
    t.wrap(200, 200)
    assert t.tallest_row() > 0 and t.tallest_row() < t.wrapped_height()


def test_the_pillow_image_behind_an_image_reader() -> None:
    from PIL import Image
    from reportlab.lib.utils import ImageReader

    buf = io.BytesIO()
    Image.new("I;16", (4, 4)).save(buf, format="PNG")
    buf.seek(0)
    assert getattr(rl.pillow_image(ImageReader(buf)), "mode", "").startswith("I")


def test_no_module_outside_the_walls_reaches_into_reportlab_or_pypdf() -> None:
    """A new use of a private part belongs in the wall modules, where this file checks it."""
    from pathlib import Path

    src = Path(rl.__file__).parent
    walls = {"reportlab_internals.py", "pypdf_internals.py"}
    private = re.compile(
        r"\bpypdf\._|from pypdf\._|makeToUnicodeCMap|\._(code|doc|currentMatrix|curr_tx_info|absRect|"
        r"addAnnotation|pagesize|doctemplate|drawBkgrnd|drawLines|timeStamp|pdfVersion|ID)\b"
    )
    found = [
        f"{p.relative_to(src)}:{n}: {line.strip()}"
        for p in sorted(src.rglob("*.py"))
        if p.name not in walls
        for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
        if private.search(line) and not line.lstrip().startswith("#")
    ]
    assert found == [], "move these into reportlab_internals.py / pypdf_internals.py"


def test_fast_format_writes_the_bytes_reportlab_writes() -> None:
    """install_fast_format: the same PDF, byte for byte, as ReportLab's own pdfdoc.format."""
    from reportlab.pdfbase import pdfdoc

    from leafwright.render import load_leaflet, render

    root = Path(__file__).resolve().parents[1]
    src, st = load_leaflet(root / "leaflets" / "oi-bisphosphonates.yaml"), style("default")
    rl.install_fast_format()
    assert getattr(pdfdoc.format, "lw_fast", False), "the fast path was not installed"
    original = pdfdoc.format.lw_original  # type: ignore[attr-defined]
    # value by value, for the kinds it takes a short cut for (and some it leaves alone)
    for value in ("/Type", "Tj", "x y", "1.5", 12, -3, 2.25, 0.0001, 1e9, b"raw", "é", "\t", "\u02d8"):
        assert pdfdoc.format(value, None) == original(value, None), value
    fast = render(src, st)
    rl.uninstall_fast_format()
    try:
        assert pdfdoc.format is original
        slow = render(src, st)
    finally:
        rl.install_fast_format()
    assert fast == slow
