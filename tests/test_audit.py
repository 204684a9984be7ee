"""``leafwright audit``: plain findings located by page and element, its own checks, formats.

Each defect is shown on a PDF that has it (hand-made in :mod:`pdfmaker`, a changed
sample, or a leaflet built with the defect) and, where leafwright can avoid it, on
one that does not.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfWriter
from pypdf.generic import BooleanObject, DictionaryObject, NameObject

from leafwright.audit import audit_pdf, explain_rule
from leafwright.cli import main
from leafwright.pdfread import inspect_pdf
from pdfmaker import Block, make_pdf


def run(*args):
    return CliRunner().invoke(main, ["audit", *map(str, args)])


def codes(result) -> list[str]:
    return [f.code for f in result.findings]


def sample(samples, name="oi-bisphosphonates"):
    return samples[(name, "default")]


# --- issue 9 item 5: reading the PDF right, and saying when it cannot ---------------------


def test_false_booleans_read_as_false(samples, tmp_path):
    """pypdf's BooleanObject(False) is truthy: /Marked false and /DisplayDocTitle false were read as true."""
    w = PdfWriter(clone_from=str(sample(samples)))
    w._root_object[NameObject("/MarkInfo")] = DictionaryObject({NameObject("/Marked"): BooleanObject(False)})
    w._root_object[NameObject("/ViewerPreferences")] = DictionaryObject(
        {NameObject("/DisplayDocTitle"): BooleanObject(False)}
    )
    path = tmp_path / "false.pdf"
    w.write(str(path))
    rep = inspect_pdf(path)
    assert rep.marked is False and rep.display_doc_title is False
    res = run(path)
    assert res.exit_code == 1
    assert "(NOT shown in the window title: viewers show the file name)" in res.output
    assert "Viewers are not told to show the document's title" in res.output
    assert "The PDF does not declare itself as tagged" in res.output  # PDFUA1-TAGGED-DOCUMENT-001
    # and the true values still read as true
    rep = inspect_pdf(sample(samples))
    assert rep.marked is True and rep.display_doc_title is True


def test_a_file_that_is_not_a_pdf_says_so_and_exits_2(tmp_path):
    notes = tmp_path / "notes.pdf"
    notes.write_text("Meeting notes, not a PDF at all.\n")
    res = run(notes)
    assert res.exit_code == 2
    assert "cannot audit this file: this is not a PDF" in res.output
    assert "Traceback" not in res.output


def test_encrypted_files(samples, tmp_path):
    """AES with a password: said plainly, exit 2. AES with an empty password: audited as usual."""
    locked = tmp_path / "locked.pdf"
    w = PdfWriter(clone_from=str(sample(samples)))
    w.encrypt(user_password="secret", owner_password="owner", algorithm="AES-256")
    w.write(str(locked))
    res = run(locked)
    assert res.exit_code == 2
    assert "encrypted with a password" in res.output and "cryptography" not in res.output

    open_ = tmp_path / "nocopy.pdf"
    w = PdfWriter(clone_from=str(sample(samples)))
    w.encrypt(user_password="", owner_password="owner", algorithm="AES-128")
    w.write(str(open_))
    res = run(open_)
    assert res.exit_code in (0, 1), res.output
    assert "(encrypted, opened without a password)" in res.output
    assert 'H2 "What are bisphosphonates?"' in res.output


# --- every finding located and said plainly ---------------------------------------------


def test_a_rule_failure_names_its_page_element_and_text(samples, tmp_path):
    """A Figure without /Alt: the finding gives the page, the structure path and what to do."""
    w = PdfWriter(clone_from=str(sample(samples)))
    root = w._root_object["/StructTreeRoot"].get_object()

    def strip_alt(elem):
        elem = elem.get_object()
        if isinstance(elem, DictionaryObject):
            if elem.get("/S") == "/Figure" and "/Alt" in elem:
                del elem["/Alt"]
            for k in elem.get("/K", []) if isinstance(elem.get("/K"), list) else [elem.get("/K")]:
                if k is not None and not isinstance(k, int):
                    strip_alt(k)

    strip_alt(root)
    path = tmp_path / "noalt.pdf"
    w.write(str(path))
    result = audit_pdf(path)
    (f,) = [f for f in result.findings if f.code == "PDFUA1-FIGURE-ALTERNATIVE-TEXT-001"]
    (fig,) = inspect_pdf(sample(samples)).tree.find("Figure")  # the QR code
    assert f.page == fig.pages[0] + 1
    assert f.element.startswith("Document > ") and f.element.endswith("Figure")
    assert f.message.startswith("A picture has no alternative text")
    assert "alt text" in f.fix
    res = run(path)
    assert f"page {f.page}, {f.element}" in res.output


def test_every_rule_has_a_plain_explanation():
    """No finding falls back to the checker's jargon alone ("outline item is an outline entry")."""
    for rule in (
        "PDFUA1-OUTLINE-LANGUAGE-001",
        "PDFUA1-FONT-EMBEDDING-001",
        "PDFUA1-TAGGED-CONTENT-INSIDE-ARTIFACT-001",
    ):
        message, fix = explain_rule(rule)
        assert "object" not in message and message.endswith(".") and fix
    assert explain_rule("PDFUA1-OUTLINE-LANGUAGE-001")[0].startswith("The bookmarks have no language")
    # the table family does not swallow rules that merely start with T
    assert "table" not in explain_rule("PDFUA1-TAGGED-CONTENT-INSIDE-ARTIFACT-001")[0]
    assert "table" not in explain_rule("PDFUA1-TRUETYPE-SYMBOLIC-ENCODING-001")[0].lower()


# --- the audit's own checks ---------------------------------------------------------------


def defects_pdf(tmp_path: Path) -> Path:
    return make_pdf(
        tmp_path / "defects.pdf",
        [
            Block("H1", [(72, 780, "A heading")]),
            Block("H3", [(72, 750, "Skipped to three")]),
            Block("P", [(72, 720, "The first line ends with a word"), (72, 705, "and the next goes on.")]),
            Block("P", [(72, 680, "Left column starts here and goes on for a while.")]),
            Block("P", [(330, 680, "Right column starts here and also goes on a bit.")]),
            Block("P", [(72, 650, "Left column second paragraph, read after the right.")]),
            Block("P", [(330, 650, "Right column second paragraph comes last of all.")]),
            Block("P", [(72, 600, "Nobody claims this text at all")], claimed=False),
            Block("Figure", [], alt="IMG_0042.jpg", figure_box=(72, 400, 100, 100)),
            Block("Figure", [], alt="image", figure_box=(200, 400, 100, 100)),
        ],
    )


def clean_pdf(tmp_path: Path) -> Path:
    """The same content without the defects: spaces at line ends, columns read in turn."""
    return make_pdf(
        tmp_path / "clean.pdf",
        [
            Block("H1", [(72, 780, "A heading")]),
            Block("H2", [(72, 750, "Now at level two")]),
            Block("P", [(72, 720, "The first line ends with a word "), (72, 705, "and the next goes on.")]),
            Block("P", [(72, 680, "Left column starts here and goes on for a while.")]),
            Block("P", [(72, 650, "Left column second paragraph, read after the right.")]),
            Block("P", [(330, 680, "Right column starts here and also goes on a bit.")]),
            Block("P", [(330, 650, "Right column second paragraph comes last of all.")]),
            Block("Figure", [], alt="A grey square.", figure_box=(72, 400, 100, 100)),
        ],
    )


def test_the_extra_checks_find_each_defect_and_name_it(tmp_path):
    result = audit_pdf(defects_pdf(tmp_path))
    found = {f.code: f for f in result.warnings}
    assert set(found) == {"unread-content", "glued-words", "column-jump", "alt-text-file-name"}
    # the skipped heading is page-validation's rule here, located; not reported twice
    (nesting,) = [f for f in result.errors if f.code == "PDFUA1-HEADING-NESTING-001"]
    assert nesting.element == "Document > H3" and nesting.excerpt == "Skipped to three"
    assert (
        found["unread-content"].excerpt == "Nobody claims this text at all"
        and found["unread-content"].page == 1
    )
    assert found["glued-words"].note == 'heard as "wordand"'
    assert found["glued-words"].excerpt == "The first line ends with a wordand the next goes on."
    assert found["glued-words"].element == "Document > P"
    assert found["column-jump"].excerpt == "Left column second paragraph, read after the right."
    alts = [f.excerpt for f in result.warnings if f.code == "alt-text-file-name"]
    assert alts == ["IMG_0042.jpg", "image"]
    assert all(f.page == 1 for f in result.findings if f.code != "PDFUA1-FONT-EMBEDDING-001" and f.page)


def test_the_extra_checks_stay_quiet_on_the_same_content_done_right(tmp_path):
    result = audit_pdf(clean_pdf(tmp_path))
    assert result.warnings == []
    assert "PDFUA1-HEADING-NESTING-001" not in codes(result)


def test_skipped_heading_is_reported_when_the_rules_do_not(tmp_path):
    """page-validation checks nesting within the tree; the audit also reads heading levels in order."""
    path = make_pdf(
        tmp_path / "h.pdf",
        [
            Block("H1", [(72, 780, "Title")]),
            Block("H2", [(72, 750, "Part")]),
            Block("H4", [(72, 720, "Deep")]),
        ],
    )
    result = audit_pdf(path)
    heading = [f for f in result.findings if "HEADING" in f.code.upper()]
    assert len(heading) == 1 and heading[0].excerpt == "Deep"
    if heading[0].code == "skipped-heading":
        assert heading[0].note == "a Heading 4 straight after a Heading 2"


def test_text_in_another_script_without_its_language(tmp_path):
    """Greek words in an English leaflet: flagged without {lang=el}, quiet with it."""
    import datetime as dt

    from conftest import style
    from leafwright.render import load_leaflet, render
    from leafwright.starter import write_starter

    yaml_path, _ = write_starter("greek", tmp_path, today=dt.date(2025, 1, 1))
    text = yaml_path.read_text(encoding="utf-8")
    old = "A paragraph of plain text."
    greek = "Οστεογένεση ατελής"
    for name, new in (
        ("bare", f"{old} In Greek: {greek}."),
        ("marked", f"{old} In Greek: [{greek}]{{lang=el}}."),
    ):
        yaml_path.write_text(text.replace(old, new), encoding="utf-8")
        pdf = tmp_path / f"{name}.pdf"
        pdf.write_bytes(render(load_leaflet(yaml_path), style("default")))
        result = audit_pdf(pdf)
        found = [f for f in result.findings if f.code == "script-without-lang"]
        if name == "bare":
            assert len(found) == 1, result.findings
            assert (
                found[0].note.startswith("Greek script (\u201cΟστεογένεση")
                and "read as en-GB" in found[0].note
            )
            assert found[0].element.endswith("P") and found[0].page == 1
        else:
            assert found == [] and result.compliant


def test_a_bare_web_address_as_link_text(samples):
    """The OI sample prints www.brittlebone.org as its link text: a warning, not a PDF/UA failure."""
    result = audit_pdf(sample(samples))
    assert result.compliant
    links = [f for f in result.warnings if f.code == "bare-url-link"]
    assert links and all(f.excerpt == "www.brittlebone.org" and f.page for f in links)
    assert all(f.code == "bare-url-link" for f in result.warnings)


def test_samples_have_no_warnings_beyond_their_link_text(samples):
    """Our own PDFs keep spaces at line ends, read in order, and skip no heading level."""
    for (name, st), path in samples.items():
        result = audit_pdf(path)
        assert result.compliant, (name, st)
        assert {f.code for f in result.warnings} <= {"bare-url-link"}, (name, st, result.warnings)


# --- formats, folders, globs --------------------------------------------------------------


def test_json_format(tmp_path):
    path = defects_pdf(tmp_path)
    res = run("--format", "json", path)
    assert res.exit_code == 1
    data = json.loads(res.output)
    assert data["summary"] == {"files": 1, "compliant": 0, "not_compliant": 1, "unreadable": 0}
    (f,) = data["files"]
    assert f["verdict"] == "not-compliant" and f["warnings"] == 5
    glued = next(x for x in f["findings"] if x["code"] == "glued-words")
    assert glued["page"] == 1 and glued["element"] == "Document > P" and glued["severity"] == "warning"
    assert f["reading"][0] == {"page": 1, "depth": 0, "role": "heading level 1", "text": "A heading"}


def test_html_report_is_escaped_and_shows_pages_and_reading_order(tmp_path):
    path = make_pdf(
        tmp_path / "x.pdf",
        [Block("H1", [(72, 780, "<b>Bold?</b> & more")]), Block("P", [(72, 750, "Body text.")])],
        title="<script>alert(1)</script>",
    )
    out = tmp_path / "report.html"
    res = run("--format", "html", "-o", out, path)
    assert res.exit_code == 1 and "wrote" in res.output
    page = out.read_text(encoding="utf-8")
    assert "<script>" not in page and "<b>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "&lt;b&gt;Bold?&lt;/b&gt; &amp; more" in page
    assert page.count('<img src="data:image/png;base64,') == 1 and 'alt="Page 1 of x.pdf"' in page
    assert '<th scope="col">PDF/UA-1</th>' in page and '<html lang="en">' in page
    assert '<span class="role">heading level 1</span> &lt;b&gt;' in page
    assert "What to do:" in page


def test_a_folder_and_a_quoted_glob_give_a_summary_table(samples, tmp_path):
    folder = tmp_path / "pdfs"
    folder.mkdir()
    for name in ("oi-bisphosphonates", "denosumab-osteoporosis"):
        (folder / f"{name}.pdf").write_bytes(sample(samples, name).read_bytes())
    defects_pdf(folder)
    res = run(folder)
    assert res.exit_code == 1
    assert res.output.count("== ") == 3
    tail = res.output[res.output.index("summary:") :]
    assert "denosumab-osteoporosis.pdf" in tail and "defects.pdf" in tail
    assert "3 files: 2 compliant, 1 not compliant, 0 unreadable" in tail
    res = run(str(folder / "d*.pdf"))
    assert res.output.count("== ") == 2
    assert run(str(folder / "nothing*.pdf")).exit_code == 2
    empty = tmp_path / "empty"
    empty.mkdir()
    res = run(empty)
    assert res.exit_code == 2 and "no PDF files in folder" in res.output


@pytest.mark.parametrize("fmt", ["text", "json", "html"])
def test_a_compliant_file_exits_0_in_every_format(samples, fmt):
    res = run("--format", fmt, sample(samples, "denosumab-osteoporosis"))
    assert res.exit_code == 0, res.output


def test_lines_in_scripts_without_spaces_are_not_glued_words():
    """Chinese or Thai text breaks lines between characters: no space is missing there."""
    from leafwright.audit import _check_glued, _Places
    from leafwright.pdfread import LINE_BREAK, MarkedText, Node, PdfReport

    def para(raw: str) -> Node:
        return Node("P", "P", kids=[MarkedText(0, 0, raw.replace(LINE_BREAK, ""), True, raw, (72.0, 700.0))])

    tree = Node(
        "",
        "",
        kids=[para("骨质疏松症是一种" + LINE_BREAK + "常见的疾病"), para("once a" + LINE_BREAK + "week")],
    )
    report = PdfReport(1, tree, "zh", "t", True, True, [], [], [], [])
    found = _check_glued(_Places(report), tree)
    assert [f.note for f in found] == ['heard as "aweek"']
