"""Fonts by script: leaflets in Arabic, Hebrew, Hindi and Bengali build with the default
style as it is; a script no font has is one located error naming a font that covers it;
the style's per-script entries are validated; and which languages are right to left."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from conftest import run_cli
from leafwright.errors import MissingGlyphError, SchemaError
from leafwright.render import load_leaflet, render
from leafwright.scripts import direction, is_rtl, script_code
from leafwright.style import resolve_style

DATA = Path(__file__).resolve().parent / "data" / "scripts"

#: leaflet -> (the font family its script is drawn in, a letter of that script)
SCRIPT_FONTS = {
    "ar": ("NotoSansArabic", "ب"),
    "he": ("Heebo", "ש"),
    "hi": ("NotoSansDevanagari", "द"),
    "bn": ("HindSiliguri", "ষ"),
}


def _base_fonts(pdf: Path) -> set[str]:
    """Every font embedded in a PDF, by its name without the subset tag."""
    from pypdf import PdfReader

    names = set()
    for pg in PdfReader(pdf).pages:
        for ref in pg["/Resources"].get("/Font", {}).values():
            names.add(str(ref.get_object()["/BaseFont"]).lstrip("/").split("+", 1)[-1])
    return names


@pytest.fixture(scope="module")
def script_pdfs(tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("scripts")
    style = resolve_style("default")
    pdfs = {}
    for lang in SCRIPT_FONTS:
        path = out / f"{lang}.pdf"
        path.write_bytes(render(load_leaflet(DATA / f"{lang}.yaml"), style))
        pdfs[lang] = path
    return pdfs


@pytest.mark.parametrize("lang", list(SCRIPT_FONTS))
def test_a_leaflet_in_another_script_builds_with_the_default_style_and_passes_pdfua(lang, script_pdfs):
    import page

    pdf = script_pdfs[lang]
    family, _ = SCRIPT_FONTS[lang]
    fonts = _base_fonts(pdf)
    # the script's own font, regular and its bold (headings) cut from the variable font
    assert f"{family}-Regular" in fonts, fonts
    assert f"{family}-Bold" in fonts, fonts
    # and no other script's font: a character shared by scripts (the danda of Hindi and
    # Bengali, the digits) is drawn in the font of the letters round it
    others = {f for other, (f, _) in SCRIPT_FONTS.items() if other != lang}
    assert not {name.split("-")[0] for name in fonts} & others, fonts
    report = page.validate_pdf(str(pdf), profile="ua1")
    assert report.is_compliant, [f.rule_id for f in report.failures]


@pytest.mark.parametrize("lang", list(SCRIPT_FONTS))
def test_the_text_of_another_script_is_in_the_pdf(lang, script_pdfs):
    """Every letter of the leaflet's script reaches the PDF's text (its ToUnicode maps),
    so nothing was dropped for want of a font."""
    from pypdf import PdfReader

    _, letter = SCRIPT_FONTS[lang]
    text = "".join(p.extract_text() for p in PdfReader(script_pdfs[lang]).pages)
    assert letter in text


def test_a_script_letter_takes_its_scripts_font_even_where_the_main_fallback_has_it():
    """Noto Sans (the default fallback) has Devanagari too; the style's devanagari: entry wins,
    and the danda shared by Hindi and Bengali follows the letters round it."""
    from leafwright.fonts import font_for, fonts_for_text

    fonts = resolve_style("default").fonts
    deva = fonts.script_font("Deva")
    beng = fonts.script_font("Beng")
    assert deva and beng and deva != beng
    assert font_for("क", fonts) == deva
    assert font_for("a", fonts) == fonts.regular
    hindi = fonts_for_text("यह है।", fonts)
    bengali = fonts_for_text("এটা হয়।", fonts)
    assert hindi[-1] == deva and bengali[-1] == beng


# --- a script no font has: one error per script ---------------------------------------------

_NO_FONT = """\
id: no-font
title: ਦਵਾਈ ਬਾਰੇ ਜਾਣਕਾਰੀ
language: pa
version: "1.0"
published: 2025-01-01
review_by: 2027-06-01
publisher:
  name: Example Charity
  phone: 0300 123 4567
sections:
  - heading: ਇਹ ਦਵਾਈ ਕੀ ਹੈ?
    blocks:
      - paragraph: ਇਹ ਦਵਾਈ ਹੱਡੀਆਂ ਲਈ ਹੈ। In Chinese, 中文.
      - bullets:
          - ਪਾਣੀ ਪੀਓ।
          - ਖੜ੍ਹੇ ਰਹੋ।
          - நன்றி
      - paragraph: ਪਾਣੀ 漢字
"""


def test_a_script_with_no_font_is_one_located_error_per_script_naming_the_package(tmp_path):
    (tmp_path / "no-font.yaml").write_text(_NO_FONT, encoding="utf-8")
    src = load_leaflet(tmp_path / "no-font.yaml")
    with pytest.raises(MissingGlyphError) as err:
        render(src, resolve_style("default"))
    diags = err.value.diagnostics
    by_script = {next(w for w in ("Gurmukhi", "Han", "Tamil") if w in d.message): d for d in diags}
    assert len(diags) == 3 and set(by_script) == {"Gurmukhi", "Han", "Tamil"}, [d.message for d in diags]
    guru, han, tamil = by_script["Gurmukhi"], by_script["Han"], by_script["Tamil"]
    # at the first character of the script, with the other lines it is on
    assert (guru.line, guru.column, guru.path) == (2, 8, "title")
    assert "also on lines 11, 13, 15 and 2 more" in guru.message
    assert (han.line, han.path) == (13, "sections[0].blocks[0].paragraph")
    assert han.source_line and han.source_line[han.column - 1] == "中"
    assert "also on line 18" in han.message
    assert (tamil.line, tamil.column) == (17, 13)
    # what would cover it, and how to say so in the style
    assert "apt-get install fonts-noto-core" in guru.hint
    assert "fonts: {scripts: {gurmukhi: Noto Sans Gurmukhi}}" in guru.hint
    assert "pip install fontpkg-noto-sans-tamil" in tamil.hint
    assert "{han: Droid Sans Fallback}" in han.hint


def test_check_reports_the_same_one_error_per_script(tmp_path):
    (tmp_path / "no-font.yaml").write_text(_NO_FONT, encoding="utf-8")
    r = run_cli(["check", "no-font.yaml"], cwd=tmp_path)
    assert r.exit_code == 1
    lw210 = [ln for ln in r.output.splitlines() if " LW210 " in ln]
    assert len(lw210) == 3, r.output
    assert lw210[0].startswith("no-font.yaml:2:8: LW210 ") and "Gurmukhi" in lw210[0]


def test_a_symbol_no_font_has_is_one_error_for_all_symbols(tmp_path):
    head = _NO_FONT.split("sections:")[0].replace("ਦਵਾਈ ਬਾਰੇ ਜਾਣਕਾਰੀ", "About snow")
    body = "sections:\n  - heading: Snow ☃\n    blocks:\n      - paragraph: Smile 😀 in the ☃.\n"
    (tmp_path / "sym.yaml").write_text(head + body, encoding="utf-8")
    with pytest.raises(MissingGlyphError) as err:
        render(load_leaflet(tmp_path / "sym.yaml"), resolve_style("default"))
    (d,) = err.value.diagnostics
    assert "2 symbols" in d.message and "U+2603 SNOWMAN" in d.message and "U+1F600" in d.message
    assert d.path == "sections[0].heading" and "also on line 13" in d.message


# --- the style's per-script fonts ---------------------------------------------------------


def _style(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "brand.yaml"
    path.write_text("extends: default\nfonts:\n" + textwrap.indent(textwrap.dedent(body), "  "), "utf-8")
    return path


def test_a_misspelt_script_is_a_located_error_with_a_suggestion(tmp_path):
    path = _style(tmp_path, "scripts:\n  arabik: Noto Sans Arabic\n  devanagari: Noto Sans Devanagari\n")
    with pytest.raises(SchemaError) as err:
        resolve_style(str(path))
    (d,) = err.value.diagnostics
    assert (d.line, d.path) == (4, "fonts.scripts.arabik")
    assert "'arabik' is not a script (did you mean 'arabic'?)" in d.message


def test_a_language_written_where_a_script_is_meant_gets_its_script(tmp_path):
    path = _style(tmp_path, "scripts:\n  urdu: Noto Sans Arabic\n")
    with pytest.raises(SchemaError) as err:
        resolve_style(str(path))
    (d,) = err.value.diagnostics
    assert d.line == 4
    assert "'urdu' is a language, not a script" in d.message and "write arabic:" in d.message


def test_an_unknown_family_for_a_script_is_an_error_with_a_suggestion(tmp_path):
    from leafwright.errors import StyleError

    path = _style(tmp_path, "scripts:\n  hebrew: Heebbo\n")
    with pytest.raises(StyleError) as err:
        resolve_style(str(path))
    assert "unknown font family 'Heebbo'" in err.value.diagnostics[0].message
    assert "did you mean 'Heebo'?" in (err.value.diagnostics[0].hint or "")


def test_scripts_are_named_by_unicode_name_or_code_and_a_child_style_overrides_one(tmp_path):
    path = _style(tmp_path, "scripts:\n  Hebr: Noto Sans\n")
    style = resolve_style(str(path))
    # the child's hebrew wins; the default style's arabic stays
    assert style.spec.fonts.scripts["hebrew"] == "Noto Sans"
    assert style.spec.fonts.scripts["arabic"] == "Noto Sans Arabic"
    assert script_code("Old_Italic") == script_code("old italic") == "Ital"


def test_an_english_leaflet_does_not_read_the_script_fonts():
    """A style's script fonts are read (and cut to bold) only when a text needs them."""
    code = textwrap.dedent(
        """
        from pathlib import Path
        from leafwright import fonts
        from leafwright.render import load_leaflet, render
        from leafwright.style import resolve_style
        style = resolve_style("default")
        render(load_leaflet(Path("leaflets/oi-bisphosphonates.yaml")), style)
        unread = [style.fonts.script_font(c) for c in ("Arab", "Hebr", "Beng")]
        print(all(n in fonts._PENDING and n not in fonts._REGISTERED for n in unread))
        """
    )
    root = Path(__file__).resolve().parents[1]
    out = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "True", out.stderr


# --- right to left ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("tag", "rtl"),
    [
        ("ar", True),
        ("ar-EG", True),
        ("fa", True),
        ("ur-PK", True),
        ("he", True),
        ("yi", True),
        ("ps", True),
        ("ckb", True),
        ("pa-Arab", True),
        ("pa", False),
        ("pa-Guru", False),
        ("en-GB", False),
        ("cy", False),
        ("az-Arab-IR", True),
        ("", False),
        (None, False),
    ],
)
def test_which_languages_are_right_to_left(tag, rtl):
    assert is_rtl(tag) is rtl
    assert direction(tag) == ("rtl" if rtl else "ltr")


def test_a_script_font_with_no_bold_is_reported_at_its_line_in_the_style(tmp_path):
    """LW209 for a script's font given as one static file: located at that script's entry."""
    import fontpkg

    from leafwright.checks import check_source

    static = next(f.path for f in fontpkg.family("Atkinson Hyperlegible").files if f.weight == 400)
    path = _style(tmp_path, f"scripts:\n  cyrillic: {static}\n")
    found = check_source(load_leaflet(DATA / "he.yaml"), resolve_style(str(path)))
    (d,) = [d for d in found if d.code == "LW209"]
    assert (d.line, d.path) == (4, "fonts.scripts.cyrillic"), d.format()
