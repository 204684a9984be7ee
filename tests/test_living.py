"""Leaflets as living documents: owner and status, the archive of published versions,
content changed without a new version, `diff`, `review` and each leaflet's history."""

from __future__ import annotations

import re
from pathlib import Path

import pypdf

from conftest import style
from leafwright.render import load_leaflet, render

LIVING = Path(__file__).resolve().parent / "data" / "living"
V1 = LIVING / "zoledronate-v1.yaml"
V2 = LIVING / "zoledronate-v2.yaml"


def pdf_text(path: Path) -> str:
    """A PDF's text with whitespace folded (wrapped lines compare with the YAML's text)."""
    return re.sub(r"\s+", " ", " ".join(p.extract_text() for p in pypdf.PdfReader(path).pages))


def test_change_note_printed_in_about_block_owner_not(tmp_path):
    src = load_leaflet(V2)
    assert src.leaflet.owner is not None and src.leaflet.status == "approved"
    out = tmp_path / "z.pdf"
    out.write_bytes(render(src, style()))
    text = pdf_text(out)
    about = text[text.index("About this information") :]
    assert "What changed in this version: New dosing interval; feeling sick removed" in about
    # the owner is for governance, not for readers
    assert "bone.clinic@example.org" not in text


# --- the archive, withdrawal, content changed without a new version ------------------------

import hashlib  # noqa: E402
import json  # noqa: E402
import shutil  # noqa: E402

import pytest  # noqa: E402
import yaml  # noqa: E402
from click.testing import CliRunner  # noqa: E402

from conftest import STYLE_DIR  # noqa: E402
from leafwright.cli import main  # noqa: E402


@pytest.fixture
def lib(tmp_path, monkeypatch) -> Path:
    """A library with the zoledronate leaflet at version 1.0; cwd; a fixed today."""
    shutil.copytree(STYLE_DIR, tmp_path / "styles")
    (tmp_path / "leaflets").mkdir()
    shutil.copy(V1, tmp_path / "leaflets" / "zoledronate.yaml")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("LEAFWRIGHT_TODAY", "2025-06-01")
    return tmp_path


def run(*args: str):
    r = CliRunner().invoke(main, list(args))
    assert "Traceback" not in r.output, r.output
    return r


def build(*extra: str):
    r = run("build", "-j", "1", "--variant", "standard,large-print", *extra)
    assert r.exit_code == 0, r.output
    return r


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def manifest(lib: Path, folder: str = "out") -> dict:
    return json.loads((lib / folder / "manifest.json").read_text())


def put(lib: Path, text: str) -> None:
    (lib / "leaflets" / "zoledronate.yaml").write_text(text, encoding="utf-8")


def test_version_bump_archives_the_old_files_byte_for_byte(lib):
    build()
    out = lib / "out"
    before = {p.name: p.read_bytes() for p in out.glob("*.pdf")}
    old_entries = {e["path"]: e for e in manifest(lib)["outputs"]}
    assert set(before) == {"zoledronate.pdf", "zoledronate.large-print.pdf"}
    put(lib, V2.read_text())
    r = build()
    assert "archived leaflets/zoledronate.yaml version 1.0  (in out/archive/zoledronate/1.0)" in r.output
    kept = out / "archive" / "zoledronate" / "1.0"
    for name, data in before.items():
        assert (kept / name).read_bytes() == data  # byte for byte
        assert (out / name).read_bytes() != data  # and the new version published in its place
    # the archive keeps the files' manifest entries and the YAML that made them
    archived = {e["path"]: e for e in manifest(lib, "out/archive/zoledronate/1.0")["outputs"]}
    assert set(archived) == set(before)
    for name, e in archived.items():
        old = old_entries[name]
        for key in ("sha256", "bytes", "input_hash", "version", "published", "review_by", "content_hash"):
            assert e[key] == old[key], key
        assert e["sha256"] == digest(kept / name)
        assert e["source"] == "zoledronate.yaml"
    assert (kept / "zoledronate.yaml").read_text() == V1.read_text()
    # the current manifest lists only the current files; the history both versions
    current = manifest(lib)
    assert {e["version"] for e in current["outputs"]} == {"1.1"}
    (rec,) = current["leaflets"]
    assert [(h["version"], h["published"], h["change_note"], h["archive"]) for h in rec["history"]] == [
        ("1.0", "2024-03-01", "First version.", "archive/zoledronate/1.0"),
        ("1.1", "2025-06-01", V2_NOTE, ""),
    ]
    assert rec["owner"] == "Bone clinic nursing team (bone.clinic@example.org)"
    # a rebuild of the same version archives nothing more
    build("--force")
    assert sorted(p.name for p in (out / "archive" / "zoledronate").iterdir()) == ["1.0", "published.yaml"]


V2_NOTE = "New dosing interval; feeling sick removed from side effects; teeth section moved up."


def test_no_archive_overwrites(lib):
    build("--no-archive")
    put(lib, V2.read_text())
    build("--no-archive")
    assert not (lib / "out" / "archive").exists()
    assert {e["version"] for e in manifest(lib)["outputs"]} == {"1.1"}


def test_withdrawal_removes_from_current_and_keeps_in_archive(lib):
    build()
    before = {p.name: p.read_bytes() for p in (lib / "out").glob("*.pdf")}
    data = V1.read_text().replace(
        'version: "1.0"\n', 'version: "1.0"\nstatus: withdrawn\nwithdrawn_on: 2025-05-20\n'
    )
    put(lib, data)
    # only the standard edition is asked for: the large print goes too
    r = run("build", "-j", "1", "--variant", "standard")
    assert r.exit_code == 0, r.output
    assert "withdrawn leaflets/zoledronate.yaml  (files kept in out/archive/zoledronate/1.0)" in r.output
    assert not list((lib / "out").glob("*.pdf"))
    kept = lib / "out" / "archive" / "zoledronate" / "1.0"
    for name, data in before.items():
        assert (kept / name).read_bytes() == data
    m = manifest(lib)
    assert m["outputs"] == []
    (rec,) = m["leaflets"]
    assert (rec["status"], rec["withdrawn_on"]) == ("withdrawn", "2025-05-20")
    assert rec["history"][-1]["archive"] == "archive/zoledronate/1.0"
    # building again changes nothing
    run("build", "-j", "1", "--variant", "standard")
    assert manifest(lib) == m


def test_content_change_without_version_caught_yaml_reformat_not(lib):
    build()
    # the same leaflet written differently: keys sorted, quotes and folding changed
    data = yaml.safe_load(V1.read_text())
    put(lib, yaml.safe_dump(data, sort_keys=True, width=50, default_style=None))
    r = build()
    assert "LW701" not in r.output and "archived" not in r.output
    r = run("check", "--strict", "leaflets/zoledronate.yaml")
    assert "LW701" not in r.output
    # one sentence a reader sees changes, the version does not
    put(lib, V1.read_text().replace("every four weeks", "every twelve weeks"))
    r = build()
    warning = (
        "leaflets/zoledronate.yaml:4:10: LW701 warning: zoledronate: the text a reader sees has changed "
        "since version 1.0 (published 2024-03-01) was built, but the version is still 1.0 (published 2024-03-01)"
    )
    assert warning in r.output
    # what was published before is not lost: kept beside the version's folder
    assert (lib / "out" / "archive" / "zoledronate" / "1.0" / "zoledronate.pdf").is_file()
    # check --strict fails, and goes on failing until the version moves on
    r = run("check", "--strict", "leaflets/zoledronate.yaml")
    assert r.exit_code == 1 and "LW701" in r.output
    # a new version published on the same day as the old one
    put(lib, V1.read_text().replace("every four weeks", "every twelve weeks").replace('"1.0"', '"1.1"'))
    r = run("check", "--strict", "leaflets/zoledronate.yaml")
    assert r.exit_code == 1 and "LW701" not in r.output
    assert (
        "LW702 warning: zoledronate: version 1.1 is published 2024-03-01, not after version 1.0 "
        "(published 2024-03-01)"
    ) in r.output
