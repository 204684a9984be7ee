"""leafwright's benchmark: render speed against Typst and WeasyPrint, cold start, a library
of generated leaflets built with one and two workers, incremental rebuilds, and memory.

    pip install -e ".[bench]"
    python bench/bench.py                 # everything, 1,000-leaflet library (a few minutes)
    python bench/bench.py --library 100   # a quicker run
    python bench/bench.py --profile       # where leafwright's render time goes (pyinstrument)

Results are printed as Markdown; ``--write`` replaces the benchmark sections of
bench/RESULTS.md with them. Only ratios measured in the same run are compared:
these shared machines' absolute timings move from run to run.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
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
RESULTS = ROOT / "bench" / "RESULTS.md"
BEGIN, END = "<!-- batch-bench:begin -->", "<!-- batch-bench:end -->"
LEAFWRIGHT = [sys.executable, "-m", "leafwright.cli"]


def _median_ms(xs: list[float]) -> float:
    return statistics.median(xs) * 1000


# --- 1. per leaflet ----------------------------------------------------------------------


def _renderers():
    """name -> zero-argument function rendering the OI factsheet once (PDF bytes)."""
    import fontpkg
    import typst
    import weasyprint
    from weasyprint.text.fonts import FontConfiguration

    from leafwright.checks import check_source, load_config
    from leafwright.render import load_leaflet, render_document
    from leafwright.style import resolve_style

    os.chdir(ROOT)
    style = resolve_style("default")
    config = load_config()

    def leafwright_render() -> bytes:
        # what a build does per leaflet: load, validate, run the checks, lay out, tag, draw
        source = load_leaflet(OI)
        check_source(source, style, config, for_build=True)
        return render_document(source, style).pdf

    fam = fontpkg.family("Atkinson Hyperlegible").files
    font_dir = str(Path(fam[0].path).parent)

    def typst_render() -> bytes:
        return typst.compile(
            str(PEERS / "oi-bisphosphonates.typ"), font_paths=[font_dir], pdf_standards=["ua-1"]
        )

    faces = "".join(
        "@font-face{font-family:'Atkinson Hyperlegible';src:url('%s');font-weight:%d;"
        "font-style:%s}" % (Path(f.path).as_uri(), f.weight or 400, f.style)
        for f in fam
    )
    fc = FontConfiguration()
    css = weasyprint.CSS(string=faces, font_config=fc)
    html = (PEERS / "oi-bisphosphonates.html").read_text(encoding="utf-8")

    def weasy_render() -> bytes:
        return weasyprint.HTML(string=html, base_url=str(PEERS)).write_pdf(
            stylesheets=[css], font_config=fc, pdf_variant="pdf/ua-1"
        )

    def leafwright_no_checks() -> bytes:
        return render_document(load_leaflet(OI), style).pdf

    return {
        "leafwright": leafwright_render,
        "leafwright, checks off": leafwright_no_checks,
        "Typst": typst_render,
        "WeasyPrint": weasy_render,
    }


def bench_render(runs: int) -> dict:
    """Median warm render time of each tool, runs interleaved after a warm-up."""
    import io

    from pypdf import PdfReader

    fns = _renderers()
    pages = {}
    for name, fn in fns.items():  # warm-up: fonts parsed, caches filled
        for _ in range(2):
            pdf = fn()
        pages[name] = len(PdfReader(io.BytesIO(pdf)).pages)
    times: dict[str, list[float]] = {name: [] for name in fns}
    for _ in range(runs):
        for name, fn in fns.items():
            t = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - t)
    med = {name: _median_ms(ts) for name, ts in times.items()}
    return {
        "runs": runs,
        "median_ms": med,
        "pages": pages,
        "lw_over_typst": med["leafwright"] / med["Typst"],
        "weasy_over_lw": med["WeasyPrint"] / med["leafwright"],
    }


def profile_render(runs: int = 30) -> None:
    """Print pyinstrument's view of leafwright's warm render."""
    from pyinstrument import Profiler

    fn = _renderers()["leafwright"]
    fn()
    prof = Profiler(interval=0.0005)
    prof.start()
    for _ in range(runs):
        fn()
    prof.stop()
    print(prof.output_text(unicode=True, color=False, show_all=False))


# --- 2. cold start -----------------------------------------------------------------------


def _time_cmd(cmd: list[str], cwd: Path, n: int = 5) -> float:
    times = []
    for _ in range(n):
        t = time.perf_counter()
        subprocess.run(cmd, cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def bench_cold(tmp: Path) -> dict:
    """A fresh process building one leaflet (forced, so it really renders), and --help."""
    out = tmp / "cold-out"
    build = _time_cmd(LEAFWRIGHT + ["build", str(OI), "--out", str(out), "--force", "-q"], ROOT)
    helps = _time_cmd(LEAFWRIGHT + ["--help"], ROOT)
    bare = _time_cmd([sys.executable, "-c", "pass"], ROOT)
    imports = []
    for _ in range(5):  # what a build imports before it reads a leaflet
        proc = subprocess.run(
            [
                sys.executable,
                "-c",
                "import time; t = time.perf_counter(); "
                "import leafwright.cli, leafwright.batch, leafwright.render, "
                "leafwright.checks, leafwright.variants; "
                "print(time.perf_counter() - t)",
            ],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        imports.append(float(proc.stdout))
    return {"build_s": build, "help_s": helps, "python_s": bare, "imports_s": statistics.median(imports)}


# --- 3. library --------------------------------------------------------------------------


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


def _build(folder: Path, out: str, *extra: str) -> tuple[float, tuple[int, int, int]]:
    t = time.perf_counter()
    proc = subprocess.run(
        LEAFWRIGHT + ["build", "leaflets", "--out", out, "-q", *extra],
        cwd=folder,
        capture_output=True,
        text=True,
    )
    secs = time.perf_counter() - t
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
    t1, c1 = _build(folder, "out1", "--jobs", "1")
    t2, c2 = _build(folder, "out2", "--jobs", "2")
    t_noop, c_noop = _build(folder, "out2", "--jobs", "2")
    edited = files[n // 2]
    edited.write_text(
        edited.read_text(encoding="utf-8").replace("title: ", "title: Edited ", 1), encoding="utf-8"
    )
    t_one, c_one = _build(folder, "out2", "--jobs", "2")
    return {
        "n": n,
        "ceiling": cpu_ceiling(),
        "jobs1_s": t1,
        "jobs1_counts": c1,
        "jobs2_s": t2,
        "jobs2_counts": c2,
        "rate1": n / t1,
        "rate2": n / t2,
        "scaling": t1 / t2,
        "noop_s": t_noop,
        "noop_counts": c_noop,
        "one_s": t_one,
        "one_counts": c_one,
    }


# --- 4. memory ---------------------------------------------------------------------------

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
        "growth_second_half": (marks[last] - marks[mid]) / marks[mid],
        "growth": (marks[last] - marks[first]) / marks[first] if last != first else 0.0,
    }


# --- report ------------------------------------------------------------------------------


def _versions() -> str:
    from importlib.metadata import version

    names = ["leafwright", "reportlab", "rl-accel", "typst", "weasyprint", "page-validation"]
    return ", ".join(f"{n} {version(n)}" for n in names)


def _ok(flag: bool) -> str:
    return "met" if flag else "**missed**"


def report(r: dict | None, c: dict | None, lib: dict | None, mem: dict | None) -> str:
    """The results as Markdown."""
    lines = [
        BEGIN,
        "## Batch build and rendering benchmark (`python bench/bench.py`)",
        "",
        f"Machine: {os.cpu_count()} cores, {platform.machine()}, "
        f"Python {platform.python_version()}, {platform.system()}.  ",
        f"Versions: {_versions()}.",
        "",
    ]
    if r:
        m = r["median_ms"]
        lines += [
            "### 1. One leaflet, warm (OI bisphosphonate factsheet)",
            "",
            f"Median of {r['runs']} interleaved runs after a warm-up, in one process.",
            "",
            "| tool | median ms | pages | tagged |",
            "| --- | --- | --- | --- |",
        ]
        for name in m:
            lines.append(f"| {name} | {m[name]:.1f} | {r['pages'][name]} | PDF/UA-1 |")
        lines += [
            "",
            f"- leafwright / Typst = **{r['lw_over_typst']:.2f}** (target ≤ 1.0: "
            f"{_ok(r['lw_over_typst'] <= 1.0)})",
            f"- WeasyPrint / leafwright = **{r['weasy_over_lw']:.1f}×** (target ≥ 25: "
            f"{_ok(r['weasy_over_lw'] >= 25)})",
            "",
        ]
    if c:
        lines += [
            "### 2. Cold start (fresh process, median of 5)",
            "",
            f"- `leafwright build` of the factsheet: **{c['build_s']:.2f} s** "
            f"(target ≤ 0.35 s: {_ok(c['build_s'] <= 0.35)})",
            f"- `leafwright --help`: **{c['help_s']:.2f} s** (target ≤ 0.15 s: {_ok(c['help_s'] <= 0.15)})",
            f"- of which importing leafwright's modules: {c['imports_s']:.2f} s; "
            f"for scale, `python -c pass`: {c['python_s']:.3f} s",
            "",
        ]
    if lib:
        lines += [
            f"### 3. Library of {lib['n']} generated leaflets",
            "",
            "| build | time s | leaflets/s | built, unchanged, failed |",
            "| --- | --- | --- | --- |",
            f"| cold, `--jobs 1` | {lib['jobs1_s']:.1f} | {lib['rate1']:.1f} | {lib['jobs1_counts']} |",
            f"| cold, `--jobs 2` | {lib['jobs2_s']:.1f} | {lib['rate2']:.1f} | {lib['jobs2_counts']} |",
            f"| no-op rebuild | {lib['noop_s']:.2f} | | {lib['noop_counts']} |",
            f"| after editing one leaflet | {lib['one_s']:.2f} | | {lib['one_counts']} |",
            "",
            f"- scaling 2 workers / 1: **{lib['scaling']:.3f}×** (target ≥ 1.8: "
            f"{_ok(lib['scaling'] >= 1.8)}); the same machine's ceiling in this run, two "
            f"pure-Python loops in 2 processes vs one after the other: {lib['ceiling']:.2f}×",
            f"- no-op rebuild: **{lib['noop_s']:.2f} s** (target ≤ 1.5 s for 1,000: "
            f"{_ok(lib['noop_s'] <= 1.5)})",
            f"- after one edit only that leaflet was rebuilt: "
            f"{_ok(lib['one_counts'][0] == 1 and lib['one_counts'][2] == 0)}",
            "",
        ]
    if mem:
        lines += [
            "### 4. Memory (one worker building the whole library in sequence)",
            "",
            f"- peak RSS: **{mem['peak_mb']:.0f} MB** (target ≤ 150 MB: {_ok(mem['peak_mb'] <= 150)})",
            f"- RSS at leaflet {mem['first']}: {mem['rss_first']:.0f} MB, at leaflet "
            f"{mem['last']}: {mem['rss_last']:.0f} MB: growth **{mem['growth'] * 100:.1f}%** "
            f"(target < 10%: {_ok(mem['growth'] < 0.10)})",
            f"- RSS at leaflet {mem['mid']}: {mem['rss_mid']:.0f} MB: growth over the second "
            f"half **{mem['growth_second_half'] * 100:.1f}%**",
            "",
        ]
    lines += _notes(r, c, lib, mem)
    lines.append(END)
    return "\n".join(lines)


def _notes(r: dict | None, c: dict | None, lib: dict | None, mem: dict | None) -> list[str]:
    """Why a target was missed, from what this run and the profile (--profile) show."""
    out = ["### Targets missed, and why", ""]
    if r and r["lw_over_typst"] > 1.0:
        m = r["median_ms"]
        out += [
            "- **Render time vs Typst.** The timed leafwright call does everything a build "
            "does per leaflet: YAML load, pydantic validation, the checks, layout, tagging "
            f"and drawing, in Python on ReportLab. The checks take "
            f"{m['leafwright'] - m['leafwright, checks off']:.0f} ms of it (contrast, clear print, "
            "structure, governance and readability); without them leafwright / Typst = "
            f"{m['leafwright, checks off'] / m['Typst']:.2f}. The profile (`--profile`) splits "
            "the render about "
            "evenly between building the flowables (inline markup, fonts per character) and "
            "ReportLab's wrapping, drawing and serialising; Typst is compiled Rust with a "
            "layout cache. Work taken out of the hot path so far: fonts parsed once per "
            "process, styles resolved once, per-character font lookups cached, QR codes "
            "encoded once per URL (OI factsheet 54 -> 48 ms warm, byte-identical PDF). "
            "Closing the remaining gap needs a cheaper paragraph path (pre-measured words, "
            "no markup round-trip), not tuning.",
            "- **WeasyPrint ratio.** The ≥ 25× target follows from the Typst one (WeasyPrint "
            "is about 25-30× Typst here), so it is missed by the same margin.",
        ]
    if c and c["build_s"] > 0.35:
        out += [
            f"- **Cold start.** {c['imports_s']:.2f} s of the {c['build_s']:.2f} s is importing "
            "leafwright's modules (`python -X importtime`: pydantic building the leaflet and "
            "style model classes, ReportLab's platypus, the checks and their word lists); "
            "the rest is parsing the fonts (about 0.13 s), the first, colder render and the "
            "PDF/UA check. Next steps: pydantic `defer_build`, importing the checks' data "
            "lazily, and caching parsed font tables on disk."
        ]
    if lib and lib["scaling"] < 1.8:
        out += [
            f"- **Scaling.** 2 workers gave {lib['scaling']:.3f}×; two plain CPU loops in two "
            f"processes gave {lib['ceiling']:.2f}× over one after the other, on the same "
            "machine in the same run (timed for a few seconds, beside 30-50 s builds, so a "
            "rough bound): these 2 cores are shared (other sessions' tests run beside the "
            "benchmark) and the build's "
            "parent process also needs some CPU (collecting results, the manifest). "
            "The runner adds per job one pickled task and one result; the workers start "
            "warm from a fork server."
        ]
    if mem and mem["growth"] >= 0.10:
        head = (
            f"- **Memory growth.** RSS rose {mem['growth'] * 100:.1f}% from leaflet "
            f"{mem['first']} to {mem['last']}, {mem['growth_second_half'] * 100:.1f}% of it "
            "over the second half"
        )
        if mem["growth_second_half"] < mem["growth"] / 3:
            out += [
                head + ": it levels off, as the allocator's high-water mark for the largest "
                "leaflets met so far and the per-process caches (font per character, QR "
                "codes) fill; a leak would keep growing at the same rate."
            ]
        else:
            out += [head + ": it keeps growing, which looks like a leak still to be found."]
    if len(out) == 2:
        out.append("- none.")
    return out + [""]


def write_results(text: str) -> None:
    """Replace this benchmark's sections of bench/RESULTS.md (other sections are kept)."""
    old = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else "# Benchmark results\n"
    if BEGIN in old and END in old:
        new = old[: old.index(BEGIN)] + text + old[old.index(END) + len(END) :]
    else:
        new = old.rstrip("\n") + "\n\n" + text + "\n"
    RESULTS.write_text(new, encoding="utf-8")


def main() -> None:
    """Run the benchmark sections asked for and print (or write) the results."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--library", type=int, default=1000, help="leaflets in the generated library")
    ap.add_argument("--runs", type=int, default=15, help="timed renders per tool (after warm-up)")
    ap.add_argument("--only", choices=["render", "cold", "library"], help="one section only")
    ap.add_argument("--profile", action="store_true", help="profile leafwright's render and stop")
    ap.add_argument("--write", action="store_true", help="write the results to bench/RESULTS.md")
    args = ap.parse_args()
    if args.profile:
        profile_render()
        return
    r = c = lib = mem = None
    with tempfile.TemporaryDirectory(prefix="leafwright-bench-") as d:
        tmp = Path(d)
        if args.only in (None, "render"):
            r = bench_render(args.runs)
            print(f"render: {r['median_ms']}", file=sys.stderr)
        if args.only in (None, "cold"):
            c = bench_cold(tmp)
            print(f"cold: {c}", file=sys.stderr)
        if args.only in (None, "library"):
            lib = bench_library(tmp, args.library)
            print(f"library: {lib}", file=sys.stderr)
            mem = bench_memory(tmp)
            print(f"memory: {mem}", file=sys.stderr)
    text = report(r, c, lib, mem)
    print(text)
    if args.write:
        write_results(text)


if __name__ == "__main__":
    main()
