"""Building on a Dask cluster (a LocalCluster of two worker processes): the same bytes as a
local build, a worker killed mid-job has its job run again, Ctrl-C leaves no partial file,
and no worker needs the coordinator's folders.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import ROOT, STYLE_DIR, ctrl_c_reaches_child
from leafwright.batch import Job, run_batch
from leafwright.cli import main
from leafwright.starter import write_starter

distributed = pytest.importorskip("distributed", reason="the cluster extra is not installed")

SMALL = ["antiresorptive-medications.yaml", "secondary-bone-cancer-bisphosphonates.yaml"]


@pytest.fixture(scope="module")
def cluster():
    """Two worker processes, one thread each, on this machine; the scheduler's address."""
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None, silence_logs=40
    ) as c:
        yield c


@pytest.fixture
def lib(tmp_path, monkeypatch) -> Path:
    """styles/ (with a logo), two samples and a starter with a picture; cwd."""
    shutil.copytree(STYLE_DIR, tmp_path / "styles")
    (tmp_path / "leaflets").mkdir()
    for name in SMALL:
        shutil.copy(ROOT / "leaflets" / name, tmp_path / "leaflets" / name)
    write_starter("pictured", tmp_path / "leaflets")
    p = tmp_path / "leaflets" / "pictured.yaml"
    p.write_text(p.read_text().replace("status: draft", "status: approved"))
    monkeypatch.chdir(tmp_path)
    return tmp_path


def jobs(lib: Path, out: str, style: str = "heather", variants=("standard", "booklet")) -> list[Job]:
    files = sorted((lib / "leaflets").glob("*.yaml"))
    return [
        Job(str(f), f"leaflets/{f.name}", str(lib / "styles" / f"{style}.yaml"), v, str(lib / out))
        for f in files
        for v in variants
    ]


def folder(path: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(path.iterdir()) if p.is_file()}


def test_a_cluster_build_is_byte_identical_to_a_local_one(lib, cluster):
    """heather has a logo, the starter a picture: files the workers can only get from the bundle."""
    # the booklet: two files per job, the reading PDF and the imposed sheets
    run_batch(jobs(lib, "local", variants=("booklet",)), workers=2)
    with distributed.Client(cluster) as client:
        results = run_batch(
            jobs(lib, "cluster", variants=("booklet",)),
            executor=client.get_executor(pure=False),
            workers=2,
            ship_inputs=True,
        )
    assert {r.status for r in results} == {"built"}
    local, remote = folder(lib / "local"), folder(lib / "cluster")
    assert sorted(remote) == sorted(local) and len(local) == 3 * 2 + 1  # 3 leaflets x 2 files + manifest
    for name in local:
        assert remote[name] == local[name], name
    # the manifest names the inputs on the coordinator, never a worker's temporary folder
    entry = next(
        e
        for e in json.loads((lib / "cluster" / "manifest.json").read_text())["outputs"]
        if e["path"] == "pictured.booklet-a5.pdf"
    )
    assert entry["inputs"] == ["../leaflets/pictured-picture.png"]


def test_a_worker_needs_only_the_bundle_not_the_coordinators_folders(lib, cluster, tmp_path_factory):
    """Bundles made, then the library moved away: the workers still build every job, the same
    bytes as a local build, and name files as the coordinator does."""
    from leafwright.batch import BuildTask
    from leafwright.cluster import Packer, run_bundle

    run_batch(jobs(lib, "local", variants=("standard",)), workers=1)
    local = folder(lib / "local")
    packer = Packer()
    bundles = [packer.pack(BuildTask(j, "key")) for j in jobs(lib, "out", variants=("standard",))]
    shutil.move(lib, tmp_path_factory.mktemp("elsewhere") / "library")
    assert not (lib / "leaflets").exists()
    with distributed.Client(cluster) as client:
        results = client.gather(client.map(run_bundle, bundles, pure=False))
    for tr in results:
        r = tr.result
        assert r.ok, (r.diagnostics, r.internal_error)
        for name, pdf in r.files:
            assert pdf == local[name], name
        assert r.job.leaflet.startswith(str(lib))  # the coordinator's job, not the worker's copy
        for w in r.warnings:
            assert "leafwright-" not in (w.file or "") + w.message, w
        assert all(f.startswith(str(lib)) for f in r.inputs)
    assert any(r.result.warnings for r in results)


class DieOnce:
    """A task function that kills its worker process the first time it runs, mid-job."""

    def __init__(self, fn, marker: str) -> None:
        self.fn, self.marker = fn, marker

    def __call__(self, bundle):
        if not os.path.exists(self.marker):
            Path(self.marker).write_text("killed")
            os._exit(1)  # as a machine lost mid-build: no result, no goodbye
        return self.fn(bundle)


class Killing:
    """An executor whose first job kills the worker running it."""

    def __init__(self, inner, marker: str) -> None:
        self.inner, self.marker = inner, marker

    def submit(self, fn, *args):
        return self.inner.submit(DieOnce(fn, self.marker), *args)

    def shutdown(self, **kw):
        pass


def test_a_worker_killed_mid_build_has_its_job_run_again(lib, cluster, tmp_path_factory):
    import cloudpickle

    cloudpickle.register_pickle_by_value(sys.modules[__name__])  # the workers cannot import tests
    marker = str(tmp_path_factory.mktemp("marker") / "killed")
    run_batch(jobs(lib, "local", variants=("standard",)), workers=1)
    with distributed.Client(cluster) as client:
        results = run_batch(
            jobs(lib, "cluster", variants=("standard",)),
            executor=Killing(client.get_executor(pure=False), marker),
            workers=2,
            ship_inputs=True,
        )
        client.wait_for_workers(2, timeout=60)  # the nanny restarts the dead worker
    assert Path(marker).read_text() == "killed"
    assert [r.status for r in results] == ["built"] * 3, [r.internal_error for r in results]
    assert folder(lib / "cluster") == folder(lib / "local")


def test_ctrl_c_on_a_cluster_build_leaves_no_partial_file(lib, cluster):
    text = (lib / "leaflets" / SMALL[0]).read_text()
    for i in range(6):
        (lib / "leaflets" / f"copy-{i}.yaml").write_text(
            text.replace("id: antiresorptive-medications", f"id: copy-{i}")
        )
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    cmd = [
        sys.executable,
        "-m",
        "leafwright.cli",
        "build",
        "--executor",
        "dask://" + cluster.scheduler_address.split("://")[1],
    ]
    proc = subprocess.Popen(
        cmd + ["--variant", "standard,large-print"],
        cwd=lib,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=ctrl_c_reaches_child,
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()  # the first finished job
    assert line.startswith("built"), line + proc.stderr.read() if proc.stderr else ""
    proc.send_signal(signal.SIGINT)
    _out, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, err
    assert "interrupted: finished PDFs were kept and recorded" in err
    out = lib / "out"
    assert not [p for p in out.iterdir() if p.name.startswith(".") or ".part" in p.name]
    import hashlib

    recorded = {e["path"]: e["sha256"] for e in json.loads((out / "manifest.json").read_text())["outputs"]}
    pdfs = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in out.glob("*.pdf")}
    assert pdfs == recorded and 1 <= len(pdfs) < 16  # stopped early, everything written recorded


def test_executor_options_are_checked_before_anything_is_built(lib, monkeypatch):
    from leafwright import cluster

    monkeypatch.setattr(cluster, "CONNECT_TIMEOUT", 2)  # nobody listens: no need to wait long
    runner = CliRunner()
    both = runner.invoke(main, ["build", "--executor", "dask://127.0.0.1:1", "--jobs", "2"])
    assert both.exit_code == 2 and "--jobs is for --executor local" in both.output
    unknown = runner.invoke(main, ["build", "--executor", "ray://x"])
    assert unknown.exit_code == 2 and "unknown executor 'ray://x'" in unknown.output
    nobody = runner.invoke(main, ["build", "--executor", "dask://127.0.0.1:9"])
    assert nobody.exit_code == 2 and "cannot reach the Dask scheduler at tcp://127.0.0.1:9" in nobody.output
    assert not (lib / "out").exists()
