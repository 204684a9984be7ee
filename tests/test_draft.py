"""Draft mode: `status: draft` or `build --draft`.

Governance errors become warnings, every page says "DRAFT — not for distribution" as an
artifact (the tagged text is the approved leaflet's), drafts go to OUT/drafts/ and never
into the manifest, and `leafwright new` starts as a draft.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import style
from leafwright.cli import main
from leafwright.pdfread import inspect_pdf
from leafwright.render import DRAFT_MARK, RenderOptions, load_leaflet, render

BARE = """\
id: bare
title: A leaflet with nothing but its text
version: "0.2"
published: 2026-01-05
review_by: 2027-01-05
publisher: {{name: Example Trust, web: "https://example.org", phone: 0100 000 0000}}
{status}sections:
  - heading: What to do
    blocks:
      - paragraph: Rest, and drink plenty of water.
"""


def _write(folder: Path, status: str = "") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "bare.yaml"
    path.write_text(BARE.format(status=f"status: {status}\n" if status else ""), encoding="utf-8")
    return path


def _build(tmp_path: Path, *args: str):
    return CliRunner().invoke(main, ["build", str(tmp_path / "l"), "--out", str(tmp_path / "out"), *args])


def test_an_approved_leaflet_missing_governance_fails(tmp_path):
    _write(tmp_path / "l")
    res = _build(tmp_path)
    assert res.exit_code == 1
    assert "LW506 no authors or reviewers named" in res.output
    assert not (tmp_path / "out" / "bare.pdf").exists()


@pytest.mark.parametrize("how", ["status", "option"])
def test_a_draft_builds_with_governance_warnings_outside_the_manifest(tmp_path, how):
    _write(tmp_path / "l", "draft" if how == "status" else "")
    res = _build(tmp_path, *(["--draft"] if how == "option" else []))
    assert res.exit_code == 0, res.output
    for rule in ("LW505", "LW506", "LW507", "LW508"):
        assert f"{rule} warning:" in res.output
    assert "(a draft: needed before approval)" in res.output
    assert (tmp_path / "out" / "drafts" / "bare.pdf").is_file()
    assert not (tmp_path / "out" / "bare.pdf").exists()
    manifest = tmp_path / "out" / "manifest.json"
    assert not manifest.exists() or json.loads(manifest.read_text())["outputs"] == []
    drafts = json.loads((tmp_path / "out" / "drafts" / "manifest.json").read_text())["outputs"]
    assert [e["path"] for e in drafts] == ["bare.pdf"]
    again = _build(tmp_path, *(["--draft"] if how == "option" else []))
    assert "0 built" in again.output and "1 unchanged" in again.output
    if how == "option":  # the same leaflet built for publication is another build
        assert _build(tmp_path).exit_code == 1


def test_a_draft_never_replaces_the_published_pdf(tmp_path):
    """A published leaflet taken back into draft keeps its published PDF and manifest entry."""
    path = _write(tmp_path / "l")
    path.write_text(
        path.read_text().replace(
            "sections:",
            "authors: [{name: A Writer}]\nreferences: [NICE CG1]\nfeedback: Write to us.\n"
            "disclaimer: Not medical advice.\nother_formats: Ask us for large print.\nsections:",
        )
    )
    assert _build(tmp_path).exit_code == 0
    published = (tmp_path / "out" / "bare.pdf").read_bytes()
    path.write_text(
        path.read_text().replace("sections:", "status: draft\nsections:").replace("Rest", "Sleep")
    )
    res = _build(tmp_path)
    assert res.exit_code == 0, res.output
    assert (tmp_path / "out" / "bare.pdf").read_bytes() == published
    entries = json.loads((tmp_path / "out" / "manifest.json").read_text())["outputs"]
    assert [e["path"] for e in entries] == ["bare.pdf"]
    assert "Sleep" in inspect_pdf(tmp_path / "out" / "drafts" / "bare.pdf").tree.text()


def test_draft_mark_is_an_artifact_on_every_page_and_the_tags_are_unchanged(tmp_path):
    import page

    src = load_leaflet(Path(__file__).resolve().parents[1] / "leaflets" / "oi-bisphosphonates.yaml")
    approved = inspect_pdf(render(src, style()))
    pdf = render(src, style(), RenderOptions(draft=True))
    (tmp_path / "d.pdf").write_bytes(pdf)
    draft = inspect_pdf(pdf)
    assert draft.pages == approved.pages > 1
    marks = [p for p, text in draft.artifact_text if text == DRAFT_MARK]
    assert sorted(set(marks)) == list(range(draft.pages))  # pages counted from 0
    assert DRAFT_MARK not in draft.tree.text()
    assert draft.tree.text() == approved.tree.text()
    assert not draft.untagged
    assert page.validate_pdf(str(tmp_path / "d.pdf"), profile="ua1").is_compliant


def test_check_names_what_a_draft_still_needs(tmp_path):
    path = _write(tmp_path, "draft")
    res = CliRunner().invoke(main, ["check", str(path)])
    assert "LW506 warning: no authors or reviewers named (a draft: needed before approval)" in res.output


def test_todo_placeholders_are_errors_until_a_draft(tmp_path):
    path = _write(tmp_path)
    path.write_text(path.read_text().replace("Example Trust", "TODO your organisation"))
    res = CliRunner().invoke(main, ["check", str(path)])
    assert "LW510 placeholder left in: 'TODO your organisation'" in res.output
    assert res.exit_code == 1


def test_new_starts_as_a_draft(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert CliRunner().invoke(main, ["new", "my-leaflet"]).exit_code == 0
    assert load_leaflet(tmp_path / "leaflets" / "my-leaflet.yaml").leaflet.status == "draft"
