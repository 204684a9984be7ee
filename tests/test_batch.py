"""Batch builds: what an edit rebuilds, the manifest, failures, interruptions, parallel = serial.

Every test builds a small library (three leaflets, one with a picture) in a
temporary folder holding copies of the shipped styles, so edits to leaflets,
styles and images are real file edits.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from conftest import ROOT, STYLE_DIR
from leafwright import batch
from leafwright.batch import Job, run_batch
from leafwright.cli import main
from leafwright.jsonschemas import json_schema, shipped_path
from leafwright.manifest import manifest_json_schema
from leafwright.starter import write_starter

SMALL = ["antiresorptive-medications.yaml", "secondary-bone-cancer-bisphosphonates.yaml"]


@pytest.fixture
def lib(tmp_path, monkeypatch) -> Path:
    """A library folder: styles/, leaflets/ (two samples and a starter with a picture); cwd."""
    shutil.copytree(STYLE_DIR, tmp_path / "styles")
    (tmp_path / "leaflets").mkdir()
    for name in SMALL:
        shutil.copy(ROOT / "leaflets" / name, tmp_path / "leaflets" / name)
    starter = write_starter("pictured", tmp_path / "leaflets")[0]
    # a starter is a draft (built into out/drafts/); this library's leaflets are all approved
    starter.write_text(starter.read_text().replace("status: draft", "status: approved"))
    monkeypatch.chdir(tmp_path)
    return tmp_path


def jobs_for(lib: Path, out: str = "out", style: str = "default", variant: str = "standard"):
    files = sorted((lib / "leaflets").glob("*.yaml"))
    return [Job(str(f), f"leaflets/{f.name}", style, variant, str(lib / out)) for f in files]


def build(lib: Path, **kw) -> dict[str, str]:
    """{leaflet file name: built/unchanged/failed} for one build of the library."""
    opts = {k: kw.pop(k) for k in ("out", "style", "variant") if k in kw}
    results = run_batch(jobs_for(lib, **opts), **kw)
    return {Path(r.job.leaflet).name: r.status for r in results}


def manifest(lib: Path, out: str = "out") -> dict:
    return json.loads((lib / out / "manifest.json").read_text())


ALL = {"antiresorptive-medications.yaml", "pictured.yaml", "secondary-bone-cancer-bisphosphonates.yaml"}


def rebuilt(statuses: dict[str, str]) -> set[str]:
    return {k for k, v in statuses.items() if v == "built"}


# --- incremental --------------------------------------------------------------------------


def test_second_build_rebuilds_nothing_and_force_rebuilds_all(lib):
    assert rebuilt(build(lib)) == ALL
    assert build(lib) == dict.fromkeys(ALL, "unchanged")
    assert rebuilt(build(lib, force=True)) == ALL


def test_editing_one_leaflet_rebuilds_only_it(lib):
    build(lib)
    f = lib / "leaflets" / SMALL[0]
    f.write_text(
        f.read_text().replace("title: Antiresorptive medications", "title: Antiresorptive medicines")
    )
    assert rebuilt(build(lib)) == {SMALL[0]}
    entry = next(e for e in manifest(lib)["outputs"] if e["source"].endswith(SMALL[0]))
    assert entry["title"] == "Antiresorptive medicines"


def test_an_unchanged_job_reports_its_files_as_its_build_did(lib):
    first = {r.job: r for r in run_batch(jobs_for(lib, variant="booklet"))}
    again = {r.job: r for r in run_batch(jobs_for(lib, variant="booklet"))}
    assert {r.status for r in again.values()} == {"unchanged"}
    for job, r in again.items():
        # the reading PDF first, and its page count (not the imposed sheets')
        assert (r.outputs, r.pages, r.output_facts) == (
            first[job].outputs,
            first[job].pages,
            first[job].output_facts,
        )


def test_touching_without_changing_content_rebuilds_nothing(lib):
    build(lib)
    f = lib / "leaflets" / SMALL[1]
    os.utime(f, (1, 1))
    assert rebuilt(build(lib)) == set()


def test_editing_a_style_rebuilds_every_leaflet_using_it(lib):
    build(lib, out="out-default")
    build(lib, out="out-heather", style="heather")
    # heather extends default: an edit to default reaches both
    s = lib / "styles" / "default.yaml"
    s.write_text(s.read_text() + "\n# a comment is still an edit of the file\n")
    assert rebuilt(build(lib, out="out-default")) == ALL
    assert rebuilt(build(lib, out="out-heather", style="heather")) == ALL
    h = lib / "styles" / "heather.yaml"
    h.write_text(h.read_text() + "\n# heather only\n")
    assert rebuilt(build(lib, out="out-default")) == set()
    assert rebuilt(build(lib, out="out-heather", style="heather")) == ALL


def test_editing_an_image_rebuilds_only_the_leaflet_using_it(lib):
    build(lib)
    pic = lib / "leaflets" / "pictured-picture.png"
    pic.write_bytes(pic.read_bytes() + b"\0")  # trailing bytes after IEND: still a PNG
    assert rebuilt(build(lib)) == {"pictured.yaml"}


def test_a_deleted_or_altered_output_is_rebuilt(lib):
    build(lib)
    (lib / "out" / "antiresorptive-medications.pdf").unlink()
    with open(lib / "out" / "pictured.pdf", "ab") as fh:
        fh.write(b"% appended by hand\n")
    assert rebuilt(build(lib)) == {SMALL[0], "pictured.yaml"}


def test_another_variant_is_its_own_job(lib):
    build(lib)
    assert rebuilt(build(lib, variant="large-print")) == ALL
    assert rebuilt(build(lib)) == set()
    names = sorted(e["path"] for e in manifest(lib)["outputs"])
    assert "pictured.large-print.pdf" in names and "pictured.pdf" in names


def test_a_new_leafwright_version_rebuilds_everything(lib, monkeypatch):
    build(lib)
    monkeypatch.setattr(batch, "__version__", "99.0")
    assert rebuilt(build(lib)) == ALL


# --- manifest -----------------------------------------------------------------------------


def test_manifest_lists_every_output_with_its_facts(lib):
    build(lib)
    data = manifest(lib)
    assert data["manifest_version"] == 3
    entries = {e["path"]: e for e in data["outputs"]}
    assert list(entries) == sorted(entries)
    assert set(entries) == {
        "antiresorptive-medications.pdf",
        "pictured.pdf",
        "secondary-bone-cancer-bisphosphonates.pdf",
    }
    e = entries["antiresorptive-medications.pdf"]
    pdf = lib / "out" / e["path"]
    import hashlib

    assert e["sha256"] == hashlib.sha256(pdf.read_bytes()).hexdigest()
    assert e["bytes"] == pdf.stat().st_size
    assert e["pages"] == len(PdfReader(pdf).pages)
    assert (e["leaflet_id"], e["title"], e["language"], e["version"]) == (
        "antiresorptive-medications",
        "Antiresorptive medications",
        "en-GB",
        "",  # the source states no version: the manifest says none, as the leaflet does
    )
    assert (e["published"], e["review_by"]) == ("2018-08-18", "")
    assert (e["style"], e["variant"], e["source"]) == (
        "default",
        "standard",
        "../leaflets/antiresorptive-medications.yaml",
    )
    assert e["pdfua"] == "passed"  # page-validation is in the test extra
    assert entries["pictured.pdf"]["inputs"] == ["../leaflets/pictured-picture.png"]


def test_manifest_validates_against_the_shipped_schema(lib):
    import jsonschema

    shipped = json.loads(shipped_path("manifest").read_text())
    assert shipped == json_schema("manifest"), "regenerate: python -m leafwright.jsonschemas"
    build(lib)
    jsonschema.validate(manifest(lib), shipped)
    broken = manifest(lib)
    broken["outputs"][0]["pdfua"] = "probably"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, shipped)


def test_manifest_is_deterministic(lib):
    build(lib, out="a", workers=1)
    build(lib, out="b", workers=2)
    build(lib, out="b", force=True, workers=2)
    assert (lib / "a" / "manifest.json").read_bytes() == (lib / "b" / "manifest.json").read_bytes()


def test_parallel_output_equals_serial_output_byte_for_byte(lib):
    build(lib, out="serial", workers=1)
    statuses = build(lib, out="parallel", workers=2)
    assert rebuilt(statuses) == ALL
    serial = sorted(p.name for p in (lib / "serial").glob("*.pdf"))
    assert serial == sorted(p.name for p in (lib / "parallel").glob("*.pdf"))
    for name in serial:
        assert (lib / "serial" / name).read_bytes() == (lib / "parallel" / name).read_bytes(), name


def test_manifest_keeps_entries_of_other_builds_and_drops_deleted_files(lib):
    run_batch(jobs_for(lib)[:1])
    run_batch(jobs_for(lib)[1:])
    assert len(manifest(lib)["outputs"]) == 3
    (lib / "out" / "pictured.pdf").unlink()
    run_batch(jobs_for(lib)[:1])
    assert sorted(e["path"] for e in manifest(lib)["outputs"]) == [
        "antiresorptive-medications.pdf",
        "secondary-bone-cancer-bisphosphonates.pdf",
    ]


# --- failures -----------------------------------------------------------------------------

BROKEN = """\
id: broken
title: Broken
version: "1.0"
published: 2024-01-01
review_by: 2027-01-01
publisher: {name: Someone}
sections:
  - heading: One
    blocks:
      - bulets: [a, b]
"""


def test_one_broken_leaflet_does_not_stop_the_others(lib):
    (lib / "leaflets" / "broken.yaml").write_text(BROKEN)
    result = CliRunner().invoke(main, ["build", "leaflets", "--jobs", "2"])
    assert result.exit_code == 1
    out = result.output
    assert "3 built, 1 failed, " in out
    # the error is reported at the end, located in the file
    assert "leaflets/broken.yaml:10:9" in out.split("failed:")[-1]
    assert "did you mean 'bullets'" in out
    assert sorted(p.name for p in (lib / "out").glob("*.pdf")) == [
        "antiresorptive-medications.pdf",
        "pictured.pdf",
        "secondary-bone-cancer-bisphosphonates.pdf",
    ]
    assert all(e["leaflet_id"] != "broken" for e in manifest(lib)["outputs"])


def test_a_leaflet_broken_after_a_good_build_keeps_its_old_pdf(lib):
    build(lib)
    pdf = lib / "out" / "antiresorptive-medications.pdf"
    before = pdf.read_bytes()
    f = lib / "leaflets" / SMALL[0]
    f.write_text(f.read_text() + "\nbogus_key: 1\n")
    assert build(lib)[SMALL[0]] == "failed"
    assert pdf.read_bytes() == before
    assert build(lib)[SMALL[0]] == "failed"  # still broken: tried again, not skipped


def test_a_second_file_with_the_same_id_fails_in_every_variant_and_the_first_keeps_it(lib):
    shutil.copy(lib / "leaflets" / SMALL[0], lib / "leaflets" / "zz-copy.yaml")
    jobs = jobs_for(lib) + jobs_for(lib, variant="large-print")
    results = run_batch(jobs)
    copies = [r for r in results if r.job.display == "leaflets/zz-copy.yaml"]
    assert [r.status for r in copies] == ["failed", "failed"]
    for r in copies:
        assert r.diagnostics[0].message == (
            "duplicate leaflet id 'antiresorptive-medications' (already used by leaflets/" + SMALL[0] + ")"
        )
    assert {r.status for r in results if r not in copies} == {"built"}
    assert (
        sorted(
            e["source"] for e in manifest(lib)["outputs"] if e["leaflet_id"] == "antiresorptive-medications"
        )
        == ["../leaflets/" + SMALL[0]] * 2
    )


def test_an_unknown_style_stops_with_exit_code_2(lib):
    result = CliRunner().invoke(main, ["build", "leaflets", "--style", "hether"])
    assert result.exit_code == 2
    assert "did you mean 'heather'" in result.output
    assert not (lib / "out").exists() or not list((lib / "out").glob("*.pdf"))


# --- atomic writes and interruptions ------------------------------------------------------


def test_a_write_that_fails_before_the_rename_leaves_the_old_file(lib, monkeypatch):
    build(lib)
    old = {p.name: p.read_bytes() for p in (lib / "out").glob("*.pdf")}
    real_replace = os.replace

    def failing_replace(src, dst):
        if str(dst).endswith(".pdf"):
            raise OSError(28, "No space left on device")
        return real_replace(src, dst)

    monkeypatch.setattr(os, "replace", failing_replace)
    statuses = build(lib, force=True)
    assert set(statuses.values()) == {"failed"}
    assert {p.name: p.read_bytes() for p in (lib / "out").glob("*.pdf")} == old
    assert not [p for p in (lib / "out").iterdir() if p.name.endswith(".part")]
    json.loads((lib / "out" / "manifest.json").read_text())  # still valid


def test_ctrl_c_keeps_finished_files_and_a_valid_manifest(lib, monkeypatch):
    real = batch.run_job
    calls = []

    def interrupted_second(job, *args):
        calls.append(job)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return real(job, *args)

    monkeypatch.setattr(batch, "run_job", interrupted_second)
    with pytest.raises(KeyboardInterrupt):
        build(lib, workers=1)
    assert len(calls) == 2  # nothing started after the interrupt
    pdfs = [p.name for p in (lib / "out").iterdir() if p.suffix == ".pdf"]
    assert len(pdfs) == 1
    assert [e["path"] for e in manifest(lib)["outputs"]] == pdfs
    assert not [p for p in (lib / "out").iterdir() if ".part" in p.name]
    monkeypatch.setattr(batch, "run_job", real)
    assert len(rebuilt(build(lib))) == 2  # the finished one is not redone


def test_a_process_killed_mid_write_leaves_the_old_pdf_intact(lib):
    build(lib)
    pdf = lib / "out" / "antiresorptive-medications.pdf"
    before = pdf.read_bytes()
    # a child that starts an atomic write of a new version, then dies (SIGKILL) mid-write
    code = (
        "import os, signal, sys\n"
        "from leafwright import write\n"
        "real = os.fsync\n"
        "def die(fd):\n"
        "    os.kill(os.getpid(), signal.SIGKILL)\n"
        "os.fsync = die\n"
        f"write.write_atomic({str(pdf)!r}, b'%PDF-1.7 half' * 1000)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True)
    assert proc.returncode == -9
    assert pdf.read_bytes() == before
    # the orphan temp file is hidden and never ends in .pdf, and the next build is unaffected
    assert not [p for p in (lib / "out").glob("*.pdf") if p.name.startswith(".")]
    assert rebuilt(build(lib)) == set()


def test_two_builds_into_one_folder_at_once_keep_a_complete_manifest(lib):
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    cmd = [sys.executable, "-m", "leafwright.cli", "build", "--jobs", "1", "-q"]
    first = subprocess.Popen(cmd + [f"leaflets/{SMALL[0]}", "leaflets/pictured.yaml"], env=env, cwd=lib)
    second = subprocess.Popen(cmd + [f"leaflets/{SMALL[1]}", "leaflets/pictured.yaml"], env=env, cwd=lib)
    assert first.wait(60) == 0 and second.wait(60) == 0
    import jsonschema

    data = manifest(lib)
    jsonschema.validate(data, manifest_json_schema())
    assert sorted(e["path"] for e in data["outputs"]) == [
        "antiresorptive-medications.pdf",
        "pictured.pdf",
        "secondary-bone-cancer-bisphosphonates.pdf",
    ]
    assert rebuilt(build(lib)) == set()


# --- command line -------------------------------------------------------------------------


def test_plain_output_one_line_per_job_and_a_summary(lib):
    runner = CliRunner()
    first = runner.invoke(main, ["build", "leaflets", "--jobs", "1"])
    assert first.exit_code == 0, first.output
    lines = first.output.strip().splitlines()
    assert sum(line.startswith("built ") for line in lines) == 3
    assert "3 built, 0 failed, " in first.output and "(0 unchanged;" in first.output
    again = runner.invoke(main, ["build", "leaflets"])
    assert "0 built, 0 failed, " in again.output and "(3 unchanged;" in again.output
    verbose = runner.invoke(main, ["build", "leaflets", "-v"])
    assert sum(line.startswith("unchanged ") for line in verbose.output.splitlines()) == 3
    quiet = runner.invoke(main, ["build", "leaflets", "-q", "--force"])
    # the summary, then the overdue leaflets' short list (one indented line each)
    summary = [
        line
        for line in quiet.output.strip().splitlines()
        if not line.startswith(("REVIEW OVERDUE", "  leaflets/"))
    ]
    assert summary == [quiet.output.strip().splitlines()[0]]
    assert "3 built" in quiet.output


def test_progress_bar_on_a_terminal_shows_count_eta_and_the_current_leaflet():
    import io

    from leafwright.console import Progress

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    stream = Terminal()
    bar = Progress(stream)
    bar.begin(4)
    bar.step("leaflets/a.yaml")
    bar.step("leaflets/b.yaml")
    bar.clear()
    last = stream.getvalue().split("\r")[-1]
    assert "2/4" in last and "leaflets/b.yaml" in last
    assert stream.getvalue().endswith("\n")  # the summary starts on a line of its own


def test_a_job_with_two_outputs_lists_both_with_their_own_page_counts(lib):
    build(lib, variant="booklet")
    entries = [e for e in manifest(lib)["outputs"] if e["leaflet_id"] == "antiresorptive-medications"]
    assert sorted(e["path"] for e in entries) == [
        "antiresorptive-medications.booklet-a5.imposed.pdf",
        "antiresorptive-medications.booklet-a5.pdf",
    ]
    for e in entries:
        assert e["pages"] == len(PdfReader(lib / "out" / e["path"]).pages), e["path"]
    assert entries[0]["pages"] != entries[1]["pages"]  # sheets are not pages
    assert rebuilt(build(lib, variant="booklet")) == set()


def test_an_imposed_booklet_is_recorded_as_not_for_reading(lib):
    """The imposed file is a printer's file without tags: the manifest must not call it a
    PDF/UA failure; its reading twin is checked as usual."""
    build(lib, variant="booklet")
    entries = {e["path"]: e["pdfua"] for e in manifest(lib)["outputs"]}
    assert entries["pictured.booklet-a5.imposed.pdf"] == "not-for-reading"
    assert entries["pictured.booklet-a5.pdf"] == "passed"


def test_building_the_project_folder_reads_each_leaflet_once(lib):
    """`build .` from the project folder: the leaflets, not the styles, the settings file, a
    hidden folder or the output folder's archived copies of published versions."""
    (lib / "leafwright.yaml").write_text("checks:\n  smog_target: 12\n", encoding="utf-8")
    (lib / ".venv" / "share").mkdir(parents=True)
    (lib / ".venv" / "share" / "tool.yaml").write_text("not: a leaflet\n", encoding="utf-8")
    for _ in range(2):  # the second build finds out/ (and its archive) inside the folder
        result = CliRunner().invoke(main, ["build", ".", "--out", "out", "-j1"])
        assert result.exit_code == 0, result.output
        assert "0 failed" in result.output
    assert "3 unchanged" in result.output
    assert sorted(p.name for p in (lib / "out").glob("*.pdf")) == [
        "antiresorptive-medications.pdf",
        "pictured.pdf",
        "secondary-bone-cancer-bisphosphonates.pdf",
    ]
