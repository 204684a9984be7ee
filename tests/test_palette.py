"""Brand colours: two given, the rest derived to meet WCAG contrast, and the README's example cascading."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from leafwright.cli import main
from leafwright.palette import contrast_ratio, derive_palette, nearest_passing
from leafwright.style import Colours, resolve_style

DEFAULTS = {k: f.default for k, f in Colours.model_fields.items()}


def _style(tmp_path: Path, body: str) -> str:
    path = tmp_path / "brand.yaml"
    path.write_text(body, encoding="utf-8")
    return str(path)


def test_readme_brand_example_cascades_to_every_derived_colour(tmp_path):
    """The README's `colours: {primary, accent}` colours headings, links, table headers and tints alike."""
    st = resolve_style(
        _style(tmp_path, 'extends: default\ncolours: {primary: "#6a1b4d", accent: "#8a3b00"}\n')
    )
    c = st.colours
    assert (c.primary, c.accent) == ("#6a1b4d", "#8a3b00")  # dark enough: kept as given
    assert c.link == c.table_header == "#6a1b4d"
    # the tints are the brand's hue, not the default blue
    r, g, b = (int(c.tint[i : i + 2], 16) for i in (1, 3, 5))
    assert r > b > g
    assert st.chain.moved == ()


@pytest.mark.parametrize(
    "primary, accent",
    [("#6a1b4d", "#8a3b00"), ("#ffcc00", "#66ccff"), ("#00a651", "#ed1c24"), ("#e6007e", "#fff200")],
)
def test_every_derived_pair_meets_wcag(primary, accent, tmp_path):
    """Whatever two colours a brand guide gives, `check` finds no contrast error in the derived style."""
    from leafwright.checks import check_source
    from leafwright.render import load_leaflet

    style = _style(tmp_path, f'extends: default\ncolours: {{primary: "{primary}", accent: "{accent}"}}\n')
    src = load_leaflet(Path(__file__).resolve().parents[1] / "leaflets" / "oi-bisphosphonates.yaml")
    found = check_source(src, resolve_style(style))
    assert [d.message for d in found if d.code in ("LW101", "LW102")] == []
    moved = {d.message.split()[2] for d in found if d.code == "LW103"}
    full, moves = derive_palette({"primary": primary, "accent": accent}, DEFAULTS)
    assert moved == {m.key for m in moves}
    assert contrast_ratio(full["primary"], "#ffffff") >= 4.5
    assert contrast_ratio(full["band_text"], full["primary"]) >= 4.5


def test_a_pale_brand_colour_is_moved_and_the_build_says_so(tmp_path):
    style = _style(tmp_path, 'extends: default\ncolours: {primary: "#ffcc00"}\n')
    res = CliRunner().invoke(main, ["check", "leaflets/oi-bisphosphonates.yaml", "--style", style])
    line = next(ln for ln in res.output.splitlines() if "LW103" in ln)
    assert "brand.yaml:2:" in line  # located on the line that sets it
    used = resolve_style(style).colours
    assert f"#ffcc00 falls short of 4.5:1 on the page and the box tints: {used.primary}" in line
    assert min(contrast_ratio(used.primary, bg) for bg in ("#ffffff", used.tint, used.info)) >= 4.5


def test_nearest_passing_keeps_the_hue_and_only_just_passes():
    near = nearest_passing("#5aa0a8", ["#ffffff"], 4.5)
    assert 4.5 <= contrast_ratio(near, "#ffffff") < 4.7
    assert nearest_passing("#1d4f91", ["#ffffff"], 4.5) == "#1d4f91"
    # on a dark page it lightens
    assert contrast_ratio(nearest_passing("#1d4f91", ["#101010"], 4.5), "#101010") >= 4.5


def test_a_contrast_error_names_the_nearest_passing_colour(tmp_path):
    style = _style(tmp_path, 'extends: default\ncolours: {muted: "#999999"}\n')
    res = CliRunner().invoke(
        main, ["check", "leaflets/oi-bisphosphonates.yaml", "--style", style, "--format", "json"]
    )
    assert 'the nearest colour that passes is colours.muted: \\"#767676\\" (4.54:1 on #ffffff)' in res.output


def test_style_new_writes_a_style_and_a_one_page_tagged_swatch(tmp_path, monkeypatch):
    import page

    from leafwright.palette import USES
    from leafwright.pdfread import inspect_pdf

    monkeypatch.chdir(tmp_path)
    (tmp_path / "brand").mkdir()
    logo = Path(__file__).resolve().parents[1] / "styles" / "heather-logo.png"
    (tmp_path / "brand" / "logo.png").write_bytes(logo.read_bytes())
    res = CliRunner().invoke(
        main,
        [
            "style",
            "new",
            "charity",
            "--primary",
            "#ffcc00",
            "--accent",
            "#8a3b00",
            "--logo",
            "brand/logo.png",
        ],
    )
    assert res.exit_code == 0, res.output
    assert "note:   brand primary #ffcc00 falls short of 4.5:1" in res.output
    text = (tmp_path / "styles" / "charity.yaml").read_text()
    assert 'colours: {primary: "#ffcc00", accent: "#8a3b00"}' in text
    assert "logo: ../brand/logo.png" in text
    st = resolve_style(str(tmp_path / "styles" / "charity.yaml"))
    swatch = tmp_path / "styles" / "charity-swatch.pdf"
    report = inspect_pdf(swatch)
    assert report.pages == 1
    said = report.tree.text()
    for key in USES:  # every colour, with its value, as text a screen reader gets
        assert f"{key} {getattr(st.colours, key)}:" in said
    ratio = contrast_ratio(st.colours.primary, "#ffffff")
    assert f"{ratio:.2f}:1 on the page (meets 4.5:1)" in said
    assert page.validate_pdf(str(swatch), profile="ua1").is_compliant
    # the logo is in the swatch's title band, as in a leaflet
    assert [n.alt for n in report.tree.find("Figure")] == ["charity logo"]


def test_style_new_refuses_a_bad_colour_and_writes_nothing(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    res = CliRunner().invoke(main, ["style", "new", "x", "--primary", "purple", "--accent", "#8a3b00"])
    assert res.exit_code == 2
    assert "--primary 'purple' is not a colour" in res.output
    assert not (tmp_path / "styles").exists()
