"""Fonts as brands have them: a CFF .otf under `fonts: files:`, system families, `leafwright fonts`."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from leafwright.cli import main
from leafwright.fonts import has_cff_outlines, system_families
from leafwright.render import load_leaflet, render
from leafwright.style import resolve_style

ROOT = Path(__file__).resolve().parents[1]


def make_cff_font(path: Path, family: str = "Brand Sans") -> Path:
    """An OpenType font with CFF (PostScript) outlines, as brand fonts often are, made with fontTools."""
    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.t2CharStringPen import T2CharStringPen

    chars = [chr(c) for c in range(32, 127)] + list("\u2014\u00a0\u2019\u00b7\u2022\u2013\u201c\u201d")
    order = [".notdef"] + [f"uni{ord(c):04X}" for c in chars]
    fb = FontBuilder(1000, isTTF=False)
    fb.setupGlyphOrder(order)
    fb.setupCharacterMap({ord(c): f"uni{ord(c):04X}" for c in chars})
    strings = {}
    for g in order:
        pen = T2CharStringPen(600, None)
        if g not in (".notdef", "uni0020", "uni00A0"):
            pen.moveTo((50, 0))
            pen.curveTo((50, 400), (550, 400), (550, 0))
            pen.lineTo((550, 700))
            pen.lineTo((50, 700))
            pen.closePath()
        strings[g] = pen.getCharString()
    fb.setupCFF(family.replace(" ", "") + "-Regular", {"FullName": family}, strings, {})
    fb.setupHorizontalMetrics(dict.fromkeys(order, (600, 50)))
    fb.setupHorizontalHeader(ascent=800, descent=-200)
    fb.setupNameTable({"familyName": family, "styleName": "Regular"})
    fb.setupOS2(sTypoAscender=800, usWinAscent=800, usWinDescent=200)
    fb.setupPost()
    fb.save(str(path))
    return path


def test_a_cff_otf_under_fonts_files_is_converted_embedded_and_cached(tmp_path):
    import page
    from pypdf import PdfReader

    from leafwright.fonts import truetype_copy

    (tmp_path / "fonts").mkdir()
    otf = make_cff_font(tmp_path / "fonts" / "Brand-Regular.otf")
    assert has_cff_outlines(otf)
    # the README's syntax, as written there
    style_file = tmp_path / "brand.yaml"
    style_file.write_text("extends: default\nfonts:\n  files:\n    regular: fonts/Brand-Regular.otf\n")
    st = resolve_style(str(style_file))
    pdf = tmp_path / "out.pdf"
    pdf.write_bytes(render(load_leaflet(ROOT / "leaflets" / "antiresorptive-medications.yaml"), st))
    fonts = {
        f["/BaseFont"].split("+")[-1]: f
        for p in PdfReader(pdf).pages
        for f in (x.get_object() for x in p["/Resources"]["/Font"].values())
    }
    assert "Brand-Sans" in fonts
    descriptor = fonts["Brand-Sans"]["/FontDescriptor"].get_object()
    assert "/FontFile2" in descriptor  # embedded as TrueType outlines
    # converted once, kept under a name made from the font's hash: the same bytes, the same file
    cached = truetype_copy(otf)
    assert cached.name.startswith("Brand-Regular-") and cached.name.endswith("-tt.ttf")
    assert not has_cff_outlines(cached)
    (tmp_path / "elsewhere").mkdir()
    copy = Path(shutil.copy(otf, tmp_path / "elsewhere" / otf.name))
    assert truetype_copy(copy) == cached
    assert page.validate_pdf(str(pdf), profile="ua1").is_compliant


def test_an_unknown_family_hint_names_packages_that_exist(tmp_path):
    style_file = tmp_path / "brand.yaml"
    style_file.write_text("extends: default\nfonts: {family: Comic Brand}\n")
    res = CliRunner().invoke(
        main, ["check", str(ROOT / "leaflets" / "oi-bisphosphonates.yaml"), "--style", str(style_file)]
    )
    assert res.exit_code == 2
    assert "unknown font family 'Comic Brand'" in res.output
    # named because they exist: fontpkg-noto-sans on PyPI, fonts-dejavu-core in Debian
    assert "pip install fontpkg-noto-sans" in res.output and "fonts-dejavu-core" in res.output
    assert "fontpkg-comic-brand" not in res.output


needs_fontconfig = pytest.mark.skipif(
    shutil.which("fc-list") is None or "DejaVu Sans" not in system_families(),
    reason="fontconfig and fonts-dejavu-core are not installed (.ci/run installs them with apt-get)",
)


@needs_fontconfig
def test_a_system_family_by_name(tmp_path):
    style_file = tmp_path / "sys.yaml"
    style_file.write_text("extends: default\nfonts: {family: DejaVu Sans}\n")
    st = resolve_style(str(style_file))
    assert "DejaVuSans" in st.fonts.regular and "Bold" in st.fonts.bold


@needs_fontconfig
def test_fonts_command_lists_families_and_their_scripts():
    out = CliRunner().invoke(main, ["fonts"]).output
    assert "Atkinson Hyperlegible  (fontpkg package" in out
    lines = out.splitlines()
    dejavu = lines[lines.index(next(ln for ln in lines if ln.startswith("DejaVu Sans  "))) + 1]
    assert "Greek" in dejavu and "Cyrillic" in dejavu and "Hebrew" in dejavu
    atkinson = lines[lines.index(next(ln for ln in lines if ln.startswith("Atkinson Hyperlegible"))) + 1]
    assert "Latin" in atkinson and "Greek" not in atkinson


def _folder_style(tmp_path: Path) -> tuple[Path, Path]:
    """A folder holding a brand font made here (never a committed file), and a style naming its family."""
    folder = tmp_path / "brandfonts"
    folder.mkdir()
    make_cff_font(folder / "FolderBrand-Regular.otf", family="Folder Brand")
    style_file = tmp_path / "folder.yaml"
    style_file.write_text("extends: default\nfonts: {family: Folder Brand}\n")
    return folder, style_file


def test_a_family_in_a_font_path_folder_builds_and_is_embedded(tmp_path, monkeypatch):
    import page
    from pypdf import PdfReader

    folder, style_file = _folder_style(tmp_path)
    monkeypatch.chdir(tmp_path)
    leaflet = str(ROOT / "leaflets" / "oi-bisphosphonates.yaml")
    args = ["build", leaflet, "--style", str(style_file), "--out", "out", "-j", "1"]
    res = CliRunner().invoke(main, [*args, "--font-path", str(folder)])
    assert res.exit_code == 0, res.output
    pdfs = sorted((tmp_path / "out").rglob("*.pdf"))
    assert pdfs
    names = {
        f["/BaseFont"].split("+")[-1]
        for p in PdfReader(pdfs[0]).pages
        for f in (x.get_object() for x in p["/Resources"]["/Font"].values())
    }
    assert "Folder-Brand" in names, names
    assert page.validate_pdf(str(pdfs[0]), profile="ua1").is_compliant

    # the font file edited in the folder: the leaflet is built again, not skipped as unchanged
    from fontTools.ttLib import TTFont

    before = pdfs[0].stat().st_mtime_ns
    font = TTFont(str(folder / "FolderBrand-Regular.otf"))
    font["head"].fontRevision = 2.0
    font.save(str(folder / "FolderBrand-Regular.otf"))
    res = CliRunner().invoke(main, [*args, "--font-path", str(folder)])
    assert res.exit_code == 0, res.output
    assert pdfs[0].stat().st_mtime_ns != before
    # and with nothing changed, it is not
    again = pdfs[0].stat().st_mtime_ns
    res = CliRunner().invoke(main, [*args, "--font-path", str(folder)])
    assert res.exit_code == 0, res.output
    assert pdfs[0].stat().st_mtime_ns == again


def test_without_font_path_the_folder_family_is_a_located_error_naming_the_option(tmp_path, monkeypatch):
    folder, style_file = _folder_style(tmp_path)
    monkeypatch.delenv("LEAFWRIGHT_FONT_PATH", raising=False)
    leaflet = str(ROOT / "leaflets" / "oi-bisphosphonates.yaml")
    res = CliRunner().invoke(main, ["check", leaflet, "--style", str(style_file)])
    assert res.exit_code == 2
    assert "unknown font family 'Folder Brand'" in res.output
    assert "--font-path" in res.output and "Traceback" not in res.output
    # given through the environment instead, the folders searched are named when it is still missing
    monkeypatch.setenv("LEAFWRIGHT_FONT_PATH", str(tmp_path / "elsewhere"))
    res = CliRunner().invoke(main, ["check", leaflet, "--style", str(style_file)])
    assert res.exit_code == 2
    assert str(tmp_path / "elsewhere") in res.output
    monkeypatch.setenv("LEAFWRIGHT_FONT_PATH", str(folder))
    res = CliRunner().invoke(main, ["check", leaflet, "--style", str(style_file)])
    assert "unknown font family" not in res.output


def test_fonts_command_lists_a_font_path_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("LEAFWRIGHT_FONT_PATH", raising=False)
    folder, _ = _folder_style(tmp_path)
    assert "Folder Brand" not in CliRunner().invoke(main, ["fonts"]).output
    out = CliRunner().invoke(main, ["fonts", "--font-path", str(folder)]).output
    assert f"Folder Brand  (folder {folder}; FolderBrand-Regular.otf)" in out
    line = out.splitlines().index(next(ln for ln in out.splitlines() if ln.startswith("Folder Brand")))
    assert out.splitlines()[line + 1].startswith("    scripts: ")


def test_a_parsed_font_is_kept_in_the_cache_and_read_back(tmp_path, monkeypatch) -> None:
    """The second cold start reads the font's parsed face from the cache; a damaged cache
    file is parsed afresh, never an error."""
    import fontpkg

    from leafwright import fonts

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    src = next(f.path for f in fontpkg.family("Atkinson Hyperlegible").files if f.style == "normal")
    path = tmp_path / "Brand.ttf"
    shutil.copy(src, path)
    first = fonts._load_font("CacheFirst", path)
    kept = list((tmp_path / "leafwright" / "fonts").glob("Brand-*.face"))
    assert len(kept) == 1
    again = fonts._load_font("CacheAgain", path)
    assert again.face.charWidths == first.face.charWidths and again.face.name == first.face.name
    kept[0].write_bytes(b"not a parsed font")
    third = fonts._load_font("CacheThird", path)
    assert third.face.charWidths == first.face.charWidths
    # a changed font file is a new entry, not the old face
    path.write_bytes(path.read_bytes() + b"\0\0\0\0")
    fonts._load_font("CacheFourth", path)
    assert len(list((tmp_path / "leafwright" / "fonts").glob("Brand-*.face"))) == 2


def test_a_cache_file_of_another_shape_is_parsed_afresh(tmp_path, monkeypatch) -> None:
    """A cache file that is readable data but not a parsed face of this font (left by another
    tool or version) is parsed again and replaced: the font registers, no traceback."""
    import marshal

    import fontpkg
    from reportlab.pdfbase import pdfmetrics

    from leafwright import fonts

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    src = next(f.path for f in fontpkg.family("Atkinson Hyperlegible").files if f.style == "normal")
    path = tmp_path / "Foreign.ttf"
    shutil.copy(src, path)
    first = fonts._load_font("ForeignFirst", path)
    (kept,) = (tmp_path / "leafwright" / "fonts").glob("Foreign-*.face")
    kept.write_bytes(marshal.dumps({"attrs": {"unitsPerEm": 1000}, "names": {}}))
    again = fonts._load_font("ForeignAgain", path)
    pdfmetrics.registerFont(again)  # what build does next: needs the face's names
    assert again.face.name == first.face.name and again.face.charWidths == first.face.charWidths
    assert (
        marshal.loads(kept.read_bytes())["attrs"].keys()
        == marshal.loads(marshal.dumps(fonts.rl.face_state(first)))["attrs"].keys()
    )


def test_a_build_runs_when_the_home_folder_cannot_be_found(tmp_path, monkeypatch) -> None:
    """No HOME and no user entry (a container run as an unnamed user id): fonts load without
    the cache instead of failing with a traceback."""
    import pwd

    import fontpkg

    from leafwright import fonts

    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.delenv("HOME", raising=False)

    def no_user(uid):
        raise KeyError(uid)

    monkeypatch.setattr(pwd, "getpwuid", no_user)
    src = next(f.path for f in fontpkg.family("Atkinson Hyperlegible").files if f.style == "normal")
    path = tmp_path / "Homeless.ttf"
    shutil.copy(src, path)
    font = fonts._load_font("Homeless", path)
    assert font.face.charWidths


@pytest.mark.parametrize(
    "fonts", ["{files: {regular: Brand-Regular.ttf}}", "{scripts: {latin: Brand-Regular.ttf}}"]
)
def test_a_changed_brand_font_file_rebuilds_the_leaflets(tmp_path, monkeypatch, fonts):
    """A style's own font named under `files:` (the README's form) or `scripts:` is an input
    of the build: replacing the file builds the leaflets again, not 'unchanged'."""
    import fontpkg

    atkinson = {(f.style, f.weight): f.path for f in fontpkg.family("Atkinson Hyperlegible").files}
    font = tmp_path / "Brand-Regular.ttf"
    shutil.copy(atkinson[("normal", 400)], font)
    style_file = tmp_path / "brand.yaml"
    style_file.write_text(f"extends: default\nfonts: {fonts}\n")
    monkeypatch.chdir(tmp_path)
    leaflet = str(ROOT / "leaflets" / "oi-bisphosphonates.yaml")
    args = ["build", leaflet, "--style", str(style_file), "--out", "out", "-j", "1"]
    first = CliRunner().invoke(main, args)
    assert first.exit_code == 0, first.output
    assert "1 built" in first.output
    again = CliRunner().invoke(main, args)
    assert "0 built" in again.output and "(1 unchanged" in again.output, again.output
    shutil.copy(atkinson[("italic", 400)], font)  # the brand's font replaced
    changed = CliRunner().invoke(main, args)
    assert changed.exit_code == 0, changed.output
    assert "1 built" in changed.output, changed.output
