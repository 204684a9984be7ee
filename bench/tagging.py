"""What tagging costs: median render time of the sample set, tagged vs untagged.

Every sample leaflet in every shipped style is rendered tagged (PDF/UA-1, the
default) and untagged (``RenderOptions(tagged=False)``: the same layout drawn
on a canvas that marks nothing and writes no structure tree). After a warm-up,
each round renders every leaflet both ways back to back, alternating which goes
first, so that drift on a shared machine hits both alike. The overhead is the
median of the per-round ratios; the target is <= 1.10x (issue 15).

    python bench/tagging.py [--rounds 21] [--profile]
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import statistics
import sys
import time
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def load_set():
    """(leaflet source, resolved style) for every sample in every shipped style."""
    from leafwright.render import load_leaflet
    from leafwright.style import resolve_style

    styles = [resolve_style(p.stem, [ROOT / "styles"]) for p in sorted((ROOT / "styles").glob("*.yaml"))]
    # the English originals (the sample translations are left out: results stay comparable)
    leaflets = [load_leaflet(p) for p in sorted((ROOT / "leaflets").glob("*.yaml"))]
    leaflets = [src for src in leaflets if src.leaflet.translation_of is None]
    return [(src, st) for st in styles for src in leaflets]


def render_set(cases, options) -> float:
    """Seconds to render the whole set once."""
    from leafwright.render import render

    t = time.perf_counter()
    for src, st in cases:
        render(src, st, options)
    return time.perf_counter() - t


def measure(rounds: int, cases=None) -> dict:
    """Tagged and untagged renders of the sample set, interleaved: the median of per-round
    ratios (``ratio``), of medians, and the per-set medians in ms (for bench/bench.py)."""
    from leafwright.render import RenderOptions, render

    cases = load_set() if cases is None else cases
    tagged, plain = RenderOptions(), RenderOptions(tagged=False)
    for _ in range(3):  # warm-up: fonts registered, images decoded, code paths hot
        render_set(cases, tagged)
        render_set(cases, plain)
    times: dict[str, list[float]] = {"tagged": [], "untagged": []}
    for r in range(rounds):
        gc.collect()
        sums = {"tagged": 0.0, "untagged": 0.0}
        # leaflet by leaflet, both ways back to back, the order alternating: drift on a
        # shared machine then lands on both sides alike
        for i, (src, st) in enumerate(cases):
            order = [("tagged", tagged), ("untagged", plain)]
            if (r + i) % 2:
                order.reverse()
            for name, opts in order:
                t = time.perf_counter()
                render(src, st, opts)
                sums[name] += time.perf_counter() - t
        for name, v in sums.items():
            times[name].append(v)
    med = {k: statistics.median(v) for k, v in times.items()}
    return {
        "rounds": rounds,
        "times": times,
        "ratio": statistics.median(t / u for t, u in zip(times["tagged"], times["untagged"])),
        "ratio_of_medians": med["tagged"] / med["untagged"],
        "tagged_ms": med["tagged"] * 1000,
        "untagged_ms": med["untagged"] * 1000,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rounds", type=int, default=21)
    ap.add_argument("--profile", action="store_true", help="profile tagged renders instead")
    args = ap.parse_args()

    from leafwright.render import RenderOptions

    cases = load_set()
    if args.profile:
        tagged = RenderOptions()
        import cProfile
        import pstats

        render_set(cases, tagged)
        prof = cProfile.Profile()
        prof.enable()
        for _ in range(5):
            render_set(cases, tagged)
        prof.disable()
        pstats.Stats(prof).sort_stats("cumulative").print_stats(r"leafwright|tag\.py", 30)
        pstats.Stats(prof).sort_stats("tottime").print_stats(20)
        return

    res = measure(args.rounds, cases)
    times = res["times"]
    med = {k: statistics.median(v) for k, v in times.items()}
    ratio = med["tagged"] / med["untagged"]
    per_round = res["ratio"]
    try:
        import _rl_accel  # noqa: F401  (the rl-accel package's module)

        accel = "rl_accel " + version("rl-accel")
    except ImportError:
        accel = "no rl_accel"
    print(f"machine: {os.cpu_count()} cores, {platform.machine()}, {platform.system()} {platform.release()}")
    print(
        f"python {platform.python_version()}, reportlab {version('reportlab')} ({accel}), "
        f"leafwright {version('leafwright')}"
    )
    print(
        f"sample set: {len(cases)} renders (leaflets x styles); {args.rounds} interleaved rounds "
        "after 3 warm-up rounds"
    )
    for k in ("untagged", "tagged"):
        print(
            f"{k:>9}: median {med[k] * 1000:7.1f} ms per set "
            f"({med[k] * 1000 / len(cases):5.1f} ms per leaflet); "
            f"min {min(times[k]) * 1000:.1f}, max {max(times[k]) * 1000:.1f}"
        )
    best = min(times["tagged"]) / min(times["untagged"])
    # the headline is the median of per-round ratios: each round's pair ran side by side,
    # so a slow spell on the shared machine cancels out instead of landing on one side
    print(
        f"ratio tagged/untagged: {per_round:.3f}x (median of per-round ratios; ratio of "
        f"medians {ratio:.3f}x, of minimums {best:.3f}x); "
        f"target <= 1.10x: {'met' if per_round <= 1.10 else 'NOT met'}"
    )
    sys.exit(0)


if __name__ == "__main__":
    main()
