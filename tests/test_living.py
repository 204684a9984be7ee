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
    # the About block's "What changed in this version" keeps the PDFs PDF/UA-1
    assert {e["pdfua"] for e in current["outputs"]} == {"passed"}
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
        "since version 1.0 (published 2024-03-01) was built, but the version is still 1.0 "
        "(published 2024-03-01)"
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


# --- diff ----------------------------------------------------------------------------------

import os  # noqa: E402
import subprocess  # noqa: E402
from html.parser import HTMLParser  # noqa: E402

REGEN = os.environ.get("LEAFWRIGHT_REGEN") == "1"  # rewrite the expected reports


def golden(name: str, got: str) -> None:
    """``got`` must equal the expected report kept in tests/data/living/NAME."""
    path = LIVING / name
    if REGEN:
        path.write_text(got, encoding="utf-8")
    assert got == path.read_text(encoding="utf-8"), f"differs from {path} (LEAFWRIGHT_REGEN=1 rewrites it)"


def test_diff_reports_what_a_reader_would_see_changed(tmp_path, monkeypatch):
    """A changed dose sentence, a removed side effect, a moved section, new details."""
    monkeypatch.chdir(LIVING)
    r = run("diff", "zoledronate-v1.yaml", "zoledronate-v2.yaml")
    assert r.exit_code == 0, r.output
    golden("zoledronate-v1-v2.diff.txt", r.output)
    assert "  ~ The usual dose is 4 mg every [-four-] {+twelve+} weeks.\n" in r.output
    assert "  - Feeling sick.\n" in r.output
    assert 'Section "Looking after your teeth" (moved from 4th to 2nd place)' in r.output
    r = run("diff", "zoledronate-v1.yaml", "zoledronate-v2.yaml", "--format", "json")
    golden("zoledronate-v1-v2.diff.json", r.output)
    data = json.loads(r.output)
    assert data["summary"] == {
        "details": 5,
        "sections_added": 0,
        "sections_removed": 0,
        "sections_moved": 1,
        "sections_renamed": 0,
        "added": 0,
        "removed": 1,
        "changed": 1,
    }


def test_diff_ignores_yaml_reformatting_and_sees_renames(tmp_path):
    data = yaml.safe_load(V1.read_text())
    (tmp_path / "same.yaml").write_text(yaml.safe_dump(data, sort_keys=True, width=40))
    r = run("diff", str(V1), str(tmp_path / "same.yaml"))
    assert r.exit_code == 0 and "A reader would see no difference." in r.output
    data["sections"][2]["heading"] = "Possible side effects"
    data["sections"][2]["blocks"][0]["paragraph"] = "Most people have **few** side effects. Some are rare."
    data["key_points"]["items"].append("Tell your dentist.")
    (tmp_path / "renamed.yaml").write_text(yaml.safe_dump(data, sort_keys=False))
    r = run("diff", str(V1), str(tmp_path / "renamed.yaml"))
    assert 'Section "Possible side effects" (renamed from "Side effects")' in r.output
    assert "  + Some are rare." in r.output
    assert "  + Tell your dentist." in r.output  # the key points box
    assert "[-**few**-]" not in r.output  # markup is not what a reader sees


class _Tags(HTMLParser):
    """Every start tag in order, and the text, checking each element closes in order."""

    VOID = {"meta", "br", "img", "hr", "link", "input"}

    def __init__(self):
        super().__init__()
        self.open: list[str] = []
        self.seen: list[tuple[str, dict]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.seen.append((tag, dict(attrs)))
        if tag not in self.VOID:
            self.open.append(tag)

    def handle_endtag(self, tag):
        assert self.open and self.open[-1] == tag, f"</{tag}> closes <{self.open[-1:]}>"
        self.open.pop()

    def handle_data(self, data):
        self.text.append(data)


def test_diff_changes_page_is_semantic_escaped_html(tmp_path):
    hostile = V2.read_text().replace(
        "- Tiredness.", '- "Tiredness <script>alert(1)</script> & <b>dizziness</b>."'
    )
    (tmp_path / "v2.yaml").write_text(hostile)
    page = tmp_path / "changes.html"
    r = run("diff", str(V1), str(tmp_path / "v2.yaml"), "--format", "html", "-o", str(page))
    assert r.exit_code == 0, r.output
    text = page.read_text()
    assert "<script>" not in text and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;" in text
    p = _Tags()
    p.feed(text)
    p.close()
    assert p.open == [], "every element is closed"
    tags = [t for t, _ in p.seen]
    assert dict(p.seen)["html"]["lang"] == "en-GB"
    assert tags.count("h1") == 1 and tags.count("main") == 1 and "title" in tags
    # headings in order: one h1, then h2s (no level skipped)
    assert next(t for t in tags if t in ("h1", "h2", "h3")) == "h1"
    assert "h3" not in tags
    # the table of details has column and row headers
    assert [a.get("scope") for t, a in p.seen if t == "th"][:3] == ["col", "col", "col"]
    words = " ".join(p.text)
    assert "[removed: </span>" not in words  # markup not text
    assert "[removed: " in words and "four" in words and "[added: " in words and "twelve" in words
    assert "Removed:" in words and "Feeling sick." in words
    assert "Moved from 4th to 2nd place." in words


def test_diff_against_the_archive_and_the_last_published_version(lib):
    build()
    put(lib, V2.read_text())
    r = run("diff", "leaflets/zoledronate.yaml")  # against what is in out/ now: 1.0
    assert r.exit_code == 0, r.output
    assert "from version 1.0 (published 2024-03-01, zoledronate@1.0 (published))" in r.output
    build()
    r = run("diff", "leaflets/zoledronate.yaml")  # 1.1 is published now: against the archive
    assert "from version 1.0 (published 2024-03-01, zoledronate@1.0)" in r.output
    assert "every [-four-] {+twelve+} weeks" in r.output
    r = run("diff", "zoledronate@1.0", "zoledronate@1.1")
    assert r.exit_code == 0 and "every [-four-] {+twelve+} weeks" in r.output
    r = run("diff", "zoledronate@0.9", "leaflets/zoledronate.yaml")
    assert r.exit_code == 2
    assert (
        "no version 0.9 of zoledronate in out/archive" in r.output and "versions kept: 1.0, 1.1" in r.output
    )


@pytest.mark.skipif(not shutil.which("git"), reason="git is not installed")
def test_diff_against_a_git_revision(lib):
    def git(*args):
        subprocess.run(
            ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
            cwd=lib,
            check=True,
            capture_output=True,
        )

    git("init", "-q", ".")
    git("add", "leaflets")
    git("commit", "-q", "-m", "v1")
    put(lib, V2.read_text())
    r = run("diff", "git:HEAD", "leaflets/zoledronate.yaml")
    assert r.exit_code == 0, r.output
    assert "(published 2024-03-01, git:HEAD:leaflets/zoledronate.yaml)" in r.output
    assert "every [-four-] {+twelve+} weeks" in r.output
    r = run("diff", "git:nosuchrev", "leaflets/zoledronate.yaml")
    assert r.exit_code == 2 and "cannot read leaflets/zoledronate.yaml at git revision nosuchrev" in r.output


# --- review --------------------------------------------------------------------------------


def _review_lib(tmp_path: Path) -> Path:
    """Four leaflets: two owners, one overdue, one due soon, one later, one withdrawn."""
    base = yaml.safe_load(V1.read_text())
    specs = [
        ("later", "2027-06-01", "Pharmacy team", "approved"),
        ("overdue", "2025-05-01", "Bone clinic nursing team", "approved"),
        ("soon", "2025-07-15", "Bone clinic nursing team", "draft"),
        ("gone", "2025-01-01", "Pharmacy team", "withdrawn"),
    ]
    (tmp_path / "leaflets").mkdir()
    for lid, review_by, owner, status in specs:
        d = dict(base, id=lid, review_by=review_by, status=status)
        d["owner"] = {"name": owner, "contact": f"{lid}@example.org"}
        if status == "withdrawn":
            d["withdrawn_on"] = "2024-12-01"
        (tmp_path / "leaflets" / f"{lid}.yaml").write_text(yaml.safe_dump(d, sort_keys=False))
    return tmp_path


def test_review_sorted_by_due_date_filters_and_exit_codes(tmp_path, monkeypatch):
    monkeypatch.chdir(_review_lib(tmp_path))
    monkeypatch.setenv("LEAFWRIGHT_TODAY", "2025-06-01")
    r = run("review")
    assert r.exit_code == 1  # something is overdue
    lines = r.output.splitlines()
    assert lines[0].split() == ["review", "by", "due", "status", "version", "published", "leaflet", "owner"]
    assert [ln.split()[0] for ln in lines[1:4]] == ["2025-05-01", "2025-07-15", "2027-06-01"]
    assert "overdue 31 d" in lines[1] and "in 44 d" in lines[2] and "in 730 d" in lines[3]
    assert "gone" not in r.output  # withdrawn: nobody reviews it
    assert lines[-1] == "3 leaflets listed, 1 overdue (today 2025-06-01)"
    r = run("review", "--due-within", "90d", "--format", "json")
    data = json.loads(r.output)
    assert [x["leaflet_id"] for x in data["leaflets"]] == ["overdue", "soon"]
    assert data["leaflets"][0]["days"] == -31 and data["leaflets"][0]["overdue"] is True
    assert r.exit_code == 1
    # a team's own scheduled job: nothing of theirs overdue, exit 0
    r = run("review", "--owner", "pharmacy", "--format", "csv")
    assert r.exit_code == 0
    assert r.output.splitlines()[0].startswith("leaflet_id,title,file,owner,contact,status,version")
    assert [ln.split(",")[0] for ln in r.output.splitlines()[1:]] == ["later"]
    r = run("review", "--overdue", "--format", "json")
    assert [x["leaflet_id"] for x in json.loads(r.output)["leaflets"]] == ["overdue"]
    r = run("review", "--include-withdrawn", "--format", "json")
    assert json.loads(r.output)["leaflets"][0]["leaflet_id"] == "gone"
    # a day earlier than the review date: nothing overdue
    monkeypatch.setenv("LEAFWRIGHT_TODAY", "2025-04-30")
    assert run("review").exit_code == 0
    r = run("review", "--due-within", "soon")
    assert r.exit_code == 2 and "--due-within soon: not a span of time" in r.output
    monkeypatch.setenv("LEAFWRIGHT_TODAY", "yesterday")
    r = run("review")
    assert r.exit_code == 2 and "LEAFWRIGHT_TODAY=yesterday is not a date" in r.output


def test_build_summary_lists_overdue_leaflets_one_a_line(tmp_path, monkeypatch):
    from leafwright.review import overdue_summary

    monkeypatch.chdir(_review_lib(tmp_path))
    shutil.copytree(STYLE_DIR, tmp_path / "styles")
    monkeypatch.setenv("LEAFWRIGHT_TODAY", "2025-06-01")
    r = run("build", "-j", "1")
    assert r.exit_code == 0, r.output
    assert (
        "REVIEW OVERDUE: 1 leaflet past its review date (built anyway):\n"
        "  leaflets/overdue.yaml  review by 2025-05-01 (31 days ago)\n"
    ) in r.output
    many = [(f"leaflets/l{i:02d}.yaml", "2025-01-01", 100 + i) for i in range(12)]
    lines = overdue_summary(many)
    assert len(lines) == 12 and lines[1].startswith("  leaflets/l11.yaml")
    assert lines[-1] == "  ... and 2 more: leafwright review --overdue lists them all"


def test_diff_reads_every_sample_and_finds_no_change_against_itself():
    """Every block type of the samples is read; two different leaflets compare without error."""
    from conftest import LEAFLETS
    from leafwright.changes import compare, format_html, format_text, to_json
    from leafwright.content import content_hash, reader_view

    views = [reader_view(load_leaflet(f).leaflet) for f in LEAFLETS]
    for f, v in zip(LEAFLETS, views):
        assert compare(v, v).empty, f
        lf = load_leaflet(f).leaflet
        assert content_hash(lf) == content_hash(load_leaflet(f).leaflet)
        assert sum(len(s.units) for s in v.sections) > 10
    c = compare(views[0], views[1])
    assert not c.empty and format_text(c) and format_html(c).endswith("</html>\n")
    json.dumps(to_json(c))
