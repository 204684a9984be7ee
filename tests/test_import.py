"""`leafwright import`: Word, Markdown and HTML documents into leaflets that build.

The Word documents are made here with python-docx (tests/wordfiles.py); what each must
become is kept as data in tests/data/import/, compared section by section, block by block.
"""

from __future__ import annotations

import datetime as _dt
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

import wordfiles
from leafwright.cli import main
from leafwright.importing import import_document

EXPECTED = Path(__file__).parent / "data" / "import"
TODAY = _dt.date(2026, 12, 2)


def _blocks(sections, prefix="sections"):
    """(path, heading, blocks) for every section, depth first."""
    for i, sec in enumerate(sections):
        path = f"{prefix}[{i}]"
        yield path, sec["heading"], sec.get("blocks", [])
        yield from _blocks(sec.get("sections", []), path + ".sections")


def assert_same_leaflet(got: dict, expected: dict) -> None:
    """Title, then each section's heading and each block, with the first difference named."""
    assert got["title"] == expected["title"]
    got_secs = list(_blocks(got["sections"]))
    exp_secs = list(_blocks(expected["sections"]))
    assert [(p, h) for p, h, _ in got_secs] == [(p, h) for p, h, _ in exp_secs]
    for (path, heading, blocks), (_, _, want) in zip(got_secs, exp_secs):
        for j, (g, w) in enumerate(zip(blocks, want)):
            assert g == w, f"{path}.blocks[{j}] under '{heading}'"
        assert len(blocks) == len(want), (
            f"{path} ('{heading}') has {len(blocks)} blocks, expected {len(want)}"
        )


@pytest.mark.parametrize("make", [wordfiles.constructs, wordfiles.messy], ids=lambda f: f.__name__)
def test_word_document_becomes_the_expected_leaflet(make, tmp_path):
    result = import_document(make(tmp_path), today=TODAY)
    got = yaml.safe_load(result.yaml)
    expected = yaml.safe_load((EXPECTED / f"{make.__name__}.yaml").read_text(encoding="utf-8"))
    assert_same_leaflet(got, expected)
    assert got["status"] == "draft"
    assert result.notes == expected["notes"]


def test_word_pictures_are_extracted_with_their_alt_text(tmp_path):
    from PIL import Image

    result = import_document(wordfiles.constructs(tmp_path), today=TODAY)
    assert sorted(result.files) == [
        "living-with-brittle-bones-picture-1.png",
        "living-with-brittle-bones-picture-2.png",
    ]
    import io

    colours = [
        Image.open(io.BytesIO(result.files[n])).convert("RGB").getpixel((5, 5)) for n in sorted(result.files)
    ]
    assert colours == [(0, 0, 128), (0, 128, 128)]  # navy, then teal: in the document's order


def test_what_the_document_cannot_say_is_left_out_and_marked(tmp_path):
    """No invented version, date or publisher: commented TODO lines, and the checks say what is missing."""
    from leafwright.checks import check_source
    from leafwright.render import load_leaflet
    from leafwright.style import resolve_style

    result = import_document(wordfiles.messy(tmp_path), today=TODAY)
    lines = result.yaml.splitlines()
    for key in ("version", "published", "review_by", "publisher", "authors", "disclaimer"):
        assert not any(ln.startswith(f"{key}:") for ln in lines), key
        assert any(ln.startswith(f"# {key}:") for ln in lines), key
    path = tmp_path / "messy.yaml"
    path.write_text(result.yaml, encoding="utf-8")
    src = load_leaflet(path)
    assert (src.leaflet.version, src.leaflet.published, src.leaflet.publisher) == (None, None, None)
    found = {d.code: d for d in check_source(src, resolve_style("default"))}
    assert (
        "version, publication date (published), review date (review_by), publisher" in found["LW511"].message
    )
    assert found["LW504"].severity == "warning"  # a draft: needed before approval


def test_imported_word_leaflet_builds_as_a_draft_and_passes_pdfua(tmp_path, monkeypatch):
    """The issue's 'done when': import → build with no hand edits, a PDF that passes page-validation."""
    import page

    doc = wordfiles.constructs(tmp_path)
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    res = runner.invoke(main, ["import", str(doc)])
    assert res.exit_code == 0, res.output
    assert "todo:   living-with-brittle-bones-picture-2.png has no alt text" in res.output
    res = runner.invoke(main, ["build", "leaflets/living-with-brittle-bones.yaml", "--out", "out"])
    assert res.exit_code == 0, res.output
    pdf = tmp_path / "out" / "drafts" / "living-with-brittle-bones.pdf"
    assert not (tmp_path / "out" / "living-with-brittle-bones.pdf").exists()
    report = page.validate_pdf(str(pdf), profile="ua1")
    assert report.is_compliant, report


def test_import_refuses_to_overwrite(tmp_path, monkeypatch):
    doc = wordfiles.messy(tmp_path)
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    assert runner.invoke(main, ["import", str(doc)]).exit_code == 0
    (tmp_path / "leaflets" / "messy.yaml").write_text("edited", encoding="utf-8")
    res = runner.invoke(main, ["import", str(doc)])
    assert res.exit_code == 2
    assert "leaflets/messy.yaml already exists" in res.output
    assert (tmp_path / "leaflets" / "messy.yaml").read_text(encoding="utf-8") == "edited"
    assert runner.invoke(main, ["import", str(doc), "--force"]).exit_code == 0
    assert (tmp_path / "leaflets" / "messy.yaml").read_text(encoding="utf-8").startswith("# Imported")


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("old.doc", b"\xd0\xcf\x11\xe0", "not a Word, Markdown or HTML file"),
        ("broken.docx", b"not a zip", "not a Word .docx document"),
    ],
)
def test_import_bad_input_is_a_usage_error(tmp_path, name, content, message):
    (tmp_path / name).write_bytes(content)
    res = CliRunner().invoke(main, ["import", str(tmp_path / name), "--dir", str(tmp_path / "l")])
    assert res.exit_code == 2
    assert message in res.output
    assert "Traceback" not in res.output
    assert not (tmp_path / "l").exists()


MARKDOWN = """\
# Knee replacement

A short guide for **patients**, with *care* notes. See [NHS](https://www.nhs.uk).

## After the operation

- Use your frame
- Do your exercises

1. Ice the knee
2. Rest

| Day | Goal |
| --- | --- |
| 1 | Stand up |
| 2 | Walk to the door |

> **Important**
>
> Call us if your wound leaks.

![An ice pack on a knee](ice.png)

![A picture online](https://example.org/x.png)

### Can I drive?

Not for six weeks.
"""


def test_markdown_becomes_a_leaflet(tmp_path):
    from PIL import Image

    Image.new("RGB", (300, 200), "white").save(tmp_path / "ice.png")
    src = tmp_path / "knee.md"
    src.write_text(MARKDOWN, encoding="utf-8")
    result = import_document(src, today=TODAY)
    got = yaml.safe_load(result.yaml)
    assert got["title"] == "Knee replacement"
    assert got["sections"] == [
        {
            "heading": "About this leaflet",
            "blocks": [
                {
                    "paragraph": "A short guide for **patients**, with *care* notes. See [NHS](https://www.nhs.uk)."
                }
            ],
        },
        {
            "heading": "After the operation",
            "blocks": [
                {"bullets": ["Use your frame", "Do your exercises"]},
                {"numbered": ["Ice the knee", "Rest"]},
                {
                    "table": {
                        "header": ["Day", "Goal"],
                        "rows": [["1", "Stand up"], ["2", "Walk to the door"]],
                    }
                },
                {
                    "callout": {
                        "kind": "warning",
                        "title": "Important",
                        "text": "Call us if your wound leaks.",
                    }
                },
                {"image": {"file": "knee-picture-1.png", "alt": "An ice pack on a knee"}},
                {"faq": [{"question": "Can I drive?", "answer": "Not for six weeks."}]},
            ],
        },
    ]
    assert any("nothing is fetched" in n for n in result.notes)


def test_html_becomes_a_leaflet_and_unsafe_links_stay_text(tmp_path):
    src = tmp_path / "page.html"
    src.write_text(
        "<html><head><title>Asthma in children</title><script>alert(1)</script></head><body>"
        "<nav><a href='/'>Home</a></nav><h1>Asthma in children</h1>"
        "<h2>Inhalers</h2><p>Use a <a href='javascript:alert(1)'>spacer</a> &lt;b&gt; "
        "<b>every</b> time.</p><aside><p>Note: rinse your mouth.</p></aside>"
        "<img src='../secret.png' alt='x'></body></html>",
        encoding="utf-8",
    )
    result = import_document(src, today=TODAY)
    got = yaml.safe_load(result.yaml)
    assert got["title"] == "Asthma in children"
    assert got["sections"] == [
        {
            "heading": "Inhalers",
            "blocks": [
                {"paragraph": "Use a spacer <b> **every** time."},
                {"callout": {"kind": "note", "text": "Note: rinse your mouth."}},
            ],
        }
    ]
    assert "picture 'x' was not imported: it is outside the document's folder" in result.notes
