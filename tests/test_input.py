"""The input side of issue 9: what the loader keeps, cleans and refuses, and inline markup
that combines (a language run in a link, a link in bold, a run in a title)."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pypdf
import pytest

from conftest import style
from leafwright.errors import SchemaError, YAMLSyntaxError
from leafwright.inline import markup_problems, parse_inline
from leafwright.load import load_yaml
from leafwright.model import validate_leaflet
from leafwright.render import load_leaflet, render

HEAD = """\
id: test
title: {title}
version: {version}
published: 2025-01-01
review_by: 2027-01-01
publisher:
  name: Example Charity
sections:
  - heading: One
    blocks:
{blocks}"""


def leaflet_text(blocks: str = "      - paragraph: Hello.\n", *, title: str = "Test", version: str = '"1.0"'):
    return HEAD.format(title=title, version=version, blocks=blocks)


def test_scalars_yaml_would_convert_are_kept_as_written():
    text = leaflet_text(
        "      - bullets:\n          - no\n          - 1:30\n          - .inf\n          - 2025-01-01\n"
        "          - 010\n",
        title="yes",
        version="1.10",
    )
    lf = validate_leaflet(load_yaml(text, "t.yaml"))
    assert lf.title == "yes"
    assert lf.version == "1.10"
    assert lf.sections[0].blocks[0].bullets == ["no", "1:30", ".inf", "2025-01-01", "010"]
    # where the schema wants a date, the date stays a date
    assert lf.published.isoformat() == "2025-01-01"


def test_keys_are_the_words_written():
    doc = load_yaml("no: 1\nyes: 2\n", "t.yaml")
    assert doc.data == {"no": 1, "yes": 2}


@pytest.mark.parametrize(
    "date, message, hint",
    [
        ("2026-02-30", "review_by: 30 February 2026 is not a date", "February 2026 has 28 days"),
        ("2028-02-30", "review_by: 30 February 2028 is not a date", "February 2028 has 29 days"),
        ("2026-04-31", "review_by: 31 April 2026 is not a date", "April 2026 has 30 days"),
        ("2026-13-01", "review_by: 2026-13-01 is not a date: there is no month 13", "month 01 to 12"),
        ("01/02/2027", "review_by: '01/02/2027' is not a date written as YYYY-MM-DD", "write 2027-02-01"),
    ],
)
def test_impossible_dates_are_located_errors(date, message, hint):
    text = leaflet_text().replace("review_by: 2027-01-01", f"review_by: {date}")
    with pytest.raises(SchemaError) as exc:
        validate_leaflet(load_yaml(text, "t.yaml"))
    (d,) = exc.value.diagnostics
    assert (d.line, d.column) == (5, 12)
    assert message in d.format() and hint in d.hint


def test_pasted_text_is_nfc_without_invisible_characters():
    nfd = unicodedata.normalize("NFD", "Việt Nam")
    text = leaflet_text(
        f'      - paragraph: "once a week, risedro\\u00adnate\\u200b {nfd}\\ufeff \\u2764\\ufe0f"\n'
    )
    lf = validate_leaflet(load_yaml(text, "t.yaml"))
    assert lf.sections[0].blocks[0].paragraph == "once a week, risedronate Việt Nam \u2764"
    assert unicodedata.is_normalized("NFC", lf.sections[0].blocks[0].paragraph)


def test_joiners_that_spelling_needs_are_kept_and_never_drawn(tmp_path: Path):
    """The zero-width non-joiner (Persian, Urdu: ``می‌خواهم``) and joiner steer shaping: the
    loader keeps them, the tags read them, and no box is drawn for them."""
    from leafwright.pdfread import inspect_pdf

    word = "می‌خواهم"  # mi-khaham, "I want"
    lf = validate_leaflet(load_yaml(leaflet_text(f'      - paragraph: "{word} and a\u200db"\n'), "t.yaml"))
    assert lf.sections[0].blocks[0].paragraph == f"{word} and a‍b"
    path = tmp_path / "t.yaml"
    path.write_text(leaflet_text(f'      - paragraph: "{word} and a\u200db"\n'), encoding="utf-8")
    pdf = render(load_leaflet(path), style())
    (p,) = [n for n in inspect_pdf(pdf).tree.find("P") if word in n.text()]
    assert p.text() == f"{word} and a‍b"
    # nothing drawn for them: no .notdef (a box) in any font's subset
    for page in pypdf.PdfReader(__import__("io").BytesIO(pdf)).pages:
        assert "�" not in page.extract_text()


def test_a_zero_width_space_never_reaches_the_pdf(tmp_path: Path):
    path = tmp_path / "t.yaml"
    path.write_text(leaflet_text('      - paragraph: "Take\\u200bone tablet once a\\u00adweek."\n'))
    pdf = tmp_path / "t.pdf"
    pdf.write_bytes(render(load_leaflet(path), style()))
    text = " ".join(p.extract_text() for p in pypdf.PdfReader(pdf).pages)
    assert "Takeone tablet once aweek." in text
    assert "\u200b" not in text and "\u00ad" not in text


@pytest.mark.parametrize(
    "bomb",
    [
        "a: &a [x,x,x,x,x,x,x,x,x]\n"
        + "".join(f"{chr(98 + i)}: &{chr(98 + i)} [{','.join([f'*{chr(97 + i)}'] * 9)}]\n" for i in range(8)),
        "a0: &a0 {k: 1}\n"
        + "".join(f"a{i + 1}: &a{i + 1}\n  <<: [*a{i}, *a{i}]\n  k{i}: 1\n" for i in range(40)),
    ],
    ids=["billion-laughs", "merge-keys"],
)
def test_alias_bombs_are_refused_before_they_expand(bomb):
    with pytest.raises(YAMLSyntaxError) as exc:
        load_yaml(bomb, "bomb.yaml")
    assert "the file expands to more than 200,000 values" in exc.value.format()


def test_an_alias_inside_itself_is_an_error():
    with pytest.raises(YAMLSyntaxError) as exc:
        load_yaml("a: &a [1, *a]\n", "t.yaml")
    assert "refers to the value it is inside" in exc.value.format()


def test_a_long_source_line_is_shown_round_the_caret():
    with pytest.raises(YAMLSyntaxError) as exc:
        load_yaml("x: " + "[" * 2000 + "]" * 2000, "t.yaml")
    shown = exc.value.format().splitlines()
    assert max(len(line) for line in shown) < 200


# --- inline markup -------------------------------------------------------------------


def test_balanced_parentheses_stay_in_the_address():
    (span,) = [s for s in parse_inline("[page](https://en.wikipedia.org/wiki/Bone_(anatomy)) now") if s.url]
    assert span.url == "https://en.wikipedia.org/wiki/Bone_(anatomy)"
    assert "".join(s.text for s in parse_inline("[page](https://x.org/a_(b)) now")) == "page now"


@pytest.mark.parametrize(
    "text, message",
    [
        ("[x]{lang=french_FR}", "'french_FR' is not a language tag"),
        ("[]{lang=fr}", "has no text"),
        ("[x]{lang=fr", "not closed with '}'"),
        ("[x](https://example.org", "not closed with ')'"),
        ("[x](https://example.org/a b)", "contains a space"),
        ("[x](javascript:alert(1))", "must start with http://"),
        ("[a [b](https://x.org)](https://y.org)", "a link cannot hold another link"),
        ("x](y", "looks like a link but is not one"),
        ("[x]{class=big}", "only {lang=...} may follow"),
    ],
)
def test_markup_that_would_print_as_typed_is_a_problem(text, message):
    problems = markup_problems(text)
    assert len(problems) == 1 and message in problems[0].message


def test_escaped_brackets_are_not_a_problem():
    assert markup_problems(r"a \[1\](see below) and \]{x}") == []


def _tree(pdf: Path) -> list[tuple[int, str, str | None]]:
    """(depth, role, /Lang) of every structure element, in order."""
    out = []

    def walk(node, depth):
        node = node.get_object()
        kids = node.get("/K")
        kids = kids if isinstance(kids, list) else [kids]
        for k in kids:
            try:
                k = k.get_object()
            except AttributeError:
                continue
            if hasattr(k, "get") and "/S" in k:
                out.append((depth, str(k["/S"])[1:], str(k["/Lang"]) if "/Lang" in k else None))
                walk(k, depth + 1)

    walk(pypdf.PdfReader(pdf).trailer["/Root"]["/StructTreeRoot"], 0)
    return out


def test_combined_markup_is_tagged_and_passes_pdfua(tmp_path: Path):
    import page

    blocks = (
        '      - paragraph: "See [[Gwefan]{lang=cy} site](https://example.org/a) and '
        '**bold [link](https://example.org/b)**."\n'
        '      - callout:\n          title: "[Nodyn]{lang=cy}"\n          text: Hello.\n'
        '      - links:\n          items:\n            - text: "[Gwefan]{lang=cy}"\n'
        "              url: https://example.org/c\n"
    )
    path = tmp_path / "t.yaml"
    path.write_text(leaflet_text(blocks, title='"Byw\'n iach: [Croeso]{lang=cy}"'))
    pdf = tmp_path / "t.pdf"
    pdf.write_bytes(render(load_leaflet(path), style()))
    reader = pypdf.PdfReader(pdf)
    text = " ".join(p.extract_text() for p in reader.pages)
    for raw in ("](", "]{", "{lang"):
        assert raw not in text
    assert reader.metadata.title == "Byw'n iach: Croeso"
    tree = _tree(pdf)
    spans = [(d, lang) for d, role, lang in tree if role == "Span"]
    assert len(spans) == 4 and all(lang == "cy" for _d, lang in spans)
    # a Span nested directly in a Link (the link's words, and the links block's item)
    nested = [
        i for i, (d, role, _l) in enumerate(tree) if role == "Link" and tree[i + 1][:2] == (d + 1, "Span")
    ]
    assert len(nested) == 2
    uris = [a.get_object()["/A"]["/URI"] for p in reader.pages for a in p.get("/Annots", [])]
    assert {"https://example.org/a", "https://example.org/b", "https://example.org/c"} <= set(uris)
    result = page.validate_pdf(str(pdf), profile="ua1")
    assert result.is_compliant, [(f.rule_id, f.message) for f in result.failures]


# --- messages name files as the user knows them ------------------------------------


def test_a_shipped_style_is_named_not_located_in_the_install(tmp_path, monkeypatch):
    from leafwright.errors import SHIPPED_STYLES, Diagnostic

    monkeypatch.chdir(tmp_path)
    assert Diagnostic("x", file=str(SHIPPED_STYLES / "default.yaml")).file == "default (style)"
    mine = tmp_path / "leaflets" / "a.yaml"
    assert Diagnostic("x", file=str(mine)).file == "leaflets/a.yaml"
    assert Diagnostic("x", file="/elsewhere/b.yaml").file == "/elsewhere/b.yaml"


def test_the_cmyk_warning_names_the_shipped_style(tmp_path):
    import subprocess
    import sys

    from conftest import LEAFLETS

    (tmp_path / "a.yaml").write_text(LEAFLETS[0].read_text(encoding="utf-8"), encoding="utf-8")
    r = subprocess.run(
        [sys.executable, "-m", "leafwright.cli", "build", "a.yaml", "--variant", "print", "--out", "out"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert "default (style): warning: print file: brand colours converted" in r.stderr
    assert "site-packages" not in r.stderr and "/styles/default.yaml" not in r.stderr


# --- an internal error, should one happen, is reported once and recorded ---------------


def test_an_internal_error_keeps_its_traceback(tmp_path, monkeypatch):
    import json

    from click.testing import CliRunner

    import leafwright.variants
    from conftest import LEAFLETS
    from leafwright.cli import main

    def broken(*args, **kw):
        raise ZeroDivisionError("a bug for the test")

    monkeypatch.setattr(leafwright.variants, "build_variant", broken)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.yaml").write_text(LEAFLETS[0].read_text(encoding="utf-8"), encoding="utf-8")
    args = ["build", "a.yaml", "--out", "out", "-j", "1", "--variant", "standard,large-print"]
    r = CliRunner().invoke(main, [*args, "-v"])
    assert r.exit_code == 1
    out = r.output
    assert out.count("internal error: ZeroDivisionError: a bug for the test") == 1  # not once per edition
    assert "Traceback (most recent call last)" in out and 'raise ZeroDivisionError("a bug' in out
    assert ", 1 failed," in out
    data = json.loads((tmp_path / "out" / "manifest.json").read_text())
    errors = data["internal_errors"]
    assert [(e["source"], e["variant"]) for e in errors] == [
        ("../a.yaml", "large-print"),
        ("../a.yaml", "standard"),
    ]
    assert all("ZeroDivisionError" in e["traceback"] for e in errors)
    # once the bug is gone, a build takes the record off
    monkeypatch.undo()
    monkeypatch.chdir(tmp_path)
    CliRunner().invoke(main, args)
    assert json.loads((tmp_path / "out" / "manifest.json").read_text())["internal_errors"] == []


# --- two styles into one output folder ---------------------------------------------


def test_two_styles_into_one_folder_never_overwrite(tmp_path):
    import json
    import subprocess
    import sys

    from conftest import LEAFLETS

    (tmp_path / "a.yaml").write_text(LEAFLETS[0].read_text(encoding="utf-8"), encoding="utf-8")
    # a project style that is also called 'default': another style, though its name is the same
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "default.yaml").write_text("extends: heather\n", encoding="utf-8")

    def build(*style: str) -> str:
        r = subprocess.run(
            [sys.executable, "-m", "leafwright.cli", "build", "a.yaml", "--out", "out", "-j", "1", *style],
            cwd=tmp_path,
            capture_output=True,
            text=True,
        )
        assert r.returncode == 0, r.stderr
        return r.stderr + r.stdout

    build()
    first = (tmp_path / "out" / "antiresorptive-medications.pdf").read_bytes()
    said = build("--style", "heather")
    assert "these go in out/heather/" in said
    build("--style", "mine/default.yaml")
    assert (tmp_path / "out" / "antiresorptive-medications.pdf").read_bytes() == first
    heather = tmp_path / "out" / "heather" / "antiresorptive-medications.pdf"
    mine = tmp_path / "out" / "default" / "antiresorptive-medications.pdf"
    assert heather.is_file() and mine.is_file() and heather.read_bytes() != first
    styles = {
        folder: {
            e["style_file"] for e in json.loads((tmp_path / folder / "manifest.json").read_text())["outputs"]
        }
        for folder in ("out", "out/heather", "out/default")
    }
    assert styles == {
        "out": {"default (style)"},
        "out/heather": {"heather (style)"},
        "out/default": {"../../mine/default.yaml"},
    }
    # built again, each style finds its own folder and its files unchanged
    assert "1 unchanged" in build("--style", "heather")
