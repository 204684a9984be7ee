"""leafwright's benchmark: every speed figure of issue 15 (and issue 12's Arabic one) beside
Typst's, in one run, with the machine and the versions.

    pip install -e ".[bench]"
    python bench/bench.py                     # everything, 1,000-leaflet library (~10 minutes)
    python bench/bench.py --only render,edit  # some sections (render edit cold library tagging arabic)
    python bench/bench.py --library 100       # a quicker library
    python bench/bench.py --profile           # where leafwright's warm render goes (pyinstrument)
    python bench/bench.py --write             # and update bench/RESULTS.md (+ a history row)

Sections:

render   warm render of all-new content: a per-run token written into every paragraph, list
         item and heading of the OI factsheet (leafwright: the YAML; Typst: the .typ), each run
         a fresh file, so neither tool's in-process cache has seen any of it. leafwright does
         what a build does per leaflet: load, validate, checks, layout, tagging, drawing.
edit     one paragraph changed in a warm process, rebuilt the way ``leafwright watch`` does
         (watch.Session -> the batch runner: checks, render, PDF/UA check, atomic write,
         manifest), against Typst's all-new compile.
cold     fresh processes: ``leafwright build`` of one leaflet, ``leafwright --help``,
         ``import leafwright`` (and what it imports); bytecode caches on, as installed.
library  1,000 generated leaflets cold with --jobs 1 and --jobs 2, the machine's own
         2-process ceiling, a no-op rebuild, one edit; memory of one worker.
tagging  tagged vs untagged render of the samples (bench/tagging.py), and every edition of
         every sample built twice in fresh processes: byte-identical, PDF/UA-1 valid.
arabic   an Arabic leaflet against an English one of the same length (issue 12).

``--write`` keeps each section's last results in bench/results.json (so ``--only`` runs
merge), rewrites the benchmark section of bench/RESULTS.md from them, and appends one
dated row to its history table. Only ratios measured in the same run are compared:
these shared machines' absolute timings move from run to run.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import gc
import hashlib
import json
import os
import platform
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PEERS = ROOT / "bench" / "peers"
OI = ROOT / "leaflets" / "oi-bisphosphonates.yaml"
TYP = PEERS / "oi-bisphosphonates.typ"
RESULTS = ROOT / "bench" / "RESULTS.md"
STORE = ROOT / "bench" / "results.json"
BEGIN, END = "<!-- batch-bench:begin -->", "<!-- batch-bench:end -->"
HBEGIN, HEND = "<!-- bench-history:begin -->", "<!-- bench-history:end -->"
LEAFWRIGHT = [sys.executable, "-m", "leafwright.cli"]
SECTIONS = ("render", "edit", "cold", "library", "tagging", "arabic")

# Targets (issue 15; the Arabic one from issue 12)
T_WARM = 1.0  # leafwright / Typst, all-new content
T_EDIT = 0.3  # leafwright edit re-render / Typst all-new
T_BUILD = 0.35  # s, cold build of one leaflet
T_HELP = 0.1  # s
T_SCALING = 1.85  # --jobs 2 over --jobs 1
T_NOOP = 1.0  # s, no-op rebuild of 1,000
T_TAGGING = 1.10  # tagged / untagged
T_ARABIC = 1.5  # Arabic / English of the same length


def _median_ms(xs: list[float]) -> float:
    return statistics.median(xs) * 1000


def _ok(flag: bool) -> str:
    return "met" if flag else "**missed**"


def machine() -> dict:
    """Cores, CPU model, load average now, Python and OS."""
    model = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = os.getloadavg() if hasattr(os, "getloadavg") else (0.0, 0.0, 0.0)
    return {
        "cores": os.cpu_count(),
        "cpu": model,
        "load": [round(x, 2) for x in load],
        "python": platform.python_version(),
        "os": f"{platform.system()} {platform.release()}",
        "arch": platform.machine(),
    }


def versions() -> dict:
    from importlib.metadata import PackageNotFoundError, version

    out = {}
    for n in ("leafwright", "reportlab", "rl-accel", "pydantic", "typst", "weasyprint", "page-validation"):
        try:
            out[n] = version(n)
        except PackageNotFoundError:
            out[n] = "not installed"
    return out


def commit() -> str:
    try:
        rev = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "src"], cwd=ROOT, capture_output=True, text=True
        )
        return rev + ("+" if dirty.stdout.strip() else "")
    except (OSError, subprocess.CalledProcessError):
        return "?"


# --- all-new content ---------------------------------------------------------------------

_PROSE_KEYS = {"paragraph", "text", "question", "heading", "lead", "title"}
_LIST_KEYS = {"bullets", "numbered", "items"}


def tokenise_yaml(data, token: str, only: int | None = None):
    """The leaflet's data with ``token`` put before every paragraph, list item and heading
    (the ``only``-th of them alone, when given). Returns (data, how many were changed)."""
    count = 0

    def mark(text: str) -> str:
        nonlocal count
        count += 1
        return f"{token} {text}" if only is None or only == count - 1 else text

    def walk(node, key=None):
        if isinstance(node, dict):
            return {k: walk(v, k) for k, v in node.items()}
        if isinstance(node, list):
            if key in _LIST_KEYS:
                return [mark(x) if isinstance(x, str) else walk(x, key) for x in node]
            return [walk(x, key) for x in node]
        if isinstance(node, str) and key in _PROSE_KEYS:
            return mark(node)
        return node

    out = {k: (walk(v, k) if k in ("sections", "key_points") else v) for k, v in data.items()}
    return out, count


def tokenise_typ(text: str, token: str, only: int | None = None) -> str:
    """The Typst source with ``token`` put before every paragraph, list item and heading."""
    lines = text.split("\n")
    n = 0
    out = []
    for line in lines:
        m = re.match(r"^(=+ |- |\+ )?(.*)$", line)
        body = m.group(2) if m else line
        prose = line.strip() and not line.startswith(("#", "]", " ", "/", "|")) and body[:1] not in "#*[]"
        if prose:
            if only is None or only == n:
                line = (m.group(1) or "") + f"{token} " + body
            n += 1
        out.append(line)
    return "\n".join(out)


def _dump(data) -> str:
    import yaml

    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000)


def _font_dir() -> str:
    import fontpkg

    fam = fontpkg.family("Atkinson Hyperlegible").files
    return str(Path(fam[0].path).parent)


# --- render and edit ---------------------------------------------------------------------


def bench_render(tmp: Path, runs: int, with_edit: bool, with_render: bool) -> dict:
    """Warm renders of all-new content (leafwright, Typst), interleaved; the same document
    again (both); and, with ``with_edit``, one paragraph changed through watch's Session."""
    import io

    import typst
    import yaml
    from pypdf import PdfReader

    from leafwright.checks import check_source, load_config
    from leafwright.render import load_leaflet, render_document
    from leafwright.style import resolve_style
    from leafwright.watch import Session

    os.chdir(ROOT)
    style = resolve_style("default")
    config = load_config()
    base = yaml.safe_load(OI.read_text(encoding="utf-8"))
    typ_src = TYP.read_text(encoding="utf-8")
    font_dirs = [_font_dir()]
    work = tmp / "render"
    work.mkdir()
    serial = iter(range(10**9))

    def fresh_yaml(only: int | None = None, into: Path | None = None) -> Path:
        data, _ = tokenise_yaml(base, f"R{next(serial)}x", only)
        path = into or work / f"oi-{next(serial)}.yaml"
        path.write_text(_dump(data), encoding="utf-8")
        return path

    def fresh_typ() -> Path:
        path = work / f"oi-{next(serial)}.typ"
        path.write_text(tokenise_typ(typ_src, f"R{next(serial)}x"), encoding="utf-8")
        return path

    def lw(path: Path, checks: bool = True) -> bytes:
        source = load_leaflet(path)
        if checks:
            check_source(source, style, config, for_build=True)
        return render_document(source, style).pdf

    def ty(path: Path) -> bytes:
        return typst.compile(str(path), font_paths=font_dirs, pdf_standards=["ua-1"])

    # the edit case: a leaflet in its own folder, rebuilt by a watch session
    edit_dir = tmp / "edit"
    (edit_dir / "leaflets").mkdir(parents=True)
    shutil.copytree(ROOT / "styles", edit_dir / "styles")  # the same style as the warm render
    edit_file = edit_dir / "leaflets" / "oi-bisphosphonates.yaml"
    _, n_paras = tokenise_yaml(base, "x")
    edit_base, _ = tokenise_yaml(base, "E0x")
    edit_file.write_text(_dump(edit_base), encoding="utf-8")
    session = None
    if with_edit:
        os.chdir(edit_dir)
        session = Session(("leaflets",), out_dir=str(edit_dir / "out"), variant_list="standard")
        session.build(on_line=lambda s: None)
        os.chdir(ROOT)
    edits = iter(range(1, 10**9))

    def lw_edit() -> float:
        i = next(edits)
        data, _ = tokenise_yaml(edit_base, f"E{i}x", only=i % n_paras)
        edit_file.write_text(_dump(data), encoding="utf-8")
        os.chdir(edit_dir)
        t = time.perf_counter()
        results = session.build([edit_file.resolve()], on_line=lambda s: None)
        secs = time.perf_counter() - t
        os.chdir(ROOT)
        assert results and all(r.status == "built" for r in results), [r.status for r in results]
        return secs

    typ_edit_base = tokenise_typ(typ_src, "E0x")
    typ_edit = work / "edit.typ"

    def ty_edit() -> float:
        i = next(edits)
        typ_edit.write_text(tokenise_typ(typ_edit_base, f"E{i}x", only=i % n_paras), encoding="utf-8")
        t = time.perf_counter()
        ty(typ_edit)
        return time.perf_counter() - t

    same_yaml = fresh_yaml()
    same_typ = fresh_typ()

    cases: dict[str, object] = {}
    if with_render:
        cases["leafwright, all-new"] = lambda: lw(fresh_yaml())
        cases["leafwright, all-new, checks off"] = lambda: lw(fresh_yaml(), checks=False)
        cases["Typst, all-new"] = lambda: ty(fresh_typ())
        cases["leafwright, same document again"] = lambda: lw(same_yaml)
        cases["Typst, same document again"] = lambda: ty(same_typ)
    else:
        cases["Typst, all-new"] = lambda: ty(fresh_typ())
    pages = {}
    for name, fn in cases.items():  # warm-up: fonts parsed, caches filled
        for _ in range(3):
            pdf = fn()
        pages[name] = len(PdfReader(io.BytesIO(pdf)).pages)
    times: dict[str, list[float]] = {name: [] for name in cases}
    if with_edit:
        for _ in range(3):
            lw_edit()
            ty_edit()
        times["leafwright, one paragraph edited (watch)"] = []
        times["Typst, one paragraph edited"] = []
    names = list(cases)
    for r in range(runs):
        # each round in another order, from a collected heap: whatever the round before left
        # (garbage, a busy spell on the shared machine) does not land on one case every time
        order = names[r % len(names) :] + names[: r % len(names)]
        for name in order:
            fn = cases[name]
            gc.collect()
            # the file is written before the clock starts: what is timed is the tool's work
            if "all-new" in name:
                # write outside the timing, then time the tool on it
                if name.startswith("Typst"):
                    path = fresh_typ()
                    t = time.perf_counter()
                    ty(path)
                else:
                    path = fresh_yaml()
                    t = time.perf_counter()
                    lw(path, checks="checks off" not in name)
                times[name].append(time.perf_counter() - t)
            else:
                t = time.perf_counter()
                fn()  # type: ignore[operator]
                times[name].append(time.perf_counter() - t)
        if with_edit:
            gc.collect()
            times["leafwright, one paragraph edited (watch)"].append(lw_edit())
            gc.collect()
            times["Typst, one paragraph edited"].append(ty_edit())
    med = {name: _median_ms(ts) for name, ts in times.items()}
    out: dict = {"runs": runs, "median_ms": med, "pages": pages, "paragraphs": n_paras}
    typst_new = med["Typst, all-new"]
    if with_render:
        out["warm_ratio"] = med["leafwright, all-new"] / typst_new
        out["warm_ratio_no_checks"] = med["leafwright, all-new, checks off"] / typst_new
    if with_edit:
        out["edit_ratio"] = med["leafwright, one paragraph edited (watch)"] / typst_new
    return out


def profile_render(runs: int = 30, edit: bool = False) -> None:
    """Print pyinstrument's view of leafwright's warm render of all-new content."""
    import yaml
    from pyinstrument import Profiler

    from leafwright.checks import check_source, load_config
    from leafwright.render import load_leaflet, render_document
    from leafwright.style import resolve_style

    os.chdir(ROOT)
    style = resolve_style("default")
    config = load_config()
    base = yaml.safe_load(OI.read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory() as d:
        paths = []
        for i in range(runs + 2):
            p = Path(d) / f"oi-{i}.yaml"
            p.write_text(_dump(tokenise_yaml(base, f"P{i}x")[0]), encoding="utf-8")
            paths.append(p)

        def fn(p: Path) -> None:
            source = load_leaflet(p)
            check_source(source, style, config, for_build=True)
            render_document(source, style)

        fn(paths[0])
        fn(paths[1])
        prof = Profiler(interval=0.0005)
        prof.start()
        for p in paths[2:]:
            fn(p)
        prof.stop()
    print(prof.output_text(unicode=True, color=False, show_all=False))


# --- cold start --------------------------------------------------------------------------


def _cold_env() -> dict:
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # as installed: bytecode cached
    return env


def _time_cmd(cmd: list[str], cwd: Path, n: int = 7) -> tuple[float, float]:
    """Median wall time and median CPU time (user + system) of a fresh process."""
    env = _cold_env()
    subprocess.run(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # pyc
    walls, cpus = [], []
    for _ in range(n):
        r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        t = time.perf_counter()
        subprocess.run(
            cmd, cwd=cwd, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        walls.append(time.perf_counter() - t)
        r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(r1.ru_utime - r0.ru_utime + r1.ru_stime - r0.ru_stime)
    return statistics.median(walls), statistics.median(cpus)


_IMPORT_PROBE = (
    "import sys, time; before = set(sys.modules); t = time.perf_counter(); import leafwright; "
    "s = time.perf_counter() - t; new = sorted(set(sys.modules) - before); import json; "
    "print(json.dumps([s, new]))"
)


def bench_cold(tmp: Path) -> dict:
    """Fresh processes: a forced build of one leaflet, --help, import leafwright."""
    out = tmp / "cold-out"
    build = _time_cmd(LEAFWRIGHT + ["build", str(OI), "--out", str(out), "--force", "-q"], ROOT)
    helps = _time_cmd([str(Path(sys.executable).parent / "leafwright"), "--help"], ROOT)
    bare = _time_cmd([sys.executable, "-c", "pass"], ROOT)
    env = _cold_env()
    probes = [
        json.loads(
            subprocess.run(
                [sys.executable, "-c", _IMPORT_PROBE],
                cwd=ROOT,
                env=env,
                capture_output=True,
                text=True,
                check=True,
            ).stdout
        )
        for _ in range(5)
    ]
    imported = probes[-1][1]
    return {
        "build_s": build[0],
        "build_cpu_s": build[1],
        "help_s": helps[0],
        "help_cpu_s": helps[1],
        "python_s": bare[0],
        "import_s": statistics.median(p[0] for p in probes),
        "import_modules": imported,
    }


# --- library -----------------------------------------------------------------------------


def make_library(folder: Path, n: int, seed: int = 6) -> list[Path]:
    """n leaflets made from the samples: each a sample with some of its sections, shuffled."""
    import yaml

    rng = random.Random(seed)
    # the English originals only: the sample translations are short, and would name an
    # original the library does not hold (their ids change here), so runs stay comparable
    samples = [
        data
        for p in sorted((ROOT / "leaflets").glob("*.yaml"))
        if "translation_of" not in (data := yaml.safe_load(p.read_text(encoding="utf-8")))
    ]
    (folder / "leaflets").mkdir(parents=True)
    shutil.copytree(ROOT / "styles", folder / "styles")
    files = []
    for i in range(n):
        data = json.loads(json.dumps(samples[i % len(samples)], default=str))
        data["id"] = f"{data['id']}-{i:04d}"
        data["title"] = f"{data['title']} ({i})"
        secs = data.get("sections", [])
        if len(secs) > 1:  # vary length: keep between a third and all of the sections
            keep = rng.randint(max(1, len(secs) // 3), len(secs))
            data["sections"] = rng.sample(secs, keep)
        path = folder / "leaflets" / f"{data['id']}.yaml"
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
        files.append(path)
    return files


_SUMMARY = re.compile(r"(\d+) built, (\d+) failed, .*?\((\d+) unchanged;")


_CPU: list[float] = []  # CPU seconds (user + system) of each _build, its workers included


def _build(folder: Path, out: str, *extra: str) -> tuple[float, tuple[int, int, int]]:
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    proc = subprocess.run(
        LEAFWRIGHT + ["build", "leaflets", "--out", out, "-q", *extra],
        cwd=folder,
        capture_output=True,
        text=True,
        env=_cold_env(),
    )
    secs = time.perf_counter() - t
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    _CPU.append(r1.ru_utime - r0.ru_utime + r1.ru_stime - r0.ru_stime)
    m = _SUMMARY.search(proc.stdout + proc.stderr)
    if m is None:
        raise SystemExit(f"build failed:\n{proc.stdout}\n{proc.stderr}")
    built, failed, unchanged = (int(x) for x in m.groups())
    return secs, (built, unchanged, failed)


def _spin(n: int) -> float:
    t = time.perf_counter()
    x = 0
    for i in range(n):
        x += i * i
    return time.perf_counter() - t


def cpu_ceiling(n: int = 8_000_000) -> float:
    """How much faster two busy processes finish two equal pure-Python tasks than one does.

    The most any 2-worker build can gain on this machine right now (shared cores, other load).
    """
    from concurrent.futures import ProcessPoolExecutor

    ratios = []
    with ProcessPoolExecutor(2) as ex:
        list(ex.map(_spin, [10, 10]))
        for _ in range(3):  # a shared machine's load comes and goes: the median of three
            t = time.perf_counter()
            list(ex.map(_spin, [n]))
            list(ex.map(_spin, [n]))
            one = time.perf_counter() - t
            t = time.perf_counter()
            list(ex.map(_spin, [n, n]))
            ratios.append(one / (time.perf_counter() - t))
    return statistics.median(ratios)


def bench_library(tmp: Path, n: int) -> dict:
    """Cold builds with 1 and 2 workers, a no-op rebuild, and a rebuild after one edit."""
    folder = tmp / "library"
    files = make_library(folder, n)
    ceiling_before = cpu_ceiling()
    _CPU.clear()
    t1, c1 = _build(folder, "out1", "--jobs", "1")
    t2, c2 = _build(folder, "out2", "--jobs", "2")
    ceiling_after = cpu_ceiling()
    t_noop, c_noop = _build(folder, "out2", "--jobs", "2")
    noop_cpu = _CPU[-1]
    edited = files[n // 2]
    edited.write_text(
        edited.read_text(encoding="utf-8").replace("title: ", "title: Edited ", 1), encoding="utf-8"
    )
    t_one, c_one = _build(folder, "out2", "--jobs", "2")
    return {
        "n": n,
        "ceiling": statistics.median([ceiling_before, ceiling_after]),
        "ceilings": [ceiling_before, ceiling_after],
        "jobs1_s": t1,
        "jobs1_counts": c1,
        "jobs2_s": t2,
        "jobs2_counts": c2,
        "rate1": n / t1,
        "rate2": n / t2,
        "scaling": t1 / t2,
        "noop_s": t_noop,
        "noop_cpu_s": noop_cpu,
        "jobs1_cpu_s": _CPU[0],
        "jobs2_cpu_s": _CPU[1],
        "noop_counts": c_noop,
        "one_s": t_one,
        "one_counts": c_one,
    }


_MEMORY_WORKER = """
import json, sys
from pathlib import Path
from leafwright.batch import BuildTask, Job, run_task, style_key

def rss(field):
    for line in open('/proc/self/status'):
        if line.startswith(field):
            return int(line.split()[1]) / 1024
files = sorted(Path('leaflets').glob('*.yaml'))
key = style_key('default', 'standard')
marks = {}
for i, f in enumerate(files, 1):
    run_task(BuildTask(Job(str(f), f.name, 'default', 'standard', 'out-mem'), key))
    if i in (100, len(files) // 2, len(files)):
        marks[i] = rss('VmRSS:')
print(json.dumps({'marks': marks, 'peak': rss('VmHWM:')}))
"""


def bench_memory(tmp: Path) -> dict:
    """One worker process building the whole library: RSS at leaflet 100 and at the end, peak."""
    proc = subprocess.run(
        [sys.executable, "-c", _MEMORY_WORKER],
        cwd=tmp / "library",
        capture_output=True,
        text=True,
        check=True,
    )
    data = json.loads(proc.stdout.strip().splitlines()[-1])
    marks = {int(k): v for k, v in data["marks"].items()}
    first, last = min(marks), max(marks)
    mid = sorted(marks)[len(marks) // 2]
    return {
        "peak_mb": data["peak"],
        "rss_first": marks[first],
        "rss_last": marks[last],
        "first": first,
        "last": last,
        "mid": mid,
        "rss_mid": marks[mid],
        "growth": (marks[last] - marks[first]) / marks[first] if last != first else 0.0,
    }


# --- tagging, determinism, validity ------------------------------------------------------


def bench_tagging(tmp: Path, rounds: int) -> dict:
    """Tagged / untagged (bench/tagging.py), and the samples built twice: identical and valid."""
    sys.path.insert(0, str(ROOT / "bench"))
    import tagging

    ratio = {k: v for k, v in tagging.measure(rounds).items() if k != "times"}
    variants = "standard,large-print,booklet,print"
    sums = []
    for run in ("a", "b"):
        out = tmp / f"det-{run}"
        for st in ("default", "heather"):
            subprocess.run(
                LEAFWRIGHT
                + [
                    "build",
                    "leaflets",
                    "--style",
                    st,
                    "--variant",
                    variants,
                    "--out",
                    str(out / st),
                    "--force",
                ]
                + ["-q", "--no-archive"],
                cwd=ROOT,
                env=_cold_env(),
                capture_output=True,
                check=False,
            )
        sums.append(
            {
                str(p.relative_to(out)): hashlib.sha256(p.read_bytes()).hexdigest()
                for p in sorted(out.rglob("*.pdf"))
            }
        )
    import page

    from leafwright.variants import output_of

    reading = [p for p in sorted((tmp / "det-a").rglob("*.pdf")) if (o := output_of(p.name)) and o.reading]
    invalid = []
    for p in reading:
        res = page.validate_pdf(str(p), profile="ua1")
        if not res.is_compliant:
            invalid.append(p.name)
    same = sum(1 for k, v in sums[0].items() if sums[1].get(k) == v)
    return {
        **ratio,
        "files": len(sums[0]),
        "identical": same,
        "reading_files": len(reading),
        "invalid": invalid,
    }


# --- Arabic (issue 12) -------------------------------------------------------------------

_ARABIC = (
    "البيسفوسفونات مجموعة من الأدوية التي تقلل نشاط الخلايا التي تزيل العظم القديم "
    "بينما يستمر تكوين العظم الجديد وقد أظهرت الدراسات أنها قد تزيد كثافة العظام "
    "وتخفف ألم العظام وتقلل عدد الكسور عند بعض الأطفال "
)


def _arabic_of(text: str) -> str:
    """Arabic text of the same number of characters (whole words of a sample sentence)."""
    n = len(text)
    out = (_ARABIC * (n // len(_ARABIC) + 2))[:n]
    return out.rstrip() + "."


def arabic_leaflet(data: dict) -> dict:
    """The leaflet with every prose text replaced by Arabic of the same length, language ar."""

    def walk(node, key=None):
        if isinstance(node, dict):
            return {k: walk(v, k) for k, v in node.items()}
        if isinstance(node, list):
            if key in _LIST_KEYS:
                return [_arabic_of(x) if isinstance(x, str) else walk(x, key) for x in node]
            return [walk(x, key) for x in node]
        if isinstance(node, str) and key in _PROSE_KEYS | {"subtitle", "answer"}:
            return _arabic_of(node)
        return node

    out = {k: (walk(v, k) if k in ("sections", "key_points") else v) for k, v in data.items()}
    out["title"] = _arabic_of(data["title"])
    out["language"] = "ar"
    out["id"] = data["id"] + "-ar"
    return out


def _prose_chars(data) -> int:
    total = 0

    def walk(node, key=None):
        nonlocal total
        if isinstance(node, dict):
            for k, v in node.items():
                walk(v, k)
        elif isinstance(node, list):
            for x in node:
                if isinstance(x, str) and key in _LIST_KEYS:
                    total += len(x)
                else:
                    walk(x, key)
        elif isinstance(node, str) and key in _PROSE_KEYS | {"subtitle", "answer"}:
            total += len(node)

    walk({k: v for k, v in data.items() if k in ("sections", "key_points", "title", "subtitle")})
    return total


def bench_arabic(tmp: Path, runs: int) -> dict:
    """Warm render (load, checks, render) of an Arabic leaflet against an English one of the
    same length, all-new content each run (a token in every paragraph), interleaved: the OI
    factsheet with every text replaced by Arabic of the same number of characters. And, when
    the samples hold an Arabic translation, it against its English source (whose length
    differs: a sample translation covers part of it), per character of text."""
    import yaml

    os.chdir(ROOT)
    work = tmp / "arabic"
    work.mkdir()
    en_data = yaml.safe_load(OI.read_text(encoding="utf-8"))
    out = _arabic_pair(work, en_data, arabic_leaflet(en_data), runs)
    out["what"] = (
        "a generated Arabic leaflet (every text of the OI factsheet replaced by Arabic of the "
        "same number of characters) against the factsheet"
    )
    samples = {
        p: yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted((ROOT / "leaflets").glob("*.yaml"))
    }
    by_id = {d.get("id"): (p, d) for p, d in samples.items() if isinstance(d, dict)}
    for p, d in samples.items():
        if (
            isinstance(d, dict)
            and str(d.get("language", "")).startswith("ar")
            and d.get("translation_of") in by_id
        ):
            en_path, en = by_id[d["translation_of"]]
            pair = _arabic_pair(work, en, d, runs)
            if "median_ms" in pair:
                per = {k: pair["median_ms"][k] / pair["chars"][k] for k in ("English", "Arabic")}
                pair["per_char_ratio"] = per["Arabic"] / per["English"]
            out["shipped"] = {"what": f"{p.name} against its source {en_path.name}", **pair}
            break
    return out


def _arabic_pair(work: Path, en_data: dict, ar_data: dict, runs: int) -> dict:
    """English and Arabic leaflets rendered warm, all-new each run, interleaved."""
    from leafwright.checks import check_source, load_config
    from leafwright.errors import LeafwrightError
    from leafwright.render import load_leaflet, render_document
    from leafwright.style import resolve_style

    config = load_config()
    serial = iter(range(10**9))
    errors = {}

    def styles_for(data) -> list:
        out = [resolve_style("default")]
        if data.get("language", "").startswith("ar"):
            alt = work / "styles" / "arabic.yaml"
            alt.parent.mkdir(exist_ok=True)
            alt.write_text(
                "extends: default\nfonts:\n  family: Atkinson Hyperlegible\n"
                "  fallback: [Noto Sans, Noto Sans Arabic]\n",
                encoding="utf-8",
            )
            try:
                out.append(resolve_style(str(alt)))
            except LeafwrightError as exc:
                errors["style"] = exc.diagnostics[0].message
        return out

    def fn_for(data, token_letter: str):
        candidates = styles_for(data)

        def write() -> Path:
            p = work / f"{data['id']}-{next(serial)}.yaml"
            p.write_text(_dump(tokenise_yaml(data, f"{token_letter}{next(serial)}")[0]), encoding="utf-8")
            return p

        chosen = None
        for st in candidates:
            try:
                src = load_leaflet(write())
                check_source(src, st, config, for_build=True)
                render_document(src, st)
                chosen = st
                break
            except LeafwrightError as exc:
                errors[data["id"]] = exc.diagnostics[0].message
        if chosen is None:
            return None, None

        def run(path: Path) -> None:
            src = load_leaflet(path)
            check_source(src, chosen, config, for_build=True)
            render_document(src, chosen)

        return write, run

    en_write, en_run = fn_for(en_data, "R")
    ar_write, ar_run = fn_for(ar_data, "ر")
    if en_run is None or ar_run is None:
        return {"error": "; ".join(f"{k}: {v}" for k, v in errors.items())}
    times: dict[str, list[float]] = {"English": [], "Arabic": []}
    for _ in range(2):
        en_run(en_write())
        ar_run(ar_write())
    pair = [("English", en_write, en_run), ("Arabic", ar_write, ar_run)]
    for r in range(runs):
        for name, write, run in pair if r % 2 else pair[::-1]:
            p = write()
            gc.collect()
            t = time.perf_counter()
            run(p)
            times[name].append(time.perf_counter() - t)
    med = {k: _median_ms(v) for k, v in times.items()}
    return {
        "median_ms": med,
        "ratio": med["Arabic"] / med["English"],
        "chars": {"English": _prose_chars(en_data), "Arabic": _prose_chars(ar_data)},
    }


# --- report ------------------------------------------------------------------------------


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _stamp(entry: dict) -> str:
    return f"measured {entry['at']} at `{entry['commit']}`, load average {entry['machine']['load'][0]:.2f}"


def report(store: dict) -> str:
    """The benchmark section of RESULTS.md, from the last results of each section."""
    any_entry = next(iter(store.values()), None)
    lines = [BEGIN, "## Speed against Typst: every figure of issue 15 (`python bench/bench.py`)", ""]
    if any_entry:
        m, v = any_entry["machine"], any_entry["versions"]
        lines += [
            f"Machine: {m['cores']} cores ({m['cpu']}), {m['arch']}, {m['os']}, Python {m['python']}; "
            "shared with other sessions, so absolute times move from run to run: compare the ratios, "
            "each measured in one run.  ",
            "Versions: " + ", ".join(f"{k} {x}" for k, x in v.items()) + ".",
            "",
        ]
    rows: list[tuple[str, str, str, str]] = []
    r = store.get("render", {}).get("data")
    e = store.get("edit", {}).get("data")
    if r:
        m = r["median_ms"]
        rows.append(
            (
                "Warm render, all-new content (leafwright / Typst)",
                f"{r['warm_ratio']:.2f}× ({m['leafwright, all-new']:.1f} / {m['Typst, all-new']:.1f} ms)",
                f"≤ {T_WARM}×",
                _ok(r["warm_ratio"] <= T_WARM),
            )
        )
    if e:
        m = e["median_ms"]
        rows.append(
            (
                "Edited leaflet re-rendered in a warm process (watch) / Typst all-new",
                f"{e['edit_ratio']:.2f}× ({m['leafwright, one paragraph edited (watch)']:.1f} / "
                f"{m['Typst, all-new']:.1f} ms)",
                f"≤ {T_EDIT}×",
                _ok(e["edit_ratio"] <= T_EDIT),
            )
        )
    c = store.get("cold", {}).get("data")
    if c:
        rows += [
            (
                "Cold `leafwright build` of one leaflet",
                f"{c['build_s']:.2f} s (CPU {c['build_cpu_s']:.2f} s)",
                f"≤ {T_BUILD} s",
                _ok(c["build_s"] <= T_BUILD),
            ),
            ("`leafwright --help`", f"{c['help_s']:.3f} s", f"≤ {T_HELP} s", _ok(c["help_s"] <= T_HELP)),
            (
                "`import leafwright`",
                f"{c['import_s'] * 1000:.1f} ms, {len(c['import_modules'])} modules",
                "does no work",
                _ok(c["import_s"] < 0.005 and len(c["import_modules"]) <= 3),
            ),
        ]
    lib = store.get("library", {}).get("data")
    if lib:
        rows += [
            (
                f"Library of {lib['n']}: `--jobs 2` / `--jobs 1`",
                f"{lib['scaling']:.2f}× (machine's ceiling {lib['ceiling']:.2f}×)",
                f"≥ {T_SCALING}×",
                _ok(lib["scaling"] >= T_SCALING),
            ),
            (
                f"No-op rebuild of {lib['n']}",
                f"{lib['noop_s']:.2f} s"
                + (f" (CPU {lib['noop_cpu_s']:.2f} s)" if "noop_cpu_s" in lib else ""),
                f"≤ {T_NOOP} s" + ("" if lib["n"] == 1000 else " (for 1,000)"),
                # the target is for 1,000 leaflets: a smaller library's no-op says nothing of it
                _ok(lib["noop_s"] <= T_NOOP) if lib["n"] >= 1000 else "not comparable",
            ),
        ]
    tg = store.get("tagging", {}).get("data")
    if tg:
        rows += [
            (
                "Tagging cost (tagged / untagged)",
                f"{tg['ratio']:.3f}×",
                f"≤ {T_TAGGING}×",
                _ok(tg["ratio"] <= T_TAGGING),
            ),
            (
                "Every edition of every sample built twice: byte-identical",
                f"{tg['identical']}/{tg['files']} files",
                "all",
                _ok(tg["identical"] == tg["files"] and tg["files"] > 0),
            ),
            (
                "... and the reading PDFs pass PDF/UA-1 (page-validation)",
                f"{tg['reading_files'] - len(tg['invalid'])}/{tg['reading_files']}",
                "all",
                _ok(not tg["invalid"] and tg["reading_files"] > 0),
            ),
        ]
    ar = store.get("arabic", {}).get("data")
    if ar:
        if "ratio" in ar:
            rows.append(
                (
                    "Arabic leaflet / English of the same length (issue 12)",
                    f"{ar['ratio']:.2f}× ({ar['median_ms']['Arabic']:.1f} / "
                    f"{ar['median_ms']['English']:.1f} ms)",
                    f"≤ {T_ARABIC}×",
                    _ok(ar["ratio"] <= T_ARABIC),
                )
            )
        else:
            rows.append(
                ("Arabic leaflet / English (issue 12)", "not measured", f"≤ {T_ARABIC}×", "**missed**")
            )
    lines += ["| figure | value | target | |", "| --- | --- | --- | --- |"]
    lines += [f"| {a} | {b} | {t} | {ok} |" for a, b, t, ok in rows]
    lines.append("")
    if r or e:
        src = r or e
        m = dict(src["median_ms"])
        if r and e:
            m.update(e["median_ms"])
        lines += [
            "### Warm render and edit (OI bisphosphonate factsheet)",
            "",
            f"Median of {src['runs']} interleaved runs after a warm-up, in one process; "
            + _stamp(store["render" if r else "edit"])
            + ". All-new: a per-run token before every one of the "
            f"{src['paragraphs']} paragraphs, list items and headings, in a fresh file (YAML for "
            "leafwright, .typ for Typst), so no cache of either tool has seen it. Edited: one of "
            "them changed per run, rebuilt through `watch`'s Session (checks, render, PDF/UA "
            "check, atomic write, manifest) or recompiled by Typst.",
            "",
            "| run | median ms | pages |",
            "| --- | --- | --- |",
        ]
        pages = {**(e or {}).get("pages", {}), **(r or {}).get("pages", {})}
        for name, ms in m.items():
            lines.append(f"| {name} | {ms:.1f} | {pages.get(name, '')} |")
        lines.append("")
        if r:
            lines.append(
                f"- without the checks: leafwright / Typst = {r['warm_ratio_no_checks']:.2f}× "
                f"(the checks cost {m['leafwright, all-new'] - m['leafwright, all-new, checks off']:.1f} ms)"
            )
            lines.append("")
    if c:
        mods = c["import_modules"]
        lines += [
            "### Cold start",
            "",
            "Fresh processes, median of 7 after one untimed run (bytecode cached, as installed; "
            "~/.cache/leafwright already holds the parsed fonts, the bold cut of the fallback font "
            "and the syllable counts, as on a machine that has built before: a first-ever build "
            f"also cuts the bold face, about 10 s); {_stamp(store['cold'])}.",
            "",
            f"- `leafwright build` of the factsheet (forced): {c['build_s']:.2f} s wall, "
            f"{c['build_cpu_s']:.2f} s CPU",
            f"- `leafwright --help`: {c['help_s']:.3f} s wall, {c['help_cpu_s']:.3f} s CPU; "
            f"`python -c pass`: {c['python_s']:.3f} s",
            f"- `import leafwright`: {c['import_s'] * 1000:.2f} ms; imports {len(mods)} module(s): "
            + ", ".join(f"`{x}`" for x in mods[:12])
            + (" …" if len(mods) > 12 else ""),
            "",
        ]
    if lib:
        lines += [
            f"### Library of {lib['n']} generated leaflets",
            "",
            _cap(_stamp(store["library"])) + ".",
            "",
            "| build | time s | leaflets/s | built, unchanged, failed |",
            "| --- | --- | --- | --- |",
            f"| cold, `--jobs 1` | {lib['jobs1_s']:.1f} | {lib['rate1']:.1f} | {tuple(lib['jobs1_counts'])} "
            "|",
            f"| cold, `--jobs 2` | {lib['jobs2_s']:.1f} | {lib['rate2']:.1f} | {tuple(lib['jobs2_counts'])} "
            "|",
            f"| no-op rebuild | {lib['noop_s']:.2f} | | {tuple(lib['noop_counts'])} |",
            f"| after editing one leaflet | {lib['one_s']:.2f} | | {tuple(lib['one_counts'])} |",
            "",
            f"- the machine's ceiling, two pure-Python loops in 2 processes against one after the "
            f"other, before and after the builds: {lib['ceilings'][0]:.2f}×, {lib['ceilings'][1]:.2f}× "
            "(a few seconds each: on a machine whose other load comes and goes, a rough bound)",
        ]
        if "jobs1_cpu_s" in lib:
            lines.append(
                f"- CPU time (user + system): `--jobs 1` {lib['jobs1_cpu_s']:.1f} s against "
                f"{lib['jobs1_s']:.1f} s of wall time, the no-op {lib['noop_cpu_s']:.2f} s (`--jobs 2`'s "
                "workers come from a fork server, whose children's time is not counted here); "
                f"`--jobs 2` reached {lib['scaling'] / lib['ceiling'] * 100:.0f}% of the ceiling "
                "measured in the same run"
            )
        mem = store["library"].get("memory")
        if mem:
            lines.append(
                f"- one worker building all {lib['n']}: peak RSS {mem['peak_mb']:.0f} MB; RSS at leaflet "
                f"{mem['first']} {mem['rss_first']:.0f} MB, at {mem['last']} {mem['rss_last']:.0f} MB "
                f"(growth {mem['growth'] * 100:.1f}%)"
            )
        lines.append("")
    if tg:
        lines += [
            "### Tagging, determinism, validity",
            "",
            f"`bench/tagging.py`: every sample in both styles rendered tagged and untagged, {tg['rounds']} "
            f"interleaved rounds: {tg['tagged_ms']:.1f} / {tg['untagged_ms']:.1f} ms per set, median of "
            f"per-round ratios {tg['ratio']:.3f}× (ratio of medians {tg['ratio_of_medians']:.3f}×). Then "
            "every sample in both styles and the four PDF editions built twice in fresh processes: "
            f"{tg['identical']} of {tg['files']} files byte-identical; {tg['reading_files']} reading PDFs "
            "validated against PDF/UA-1 by page-validation"
            + (f", failing: {', '.join(tg['invalid'])}" if tg["invalid"] else ", all compliant")
            + f". {_cap(_stamp(store['tagging']))}.",
            "",
        ]
    if ar:
        lines += [
            "### Arabic against English (issue 12)",
            "",
            f"{_cap(ar['what'])}; {_stamp(store['arabic'])}.",
        ]
        if "ratio" in ar:
            lines += [
                f"Warm load, checks and render of all-new content, interleaved: English "
                f"{ar['median_ms']['English']:.1f} ms ({ar['chars']['English']} characters of text), Arabic "
                f"{ar['median_ms']['Arabic']:.1f} ms ({ar['chars']['Arabic']} characters).",
            ]
        else:
            lines.append(f"Not measured: {ar['error']}")
        sh = ar.get("shipped")
        if sh and "median_ms" in sh:
            lines.append(
                f"The shipped sample translation, {sh['what']}: Arabic {sh['median_ms']['Arabic']:.1f} ms "
                f"({sh['chars']['Arabic']} characters), English {sh['median_ms']['English']:.1f} ms "
                f"({sh['chars']['English']} characters): {sh['per_char_ratio']:.2f}x per character "
                "(a fixed part of each render, the title band, contact panel and footer, does not "
                "grow with the text)."
            )
        elif sh:
            lines.append(f"The shipped sample translation, {sh['what']}: not measured: {sh.get('error')}")
        lines.append("")
    lines += _notes(store)
    lines.append(END)
    return "\n".join(lines)


def _notes(store: dict) -> list[str]:
    """Why a target is missed (kept by hand in bench/notes.md, written after profiling)."""
    notes = ROOT / "bench" / "notes.md"
    out = ["### Targets missed, and why", ""]
    if notes.exists():
        out.append(notes.read_text(encoding="utf-8").strip())
    else:
        out.append("- see the history below.")
    return out + [""]


def history_row(store: dict, measured: list[str], note: str) -> str:
    """One row of the history table: the figures measured in this run."""

    def get(section, fmt):
        if section not in measured or section not in store:
            return ""
        try:
            return fmt(store[section]["data"])
        except (KeyError, TypeError):
            return ""

    entry = store[measured[0]]
    cells = [
        entry["at"],
        f"`{entry['commit']}`",
        get(
            "render",
            lambda d: (
                f"{d['warm_ratio']:.2f} ({d['median_ms']['leafwright, all-new']:.1f}/"
                f"{d['median_ms']['Typst, all-new']:.1f})"
            ),
        ),
        get("edit", lambda d: f"{d['edit_ratio']:.2f}"),
        get("cold", lambda d: f"{d['build_s']:.2f}"),
        get("cold", lambda d: f"{d['help_s']:.3f}"),
        get("library", lambda d: f"{d['scaling']:.2f} ({d['ceiling']:.2f})"),
        get("library", lambda d: f"{d['noop_s']:.2f}"),
        get("tagging", lambda d: f"{d['ratio']:.3f}"),
        get("arabic", lambda d: f"{d['ratio']:.2f}" if "ratio" in d else "n/a"),
        f"{entry['machine']['load'][0]:.1f}",
        note,
    ]
    return "| " + " | ".join(cells) + " |"


def write_results(store: dict, measured: list[str], note: str) -> None:
    """Rewrite this benchmark's section of RESULTS.md and append a row to its history."""
    old = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else "# Benchmark results\n"
    text = report(store)
    if BEGIN in old and END in old:
        new = old[: old.index(BEGIN)] + text + old[old.index(END) + len(END) :]
    else:
        new = old.rstrip("\n") + "\n\n" + text + "\n"
    if HBEGIN in new and HEND in new:
        row = history_row(store, measured, note)
        i = new.index(HEND)
        new = new[:i].rstrip("\n") + "\n" + row + "\n" + new[i:]
    RESULTS.write_text(new, encoding="utf-8")


def main() -> None:
    """Run the benchmark sections asked for and print (or write) the results."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--library", type=int, default=1000, help="leaflets in the generated library")
    ap.add_argument("--runs", type=int, default=21, help="timed renders per case (after warm-up)")
    ap.add_argument("--tagging-rounds", type=int, default=15, help="rounds of bench/tagging.py")
    ap.add_argument("--only", help="comma-separated sections: " + " ".join(SECTIONS))
    ap.add_argument("--profile", action="store_true", help="profile leafwright's warm render and stop")
    ap.add_argument("--write", action="store_true", help="write the results to bench/RESULTS.md")
    ap.add_argument("--note", default="", help="what changed, for the history row")
    ap.add_argument("--commit", help="the commit measured, when not this checkout's (PYTHONPATH=other/src)")
    args = ap.parse_args()
    if args.profile:
        profile_render()
        return
    only = [s.strip() for s in args.only.split(",")] if args.only else list(SECTIONS)
    unknown = set(only) - set(SECTIONS)
    if unknown:
        ap.error(f"unknown section(s): {', '.join(sorted(unknown))}")
    store = json.loads(STORE.read_text(encoding="utf-8")) if STORE.exists() else {}
    head = {
        "at": _dt.datetime.now(_dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "commit": args.commit or commit(),
        "machine": machine(),
        "versions": versions(),
    }
    print(f"machine: {head['machine']}", file=sys.stderr)
    with tempfile.TemporaryDirectory(prefix="leafwright-bench-") as d:
        tmp = Path(d)
        if "render" in only or "edit" in only:
            data = bench_render(tmp, args.runs, with_edit="edit" in only, with_render="render" in only)
            print(f"render/edit: {json.dumps(data['median_ms'])}", file=sys.stderr)
            for s in ("render", "edit"):
                if s in only:
                    store[s] = {**head, "data": data}
        if "cold" in only:
            store["cold"] = {**head, "data": bench_cold(tmp)}
            print(
                f"cold: { {k: v for k, v in store['cold']['data'].items() if k != 'import_modules'} }",
                file=sys.stderr,
            )
        if "library" in only:
            lib = bench_library(tmp, args.library)
            print(f"library: {lib}", file=sys.stderr)
            store["library"] = {**head, "data": lib, "memory": bench_memory(tmp)}
        if "tagging" in only:
            store["tagging"] = {**head, "data": bench_tagging(tmp, args.tagging_rounds)}
            print(f"tagging: {store['tagging']['data']}", file=sys.stderr)
        if "arabic" in only:
            store["arabic"] = {**head, "data": bench_arabic(tmp, args.runs)}
            print(f"arabic: {store['arabic']['data']}", file=sys.stderr)
    measured = [s for s in SECTIONS if s in only]
    print(report({k: store[k] for k in measured}))
    if args.write:
        STORE.write_text(json.dumps(store, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        write_results(store, measured, args.note)


if __name__ == "__main__":
    main()
