"""What a screen reader announces: tagging beyond the PDF/UA-1 minimum (issue 17), and tables.

Each test builds a leaflet with the feature and reads the PDF back with
:mod:`leafwright.pdfread` (structure tree, attributes, IDs) and pypdf (fonts, pages,
outline, metadata); every PDF also passes page-validation's PDF/UA-1 rules.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import page
import pytest
from pypdf import PdfReader

from conftest import CASES, style
from leafwright.pdfread import Node, inspect_pdf
from leafwright.render import load_leaflet
from leafwright.starter import write_starter
from leafwright.variants import build_variant, output_names

WIDE_TABLE = CASES / "variants" / "wide-table.yaml"


def starter(tmp_path: Path, *edits: tuple[str, str], name: str = "demo") -> Path:
    """The starter leaflet with pieces of its YAML replaced."""
    yaml_path, _ = write_starter(name, tmp_path, today=dt.date(2025, 1, 1))
    text = yaml_path.read_text(encoding="utf-8")
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new)
    yaml_path.write_text(text, encoding="utf-8")
    return yaml_path


def build(path: Path, variant: str = "standard"):
    """(PDF bytes, warnings) of one edition."""
    src = load_leaflet(path)
    out = build_variant(src, style("default", variant=variant), variant)
    files = dict(out.files)
    return files[output_names(src.leaflet.id, variant)[0]], list(out.warnings)


def ua1(pdf: bytes, tmp_path: Path) -> list[str]:
    p = tmp_path / "check.pdf"
    p.write_bytes(pdf)
    return [f.rule_id for f in page.validate_pdf(str(p), profile="ua1").failures]


def norm(text: str) -> str:
    return " ".join(text.replace("\xa0", " ").split())


def find(tree: Node, role: str) -> list[Node]:
    return [n for n in tree.walk() if n.std_role == role or n.role == role]


def parent_of(tree: Node, node: Node) -> Node:
    for n in tree.walk():
        if node in n.elements:
            return n
    raise AssertionError("no parent")


TABLE_OLD = """      - table:
          caption: An example table
          header: [When, What to do]
          rows:
            - [Morning, Take the tablet with water]
            - [Evening, Nothing]"""


# --- figures -------------------------------------------------------------------------------


def test_a_figure_and_its_caption_are_grouped(tmp_path):
    """The caption was a sibling P after the Figure; now a Div holds the Figure and its Caption."""
    pdf, _ = build(starter(tmp_path))
    tree = inspect_pdf(pdf).tree
    (fig,) = [f for f in find(tree, "Figure") if f.alt == "A blue square with a white circle in it."]
    div = parent_of(tree, fig)
    assert div.std_role == "Div"
    assert [k.std_role for k in div.elements] == ["Figure", "Caption"]
    assert norm(div.elements[1].text()) == "A picture with a caption."
    assert fig.alt == "A blue square with a white circle in it."
    assert ua1(pdf, tmp_path) == []


# --- tables --------------------------------------------------------------------------------


def _cells(table: Node) -> list[list[Node]]:
    return [[c for c in tr.elements if c.std_role in ("TH", "TD")] for tr in find(table, "TR")]


def test_table_headers_have_ids_and_every_data_cell_names_its_headers(tmp_path):
    pdf, _ = build(starter(tmp_path))
    tree = inspect_pdf(pdf).tree
    (table,) = find(tree, "Table")
    rows = _cells(table)
    head = rows[0]
    assert [c.std_role for c in head] == ["TH", "TH"]
    ids = [c.ident for c in head]
    assert all(ids) and len(set(ids)) == 2
    for row in rows[1:]:
        assert [c.std_role for c in row] == ["TD", "TD"]
        assert [c.attrs.get("Headers") for c in row] == [[ids[0]], [ids[1]]]
        assert all(c.attrs.get("O") == "Table" for c in row)
    assert ua1(pdf, tmp_path) == []


def test_row_headers_from_yaml(tmp_path):
    """row_headers: true makes each row's first cell a TH (Scope Row) its data cells point at."""
    yaml_path = starter(
        tmp_path,
        (
            TABLE_OLD,
            TABLE_OLD.replace(
                "header: [When, What to do]", "header: [When, What to do]\n          row_headers: true"
            ),
        ),
    )
    pdf, _ = build(yaml_path)
    tree = inspect_pdf(pdf).tree
    (table,) = find(tree, "Table")
    rows = _cells(table)
    col_ids = [c.ident for c in rows[0]]
    for row in rows[1:]:
        th, td = row
        assert th.std_role == "TH" and th.attrs.get("Scope") == "Row" and th.ident
        assert td.std_role == "TD" and td.attrs["Headers"] == [col_ids[1], th.ident]
    assert [norm(r[0].text()) for r in rows[1:]] == ["Morning", "Evening"]
    # every ID in the document is unique
    all_ids = [n.ident for n in tree.walk() if n.ident]
    assert len(all_ids) == len(set(all_ids)) == 4
    assert ua1(pdf, tmp_path) == []


def test_ids_are_unique_across_tables(tmp_path):
    two = TABLE_OLD + "\n" + TABLE_OLD.replace("An example table", "Another table")
    pdf, _ = build(starter(tmp_path, (TABLE_OLD, two)))
    tree = inspect_pdf(pdf).tree
    ids = [n.ident for n in tree.walk() if n.ident]
    assert len(ids) == 4 and len(set(ids)) == 4
    assert ua1(pdf, tmp_path) == []


def test_an_empty_cell_keeps_its_td(tmp_path):
    """Rows of 2, 1, 2 cells failed TABLE-ROW-COLUMNSPAN-001: the empty cell lost its TD."""
    yaml_path = starter(tmp_path, ("- [Evening, Nothing]", '- [Evening, ""]'))
    pdf, _ = build(yaml_path)
    tree = inspect_pdf(pdf).tree
    (table,) = find(tree, "Table")
    assert [len(r) for r in _cells(table)] == [2, 2, 2]
    assert ua1(pdf, tmp_path) == []


# --- stacking --------------------------------------------------------------------------------

LONG_WORD = "Hydroxychloroquinesulfatetabletsthreetimesdaily" * 2  # wider than the A4 column


def test_the_standard_edition_never_stacks_and_names_the_word_that_does_not_fit(tmp_path):
    """One too-wide word stacked the whole table in the A4 edition, with no message."""
    yaml_path = starter(tmp_path, ("- [Evening, Nothing]", f"- [Evening, {LONG_WORD}]"))
    pdf, warnings = build(yaml_path)
    tree = inspect_pdf(pdf).tree
    (table,) = find(tree, "Table")
    rows = _cells(table)
    assert [[c.std_role for c in r] for r in rows] == [["TH", "TH"], ["TD", "TD"], ["TD", "TD"]]
    assert LONG_WORD in norm(rows[2][1].text()).replace(" ", "")
    msgs = [w.format(caret=False) for w in warnings]
    (msg,) = [m for m in msgs if LONG_WORD in m]
    assert "sections[2].blocks[1].table" in msg and "wider than its column" in msg
    assert ua1(pdf, tmp_path) == []


def test_a_table_with_room_to_spare_gives_each_column_what_it_needs(tmp_path):
    """A long word in a short-text column: columns sized by what they hold, no stacking, no warning."""
    yaml_path = starter(
        tmp_path,
        ("- [Evening, Nothing]", "- [Pharmacokinetically, Once]"),
        ("- [Morning, Take the tablet with water]", "- [Morning, Twice]"),
    )
    pdf, warnings = build(yaml_path, "large-print")
    tree = inspect_pdf(pdf).tree
    assert find(tree, "TH") and not [w for w in warnings if "table" in (w.path or "")]


def test_large_print_stacks_says_so_and_keeps_a_table(tmp_path):
    pdf, warnings = build(WIDE_TABLE, "large-print")
    msgs = [w.format(caret=False) for w in warnings]
    (msg,) = [m for m in msgs if "stacked" in m]
    assert "sections[0].blocks[1].table" in msg and "large print" in msg
    tree = inspect_pdf(pdf).tree
    (table,) = find(tree, "Table")  # still announced as a table
    rows = list(_cells(table))
    assert len(rows) == 3  # one row per body row
    for row in rows:
        # each row reads "Medicine, Zoledronate, How it is given, Intravenously ..."
        assert [c.std_role for c in row] == ["TH", "TD"] * 4
        for th, td in zip(row[::2], row[1::2]):
            assert td.attrs["Headers"] == [th.ident]
    assert [norm(c.text()) for c in rows[1]][:4] == [
        "Medicine:",
        "Zoledronate",
        "How it is given:",
        "Intravenously",
    ]
    assert ua1(pdf, tmp_path) == []
    # the standard edition is not stacked and says nothing about stacking
    std, std_warnings = build(WIDE_TABLE)
    assert not [w for w in std_warnings if "stacked" in w.message]
    assert [c.std_role for c in _cells(find(inspect_pdf(std).tree, "Table")[0])[0]] == ["TH"] * 4


def test_stacked_rows_leave_out_empty_cells(tmp_path):
    """An empty cell printed as a bare label ("Common side effects:" and nothing)."""
    text = WIDE_TABLE.read_text(encoding="utf-8").replace("Flu-like symptoms", '""')
    leaflet = tmp_path / "wide.yaml"
    leaflet.write_text(text, encoding="utf-8")
    pdf, _ = build(leaflet, "large-print")
    words = norm(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages))
    assert "Musculoskeletal pain" in words
    assert words.count("Common side effects:") == 2
    assert ua1(pdf, tmp_path) == []


# --- callouts --------------------------------------------------------------------------------


def test_a_callout_is_announced_and_its_title_is_a_heading(tmp_path):
    pdf, _ = build(starter(tmp_path))
    rep = inspect_pdf(pdf)
    (aside,) = [n for n in rep.tree.walk() if n.role == "Aside"]
    assert aside.std_role == "Sect"
    assert aside.title == "Warning: Before you start"
    heading = aside.elements[0]
    assert heading.std_role == "H3" and norm(heading.text()) == "Warning: Before you start"
    assert norm(aside.elements[1].text()) == "A boxed note on a pale background."
    assert ua1(pdf, tmp_path) == []


def test_a_callout_without_a_title_is_labelled_by_its_kind(tmp_path):
    yaml_path = starter(tmp_path, ("          title: Before you start\n", ""))
    pdf, _ = build(yaml_path)
    (aside,) = [n for n in inspect_pdf(pdf).tree.walk() if n.role == "Aside"]
    assert aside.title == "Warning"
    assert [k.std_role for k in aside.elements] == ["P", "P"]
    assert ua1(pdf, tmp_path) == []


# --- fonts, metadata, role map, pages --------------------------------------------------------


def _font_names(pdf: bytes) -> list[str]:
    r = PdfReader(io.BytesIO(pdf))
    names = set()
    for p in r.pages:
        fonts = p["/Resources"].get("/Font", {})
        for ref in fonts.values():
            names.add(str(ref.get_object()["/BaseFont"]).lstrip("/"))
    return sorted(names)


def test_every_font_subset_has_its_own_tag(tmp_path):
    pdf, _ = build(starter(tmp_path))
    names = [n for n in _font_names(pdf) if "+" in n]
    assert len(names) >= 2
    tags = [n.split("+")[0] for n in names]
    assert all(re.fullmatch(r"[A-Z]{6}", t) for t in tags)
    assert len(set(tags)) == len(tags), names
    # and they are the same from build to build
    assert _font_names(build(starter(tmp_path / "again"))[0]) == _font_names(pdf)


def test_producer_is_the_same_in_the_info_dictionary_and_xmp(tmp_path):
    pdf, _ = build(starter(tmp_path))
    r = PdfReader(io.BytesIO(pdf))
    info = r.metadata.producer
    xmp = r.xmp_metadata.pdf_producer
    assert info and info == xmp


def test_the_role_map_names_only_roles_the_tree_uses(tmp_path):
    pdf, _ = build(starter(tmp_path))
    r = PdfReader(io.BytesIO(pdf))
    role_map = r.trailer["/Root"]["/StructTreeRoot"]["/RoleMap"]
    used = {n.role for n in inspect_pdf(pdf).tree.walk()}
    assert {str(k).lstrip("/") for k in role_map} <= used
    assert "Title" not in {str(k).lstrip("/") for k in role_map}


def test_every_page_tabs_in_structure_order(tmp_path):
    pdf, _ = build(WIDE_TABLE)
    pages = PdfReader(io.BytesIO(pdf)).pages
    assert len(pages) >= 1
    assert all(p.get("/Tabs") == "/S" for p in pages)


# --- bookmarks ---------------------------------------------------------------------------------


def _outline(pdf: bytes) -> list[tuple[int, str]]:
    r = PdfReader(io.BytesIO(pdf))
    out = []

    def walk(items, depth):
        for it in items:
            if isinstance(it, list):
                walk(it, depth + 1)
            else:
                out.append((depth, norm(it.title)))

    walk(r.outline, 0)
    return out


def _headings(pdf: bytes) -> list[tuple[int, str]]:
    tree = inspect_pdf(pdf).tree
    return [(int(n.std_role[1]), norm(n.text())) for n in tree.walk() if re.fullmatch(r"H[1-6]", n.std_role)]


@pytest.mark.parametrize("variant", ["standard", "large-print"])
def test_bookmarks_mirror_the_heading_tree_faq_questions_included(tmp_path, variant):
    pdf, _ = build(starter(tmp_path), variant)
    heads = _headings(pdf)
    marks = _outline(pdf)
    # same titles, same order, and each bookmark's depth is its heading's level - 1
    assert [(level - 1, text) for level, text in heads] == marks
    assert (2, "Is this a question?") in marks  # an FAQ question is an H3 and a bookmark
    assert (2, "Warning: Before you start") in marks  # so is a callout's title


@pytest.mark.parametrize("variant", ["standard", "large-print"])
def test_a_link_in_a_table_cell_keeps_its_link_and_the_cell_its_headers(tmp_path, variant):
    """Setting a cell's /Headers must not drop the links its text holds (a fuzzer find)."""
    cell = "Take the tablet with water, see [the guide](https://example.org/guide)"
    yaml_path = starter(tmp_path, ("- [Morning, Take the tablet with water]", f'- [Morning, "{cell}"]'))
    pdf, _ = build(yaml_path, variant)
    tree = inspect_pdf(pdf).tree
    (table,) = find(tree, "Table")
    (td,) = [c for r in _cells(table) for c in r if "the guide" in c.text()]
    assert td.std_role == "TD" and td.attrs["Headers"]
    (link,) = find(td, "Link")
    assert link.annotations[0].uri == "https://example.org/guide"
    assert ua1(pdf, tmp_path) == []
