"""The variant registry is the one place an edition is named: everything else derives from it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from leafwright.cli import main
from leafwright.style import StyleSpec, style_json_schema
from leafwright.variants import VARIANTS, Output, Variant, is_imposed, output_names, output_of

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "leafwright"


def _option(command: str, name: str):
    cmd = main.commands[command]
    return next(p for p in cmd.params if p.name == name)


def test_check_variant_help_lists_the_registry() -> None:
    # check takes the same comma list as build (one meaning per option name)
    assert ", ".join(VARIANTS) in _option("check", "variant_list").help


def test_build_variant_help_lists_the_registry() -> None:
    help_text = _option("build", "variant_list").help
    assert ", ".join(VARIANTS) in help_text


def test_style_variants_key_and_its_schema_follow_the_registry() -> None:
    assert style_json_schema()["properties"]["variants"]["items"]["enum"] == list(VARIANTS)
    assert StyleSpec.model_validate({"variants": list(VARIANTS)}).variants == list(VARIANTS)
    with pytest.raises(Exception, match=r"'larg-print' is not allowed|Input should be"):
        StyleSpec.model_validate({"variants": ["larg-print"]})


def test_the_readme_documents_every_variant_and_file() -> None:
    readme = (ROOT / "README.md").read_text()
    for v in VARIANTS.values():
        assert f"`{v.name}`" in readme, f"README has no row for variant {v.name}"
        for suffix in v.suffixes:
            assert f"`<id>{suffix}`" in readme, f"README does not name {suffix}"


def test_each_declaration_is_consistent() -> None:
    suffixes = [s for v in VARIANTS.values() for s in v.suffixes]
    assert len(suffixes) == len(set(suffixes)), "two editions would write the same file"
    for v in VARIANTS.values():
        assert v.description and v.outputs
        assert v.build is not None or len(v.postprocess) == len(v.outputs) - 1
        for o in v.outputs:
            assert output_of("x" + o.suffix) is o
            assert is_imposed("out/x" + o.suffix) == (not o.reading)
        assert output_names("oi", v.name) == ["oi" + s for s in v.suffixes]


def test_a_variant_with_a_missing_post_process_step_is_refused() -> None:
    with pytest.raises(ValueError, match="one post-process step per output"):
        Variant("twin", "two files", (Output(".a.pdf"), Output(".b.pdf")))


def test_no_module_branches_on_a_variant_name() -> None:
    # behaviour belongs in the variant's declaration, not in `if variant == "print"` elsewhere
    pattern = re.compile(r"""variant\s*(==|!=|in)\s*[("']""")
    offenders = [
        f"{p.relative_to(SRC)}:{n}"
        for p in SRC.rglob("*.py")
        for n, line in enumerate(p.read_text().splitlines(), 1)
        if pattern.search(line)
    ]
    assert offenders == []


def test_an_unknown_variant_is_a_usage_error_listing_the_registry(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["build", str(ROOT / "leaflets"), "--variant", "larg-print", "--out", str(tmp_path)]
    )
    assert result.exit_code == 2
    assert "did you mean 'large-print'?" in result.output
    assert "variants: " + ", ".join(VARIANTS) in result.output


def test_the_module_map_names_every_module() -> None:
    """docs/architecture.md is where the next engineer starts: it must not fall behind the code."""
    doc = (ROOT / "docs" / "architecture.md").read_text()
    missing = []
    for p in sorted(SRC.iterdir()):
        if p.name.startswith(("_", ".")) or p.name in ("styles", "py.typed"):
            continue
        name = f"`{p.name}/`" if p.is_dir() else f"`{p.name}`"
        if name not in doc:
            missing.append(name)
    assert missing == [], "add these to docs/architecture.md's module map"
