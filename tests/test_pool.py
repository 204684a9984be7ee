"""The process pool's two hard paths: a worker that dies, and Ctrl-C while jobs run.

The pool is given as an executor whose futures behave as a real pool's do when a
worker process is killed (``BrokenProcessPool``) or the user presses Ctrl-C while
the build waits; the jobs that do run are real builds.
"""

from __future__ import annotations

import shutil
from concurrent.futures import Executor, Future
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import pytest

from conftest import LEAFLETS
from leafwright.batch import Job, run_batch
from leafwright.manifest import read_manifest

SAMPLES = [p for p in LEAFLETS if p.stem in ("antiresorptive-medications", "denosumab-osteoporosis")]


class FakePool(Executor):
    """Runs each task at once in this process, except the ones ``fate`` picks out:

    ``"die"``: the future fails as a killed worker's does; ``"interrupt"``: submitting
    it raises KeyboardInterrupt, as Ctrl-C does while the build is handing out jobs.
    """

    def __init__(self, fate: dict[str, str]):
        self.fate = fate
        self.ran: list[str] = []
        self.shut = False

    def submit(self, fn, /, *args, **kwargs):  # type: ignore[override]
        task = args[0]
        name = Path(task.job.leaflet).name
        what = self.fate.get(name)
        if what == "interrupt":
            raise KeyboardInterrupt
        f: Future = Future()
        if what == "die":
            f.set_exception(BrokenProcessPool("A process in the process pool was terminated abruptly"))
        else:
            self.ran.append(name)
            f.set_result(fn(*args, **kwargs))
        return f

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        self.shut = True


@pytest.fixture
def lib(tmp_path: Path) -> Path:
    for p in SAMPLES:
        shutil.copy(p, tmp_path / p.name)
    return tmp_path


def _jobs(lib: Path) -> list[Job]:
    return [Job(str(p), p.name, "default", "standard", str(lib / "out")) for p in sorted(lib.glob("*.yaml"))]


def test_a_dead_worker_fails_its_job_and_the_others_are_built_and_recorded(lib: Path) -> None:
    dead, alive = SAMPLES[0].name, SAMPLES[1].name
    pool = FakePool({dead: "die"})
    results = {Path(r.job.leaflet).name: r for r in run_batch(_jobs(lib), executor=pool)}
    assert results[dead].status == "failed"
    assert results[dead].internal_error and "worker failed" in results[dead].internal_error
    assert "terminated abruptly" in results[dead].internal_error
    assert results[alive].status == "built"
    recorded = {Path(e.source).name for e in read_manifest(str(lib / "out")).values()}
    assert recorded == {alive}
    out = sorted(p.name for p in (lib / "out").iterdir())
    assert f"{SAMPLES[1].stem}.pdf" in out and f"{SAMPLES[0].stem}.pdf" not in out
    assert not pool.shut, "a pool the caller gave is the caller's to shut down"
    # the next build retries the failed job only
    again = {Path(r.job.leaflet).name: r.status for r in run_batch(_jobs(lib))}
    assert again == {dead: "built", alive: "unchanged"}


def test_ctrl_c_in_the_pool_keeps_what_finished_and_writes_its_manifest(lib: Path) -> None:
    first, second = sorted(SAMPLES, key=lambda p: -p.stat().st_size)  # the order jobs are handed out
    pool = FakePool({second.name: "interrupt"})
    with pytest.raises(KeyboardInterrupt):
        run_batch(_jobs(lib), executor=pool)
    assert pool.ran == [first.name]
    out = lib / "out"
    assert (out / f"{first.stem}.pdf").read_bytes().startswith(b"%PDF-")
    assert {Path(e.source).name for e in read_manifest(str(out)).values()} == {first.name}
    assert not (out / f"{second.stem}.pdf").exists()
    assert not [p for p in out.iterdir() if p.name.startswith(".")], "a temporary file was left behind"
    # the finished job was recorded: the next build leaves it and builds the other
    again = {Path(r.job.leaflet).name: r.status for r in run_batch(_jobs(lib))}
    assert again == {first.name: "unchanged", second.name: "built"}


def test_ctrl_c_in_the_cli_reports_what_was_kept(lib: Path, monkeypatch) -> None:
    from click.testing import CliRunner

    import leafwright.batch as batch
    from leafwright.cli import main

    real = batch.run_task
    calls = []

    def interrupted_second(task):
        calls.append(task)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return real(task)

    monkeypatch.setattr(batch, "run_task", interrupted_second)
    monkeypatch.chdir(lib)
    result = CliRunner().invoke(main, ["build", ".", "--out", "out", "-j", "1"])
    assert result.exit_code == 130  # 128 + SIGINT, as shells report Ctrl-C
    assert "Traceback" not in result.stderr
    assert "interrupted: finished PDFs were kept and recorded" in result.stderr
    assert len(list((lib / "out").glob("*.pdf"))) == 1
