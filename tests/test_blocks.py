"""Every declared block type through every consumer.

A block type is one entry in ``leafwright.blocks.BLOCKS``. These tests take each
declared type's example and run it through validation (its own model, its YAML
errors), the checks (the texts they read), layout and render (its builder), and the
tag tree read back from the PDF. A type that one consumer forgot fails here, by name.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import page
import pytest
import yaml

from conftest import style
from leafwright.blocks import (
    BLOCKS,
    RENDERER_MODULES,
    BlockType,
    block_texts,
    renderer_modules,
    renders,
)
from leafwright.checks import check_source
from leafwright.checks.base import prose
from leafwright.errors import SchemaError
from leafwright.inline import plain_text
from leafwright.model import iter_texts
from leafwright.pdfread import inspect_pdf
from leafwright.render import load_leaflet, render

NAMES = list(BLOCKS)


def leaflet_yaml(blocks: list[dict[str, Any]]) -> str:
    return yaml.safe_dump(
        {
            "id": "every-block",
            "title": "Every block type",
            "version": "1.0",
            "published": "2025-01-01",
            "review_by": "2027-01-01",
            "publisher": {"name": "Test Trust"},
            "sections": [{"heading": "All the blocks", "blocks": blocks}],
        },
        sort_keys=False,
        allow_unicode=True,
    )


def _png(path: Path) -> None:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (300, 200), (40, 90, 160)).save(buf, format="PNG")
    path.write_bytes(buf.getvalue())


@pytest.fixture(scope="module")
def every_block(tmp_path_factory) -> Path:
    """A leaflet holding one example of every declared block type, in declaration order."""
    folder = tmp_path_factory.mktemp("blocks")
    _png(folder / "example.png")
    path = folder / "every-block.yaml"
    path.write_text(leaflet_yaml([{name: bt.example} for name, bt in BLOCKS.items()]))
    return path


@pytest.fixture(scope="module")
def every_block_pdf(every_block: Path) -> bytes:
    return render(load_leaflet(every_block), style("default"))


# --- the declaration itself -----------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_each_declaration_is_complete(name: str) -> None:
    bt = BLOCKS[name]
    assert bt.name == name and bt.model.kind == name
    assert name in bt.model.model_fields, f"{bt.model.__name__} has no '{name}' field"
    assert bt.example is not None and bt.roles
    for consumer in renderer_modules():
        assert callable(bt.renderer(consumer)), f"'{name}' has no {consumer} renderer"


def test_the_renderer_modules_that_exist_include_layout() -> None:
    # the PDF layout always exists; the web edition's module joins once it is written
    assert "layout" in renderer_modules()
    assert set(renderer_modules()) <= set(RENDERER_MODULES)


def test_a_type_without_a_renderer_fails_by_name(monkeypatch) -> None:
    paragraph = BLOCKS["paragraph"]
    fake = BlockType("quote", paragraph.model, paragraph.texts, "BlockQuote", "A quotation.")
    monkeypatch.setitem(BLOCKS, "quote", fake)
    with pytest.raises(LookupError, match=r"'quote' has no layout renderer.*@renders\('layout', 'quote'\)"):
        fake.renderer("layout")


def test_renders_refuses_an_unknown_consumer() -> None:
    with pytest.raises(ValueError, match="unknown block consumer 'epub'"):
        renders("epub", "paragraph")


# --- validation -----------------------------------------------------------------------------


def test_every_type_validates_into_its_own_model(every_block: Path) -> None:
    blocks = load_leaflet(every_block).leaflet.sections[0].blocks
    assert [type(b) for b in blocks] == [bt.model for bt in BLOCKS.values()]
    assert [b.kind for b in blocks] == NAMES


@pytest.mark.parametrize("name", NAMES)
def test_a_misspelt_type_names_the_declared_ones(tmp_path: Path, name: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(leaflet_yaml([{name + "x": BLOCKS[name].example}]))
    with pytest.raises(SchemaError) as err:
        load_leaflet(path)
    (d,) = err.value.diagnostics
    assert d.message == f"unknown block '{name}x'"
    assert d.hint == f"did you mean '{name}'? valid: " + ", ".join(NAMES)


def test_a_block_with_two_types_names_both(tmp_path: Path) -> None:
    first, second = NAMES[0], NAMES[1]
    path = tmp_path / "two.yaml"
    path.write_text(leaflet_yaml([{first: BLOCKS[first].example, second: BLOCKS[second].example}]))
    with pytest.raises(SchemaError) as err:
        load_leaflet(path)
    assert [d.message for d in err.value.diagnostics] == [
        f"a block has one type, this one has 2: {first}, {second}; start each with its own '- '"
    ]


# --- the checks -----------------------------------------------------------------------------


def test_the_checks_read_every_types_texts(every_block: Path) -> None:
    src = load_leaflet(every_block)
    read = {t for _p, t in prose(src.leaflet)}
    everything = {t for _p, t in iter_texts(src.leaflet)}
    for j, block in enumerate(src.leaflet.sections[0].blocks):
        texts = [t for _p, t in block_texts(block, ("sections", 0, "blocks", j))]
        assert texts, f"the checks read no text in a {block.kind} block"
        assert set(texts) <= read and set(texts) <= everything
    check_source(src, style("default"))  # every type passes through every check family


@pytest.mark.parametrize("name", NAMES)
def test_italics_in_any_text_of_any_type_are_found(tmp_path: Path, name: str) -> None:
    """The bug this registry fixed: a type whose texts the checks skipped (LW205 never fired)."""
    import copy

    bt = BLOCKS[name]
    example = bt.model.model_validate({name: bt.example})
    paths = [p for p, _t in block_texts(example, ("sections", 0, "blocks", 0))]
    for path in paths:
        data = {name: copy.deepcopy(bt.example)}
        node: Any = data
        for key in path[4:-1]:
            node = node[key]
        node[path[-1]] = node[path[-1]] + " Take it *every week*."
        _png(tmp_path / "example.png")
        leaflet = tmp_path / "italic.yaml"
        leaflet.write_text(leaflet_yaml([data]))
        found = check_source(load_leaflet(leaflet), style("default"))
        hits = [d.path for d in found if d.code == "LW205"]
        assert hits, f"{name}: italics at {path} were not checked"


# --- layout, render and the tag tree ---------------------------------------------------------


def test_every_type_is_laid_out_tagged_and_read_back(every_block: Path, every_block_pdf: bytes) -> None:
    report = inspect_pdf(every_block_pdf)
    assert report.tree is not None
    tree = " ".join(report.tree.text().split())
    src = load_leaflet(every_block)
    for _j, block in enumerate(src.leaflet.sections[0].blocks):
        for _p, text in block_texts(block, ()):
            words = " ".join(plain_text(text).split())
            assert words in tree, f"{block.kind}: '{words}' is not in the structure tree"


def test_the_pdf_with_every_type_is_pdf_ua(every_block_pdf: bytes) -> None:
    report = page.validate_pdf_bytes(every_block_pdf, profile="ua1")
    assert report.is_compliant, [str(f) for f in getattr(report, "failures", [])][:5]


# --- the web edition ----------------------------------------------------------------------------

#: The element each type's html renderer makes (a new type must say which here).
HTML_ELEMENT = {
    "paragraph": "p",
    "bullets": "ul",
    "numbered": "ol",
    "faq": "div[@class='faq']/h3[@class='question']",
    "callout": "aside[@aria-labelledby]",
    "table": "table[caption]",
    "image": "figure[img[@alt]]",
    "links": "ul[@class='links']",
}


def test_every_type_is_rendered_in_the_web_page_with_all_its_text(every_block: Path) -> None:
    from lxml import html as lxml_html

    from leafwright.web import render_web

    assert set(HTML_ELEMENT) == set(BLOCKS), "say which element a new block type becomes"
    src = load_leaflet(every_block)
    tree = lxml_html.fromstring(render_web(src, style("default")).html)
    section = tree.xpath("//main/section")[0]
    for block in src.leaflet.sections[0].blocks:
        assert section.xpath("./" + HTML_ELEMENT[block.kind]), (
            f"no {HTML_ELEMENT[block.kind]} for {block.kind}"
        )
        page_text = " ".join(section.text_content().split())
        for _p, text in block_texts(block, ()):
            words = " ".join(plain_text(text).split())
            assert words in page_text, f"{block.kind}: '{words}' is not in the web page"
