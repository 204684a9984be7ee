"""Every edition of a leaflet, checked the way its reader or its printer would see it.

Large print: the size of every glyph drawn, read from the content streams (form
XObjects included). Booklet: page sizes, and the page numbers printed on each half
of each imposed sheet. Print: the page boxes, where the crop marks are, the colour
operators, and the pixels of the bleed strip in a rendered page.
"""

from __future__ import annotations

import io
import itertools
import math
import re
from functools import cache
from pathlib import Path

import page
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader
from pypdf.generic import ContentStream

from conftest import CASES, LEAFLETS, STYLE_DIR, STYLES, style
from leafwright.batch import Job, run_job, write_outputs
from leafwright.cli import main
from leafwright.errors import LeafwrightError
from leafwright.i18n import labels_for
from leafwright.post import booklet_order
from leafwright.render import BLEED, MARK_GAP, MARK_LENGTH, SLUG, load_leaflet
from leafwright.scripts import is_rtl
from leafwright.style import MM
from leafwright.variants import VARIANTS, build_variant, output_names

A4 = (210 * MM, 297 * MM)
A5 = (148 * MM, 210 * MM)
A4_LANDSCAPE = (A4[1], A4[0])
WIDE_TABLE = CASES / "variants" / "wide-table.yaml"
TOL = 0.6  # points: generators round page sizes (A5 is 419.53 or 419.5276)


@cache
def built(leaflet: Path, variant: str, style_name: str = "default") -> dict[str, bytes]:
    """{file name: PDF} for one leaflet's edition (cached: each is built once per session)."""
    src = load_leaflet(leaflet)
    out = build_variant(src, style(style_name, variant=variant), variant)
    return dict(out.files)


def pdf_of(leaflet: Path, variant: str, index: int = 0, style_name: str = "default") -> bytes:
    src_id = load_leaflet(leaflet).leaflet.id
    return built(leaflet, variant, style_name)[output_names(src_id, variant)[index]]


def reader(pdf: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(pdf))


def size(p) -> tuple[float, float]:
    return float(p.mediabox.width), float(p.mediabox.height)


def close(a: tuple[float, float], b: tuple[float, float]) -> bool:
    return abs(a[0] - b[0]) <= TOL and abs(a[1] - b[1]) <= TOL


def ua1_compliant(pdf: bytes, tmp_path: Path, name: str) -> bool:
    path = tmp_path / name
    path.write_bytes(pdf)
    return page.validate_pdf(str(path), profile="ua1").is_compliant


# --- a small content-stream interpreter ---------------------------------------------------


def _mul(a, b):
    """Matrix product a x b of PDF matrices [a b c d e f] (PDF 32000-1 §8.3.4)."""
    return [
        a[0] * b[0] + a[1] * b[2],
        a[0] * b[1] + a[1] * b[3],
        a[2] * b[0] + a[3] * b[2],
        a[2] * b[1] + a[3] * b[3],
        a[4] * b[0] + a[5] * b[2] + b[4],
        a[4] * b[1] + a[5] * b[3] + b[5],
    ]


def _apply(m, x, y):
    return m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]


def walk_stream(page_or_form, pdf_reader, visit, ctm=None, seen=(), size=None):
    """Call ``visit(op, args, state)`` for every operator, descending into form XObjects.

    ``state`` holds the current transformation matrix (``ctm``), the text matrix
    (``tm``), the font size (``size``) and the path being built (``path``, points in
    page space), enough to size glyphs and place lines.
    """
    ctm = list(ctm or [1, 0, 0, 1, 0, 0])
    if hasattr(page_or_form, "get_contents"):
        content = page_or_form.get_contents()
    else:
        content = page_or_form
    resources = page_or_form.get("/Resources") or {}
    resources = resources.get_object() if hasattr(resources, "get_object") else resources
    xobjects = resources.get("/XObject", {}) if resources else {}
    state = {
        "ctm": ctm,
        "tm": [1, 0, 0, 1, 0, 0],
        "size": size,
        "path": [],
        "stack": [],
        "marked": [],
    }  # open marked-content tags, outermost first
    for args, op in ContentStream(content, pdf_reader).operations:
        op = op.decode() if isinstance(op, bytes) else op
        vals = [float(a) if isinstance(a, (int, float)) or hasattr(a, "as_numeric") else a for a in args]
        if op == "q":  # the font size is part of the graphics state too (§8.4.1)
            state["stack"].append((list(state["ctm"]), state["size"]))
        elif op == "Q":
            state["ctm"], state["size"] = state["stack"].pop()
        elif op == "cm":
            state["ctm"] = _mul([float(v) for v in vals], state["ctm"])
        elif op == "BT":
            state["tm"] = [1, 0, 0, 1, 0, 0]
        elif op == "Tm":
            state["tm"] = [float(v) for v in vals]
        elif op == "Tf":
            state["size"] = float(vals[1])
        elif op == "m":
            state["path"].append([_apply(state["ctm"], float(vals[0]), float(vals[1]))])
        elif op == "l":
            state["path"][-1].append(_apply(state["ctm"], float(vals[0]), float(vals[1])))
        elif op in ("BDC", "BMC"):
            state["marked"].append(str(args[0]))
        elif op == "EMC":
            state["marked"].pop()
        elif op == "Do":
            xo = xobjects[args[0]].get_object()
            if xo.get("/Subtype") == "/Form" and args[0] not in seen:
                m = [float(v) for v in xo.get("/Matrix", [1, 0, 0, 1, 0, 0])]
                # a form inherits the graphics state it is drawn in (§8.10.1)
                walk_stream(xo, pdf_reader, visit, _mul(m, state["ctm"]), seen + (args[0],), state["size"])
        visit(op, args, state)
        if op in ("S", "s", "f", "f*", "F", "B", "B*", "b", "b*", "n"):
            state["path"] = []


def glyph_sizes(pdf: bytes) -> list[tuple[float, str]]:
    """(effective size in points, text) of every text-showing operator in the PDF."""
    r = reader(pdf)
    out: list[tuple[float, str]] = []

    def visit(op, args, st):
        if op not in ("Tj", "TJ", "'", '"'):
            return
        parts = args[0] if op == "TJ" else args[-1:]
        text = "".join(str(p) for p in parts if isinstance(p, (str, bytes)) or hasattr(p, "original_bytes"))
        if not text.strip():
            return
        m = _mul(st["tm"], st["ctm"])
        # the text space's vertical unit in page space (§9.4.4): font size times its length
        scale = math.hypot(m[2], m[3])
        out.append((st["size"] * scale, text))

    for p in r.pages:
        walk_stream(p, r, visit)
    return out


# --- every sample, every variant ----------------------------------------------------------


@pytest.mark.parametrize("style_name", STYLES)
@pytest.mark.parametrize("leaflet", LEAFLETS, ids=lambda p: p.stem)
def test_every_sample_builds_in_every_variant(leaflet, style_name, tmp_path):
    lid = load_leaflet(leaflet).leaflet.id
    for variant in VARIANTS:
        result = run_job(
            Job(str(leaflet), leaflet.name, str(STYLE_DIR / f"{style_name}.yaml"), variant, str(tmp_path))
        )
        assert result.ok, (variant, result.diagnostics, result.internal_error)
        write_outputs(result)  # a job renders; the coordinator writes
        names = [Path(o).name for o in result.outputs]
        assert names == output_names(lid, variant)
        for o in result.outputs:
            if o.endswith(".html"):  # the web edition (its own tests: test_web*.py)
                assert Path(o).read_bytes().startswith(b"<!DOCTYPE html>")
                continue
            assert len(reader(Path(o).read_bytes()).pages) >= 1
    # (the web edition's fonts and pictures are in folders beside it)
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_file()) == sorted(
        [
            f"{lid}.html",
            f"{lid}.pdf",
            f"{lid}.large-print.pdf",
            f"{lid}.booklet-a5.pdf",
            f"{lid}.booklet-a5.imposed.pdf",
            f"{lid}.print.pdf",
        ]
    )


@pytest.mark.parametrize("leaflet", LEAFLETS, ids=lambda p: p.stem)
def test_page_sizes_and_counts(leaflet):
    standard = reader(pdf_of(leaflet, "standard")).pages
    large = reader(pdf_of(leaflet, "large-print")).pages
    a5 = reader(pdf_of(leaflet, "booklet")).pages
    imposed = reader(pdf_of(leaflet, "booklet", 1)).pages
    press = reader(pdf_of(leaflet, "print")).pages
    assert all(close(size(p), A4) for p in standard)
    assert all(close(size(p), A4) for p in large)
    assert all(close(size(p), A5) for p in a5)
    assert all(close(size(p), A4_LANDSCAPE) for p in imposed)
    media = (A4[0] + 2 * SLUG, A4[1] + 2 * SLUG)
    assert all(close(size(p), media) for p in press)
    # same content, bigger type: never fewer pages; the press file has the standard's pages
    assert len(large) >= len(standard)
    assert len(press) == len(standard)
    # two booklet pages per sheet side, padded to a multiple of 4
    assert len(imposed) == 2 * math.ceil(len(a5) / 4)


# --- booklet ------------------------------------------------------------------------------


def _numbers_by_half(pdf: bytes, language: str = "en-GB") -> list[tuple[int | None, int | None]]:
    """(left, right) page number printed in the footer of each imposed sheet side (the
    footer's "Page N of" in the leaflet's ``language``)."""
    words = labels_for(language)("page_of", page="\0", total="").strip()
    pattern = re.escape(words).replace(re.escape("\0"), r"(\d+)")
    sides = []
    for p in reader(pdf).pages:
        mid_x = float(p.mediabox.left) + float(p.mediabox.width) / 2
        halves: dict[str, list[str]] = {"left": [], "right": []}

        def visit(text, cm, tm, font_dict, font_size, halves=halves, mid_x=mid_x):
            if text.strip():
                x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
                halves["left" if x < mid_x else "right"].append(text)

        p.extract_text(visitor_text=visit)
        side = []
        for half in ("left", "right"):
            found = re.findall(pattern, " ".join(halves[half]))
            assert len(found) <= 1, found
            side.append(int(found[0]) if found else None)
        sides.append(tuple(side))
    return sides


#: the page numbers are read back with pypdf's text extraction, which cannot read a label
#: in a shaped right-to-left script (drawn as glyphs, with /ActualText for the structure);
#: a right-to-left booklet (bound on the right) is not imposed differently yet either
LTR = [p for p in LEAFLETS if not is_rtl(load_leaflet(p).leaflet.language)]


@pytest.mark.parametrize("leaflet", LTR, ids=lambda p: p.stem)
def test_imposed_booklet_follows_saddle_stitch_order(leaflet):
    a5_pages = len(reader(pdf_of(leaflet, "booklet")).pages)
    sides = _numbers_by_half(pdf_of(leaflet, "booklet", 1), load_leaflet(leaflet).leaflet.language)
    assert (len(sides) * 2) % 4 == 0
    assert sides == booklet_order(a5_pages)
    # every reading page printed exactly once; the back cover is the outside left
    printed = [n for side in sides for n in side if n is not None]
    assert sorted(printed) == list(range(1, a5_pages + 1))
    assert sides[0] == (a5_pages, 1)


@pytest.mark.parametrize("style_name", STYLES)
def test_booklet_reading_pdf_passes_ua1(style_name, tmp_path):
    for leaflet in LEAFLETS:
        pdf = pdf_of(leaflet, "booklet", style_name=style_name)
        assert ua1_compliant(pdf, tmp_path, leaflet.stem + ".pdf"), leaflet


# --- large print --------------------------------------------------------------------------


@pytest.mark.parametrize("style_name", STYLES)
@pytest.mark.parametrize("leaflet", LEAFLETS + [WIDE_TABLE], ids=lambda p: p.stem)
def test_large_print_every_glyph_at_least_16pt(leaflet, style_name, tmp_path):
    pdf = pdf_of(leaflet, "large-print", style_name=style_name)
    sizes = glyph_sizes(pdf)
    assert sizes, "no text found"
    small = [(round(s, 2), t) for s, t in sizes if s < 16 - 1e-6]
    assert small == []
    # and nothing (page numbers, footer, captions, labels, table text) under the body size
    body = style(style_name, variant="large-print").type.body
    assert body == 18 and min(s for s, _ in sizes) == pytest.approx(body)
    # the page count ("of 9") comes from a form XObject and is counted too
    assert any(t.strip().isdigit() for _, t in sizes)
    assert ua1_compliant(pdf, tmp_path, "lp.pdf")


def test_glyph_sizes_see_small_text_in_the_standard_edition():
    # the same reading finds the standard edition's 12pt footer: the check can fail
    sizes = glyph_sizes(pdf_of(LEAFLETS[0], "standard"))
    assert min(s for s, _ in sizes) == pytest.approx(12)


def _roles(pdf: bytes) -> list[str]:
    """Structure element roles in document order."""
    r = reader(pdf)
    out: list[str] = []

    def walk(node):
        node = node.get_object()
        if isinstance(node, dict) and node.get("/Type") == "/StructElem":
            out.append(str(node["/S"]).lstrip("/"))
        kids = node.get("/K") if isinstance(node, dict) else None
        if kids is None:
            return
        kids = kids.get_object()
        for k in kids if isinstance(kids, list) else [kids]:
            k = k.get_object() if hasattr(k, "get_object") else k
            if isinstance(k, dict) and k.get("/Type") in (None, "/StructElem"):
                walk(k)

    walk(r.trailer["/Root"]["/StructTreeRoot"])
    return out


@pytest.mark.parametrize("leaflet", LEAFLETS, ids=lambda p: p.stem)
def test_large_print_keeps_content_and_reading_order(leaflet):
    std, large = pdf_of(leaflet, "standard"), pdf_of(leaflet, "large-print")
    assert _roles(large) == _roles(std)

    def words(pdf: bytes) -> set[str]:
        return set(re.findall(r"[A-Za-z]{4,}", " ".join(p.extract_text() for p in reader(pdf).pages)))

    # every word of one edition is in the other (footers included: same text, other pages)
    assert words(large) == words(std)


def test_wide_table_is_stacked_in_large_print_not_cut(tmp_path):
    std_roles = _roles(pdf_of(WIDE_TABLE, "standard"))
    large_pdf = pdf_of(WIDE_TABLE, "large-print")
    large_roles = _roles(large_pdf)
    assert "Table" in std_roles and "THead" in std_roles
    # stacked: still a Table, no header row; each body row a TR of (TH heading, TD value)
    # pairs (tests/test_announce.py checks the /Headers), the caption kept
    assert "Table" in large_roles and "THead" not in large_roles and "Caption" in large_roles
    assert large_roles.count("TR") == 3 and large_roles.count("TD") == 12
    text = " ".join(p.extract_text() for p in reader(large_pdf).pages)
    for line in (
        "Medicine: Zoledronate",
        "How it is given: Intravenously",
        "How often: Every six months",
        "Common side effects: Musculoskeletal pain",
    ):
        assert line in " ".join(text.split()), line
    assert ua1_compliant(large_pdf, tmp_path, "wide.pdf")


# --- print --------------------------------------------------------------------------------


def _box(p, name) -> list[float]:
    return [float(v) for v in p[name]]


def test_print_boxes():
    for p in reader(pdf_of(LEAFLETS[0], "print")).pages:
        media = _box(p, "/MediaBox")
        trim = _box(p, "/TrimBox")
        bleed = _box(p, "/BleedBox")
        assert trim[2] - trim[0] == pytest.approx(A4[0], abs=0.01)
        assert trim[3] - trim[1] == pytest.approx(A4[1], abs=0.01)
        for i, sign in enumerate((-1, -1, 1, 1)):
            assert bleed[i] == pytest.approx(trim[i] + sign * 3 * MM, abs=0.01)
            # room for the crop marks outside the bleed
            assert (media[i] - bleed[i]) * sign >= MARK_GAP + MARK_LENGTH - BLEED - 0.01


def _stroked_segments(pdf: bytes, page_index: int = 0):
    r = reader(pdf)
    segs = []

    def visit(op, args, st):
        if op in ("S", "s"):
            for sub in st["path"]:
                segs.extend((*seg, "/Artifact" in st["marked"]) for seg in itertools.pairwise(sub))

    walk_stream(r.pages[page_index], r, visit)
    return r.pages[page_index], segs


def test_crop_marks_sit_outside_the_bleed_on_the_trim_lines():
    p, segs = _stroked_segments(pdf_of(LEAFLETS[0], "print"))
    tx0, ty0, tx1, ty1 = _box(p, "/TrimBox")
    bx0, by0, bx1, by1 = _box(p, "/BleedBox")

    def outside(pt):
        x, y = pt
        return x < bx0 - 0.01 or x > bx1 + 0.01 or y < by0 - 0.01 or y > by1 + 0.01

    marks = [s for s in segs if outside(s[0]) or outside(s[1])]
    assert len(marks) == 8  # two per corner
    for a, b, artifact in marks:
        assert artifact  # page furniture, not content (PDF/UA: not in the structure tree)
        assert outside(a) and outside(b)  # wholly outside the bleed
        on_x = any(abs(a[0] - x) < 0.01 and abs(b[0] - x) < 0.01 for x in (tx0, tx1))
        on_y = any(abs(a[1] - y) < 0.01 and abs(b[1] - y) < 0.01 for y in (ty0, ty1))
        assert on_x or on_y  # continues a trim line


_RGB_OPS = {"rg", "RG", "g", "G", "sc", "SC"}


@pytest.mark.parametrize("style_name", STYLES)
def test_print_colours_are_all_cmyk(style_name):
    for leaflet in LEAFLETS:
        r = reader(pdf_of(leaflet, "print", style_name=style_name))
        ops: list[tuple[str, list]] = []

        def record(op, args, st, ops=ops):
            ops.append((op, args))

        for p in r.pages:
            walk_stream(p, r, record)
        bad = [(op, args) for op, args in ops if op in _RGB_OPS]
        assert bad == []
        for op, args in ops:
            if op in ("cs", "CS"):
                assert str(args[0]) == "/DeviceCMYK", args
            if op in ("scn", "SCN"):
                pytest.fail(f"colour space operator needs checking: {op} {args}")
        assert any(op == "k" for op, _ in ops) and any(op == "K" for op, _ in ops)


def test_standard_edition_is_rgb_so_the_cmyk_check_can_fail():
    r = reader(pdf_of(LEAFLETS[0], "standard"))
    ops: list[str] = []
    walk_stream(r.pages[0], r, lambda op, args, st: ops.append(op))
    assert "rg" in ops


def test_title_band_runs_into_the_bleed():
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(pdf_of(LEAFLETS[0], "print"))
    scale = 4  # 288 dpi: a millimetre is about 11 pixels
    image = pdf[0].render(scale=scale).to_pil().convert("RGB")
    px = lambda x_pt, y_from_top_pt: image.getpixel(  # noqa: E731
        (round(x_pt * scale), round(y_from_top_pt * scale))
    )
    media_w = A4[0] + 2 * SLUG
    # the band's colour as printed, inside the trim (pdfium's own CMYK to RGB)
    primary = px(media_w / 2, SLUG + 5 * MM)
    assert primary[2] > primary[0] + 40  # a blue, not white

    def near(c, ref, tol=6):
        return all(abs(a - b) <= tol for a, b in zip(c, ref))

    bleed_edge = SLUG - BLEED  # from the media's top and left edges
    # the top bleed strip, across the page, half a millimetre inside the bleed's edge
    for x in (bleed_edge + 0.5 * MM, media_w / 2, media_w - bleed_edge - 0.5 * MM):
        assert near(px(x, bleed_edge + 0.5 * MM), primary), x
    # the left bleed strip beside the band
    assert near(px(bleed_edge + 0.5 * MM, SLUG + 10 * MM), primary)
    # outside the bleed the sheet is bare
    assert near(px(media_w / 2, bleed_edge - 1 * MM), (255, 255, 255))
    assert near(px(bleed_edge - 1 * MM, SLUG + 10 * MM), (255, 255, 255))


def _style_file(tmp_path: Path, text: str) -> str:
    path = tmp_path / "brand.yaml"
    path.write_text("extends: default\n" + text, encoding="utf-8")
    return str(path)


def test_print_refuses_text_closer_than_5mm_to_the_trim(tmp_path):
    from leafwright.style import resolve_style

    name = _style_file(tmp_path, "page:\n  margins: {top: 18, right: 20, bottom: 26, left: 4}\n")
    st = resolve_style(name, [STYLE_DIR], variant="print")
    with pytest.raises(LeafwrightError) as err:
        build_variant(load_leaflet(LEAFLETS[0]), st, "print")
    (diag,) = err.value.diagnostics
    assert diag.file.endswith("brand.yaml") and diag.line == 3
    assert "page.margins.left is 4 mm" in diag.message and "5 mm" in diag.message
    # the reading editions do not care
    build_variant(load_leaflet(LEAFLETS[0]), resolve_style(name, [STYLE_DIR]), "standard")
    # the command line stops before building anything, with a usage error
    out = tmp_path / "out"
    res = CliRunner().invoke(
        main, ["build", str(LEAFLETS[0]), "--style", name, "--out", str(out), "--variant", "standard,print"]
    )
    assert res.exit_code == 2 and "brand.yaml:3" in res.output and "Traceback" not in res.output
    assert not out.exists()


def test_print_uses_the_styles_cmyk_values_and_warns_about_the_rest(tmp_path):
    from leafwright.style import resolve_style

    name = _style_file(tmp_path, "cmyk:\n  primary: {c: 100, m: 70, y: 0, k: 10}\n")
    st = resolve_style(name, [STYLE_DIR], variant="print")
    out = build_variant(load_leaflet(LEAFLETS[0]), st, "print")
    r = reader(out.files[0][1])
    fills = []
    walk_stream(
        r.pages[0], r, lambda op, args, s: op == "k" and fills.append(tuple(round(float(a), 3) for a in args))
    )
    assert (1.0, 0.7, 0.0, 0.1) in fills  # the title band, in the press values given
    (warning,) = out.warnings
    assert warning.severity == "warning"
    converted = re.search(r"profile\): (.*?);", warning.message).group(1).split(", ")
    assert "primary" not in converted and "accent" in converted
    assert "cmyk:" in warning.message  # the fix, in the message itself

    plain = build_variant(load_leaflet(LEAFLETS[0]), style(variant="print"), "print")
    assert any("primary" in w.message for w in plain.warnings)


def test_unknown_cmyk_colour_is_a_located_style_error(tmp_path):
    from leafwright.style import resolve_style

    name = _style_file(tmp_path, "cmyk:\n  primry: {c: 100, m: 70, y: 0, k: 10}\n")
    with pytest.raises(LeafwrightError) as err:
        resolve_style(name, [STYLE_DIR])
    text = err.value.format()
    assert "brand.yaml:3" in text and "did you mean 'primary'" in text


def test_print_warns_about_low_resolution_images(tmp_path):
    from PIL import Image

    Image.new("RGB", (200, 200), "navy").save(tmp_path / "small.png")
    Image.new("RGB", (600, 600), "navy").save(tmp_path / "sharp.png")
    (tmp_path / "pictures.yaml").write_text(
        WIDE_TABLE.read_text(encoding="utf-8").replace(
            "      - paragraph: Ask your doctor which medicine suits you.\n",
            "      - image: {file: small.png, alt: A blue square, width: 60}\n"
            "      - image: {file: sharp.png, alt: Another blue square, width: 50}\n",
        ),
        encoding="utf-8",
    )
    src = load_leaflet(tmp_path / "pictures.yaml")
    out = build_variant(src, style(variant="print"), "print")
    (warning,) = [w for w in out.warnings if "dpi" in w.message]  # 85 dpi; 305 dpi is fine
    assert "small.png" in warning.message and "85 dpi" in warning.message
    assert warning.file == src.file and warning.line is not None
    assert warning.severity == "warning"
    assert not list(build_variant(src, style(), "standard").warnings)


def test_print_and_booklet_are_deterministic():
    src = load_leaflet(LEAFLETS[0])
    for variant in ("print", "booklet"):
        st = style(variant=variant)
        assert build_variant(src, st, variant).files == build_variant(src, st, variant).files


# --- command line -------------------------------------------------------------------------


def test_cli_builds_a_comma_list_of_variants(tmp_path):
    runner = CliRunner()
    # the sample with a review date that has passed (its source gives none: added here)
    leaflet = tmp_path / "src" / LEAFLETS[0].name
    leaflet.parent.mkdir()
    text = LEAFLETS[0].read_text(encoding="utf-8")
    leaflet.write_text(
        text.replace("\npublished:", "\nreview_by: 2021-08-18\npublished:", 1), encoding="utf-8"
    )
    res = runner.invoke(
        main,
        [
            "build",
            str(leaflet),
            "--style",
            str(STYLE_DIR / "default.yaml"),
            "--out",
            str(tmp_path),
            "--variant",
            "large-print,booklet",
        ],
    )
    assert res.exit_code == 0, res.output
    lid = load_leaflet(LEAFLETS[0]).leaflet.id
    assert sorted(p.name for p in tmp_path.glob("*.pdf")) == sorted(
        [f"{lid}.large-print.pdf", f"{lid}.booklet-a5.pdf", f"{lid}.booklet-a5.imposed.pdf"]
    )
    # one leaflet in two editions is still one leaflet overdue for review (reviewed 2021)
    assert "REVIEW OVERDUE: 1 leaflet past its review date" in res.output


def test_cli_unknown_variant_is_a_usage_error(tmp_path):
    res = CliRunner().invoke(
        main,
        [
            "build",
            str(LEAFLETS[0]),
            "--out",
            str(tmp_path),
            "--style",
            str(STYLE_DIR / "default.yaml"),
            "--variant",
            "standard,large_print",
        ],
    )
    assert res.exit_code == 2
    assert "unknown variant 'large_print'" in res.output and "did you mean 'large-print'" in res.output
    assert "Traceback" not in res.output
    assert not list(tmp_path.iterdir())


def test_cli_default_variants_come_from_the_style(tmp_path):
    name = _style_file(tmp_path, "variants: [standard, print]\n")
    out = tmp_path / "out"
    res = CliRunner().invoke(main, ["build", str(LEAFLETS[0]), "--style", name, "--out", str(out)])
    assert res.exit_code == 0, res.output
    lid = load_leaflet(LEAFLETS[0]).leaflet.id
    assert sorted(p.name for p in out.glob("*.pdf")) == [f"{lid}.pdf", f"{lid}.print.pdf"]
    assert "converted from RGB to CMYK" in res.output  # the print warning reaches the user


def test_cli_impose(tmp_path):
    src = tmp_path / "reading.pdf"
    src.write_bytes(pdf_of(LEAFLETS[0], "booklet"))
    runner = CliRunner()
    res = runner.invoke(main, ["impose", str(src), "--booklet"])
    assert res.exit_code == 0, res.output
    imposed = tmp_path / "reading.imposed.pdf"
    assert imposed.read_bytes() == pdf_of(LEAFLETS[0], "booklet", 1)

    res = runner.invoke(main, ["impose", str(src), "--booklet", "--out", str(tmp_path / "x.pdf")])
    assert res.exit_code == 0 and (tmp_path / "x.pdf").exists()
    res = runner.invoke(main, ["impose", str(src)])
    assert res.exit_code == 2 and "--booklet" in res.output
    bad = tmp_path / "bad.pdf"
    bad.write_text("not a pdf")
    res = runner.invoke(main, ["impose", str(bad), "--booklet"])
    assert res.exit_code == 1 and "bad.pdf" in res.output and "Traceback" not in res.output
    assert not (tmp_path / "bad.imposed.pdf").exists()
    res = runner.invoke(main, ["impose", str(tmp_path / "missing.pdf"), "--booklet"])
    assert res.exit_code == 2 and "Traceback" not in res.output


_PARAGRAPH = (
    "Denosumab is given as an injection under the skin every six months. Tell your "
    "dentist before any treatment, and keep taking calcium and vitamin D as advised."
)


@cache
def _booklet_of(n_paragraphs: int) -> tuple[int, list]:
    """(A5 pages, imposed sheet sides' page numbers) of a real leaflet of that length."""
    import tempfile

    import yaml

    data = {
        "id": "grow",
        "title": "A leaflet that grows",
        "language": "en-GB",
        "version": "1.0",
        "published": "2025-01-01",
        "review_by": "2028-01-01",
        "publisher": {"name": "Example Bone Charity"},
        "sections": [
            {"heading": f"Part {i + 1}", "blocks": [{"paragraph": _PARAGRAPH}]} for i in range(n_paragraphs)
        ]
        or [{"heading": "Only part", "blocks": [{"paragraph": "Short."}]}],
    }
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "grow.yaml"
        path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
        src = load_leaflet(path)
        out = build_variant(src, style(variant="booklet"), "booklet")
    files = dict(out.files)
    return out.pages, _numbers_by_half(files["grow.booklet-a5.imposed.pdf"])


@settings(max_examples=12, deadline=None)
@given(st.integers(min_value=0, max_value=70))
def test_real_booklets_of_any_length_follow_saddle_stitch_order(n_paragraphs):
    pages, sides = _booklet_of(n_paragraphs)
    assert len(sides) * 2 % 4 == 0 and len(sides) * 2 >= pages
    assert sides == booklet_order(pages)
