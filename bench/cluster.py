"""What a Dask cluster costs per job, against the local process pool, on this machine.

    pip install -e ".[cluster]"
    python bench/cluster.py              # 40 generated leaflets, 2 workers each way
    python bench/cluster.py --write      # also record the result in bench/RESULTS.md

Both sides run the same jobs with the same number of workers (two processes, one job at
a time each), already started and warmed up, so the difference is what the cluster adds:
packing each job's files into a bundle, sending it through the scheduler, writing the
files into the worker's temporary folder, and sending the PDF bytes back. The local pool
reads the files where they are and returns the PDFs as bytes too (the coordinator writes
both). Rounds alternate local and cluster; the per-job overhead is the median over rounds
of (cluster time - local time) / jobs.
"""

from __future__ import annotations

import argparse
import importlib.util
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _bench_module():
    spec = importlib.util.spec_from_file_location("lw_bench", HERE / "bench.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--leaflets", type=int, default=40)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--write", action="store_true", help="record the result in bench/RESULTS.md")
    args = ap.parse_args()

    from distributed import Client, LocalCluster

    from leafwright.batch import Job, make_executor, run_batch

    tmp = Path(tempfile.mkdtemp(prefix="lw-cluster-bench-"))
    files = _bench_module().make_library(tmp, args.leaflets)
    style = str(tmp / "styles" / "default.yaml")

    def jobs(out: str) -> list[Job]:
        return [Job(str(f), f.name, style, "standard", str(tmp / out)) for f in files]

    pool = make_executor(2)
    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
    client = Client(cluster)
    dask = client.get_executor(pure=False)
    warm = jobs("warm")[:4]
    run_batch(warm, executor=pool, workers=2, force=True)
    run_batch(warm, executor=dask, workers=2, force=True, ship_inputs=True)

    local_s, cluster_s, local_job, cluster_job = [], [], [], []
    for _ in range(args.rounds):
        t = time.perf_counter()
        res = run_batch(jobs("local"), executor=pool, workers=2, force=True)
        local_s.append(time.perf_counter() - t)
        local_job += [r.seconds for r in res]
        t = time.perf_counter()
        res = run_batch(jobs("cluster"), executor=dask, workers=2, force=True, ship_inputs=True)
        cluster_s.append(time.perf_counter() - t)
        cluster_job += [r.seconds for r in res]
        assert all(r.status == "built" for r in res)
    client.close()
    cluster.close()
    pool.shutdown()

    n = len(files)
    overhead = statistics.median((c - lo) / n * 1000 for c, lo in zip(cluster_s, local_s))
    lines = [
        f"`python bench/cluster.py --leaflets {n} --rounds {args.rounds}`: {n} generated leaflets "
        f"(standard edition, default style), 2 workers each way, warmed up; rounds alternate.",
        "",
        "| | wall time per round (median) | per job | job time inside the worker (median) |",
        "| --- | --- | --- | --- |",
        _row("local process pool", local_s, local_job, n),
        _row("Dask LocalCluster", cluster_s, cluster_job, n),
        f"| **cluster overhead** | | **{overhead:+.0f} ms per job** | |",
        "",
        f"Python {platform.python_version()}, {platform.machine()}, {_cpus()} cores; "
        f"rounds (local/cluster, s): " + ", ".join(f"{a:.2f}/{b:.2f}" for a, b in zip(local_s, cluster_s)),
    ]
    text = "\n".join(lines)
    print(text)
    if args.write:
        _write(text)


def _row(name: str, rounds: list[float], jobs: list[float], n: int) -> str:
    wall = statistics.median(rounds)
    return f"| {name} | {wall:.2f} s | {wall / n * 1000:.0f} ms | {statistics.median(jobs) * 1000:.0f} ms |"


def _cpus() -> int:
    import os

    return os.cpu_count() or 1


def _write(text: str) -> None:
    path = HERE / "RESULTS.md"
    body = path.read_text(encoding="utf-8")
    start, end = "<!-- cluster-bench:start -->", "<!-- cluster-bench:end -->"
    block = f"{start}\n{text}\n{end}"
    if start in body:
        body = body[: body.index(start)] + block + body[body.index(end) + len(end) :]
    else:
        body = body.rstrip("\n") + "\n\n## Cluster overhead\n\n" + block + "\n"
    path.write_text(body, encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
