"""Leaflets build into PDFs that carry every piece of their text, in order, with the
furniture, fonts and page sizes a reader and a printer expect."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pypdf
import pytest
from pydantic import BaseModel

from conftest import LEAFLETS, ROOT, STYLES, assert_golden, diagnostic_blocks, run_cli, style
from leafwright.i18n import labels_for
from leafwright.inline import plain_text
from leafwright.model import walk_sections
from leafwright.render import load_leaflet, render
from leafwright.scripts import is_rtl

STANDARD_14 = {
    "Courier",
    "Courier-Bold",
    "Courier-Oblique",
    "Courier-BoldOblique",
    "Helvetica",
    "Helvetica-Bold",
    "Helvetica-Oblique",
    "Helvetica-BoldOblique",
    "Times-Roman",
    "Times-Bold",
    "Times-Italic",
    "Times-BoldItalic",
    "Symbol",
    "ZapfDingbats",
}


def norm(text: str) -> str:
    """Whitespace folded, so wrapped lines compare with the YAML's text."""
    return re.sub(r"\s+", " ", text).strip()


def pdf_text(path: Path) -> list[str]:
    """The extracted, normalised text of each page."""
    return [norm(p.extract_text()) for p in pypdf.PdfReader(path).pages]


def yaml_texts_in_order(leaflet) -> list[str]:
    """Every heading, paragraph, list item, question and answer of the leaflet, in YAML order."""
    out: list[str] = [leaflet.title]
    for section, _level in walk_sections(leaflet.sections):
        out.append(section.heading)
        for block in section.blocks:
            v = block.value
            if block.kind == "paragraph":
                out += [p for p in v.split("\n\n") if p.strip()]
            elif block.kind in ("bullets", "numbered"):
                for item in v:
                    if isinstance(item, str):
                        out.append(item)
                    else:
                        out += ([item.lead] if item.lead else []) + [item.text]
            elif block.kind == "faq":
                for e in v:
                    out += [e.question] + [p for p in e.answer.split("\n\n") if p.strip()]
            elif block.kind == "callout":
                out += [p for p in v.text.split("\n\n") if p.strip()]
            elif block.kind == "table":
                out += ([v.caption] if v.caption else []) + v.header + [c for r in v.rows for c in r]
            elif block.kind == "links":
                out += [link.text for link in v.items]
        # sub-sections come after the blocks: walk_sections yields them next
    return [norm(plain_text(t)) for t in out]


#: samples written left to right: pypdf's text extraction gives a right-to-left line in the
#: order it is drawn, not read; the Arabic sample's reading order is checked from its
#: structure tree instead (test_tagging.test_sample_structure_matches_yaml)
LTR = [p for p in LEAFLETS if not is_rtl(load_leaflet(p).leaflet.language)]


@pytest.mark.parametrize("path", LTR, ids=lambda p: p.stem)
def test_sample_text_is_all_there_in_yaml_order(samples, path):
    src = load_leaflet(path)
    # the footer is drawn first on every page: take it out so that a paragraph running on
    # to the next page reads on, and so that the footer cannot stand in for body text
    pages = pdf_text(samples[(src.leaflet.id, "default")])
    text = " ".join(re.sub(r"^.*?Page \d+ of \d+ ", "", p, count=1) for p in pages)
    pos = 0
    for expected in yaml_texts_in_order(src.leaflet):
        found = text.find(expected, pos)
        assert found >= 0, f"not found after position {pos}: {expected[:80]!r}"
        pos = found + len(expected)


@pytest.mark.parametrize("style_name", STYLES)
def test_fonts_embedded_no_standard_14_and_page_size(samples, style_name):
    st = style(style_name)
    for (lid, s), path in samples.items():
        if s != style_name:
            continue
        reader = pypdf.PdfReader(path)
        for page in reader.pages:
            assert float(page.mediabox.width) == pytest.approx(st.page_width, abs=0.01)
            assert float(page.mediabox.height) == pytest.approx(st.page_height, abs=0.01)
        for page in reader.pages:
            fonts = page["/Resources"]["/Font"]
            for _name, ref in fonts.items():
                font = ref.get_object()
                base = str(font["/BaseFont"]).lstrip("/")
                assert base.split("+")[-1] not in STANDARD_14, f"{lid}: {base} is a standard-14 font"
                desc = font["/FontDescriptor"].get_object()
                assert "/FontFile2" in desc, f"{lid}: {base} is not embedded"
                assert "/ToUnicode" in font, f"{lid}: {base} has no ToUnicode map"


def test_tounicode_maps_no_code_to_u0000(samples):
    # ReportLab maps unused codes to U+0000; PDF/UA-1 rejects that, so we leave them out
    reader = pypdf.PdfReader(samples[("oi-bisphosphonates", "default")])
    for ref in reader.pages[0]["/Resources"]["/Font"].values():
        cmap = ref.get_object()["/ToUnicode"].get_object().get_data().decode()
        assert "<0000>" not in cmap


@pytest.mark.parametrize("path", LTR, ids=lambda p: p.stem)
def test_footer_and_page_x_of_y_on_every_page(samples, path):
    src = load_leaflet(path)
    lf = src.leaflet
    pages = pdf_text(samples[(lf.id, "default")])
    lb = labels_for(lf.language)  # the footer's words are in the leaflet's language
    for n, text in enumerate(pages, 1):
        assert lb("page_of", page=n, total=len(pages)) in text
        # what the leaflet states is printed; what it does not is left out, never guessed
        if lf.publisher:
            assert lf.publisher.name in text
        assert (f"{lb('version')} {lf.version}" in text) == (lf.version is not None)
        assert (lb("version") in text) == (lf.version is not None)
        if lf.published:
            assert f"{lb('published')} {lb.date(lf.published)}" in text
        else:
            assert lb("published") not in text
        assert ("Review by" in text) == (lf.review_by is not None)


def test_greek_beta_is_drawn_in_the_fallback_font(samples):
    path = samples[("denosumab-osteoporosis", "default")]
    text = " ".join(pdf_text(path))
    assert "Kappa-\u0392 Ligand" in text
    fonts = {
        str(f.get_object()["/BaseFont"])
        for p in pypdf.PdfReader(path).pages
        for f in p["/Resources"]["/Font"].values()
    }
    assert any("NotoSans" in f for f in fonts)


LEAFLET_HEAD = """\
id: {id}
title: {title}
version: "1.0"
published: 2024-01-01
review_by: 2027-01-01
publisher:
  name: Example Charity
  address: [1 High Street, Dundee]  # a contact (LW504) that makes no link
"""

#: What `leafwright build`'s governance checks require (LW505-LW508), after the body.
LEAFLET_TAIL = """
authors: [{name: A Writer}]
references: [Sources are available on request.]
disclaimer: This leaflet does not replace your doctor's advice.
feedback: Email us to tell us what you think.
"""


def write_leaflet(folder: Path, body: str, *, lid: str = "test-leaflet", title: str = "Test") -> Path:
    path = folder / f"{lid}.yaml"
    path.write_text(LEAFLET_HEAD.format(id=lid, title=title) + body + LEAFLET_TAIL, encoding="utf-8")
    return path


def test_markup_is_printed_literally(tmp_path):
    body = """\
sections:
  - heading: "<font name=Courier>Heading</font>"
    blocks:
      - paragraph: 'Do not run <img src="x.png"/> or <b>this</b> &amp; <a href="https://x.org">that</a>.'
      - bullets: ["<br/> stays text", "5 < 6 & 7 > 3"]
"""
    path = write_leaflet(tmp_path, body)
    pdf = render(load_leaflet(path), style())
    out = tmp_path / "x.pdf"
    out.write_bytes(pdf)
    text = " ".join(pdf_text(out))
    assert "<font name=Courier>Heading</font>" in text
    assert 'Do not run <img src="x.png"/> or <b>this</b> &amp; <a href="https://x.org">that</a>.' in text
    assert "<br/> stays text" in text
    assert "5 < 6 & 7 > 3" in text
    # and no link annotation was made from the raw <a> tag
    assert all("/Annots" not in p for p in pypdf.PdfReader(out).pages)


def test_inline_markdown_bold_and_links(tmp_path):
    path = write_leaflet(
        tmp_path,
        """\
sections:
  - heading: One
    blocks:
      - paragraph: Take it **every six months** and read [our guide](https://example.org/guide).
""",
    )
    out = tmp_path / "x.pdf"
    out.write_bytes(render(load_leaflet(path), style()))
    reader = pypdf.PdfReader(out)
    text = norm(reader.pages[0].extract_text())
    assert "Take it every six months and read our guide." in text
    uris = [a.get_object()["/A"]["/URI"] for p in reader.pages for a in p.get("/Annots", [])]
    assert "https://example.org/guide" in uris
    fonts = {str(f.get_object()["/BaseFont"]) for f in reader.pages[0]["/Resources"]["/Font"].values()}
    assert any(f.endswith("AtkinsonHyperlegible-Bold") for f in fonts)


def _cases(folder: str):
    d = Path(__file__).resolve().parent / "cases" / folder
    return sorted(d.glob("*.yaml"))


@pytest.mark.parametrize("case", _cases("errors"), ids=lambda p: p.stem)
def test_error_cases_validate(case):
    """Each broken leaflet gives exactly the messages in its .expect file: every located
    line, its source line with the caret, and its hint (LEAFWRIGHT_REGEN=1 rewrites them)."""
    r = run_cli(["validate", case.name], cwd=case.parent)
    assert r.exit_code == 1
    assert_golden(case.with_suffix(".expect"), diagnostic_blocks(r.stderr, case.name))


@pytest.mark.parametrize("case", _cases("render-errors"), ids=lambda p: p.stem)
def test_render_error_cases_build(case, tmp_path):
    """Unsafe paths, missing images, bad links and unprintable characters fail cleanly, no PDF."""
    r = run_cli(["build", case.name, "--out", str(tmp_path)], cwd=case.parent)
    assert r.exit_code == 1
    # a hint may name where it looked: the folder is written as <cases>, wherever the checkout is
    got = diagnostic_blocks(r.stderr, case.name).replace(str(case.parent.resolve()), "<cases>")
    assert_golden(case.with_suffix(".expect"), got)
    assert not list(tmp_path.iterdir()), "a failed leaflet must write nothing"


def test_error_hints_point_the_way():
    """The one golden run as a user runs it: a real process, its exit code and stderr."""
    case = Path(__file__).resolve().parent / "cases" / "errors" / "unknown-block.yaml"
    r = subprocess.run(
        [sys.executable, "-m", "leafwright.cli", "validate", case.name],
        capture_output=True,
        text=True,
        cwd=case.parent,
    )
    assert r.returncode == 1
    assert "Traceback" not in r.stderr
    assert "did you mean 'bullets'?" in r.stderr
    assert "          - bulets:\n            ^" in r.stderr
    assert diagnostic_blocks(r.stderr, case.name) == case.with_suffix(".expect").read_text(encoding="utf-8")


def test_failed_leaflet_leaves_earlier_pdf_untouched_and_others_build(tmp_path):
    good = write_leaflet(
        tmp_path, "sections:\n  - heading: One\n    blocks:\n      - paragraph: Hello.\n", lid="good"
    )
    bad = write_leaflet(
        tmp_path, "sections:\n  - heading: One\n    blocks:\n      - paragraph: Hello.\n", lid="bad"
    )
    out = tmp_path / "out"
    r = run_cli(["build", str(tmp_path), "--out", str(out)], cwd=ROOT)
    assert r.exit_code == 0, r.stderr
    before = (out / "bad.pdf").read_bytes()
    bad.write_text(bad.read_text().replace("paragraph: Hello.", "paragrap: Hello."))
    good.write_text(good.read_text().replace("Hello.", "Hello again."))
    r = run_cli(["build", str(tmp_path), "--out", str(out)], cwd=ROOT)
    assert r.exit_code == 1
    assert "unknown block 'paragrap'" in r.stderr
    assert "Traceback" not in r.stderr
    assert (out / "bad.pdf").read_bytes() == before
    assert "Hello again." in " ".join(pdf_text(out / "good.pdf"))
    assert not [p for p in out.iterdir() if p.name.startswith(".")], "temp files left behind"


def test_unknown_style_and_font_fail_cleanly(tmp_path):
    leaflet = write_leaflet(tmp_path, "sections: []\n")
    r = run_cli(["build", str(leaflet), "--style", "defualt", "--out", str(tmp_path / "out")], cwd=ROOT)
    assert r.exit_code == 2
    assert "unknown style 'defualt'" in r.stderr and "did you mean 'default'?" in r.stderr
    assert "heather" in r.stderr  # lists what exists
    bad_font = tmp_path / "brand.yaml"
    bad_font.write_text("extends: default\nfonts: {family: Comic Sands}\n")
    r = run_cli(["build", str(leaflet), "--style", str(bad_font), "--out", str(tmp_path / "out")], cwd=ROOT)
    assert r.exit_code == 2
    assert "unknown font family 'Comic Sands'" in r.stderr
    assert "Atkinson Hyperlegible" in r.stderr  # lists what is installed
    assert "Traceback" not in r.stderr
    missing_parent = tmp_path / "child.yaml"
    missing_parent.write_text("extends: nonesuch\n")
    r = run_cli(["build", str(leaflet), "--style", str(missing_parent)], cwd=ROOT)
    assert r.exit_code == 2 and "unknown style 'nonesuch'" in r.stderr
    assert not (tmp_path / "out").exists()


def test_style_extends_overrides_key_by_key(tmp_path):
    child = tmp_path / "child.yaml"
    child.write_text('extends: default\ncolours: {primary: "#6a1b4d"}\ntype: {body: 14}\n')
    from leafwright.style import resolve_style

    st = resolve_style(str(child), [ROOT / "styles"])
    parent = style("default")
    assert st.colours.primary == "#6a1b4d"
    assert st.colours.accent == parent.colours.accent  # untouched keys come from the parent
    assert st.type.body == 14 and st.type.h2 == parent.type.h2


def test_same_inputs_give_byte_identical_pdfs(tmp_path):
    path = ROOT / "leaflets" / "denosumab-osteoporosis.yaml"
    first = render(load_leaflet(path), style())
    second = render(load_leaflet(path), style())
    assert first == second
    # and in a fresh process (font registration order, hash seeds, dicts)
    code = (
        "import sys; from leafwright.render import load_leaflet, render; "
        "from leafwright.style import resolve_style; "
        f"sys.stdout.buffer.write(render(load_leaflet({str(path)!r}), "
        f"resolve_style('default', [__import__('pathlib').Path({str(ROOT / 'styles')!r})])))"
    )
    fresh = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        check=True,
        env={"PYTHONHASHSEED": "123", "PATH": "/usr/bin:/bin"},
    ).stdout
    assert fresh == first


def test_new_writes_a_starter_that_builds(tmp_path):
    r = run_cli(["new", "my-leaflet", "--dir", str(tmp_path)], cwd=ROOT)
    assert r.exit_code == 0, r.stderr
    src = load_leaflet(tmp_path / "my-leaflet.yaml")
    kinds = {b.kind for s, _ in walk_sections(src.leaflet.sections) for b in s.blocks}
    from leafwright.model import BLOCK_TYPES

    assert kinds == set(BLOCK_TYPES)
    pdf = render(src, style())
    assert pdf.startswith(b"%PDF-1.7")
    r = run_cli(["new", "my-leaflet", "--dir", str(tmp_path)], cwd=ROOT)
    assert r.exit_code == 2 and "already exists" in r.stderr


def test_schema_command_prints_documented_json_schema():
    import json

    r = run_cli(["schema"])
    schema = json.loads(r.stdout)
    assert "sections" in schema["required"]
    # every field carries its one-line description, taken from the schema classes
    defs = schema["$defs"]
    for name, d in list(defs.items()) + [("Leaflet", schema)]:
        for field, spec in d.get("properties", {}).items():
            assert spec.get("description"), f"{name}.{field} has no description"


def test_every_model_field_has_a_docstring():
    from leafwright import model
    from leafwright import style as style_mod
    from leafwright.schema import field_description

    for mod in (model, style_mod):
        for obj in vars(mod).values():
            if isinstance(obj, type) and issubclass(obj, BaseModel) and obj.__module__ == mod.__name__:
                for name in obj.model_fields:
                    assert field_description(obj, name), f"{obj.__name__}.{name} has no docstring"


def test_phone_numbers_never_split_across_lines(tmp_path):
    words = "Please call our helpline"
    paras = "\n".join(
        f"      - paragraph: {' '.join(['word'] * n)} {words} on 0808 800 1234 today." for n in range(1, 25)
    )
    path = write_leaflet(tmp_path, f"sections:\n  - heading: One\n    blocks:\n{paras}\n")
    out = tmp_path / "x.pdf"
    out.write_bytes(render(load_leaflet(path), style()))
    lines = [ln for p in pypdf.PdfReader(out).pages for ln in p.extract_text().splitlines()]
    assert sum("0808 800 1234" in ln for ln in lines) == 24
    assert not any(re.search(r"(^|\D)(0808|0808 800)\s*$", ln) for ln in lines)


def test_a_heading_is_never_the_last_line_of_a_page(tmp_path):
    sections = []
    for i in range(14):
        paras = "\n".join(
            f"      - paragraph: {'Some words in a paragraph. ' * (3 + (i * 7 + j) % 9)}"
            for j in range(1 + i % 3)
        )
        sections.append(f"  - heading: Heading number {i}\n    blocks:\n{paras}")
    path = write_leaflet(tmp_path, "sections:\n" + "\n".join(sections) + "\n")
    out = tmp_path / "x.pdf"
    out.write_bytes(render(load_leaflet(path), style()))
    pages = pypdf.PdfReader(out).pages
    assert len(pages) >= 3
    for page in pages[:-1]:
        body = [ln.strip() for ln in page.extract_text().splitlines() if ln.strip()]
        assert not body[-1].startswith("Heading number"), body[-3:]


SVG_LOGO = """<svg xmlns="http://www.w3.org/2000/svg" width="120" height="60" viewBox="0 0 120 60">
<rect x="0" y="0" width="120" height="60" rx="10" fill="#ffffff"/>
<circle cx="30" cy="30" r="20" fill="#6a1b4d"/>{extra}</svg>"""


def test_svg_logo_is_drawn_and_described(tmp_path):
    (tmp_path / "logo.svg").write_text(SVG_LOGO.format(extra=""))
    brand = tmp_path / "brand.yaml"
    brand.write_text("extends: default\nlogo: logo.svg\nlogo_alt: Example Charity\n")
    from leafwright.style import resolve_style

    st = resolve_style(str(brand), [ROOT / "styles"])
    leaflet = write_leaflet(tmp_path, "sections:\n  - heading: One\n    blocks:\n      - paragraph: Hi.\n")
    out = tmp_path / "x.pdf"
    out.write_bytes(render(load_leaflet(leaflet), st))
    import page

    assert page.validate_pdf(str(out), profile="ua1").is_compliant
    raw = out.read_bytes()
    assert b"/Alt (Example Charity)" in raw and b"/S /Figure" in raw
    fonts = {
        str(f.get_object()["/BaseFont"])
        for f in pypdf.PdfReader(out).pages[0]["/Resources"]["/Font"].values()
    }
    assert not any("Helvetica" in f for f in fonts), fonts


def test_svg_logo_with_text_is_refused(tmp_path):
    (tmp_path / "logo.svg").write_text(SVG_LOGO.format(extra='<text x="60" y="40">Charity</text>'))
    brand = tmp_path / "brand.yaml"
    brand.write_text("extends: default\nlogo: logo.svg\n")
    leaflet = write_leaflet(tmp_path, "sections: []\n")
    r = run_cli(["build", str(leaflet), "--style", str(brand), "--out", str(tmp_path / "out")], cwd=ROOT)
    assert r.exit_code == 2
    assert "contains text" in r.stderr and "outlines" in r.stderr and "Traceback" not in r.stderr


def test_same_leaflet_built_in_another_folder_is_byte_identical(tmp_path):
    """A clinic's checkout lives anywhere: the folder must not leak into the PDF (logo images)."""
    import shutil

    outs = []
    for name in ("a", "elsewhere/b"):
        proj = tmp_path / name
        shutil.copytree(ROOT / "leaflets", proj / "leaflets")
        shutil.copytree(ROOT / "styles", proj / "styles")
        r = run_cli(["build", "leaflets/antiresorptive-medications.yaml", "--style", "heather"], cwd=proj)
        assert r.exit_code == 0, r.stderr
        outs.append((proj / "out" / "antiresorptive-medications.pdf").read_bytes())
    assert outs[0] == outs[1]


def test_out_that_is_a_file_is_a_usage_error(tmp_path):
    leaflet = ROOT / "leaflets" / "antiresorptive-medications.yaml"
    (tmp_path / "out").write_text("not a folder")
    r = run_cli(["build", str(leaflet), "--out", str(tmp_path / "out")], cwd=ROOT)
    assert r.exit_code == 2
    assert r.stderr.startswith("leafwright: error: --out ") and "is a file, not a folder" in r.stderr
    assert (tmp_path / "out").read_text() == "not a folder"


def test_a_disk_that_cannot_be_written_is_the_users_error_not_a_bug(tmp_path, monkeypatch):
    import errno

    from leafwright import batch, write

    def full(path, data):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(write, "write_atomic", full)
    job = batch.Job(
        str(ROOT / "leaflets" / "antiresorptive-medications.yaml"),
        "leaflets/antiresorptive-medications.yaml",
        "default",
        "standard",
        str(tmp_path),
    )
    r = batch.run_job(job)
    assert r.ok and r.files  # rendered; the coordinator writes
    batch.write_outputs(r)
    assert not r.ok and r.internal_error is None and not r.outputs
    assert "No space left on device" in r.diagnostics[0].message
    assert r.diagnostics[0].file == "leaflets/antiresorptive-medications.yaml"


def test_plain_fields_never_become_links(tmp_path):
    """A link in a title or a publisher's name is refused, located: it would otherwise
    print its brackets (the name) or put a link in the document title."""
    from leafwright.errors import SchemaError

    path = write_leaflet(
        tmp_path,
        "sections:\n  - heading: One\n    blocks:\n      - paragraph: Hi.\n",
        title="Bones [UK](https://example.org)",
    )
    path.write_text(
        path.read_text().replace("name: Example Charity", "name: Charity [cy](https://example.net)")
    )
    with pytest.raises(SchemaError) as exc:
        load_leaflet(path)
    got = [(d.path, d.line) for d in exc.value.diagnostics]
    assert got == [("title", 2), ("publisher.name", 7)]
    assert "cannot hold a link" in exc.value.diagnostics[0].message
    assert "printed as typed" in exc.value.diagnostics[1].message


def test_escaped_brackets_in_a_title_print_as_brackets(tmp_path):
    path = write_leaflet(
        tmp_path,
        "sections:\n  - heading: One\n    blocks:\n      - paragraph: Hi.\n",
        title="Bones \\[UK\\](https://example.org)",
    )
    out = tmp_path / "x.pdf"
    out.write_bytes(render(load_leaflet(path), style()))
    assert "Bones [UK](https://example.org)" in " ".join(pdf_text(out))
    reader = pypdf.PdfReader(out)
    assert not [a for p in reader.pages for a in p.get("/Annots", []) if "example.org" in str(a.get_object())]


def test_an_internal_error_keeps_its_traceback(tmp_path, monkeypatch):
    """A bug is not the user's error: it is said to be one, with the traceback to report."""
    from leafwright import variants

    def broken(*args, **kw):
        raise RuntimeError("the layout fell over")

    monkeypatch.setattr(variants, "build_variant", broken)
    r = run_cli(["build", str(ROOT / "leaflets" / "antiresorptive-medications.yaml"), "--out", str(tmp_path)])
    assert r.exit_code == 1
    assert "internal error: RuntimeError: the layout fell over" in r.stderr
    assert "this is a bug in leafwright" in r.stderr
    assert "Traceback (most recent call last)" in r.stderr and "in run_job" in r.stderr
    assert not list(tmp_path.glob("*.pdf"))
