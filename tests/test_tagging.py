"""Tagged PDF/UA-1 output, checked the way a screen reader gets it.

Every PDF is checked by page-validation (a PDF/UA-1 checker after veraPDF's rule
set, which we did not write) and read back with :mod:`leafwright.pdfread`: the
structure tree, the text inside each marked-content reference, what is drawn
as an artifact and what is drawn untagged. The tree is compared with the YAML
the leaflet came from.
"""

from __future__ import annotations

import datetime as _dt
import io
import itertools
import re
from pathlib import Path

import page
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import LEAFLETS, STYLES, style
from leafwright.i18n import labels_for
from leafwright.inline import plain_text
from leafwright.model import Leaflet, Section
from leafwright.pdfread import Node, PdfReport, inspect_pdf
from leafwright.render import LeafletSource, load_leaflet, render


def norm(text: str) -> str:
    """Whitespace as a listener hears it: runs of spaces (and no-break spaces) are one."""
    return " ".join(text.replace("\xa0", " ").split())


def tree_text(node: Node) -> str:
    """All text of the tree in reading order, one space between elements' runs."""
    from leafwright.pdfread import MarkedText

    parts: list[str] = []

    def visit(n: Node) -> None:
        if n.actual_text is not None:
            parts.append(n.actual_text)
            return
        run = ""
        for k in n.kids:
            if isinstance(k, MarkedText):
                run += k.text
            elif isinstance(k, Node):
                if k.std_role in ("Link", "Span"):  # inline: part of the same run of text
                    run += k.text()
                    continue
                parts.append(run)
                run = ""
                visit(k)
        parts.append(run)

    visit(node)
    return norm(" ".join(parts))


# --- what the YAML says a reader should get --------------------------------------------


def paragraphs(text: str) -> list[str]:
    return [p for p in re.split(r"\n\s*\n", text) if p.strip()]


def item_text(item) -> str:
    return item if isinstance(item, str) else ((item.lead + " ") if item.lead else "") + item.text


def section_texts(sec: Section, table_forms) -> list[str]:
    out = [sec.heading]
    for b in sec.blocks:
        k = b.kind
        if k == "paragraph":
            out += paragraphs(b.paragraph)
        elif k in ("bullets", "numbered"):
            out += [item_text(i) for i in b.value]
        elif k == "faq":
            for e in b.faq:
                out += [e.question] + paragraphs(e.answer)
        elif k == "callout":
            out += ([b.callout.title] if b.callout.title else []) + paragraphs(b.callout.text)
        elif k == "table":
            t = b.table
            out += [t.caption] if t.caption else []
            if next(table_forms) == "Table":
                out += t.header + [c for r in t.rows for c in r]
            else:  # too wide for the page: stacked, each row's cells as "Header: value" lines
                out += [f"**{h}:** {c}" for r in t.rows for h, c in zip(t.header, r)]
        elif k == "image":
            out += [b.image.caption] if b.image.caption else []
        elif k == "links":
            out += [b.links.title] if b.links.title else []
            out += [ln.text + (" \u2013 " + ln.description if ln.description else "") for ln in b.links.items]
    for sub in sec.sections:
        out += section_texts(sub, table_forms)
    return out


def is_stacked(lst: Node) -> bool:
    """A table too wide for its page, laid out as a list of rows (items have no label)."""
    items = lst.find("LI")
    return bool(items) and all("Lbl" not in [k.std_role for k in li.elements] for li in items)


def table_nodes(tree: Node) -> list[Node]:
    """Each table's element, in order: a Table, or an L when stacked as a list of rows."""
    return [n for n in tree.walk() if n.std_role == "Table" or (n.std_role == "L" and is_stacked(n))]


def yaml_texts(lf: Leaflet, forms: list[str] | None = None) -> list[str]:
    """Every text of the leaflet as the reader should meet it, in order.

    ``forms`` says how each table was laid out: 'Table', or 'L' (see :func:`table_nodes`).
    """
    forms_it = iter(forms or [])
    out = [lf.title] + ([lf.subtitle] if lf.subtitle else [])
    if lf.booklet:
        out += [lf.booklet.title] + ([lf.booklet.series] if lf.booklet.series else [])
        out += lf.booklet.contents
    if lf.key_points:
        out += [_key_points_title(lf)] + lf.key_points.items
    for sec in lf.sections:
        out += section_texts(sec, forms_it)
    out += paragraphs(lf.acknowledgements or "") + lf.references
    out += paragraphs(lf.feedback or "") + paragraphs(lf.disclaimer or "")
    out += [lf.other_formats] if lf.other_formats else []
    return [norm(plain_text(t)) for t in out]


def _key_points_title(lf: Leaflet) -> str:
    """The key points box's heading: the YAML's, else the label in the leaflet's language."""
    from leafwright.i18n import labels_for

    assert lf.key_points is not None
    return lf.key_points.title or labels_for(lf.language)("key_points")


def yaml_headings(lf: Leaflet) -> list[tuple[int, str]]:
    """(level, text) of every heading the YAML asks for, in order."""
    out = [(1, lf.title)]
    if lf.key_points:
        out.append((2, _key_points_title(lf)))

    def visit(sec: Section, level: int) -> None:
        out.append((level, sec.heading))
        for b in sec.blocks:
            if b.kind == "faq":
                out.extend((level + 1, e.question) for e in b.faq)
            elif b.kind == "links" and b.links.title:
                out.append((level + 1, b.links.title))
        for sub in sec.sections:
            visit(sub, level + 1)

    for sec in lf.sections:
        visit(sec, 2)
    return [(lvl, norm(plain_text(t))) for lvl, t in out]


def yaml_list_counts(lf: Leaflet) -> list[int]:
    """Item counts of every list (not tables laid out as lists), in reading order."""
    out = [len(lf.key_points.items)] if lf.key_points else []

    def visit(sec: Section) -> None:
        for b in sec.blocks:
            if b.kind in ("bullets", "numbered"):
                out.append(len(b.value))
            elif b.kind == "links":
                out.append(len(b.links.items))
        for sub in sec.sections:
            visit(sub)

    for sec in lf.sections:
        visit(sec)
    return out + ([len(lf.references)] if lf.references else [])


def yaml_urls(lf: Leaflet) -> set[str]:
    """Every link target written in the leaflet's text or links blocks."""
    from leafwright.model import iter_texts

    urls = {m for _, t in iter_texts(lf) for m in re.findall(r"\]\(([^)\s]+)\)", t)}
    for sec in _all_sections(lf.sections):
        for b in sec.blocks:
            if b.kind == "links":
                urls |= {ln.url for ln in b.links.items}
    return urls


def _all_sections(sections):
    for s in sections:
        yield s
        yield from _all_sections(s.sections)


# --- comparing ------------------------------------------------------------------------


def headings(rep: PdfReport) -> list[tuple[int, str]]:
    return [
        (int(n.std_role[1]), norm(n.text())) for n in rep.tree.walk() if re.fullmatch(r"H[1-6]", n.std_role)
    ]


def assert_in_order(expected: list, actual: list, what: str) -> None:
    """Every expected item occurs in ``actual``, in the same order."""
    i = 0
    for e in expected:
        while i < len(actual) and actual[i] != e:
            i += 1
        assert i < len(actual), f"{what}: {e!r} missing or out of order"
        i += 1


def assert_text_in_order(expected: list[str], text: str) -> None:
    pos = 0
    for e in expected:
        found = text.find(e, pos)
        assert found >= 0, (
            f"{e[:60]!r} missing from the tagged text after position {pos} "
            f"(found at {text.find(e)}): ...{text[max(0, pos - 80) : pos + 80]}..."
        )
        pos = found + len(e)


def assert_reads_like(rep: PdfReport, lf: Leaflet) -> None:
    """The structure tree read back matches what the YAML says, as a screen reader meets it."""
    tree = rep.tree
    assert tree is not None and [n.role for n in tree.elements] == ["Document"]
    # nothing drawn untagged, nothing marked that the tree does not claim
    assert rep.untagged == []
    assert rep.unclaimed == []
    assert rep.lang == lf.language and rep.title == lf.title and rep.display_doc_title
    # headings: each at its level with its text; levels never skip on the way down
    got = headings(rep)
    assert_in_order(yaml_headings(lf), got, "heading")
    assert got[0] == (1, norm(lf.title))
    assert all(b <= a + 1 for (a, _), (b, _) in itertools.pairwise(got)), got
    # lists: one L per YAML list, with its item count, each item a Lbl and an LBody
    lists = [lst for lst in tree.find("L") if not is_stacked(lst)]
    assert [len(lst.find("LI")) for lst in lists] == yaml_list_counts(lf)
    for lst in lists:
        for li in lst.find("LI"):
            assert [k.std_role for k in li.elements] == ["Lbl", "LBody"]
    # tables: as a Table, or stacked as a list with one item per row
    tables = [b.table for s in _all_sections(lf.sections) for b in s.blocks if b.kind == "table"]
    nodes = table_nodes(tree)
    forms = [n.std_role for n in nodes]
    assert len(nodes) == len(tables)
    for node, tb in zip(nodes, tables):
        rows = node.find("TBody")[0].find("TR") if node.std_role == "Table" else node.find("LI")
        assert len(rows) == len(tb.rows)
    # reading order of the whole text
    assert_text_in_order(yaml_texts(lf, forms), tree_text(tree))
    # links: each names its target and holds its annotation
    links = tree.find("Link")
    assert yaml_urls(lf) <= {a.uri for ln in links for a in ln.annotations}
    for ln in links:
        # a link wrapped over two lines has one annotation per line, all alike
        assert ln.annotations
        for ann in ln.annotations:
            assert ann.uri and ann.contents and norm(ln.text()) in norm(ann.contents)
    # figures: all have alternative text
    for fig in tree.find("Figure"):
        assert fig.alt and fig.alt.strip()
    # footers and page numbers are artifacts, not read out ("Page 1 of", in the
    # leaflet's language: the total is drawn apart, when it is known)
    labels = labels_for(lf.language)
    for n in range(1, rep.pages + 1):
        # the footer's runs on the page (a right-to-left footer is drawn as several)
        footer = "".join(t for page_no, t in rep.artifact_text if page_no == n - 1)
        assert labels("page_of", page=n, total="").strip() in footer
    assert labels("page_of", page=1, total="").strip() not in tree_text(tree)


def ua1(path_or_bytes) -> list[str]:
    """page-validation's PDF/UA-1 failures ('rule: message'); empty when compliant."""
    if isinstance(path_or_bytes, bytes):
        report = page.validate_pdf_bytes(path_or_bytes, profile="ua1")
    else:
        report = page.validate_pdf(str(path_or_bytes), profile="ua1")
    fails = [f"{f.rule_id}: {f.message}" for f in report.failures]
    assert report.is_compliant == (not fails)
    return fails


# --- the samples ----------------------------------------------------------------------


SAMPLE_IDS = [(f.stem, s) for f in LEAFLETS for s in STYLES]


@pytest.mark.parametrize("leaflet_id,style_name", SAMPLE_IDS)
def test_sample_passes_pdf_ua1(samples, leaflet_id, style_name):
    assert ua1(samples[(leaflet_id, style_name)]) == []


@pytest.mark.parametrize("leaflet_id,style_name", SAMPLE_IDS)
def test_sample_structure_matches_yaml(samples, leaflet_id, style_name):
    lf = load_leaflet(Path(LEAFLETS[0]).parent / f"{leaflet_id}.yaml").leaflet
    rep = inspect_pdf(samples[(leaflet_id, style_name)])
    assert_reads_like(rep, lf)
    if lf.booklet:
        (toc,) = rep.tree.find("TOC")
        assert [norm(t.text()) for t in toc.find("TOCI")] == [
            norm(f"{n}.{c}" + (" (this section)" if c == lf.booklet.current else ""))
            for n, c in enumerate(lf.booklet.contents, 1)
        ]


@pytest.mark.parametrize("leaflet_id,style_name", SAMPLE_IDS)
def test_sample_bookmarks_and_link_annotations(samples, leaflet_id, style_name):
    """A bookmark per heading; every link annotation described and in the tree (PDF/UA-1 7.18)."""
    from pypdf import PdfReader

    path = samples[(leaflet_id, style_name)]
    reader = PdfReader(str(path))

    def titles(outline):
        for o in outline:
            yield from titles(o) if isinstance(o, list) else [norm(o.title)]

    rep = inspect_pdf(path)
    assert list(titles(reader.outline)) == [text for _, text in headings(rep)]
    in_tree = sum(len(n.annotations) for n in rep.tree.walk())
    annots = 0
    for pg in reader.pages:
        page_annots = [a.get_object() for a in pg.get("/Annots", [])]
        for a in page_annots:
            assert a["/Contents"] and "/StructParent" in a
        if page_annots:
            assert pg["/Tabs"] == "/S"  # tab order follows the structure
        annots += len(page_annots)
    assert annots == in_tree


@pytest.mark.parametrize("path", LEAFLETS, ids=lambda p: p.stem)
def test_large_print_samples_pass_and_read_like_their_yaml(path):
    from leafwright.render import RenderOptions

    src = load_leaflet(path)
    pdf = render(src, style("default", large_print=True), RenderOptions(variant="large-print"))
    assert ua1(pdf) == []
    assert_reads_like(inspect_pdf(pdf), src.leaflet)


def test_faq_questions_are_headings_followed_by_their_answers(samples):
    lf = load_leaflet(Path(LEAFLETS[0]).parent / "oi-bisphosphonates.yaml").leaflet
    rep = inspect_pdf(samples[("oi-bisphosphonates", "default")])
    faqs = [(sec, b) for sec in _all_sections(lf.sections) for b in sec.blocks if b.kind == "faq"]
    assert faqs
    for sec, block in faqs:
        (sect,) = [
            n
            for n in rep.tree.find("Sect")
            if n.elements and norm(n.elements[0].text()) == norm(plain_text(sec.heading))
        ]
        kids = sect.elements
        for entry in block.faq:
            q = next(i for i, k in enumerate(kids) if norm(k.text()) == norm(entry.question))
            assert kids[q].std_role == f"H{int(kids[0].std_role[1]) + 1}"
            answer = [norm(plain_text(p)) for p in paragraphs(entry.answer)]
            following = kids[q + 1 : q + 1 + len(answer)]
            assert [k.std_role for k in following] == ["P"] * len(answer)
            assert [norm(k.text()) for k in following] == answer


# --- a leaflet with every block type (the starter) ------------------------------------


@pytest.fixture(scope="module")
def starter(tmp_path_factory):
    from leafwright.starter import write_starter

    folder = tmp_path_factory.mktemp("starter")
    (yaml_path, _png) = write_starter("every-block", folder, today=_dt.date(2025, 1, 1))
    src = load_leaflet(yaml_path)
    return src, render(src, style("default"))


def test_starter_with_an_image_passes_and_reads_like_its_yaml(starter):
    src, pdf = starter
    assert ua1(pdf) == []
    rep = inspect_pdf(pdf)
    assert_reads_like(rep, src.leaflet)
    image = next(b.image for s in _all_sections(src.leaflet.sections) for b in s.blocks if b.kind == "image")
    alts = [f.alt for f in rep.tree.find("Figure")]
    assert image.alt in alts
    # each figure says where it is on the page (for reflow and magnifiers)
    width, height = style("default").page_width, style("default").page_height
    for fig in rep.tree.find("Figure"):
        x0, y0, x1, y1 = fig.attrs["BBox"]
        assert 0 <= x0 < x1 <= width and 0 <= y0 < y1 <= height
    # the table: a header row of TH with column scope, then the body rows of TD
    (table,) = rep.tree.find("Table")
    ths = table.find("TH")
    assert [norm(t.text()) for t in ths] == ["When", "What to do"]
    assert all(t.attrs.get("Scope") == "Column" for t in ths)
    assert len(table.find("TBody")[0].find("TR")) == 2
    # the callout is an Aside, role-mapped to Sect and titled (tests/test_announce.py)
    (aside,) = [n for n in rep.tree.walk() if n.role == "Aside"]
    assert aside.std_role == "Sect" and aside.title


def test_links_have_no_empty_marked_content_around_them(starter):
    """A link at the start or end of a paragraph leaves no empty P sequence behind."""
    from leafwright.pdfread import MarkedText

    _, pdf = starter
    rep = inspect_pdf(pdf)
    checked = 0
    for n in rep.tree.walk():
        for k in n.kids:
            if isinstance(k, MarkedText) and n.std_role != "Figure":
                assert k.found and k.text, f"empty marked content in {n.role}"
                checked += 1
    assert checked > 20
    # the links block's item is nothing but a link: its P holds just the Link
    p = next(n for n in rep.tree.find("P") if norm(n.text()) == "Example Health Charity")
    assert [k.std_role for k in p.kids] == ["Link"]


def test_decorative_image_is_an_artifact(tmp_path):
    from leafwright.starter import write_starter

    yaml_path, _ = write_starter("decorative", tmp_path, today=_dt.date(2025, 1, 1))
    text = yaml_path.read_text(encoding="utf-8")
    text = text.replace("alt: A blue square with a white circle in it.", "decorative: true")
    yaml_path.write_text(text, encoding="utf-8")
    pdf = render(load_leaflet(yaml_path), style("default"))
    assert ua1(pdf) == []
    rep = inspect_pdf(pdf)
    assert [f.alt for f in rep.tree.find("Figure")] == [
        "QR code: scan it to open this leaflet online at https://example.org/leaflets/decorative"
    ]
    assert rep.untagged == []


# --- content that breaks across pages -------------------------------------------------


def make_source(tmp_path: Path, sections: list[dict], **extra) -> LeafletSource:
    data = {
        "id": "t",
        "title": "Test leaflet",
        "version": "1",
        "published": "2025-01-01",
        "review_by": "2028-01-01",
        "publisher": {"name": "Test Charity"},
        "sections": sections,
    }
    data.update(extra)
    return LeafletSource(Leaflet.model_validate(data), None, tmp_path)


def test_paragraph_split_across_pages_is_one_element(tmp_path):
    long = " ".join(f"Sentence {i} of a long paragraph that must break across a page." for i in range(120))
    src = make_source(tmp_path, [{"heading": "Long", "blocks": [{"paragraph": long}]}])
    pdf = render(src, style("default"))
    assert ua1(pdf) == []
    rep = inspect_pdf(pdf)
    (p,) = [n for n in rep.tree.find("P") if "Sentence 0 " in n.text()]
    assert len(p.pages) >= 2
    assert norm(p.text()) == norm(long)
    assert_reads_like(rep, src.leaflet)


def test_long_table_repeats_its_header_as_an_artifact(tmp_path):
    rows = [[f"Week {i}", f"Dose {i} with water, then rest"] for i in range(1, 71)]
    table = {"caption": "A long schedule", "header": ["When", "What happens"], "rows": rows}
    src = make_source(tmp_path, [{"heading": "Schedule", "blocks": [{"table": table}]}])
    pdf = render(src, style("default"))
    assert ua1(pdf) == []
    rep = inspect_pdf(pdf)
    (tbl,) = rep.tree.find("Table")
    pages = sorted({pg for n in tbl.walk() for pg in n.pages})
    assert len(pages) >= 2, "the table should span pages"
    # the header is tagged once, on the first page; repeats are pagination artifacts
    ths = tbl.find("TH")
    assert [norm(t.text()) for t in ths] == ["When", "What happens"]
    assert all(t.pages == [pages[0]] for t in ths)
    for pg in pages[1:]:
        assert (pg, "When") in rep.artifact_text
    body_rows = tbl.find("TBody")[0].find("TR")
    assert [[norm(td.text()) for td in tr.find("TD")] for tr in body_rows] == rows
    assert_reads_like(rep, src.leaflet)


# --- random leaflets ------------------------------------------------------------------

# Letters the default style's fonts draw: Atkinson Hyperlegible (Latin) with Noto Sans
# as the fallback for Greek and Cyrillic.
LETTERS = (
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
    "éèàçñøåßœłŁőŠžć"
    "αβγδεζηθλμπσωΑΒΓΔΩ"
    "абвгдежзиклмнопрстуфхцчшщыэюяЖЩЯ"
)
# now and then a word too long for a line, which ReportLab splits inside the word
words = st.one_of(
    st.text(alphabet=LETTERS, min_size=1, max_size=12), st.text(alphabet=LETTERS, min_size=45, max_size=70)
)
texts = (
    st.lists(words, min_size=1, max_size=25)
    .map(" ".join)
    .flatmap(
        lambda s: st.sampled_from(["", ".", "?", "!", ",", " & co.", " (note)", "\u2019s"]).map(
            lambda end: s + end
        )
    )
)
short = st.lists(words, min_size=1, max_size=6).map(" ".join)

blocks = st.one_of(
    texts.map(lambda t: {"paragraph": t}),
    st.lists(texts, min_size=1, max_size=5).map(lambda xs: {"bullets": xs}),
    st.lists(texts, min_size=1, max_size=5).map(lambda xs: {"numbered": xs}),
    st.lists(st.tuples(short, texts), min_size=1, max_size=3).map(
        lambda qs: {"faq": [{"question": q + "?", "answer": a} for q, a in qs]}
    ),
    st.tuples(st.sampled_from(["info", "warning", "note"]), short, texts).map(
        lambda c: {"callout": {"kind": c[0], "title": c[1], "text": c[2]}}
    ),
    st.integers(1, 3)
    .flatmap(
        lambda n: st.tuples(
            st.lists(short, min_size=n, max_size=n),
            st.lists(st.lists(short, min_size=n, max_size=n), min_size=1, max_size=4),
        )
    )
    .map(lambda t: {"table": {"header": t[0], "rows": t[1]}}),
    st.lists(short, min_size=1, max_size=3).map(
        lambda xs: {
            "links": {
                "title": "See also",
                "items": [{"text": x, "url": f"https://example.org/{i}"} for i, x in enumerate(xs)],
            }
        }
    ),
    st.tuples(short, short).map(lambda t: {"paragraph": f"{t[0]} [{t[1]}](https://example.org) end"}),
)
sections = st.lists(
    st.fixed_dictionaries(
        {
            "heading": short,
            "blocks": st.lists(blocks, min_size=1, max_size=4),
            "sections": st.lists(
                st.fixed_dictionaries({"heading": short, "blocks": st.lists(blocks, max_size=2)}), max_size=1
            ),
        }
    ),
    min_size=1,
    max_size=3,
)


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(secs=sections, title=short, key=st.lists(texts, max_size=3))
def test_random_leaflets_are_pdf_ua1(tmp_path, secs, title, key):
    extra = {"key_points": {"items": key}} if key else {}
    src = make_source(tmp_path, secs, **extra)
    src = LeafletSource(src.leaflet.model_copy(update={"title": title}), None, tmp_path)
    pdf = render(src, style("default"))
    assert ua1(pdf) == []
    assert_reads_like(inspect_pdf(pdf), src.leaflet)


# --- inspect on PDFs not made by leafwright -------------------------------------------


def test_tounicode_bfchar_and_both_bfrange_forms():
    from leafwright.pdfread import parse_cmap

    cmap = b"""/CIDInit /ProcSet findresource begin 12 dict begin begincmap
1 begincodespacerange <0000> <FFFF> endcodespacerange
2 beginbfchar <0003> <0020> <0010> <00660069> endbfchar
2 beginbfrange <0020> <0022> <0041> <0030> <0031> [<03B1> <D835DC00>] endbfrange
endcmap"""
    mapping, spaces = parse_cmap(cmap)
    assert spaces == [(b"\x00\x00", b"\xff\xff")]
    assert mapping[b"\x00\x03"] == " "
    assert mapping[b"\x00\x10"] == "fi"  # a ligature maps to two letters
    assert [mapping[bytes([0, c])] for c in (0x20, 0x21, 0x22)] == ["A", "B", "C"]
    assert mapping[b"\x00\x30"] == "\u03b1"
    assert mapping[b"\x00\x31"] == "\U0001d400"  # a surrogate pair


def test_composite_font_codes_decode_through_tounicode():
    """A Type0 font with Identity-H: two-byte codes, one ToUnicode entry each."""
    from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

    from leafwright.pdfread import FontDecoder

    tu = DecodedStreamObject()
    tu.set_data(
        b"1 begincodespacerange <0000> <FFFF> endcodespacerange\n"
        b"1 beginbfrange <0024> <0026> <0041> endbfrange\n"
        b"1 beginbfchar <0003> <0020> endbfchar"
    )
    font = DictionaryObject(
        {
            NameObject("/Subtype"): NameObject("/Type0"),
            NameObject("/BaseFont"): NameObject("/Some-Font"),
            NameObject("/Encoding"): NameObject("/Identity-H"),
            NameObject("/ToUnicode"): tu,
        }
    )
    dec = FontDecoder(font)
    assert dec.decode(b"\x00\x24\x00\x03\x00\x26") == "A C"
    assert dec.decode(b"\x00\x99") == "\ufffd"  # no mapping: a replacement, not a guess


def test_inspect_reads_a_form_xobject_and_named_properties():
    """Text inside a form XObject counts for the marked content it is drawn in."""
    from reportlab.pdfgen.canvas import Canvas

    buf = io.BytesIO()
    c = Canvas(buf)
    c.beginForm("F1")
    c.setFont("Helvetica", 12)
    c.drawString(0, 0, "inside a form")
    c.endForm()
    c._code.append("/Artifact BMC")
    c.doForm("F1")
    c._code.append("EMC")
    c.drawString(100, 100, "loose text")
    c.save()
    rep = inspect_pdf(buf.getvalue())
    assert (0, "inside a form") in rep.artifact_text
    assert [u.text for u in rep.untagged if u.kind == "text"] == ["loose text"]
    assert rep.tree is None and rep.lang is None


# --- leafwright audit -----------------------------------------------------------------


def run_audit(*paths):
    from click.testing import CliRunner

    from leafwright.cli import main

    return CliRunner().invoke(main, ["audit", *map(str, paths)])


def untagged_reportlab_pdf(path: Path) -> Path:
    from reportlab.pdfgen.canvas import Canvas

    c = Canvas(str(path))
    c.setFont("Helvetica", 14)
    c.drawString(72, 720, "Hello from an untagged PDF")
    c.save()
    return path


def tagged_pdf_with_untagged_image(path: Path, image: Path) -> Path:
    """A tagged page (heading, paragraph) with a picture drawn outside the tags."""
    from leafwright.tag import DocMeta, TaggingCanvas, TagTree

    fonts = style("default").fonts
    tree = TagTree("en-GB")
    h1 = tree.root.add("H1")
    p = tree.root.add("P")
    c = TaggingCanvas(str(path), tree=tree, meta=DocMeta(title="Image test", lang="en-GB"))
    c.setTitle("Image test")
    c._doc._pdfVersion = (1, 7)
    c.setFont(fonts.bold, 20)
    with c.marked(h1):
        c.drawString(72, 760, "Image test")
    c.setFont(fonts.regular, 12)
    with c.marked(p):
        c.drawString(72, 730, "The picture below is not tagged.")
    c.drawImage(str(image), 72, 500, 200, 100)
    c.save()
    return path


def test_audit_a_compliant_leaflet(samples):
    res = run_audit(samples[("oi-bisphosphonates", "default")])
    assert res.exit_code == 0, res.output
    out = res.output
    assert "language:  en-GB" in out
    assert "title:     Bisphosphonate treatment of osteogenesis imperfecta" in out
    assert "AtkinsonHyperlegible-Regular (TrueType, embedded)" in out
    # the reading order: headings with their text, nested, links with their targets
    assert '\n    H1 "Bisphosphonate treatment of osteogenesis imperfecta"' in out
    assert '\n      H2 "What are bisphosphonates?"' in out
    assert "-> mailto:bbs@brittlebone.org" in out
    assert 'Figure alt="QR code: scan it to open this leaflet online' in out
    assert out.index('H2 "Key points"') < out.index('H2 "What are bisphosphonates?"')
    assert "104 rules, 0 problem(s)" in out and "result:    compliant (PDF/UA-1)" in out


def test_audit_untagged_reportlab_output(tmp_path):
    res = run_audit(untagged_reportlab_pdf(tmp_path / "plain.pdf"))
    assert res.exit_code == 1
    out = res.output
    assert "NO STRUCTURE TREE" in out
    assert "language:  NOT SET" in out
    assert "Helvetica (Type1, NOT EMBEDDED" in out
    # the untagged text is quoted beside the rule that it breaks, with its page
    assert "page 1: \u201cHello from an untagged PDF\u201d" in out
    for rule in (
        "PDFUA1-STRUCT-TREE-ROOT-001",
        "PDFUA1-CONTENT-TAGGING-001",
        "PDFUA1-TEXT-LANGUAGE-001",
        "PDFUA1-FONT-EMBEDDING-001",
    ):
        assert rule in out
    assert "NOT COMPLIANT" in out


def test_audit_untagged_image(tmp_path):
    from leafwright.starter import _picture

    img = tmp_path / "pic.png"
    img.write_bytes(_picture())
    pdf = tagged_pdf_with_untagged_image(tmp_path / "image.pdf", img)
    res = run_audit(pdf)
    assert res.exit_code == 1
    assert "page 1: \u201c(image)\u201d" in res.output
    assert "PDFUA1-CONTENT-TAGGING" in res.output
    # the tagged text still reads out
    assert 'H1 "Image test"' in res.output and 'P "The picture below is not tagged."' in res.output


def test_audit_pdf_without_lang(samples, tmp_path):
    from pypdf import PdfWriter

    w = PdfWriter(clone_from=str(samples[("oi-bisphosphonates", "default")]))
    del w._root_object["/Lang"]
    path = tmp_path / "nolang.pdf"
    w.write(str(path))
    res = run_audit(path)
    assert res.exit_code == 1
    assert "language:  NOT SET" in res.output
    assert "PDFUA1-TEXT-LANGUAGE-001" in res.output


def test_audit_several_files_and_a_broken_one(samples, tmp_path):
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.7\nnot really\n")
    res = run_audit(samples[("oi-bisphosphonates", "default")], broken)
    assert res.exit_code == 2  # an input the audit cannot read is an input error
    assert "cannot audit this file: this file is damaged" in res.output
    assert res.output.count("== ") == 2 and "Traceback" not in res.output
    assert "summary:" in res.output
    missing = run_audit(tmp_path / "missing.pdf")
    assert missing.exit_code == 2 and "no such file or folder" in missing.output


def test_inspect_a_tagged_pdf_made_elsewhere():
    """A PDF/UA-1 file from Typst 0.15 (tests/data/typst-ua1.typ): CID fonts, Identity-H."""
    path = Path(__file__).parent / "data" / "typst-ua1.pdf"
    rep = inspect_pdf(path)
    assert rep.lang == "en" and rep.title == "Typst test" and rep.untagged == []
    assert all(f.subtype == "Type0" and f.embedded for f in rep.fonts)
    assert headings(rep) == [(1, "Heading one")]
    (p,) = rep.tree.find("P")
    assert p.text() == "Some paragraph text with a link here in it."
    (link,) = p.find("Link")
    assert link.text() == "link here" and link.annotations[0].uri == "https://example.org"
    (lst,) = rep.tree.find("L")
    assert [norm(li.text()) for li in lst.find("LI")] == ["•first item", "•second item"]
    (fig,) = rep.tree.find("Figure")
    assert fig.alt == "An empty box"
    res = run_audit(path)
    assert res.exit_code == 0 and 'H1 "Heading one"' in res.output


def starter_with(tmp_path: Path, name: str, old: str, new: str) -> Path:
    """The starter leaflet with one piece of its YAML replaced."""
    from leafwright.starter import write_starter

    yaml_path, _ = write_starter(name, tmp_path, today=_dt.date(2025, 1, 1))
    text = yaml_path.read_text(encoding="utf-8")
    assert old in text
    yaml_path.write_text(text.replace(old, new), encoding="utf-8")
    return yaml_path


ANSWER = "            answer: Yes. The answer follows the question."


def test_a_run_in_another_language_is_a_span_with_its_lang(tmp_path):
    """`[Croeso]{lang=cy}` gives a Span with /Lang cy inside its paragraph, in reading order."""
    yaml_path = starter_with(
        tmp_path,
        "welsh",
        "A paragraph of plain text.",
        "A paragraph of plain text. Welcome, or [Croeso]{lang=cy} in Welsh, and [**Bore da**]{lang=cy}.",
    )
    pdf = render(load_leaflet(yaml_path), style("default"))
    assert ua1(pdf) == []
    rep = inspect_pdf(pdf)
    spans = [n for n in rep.tree.walk() if n.std_role == "Span"]
    assert [(norm(s.text()), s.lang) for s in spans] == [("Croeso", "cy"), ("Bore da", "cy")]
    para = next(n for n in rep.tree.find("P") if "Welcome, or" in n.text())
    assert "Welcome, or Croeso in Welsh, and Bore da." in norm(para.text())
    assert spans[0] in para.kids


def test_an_answer_can_hold_a_list_and_reads_after_its_question(tmp_path):
    yaml_path = starter_with(
        tmp_path,
        "faqlist",
        ANSWER,
        "            answer:\n"
        '              - paragraph: "Researchers are still asking:"\n'
        "              - bullets: [How long should treatment last?, Which drug works best?]\n"
        "          - question: And a plain answer?\n"
        "            answer: Still works.",
    )
    pdf = render(load_leaflet(yaml_path), style("default"))
    assert ua1(pdf) == []
    rep = inspect_pdf(pdf)
    sect = next(
        n
        for n in rep.tree.find("Sect")
        if n.elements and norm(n.elements[0].text()) == "Questions people ask"
    )
    kids = [(k.std_role, norm(k.text())) for k in sect.elements]
    assert kids[1:] == [
        ("H3", "Is this a question?"),
        ("P", "Researchers are still asking:"),
        ("L", "•How long should treatment last?•Which drug works best?"),
        ("H3", "And a plain answer?"),
        ("P", "Still works."),
    ]


def test_an_answer_cannot_hold_a_picture(tmp_path):
    from leafwright.errors import LeafwrightError

    yaml_path = starter_with(
        tmp_path,
        "faqpic",
        ANSWER,
        "            answer:\n              - image: {file: faqpic-picture.png, alt: A picture}",
    )
    with pytest.raises(LeafwrightError) as exc:
        load_leaflet(yaml_path)
    (d,) = exc.value.diagnostics
    assert d.path == "sections[1].blocks[0].faq[0].answer"
    assert "cannot be image" in d.message
