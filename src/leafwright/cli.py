"""The command line: a thin layer over the pure core.

Exit codes: 0 everything ok; 1 at least one leaflet failed (the others were
still built); 2 usage or input error that stopped the command (unknown style,
no leaflets found, bad option).
"""

from __future__ import annotations

import glob
import sys
import time
from pathlib import Path

import click

from . import __version__
from .errors import EXIT_FAILED, EXIT_OK, EXIT_USAGE, LeafwrightError


def collect_leaflets(paths: tuple[str, ...]) -> list[Path]:
    """Leaflet files from files, folders (all *.yaml below them) and glob patterns, in order."""
    out: list[Path] = []
    for raw in paths or ("leaflets",):
        p = Path(raw)
        if p.is_dir():
            found = sorted(list(p.rglob("*.yaml")) + list(p.rglob("*.yml")))
        elif any(ch in raw for ch in "*?["):
            found = sorted(Path(g) for g in glob.glob(raw, recursive=True))
        elif p.exists():
            found = [p]
        else:
            raise LeafwrightError.single(f"no such file or folder: {raw}", exit_code=EXIT_USAGE,
                                         hint="give leaflet files (.yaml) or folders holding them")
        for f in found:
            if f not in out:
                out.append(f)
    if not out:
        raise LeafwrightError.single("no leaflets found in " + ", ".join(paths or ("leaflets",)),
                                     exit_code=EXIT_USAGE,
                                     hint="create one with: leafwright new my-leaflet")
    return out


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _report(exc: LeafwrightError) -> None:
    click.echo(exc.format(), err=True)


def _fail_usage(exc: LeafwrightError) -> None:
    _report(exc)
    sys.exit(exc.exit_code or EXIT_USAGE)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="leafwright")
def main() -> None:
    """leafwright: YAML patient leaflets into accessible, branded, print-ready PDFs.

    Exit codes: 0 ok; 1 a leaflet failed (the others were still built);
    2 usage or input error.
    """


class Progress:
    """A one-line progress bar on a terminal: count, rate, ETA and the leaflet just finished."""

    WIDTH = 24

    def __init__(self, stream) -> None:
        self.stream = stream
        self.total = 0
        self.done = 0
        self.start = time.perf_counter()
        self.shown = False

    def begin(self, total: int) -> None:
        """Start counting ``total`` jobs to build."""
        self.total = total
        self.start = time.perf_counter()

    def step(self, name: str) -> None:
        """One more job finished."""
        self.done += 1
        self.draw(name)

    def draw(self, name: str = "") -> None:
        """Redraw the bar in place."""
        if not self.total:
            return
        secs = time.perf_counter() - self.start
        rate = self.done / secs if secs > 0 else 0.0
        eta = (self.total - self.done) / rate if rate else 0.0
        filled = self.WIDTH * self.done // self.total
        bar = "#" * filled + "-" * (self.WIDTH - filled)
        line = (f"[{bar}] {self.done}/{self.total}  {rate:.1f}/s  "
                f"ETA {int(eta) // 60}:{int(eta) % 60:02d}  {name}")
        cols = _terminal_width()
        self.stream.write("\r" + line[:cols - 1].ljust(cols - 1))
        self.stream.flush()
        self.shown = True

    def clear(self) -> None:
        """Remove the bar (before printing anything else, and at the end)."""
        if self.shown:
            self.stream.write("\r" + " " * (_terminal_width() - 1) + "\r")
            self.stream.flush()
            self.shown = False


def _terminal_width() -> int:
    import shutil

    return max(40, shutil.get_terminal_size((80, 20)).columns)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


@main.command()
@click.argument("paths", nargs=-1)
@click.option("--style", "style_name", default="default", show_default=True,
              help="Style name (from ./styles) or path to a style file.")
@click.option("--out", "out_dir", default="out", show_default=True, type=click.Path(),
              help="Folder for the PDFs and manifest.json.")
@click.option("--variant", default="standard", show_default=True,
              type=click.Choice(["standard", "large-print"]), help="Which edition to build.")
@click.option("-j", "--jobs", "workers", type=click.IntRange(min=1), default=None,
              help="Worker processes  [default: the number of CPUs]")
@click.option("--force", is_flag=True, help="Rebuild every leaflet, changed or not.")
@click.option("-q", "--quiet", is_flag=True, help="Print only failures and the summary.")
@click.option("-v", "--verbose", is_flag=True,
              help="One line per leaflet, unchanged ones too (no progress bar).")
def build(paths: tuple[str, ...], style_name: str, out_dir: str, variant: str,
          workers: int | None, force: bool, quiet: bool, verbose: bool) -> None:
    """Build PDFs from leaflet files, folders or globs (default: leaflets/).

    Only leaflets whose inputs changed since the last build into the same folder are
    built (see OUT/manifest.json); --force rebuilds all. Interrupt with Ctrl-C at any
    time: finished PDFs are kept and no half-written file is left.
    """
    import os

    from .batch import Job, JobResult, run_batch

    start = time.perf_counter()
    try:
        files = collect_leaflets(paths)
    except LeafwrightError as exc:
        _fail_usage(exc)
        return
    jobs = [Job(str(f), _display(f), style_name, variant, out_dir) for f in files]
    workers = workers or os.cpu_count() or 1
    err = sys.stderr
    progress = Progress(err) if err.isatty() and not (quiet or verbose) else None
    failed: list[JobResult] = []
    warned: list[JobResult] = []
    counts = {"built": 0, "unchanged": 0, "failed": 0}

    def started(to_build: int, unchanged: int) -> None:
        if progress is not None:
            progress.begin(to_build)

    def report(r: JobResult) -> None:
        counts[r.status] += 1
        if r.status == "failed":
            failed.append(r)
        if r.warnings:
            warned.append(r)
        if progress is not None:
            if not r.skipped:
                progress.step(r.job.display)
            return
        if quiet or (r.skipped and not verbose):
            return
        if r.status == "failed":
            click.echo(f"failed     {r.job.display}", err=True)
            return
        pages = _plural(r.pages, "page")
        for o in r.outputs:
            click.echo(f"{r.status:<10} {_display(Path(o))}  ({pages})")

    interrupted = False
    try:
        run_batch(jobs, report, workers=workers, force=force, on_start=started)
    except LeafwrightError as exc:  # an unknown or broken style stops everything
        if progress is not None:
            progress.clear()
        _fail_usage(exc)
        return
    except KeyboardInterrupt:
        interrupted = True
    if progress is not None:
        progress.clear()
    if warned and not quiet:
        click.echo("\nwarnings:", err=True)
        for r in warned:
            _report(LeafwrightError(r.warnings))
    if failed:
        click.echo("\nfailed:", err=True)
        for r in failed:
            if r.internal_error:
                click.echo(f"{r.job.display}: internal error: {r.internal_error}\n"
                           "    this is a bug in leafwright; please report it with the leaflet",
                           err=True)
            else:
                _report(LeafwrightError(r.diagnostics))
    secs = time.perf_counter() - start
    n_warn = sum(len(r.warnings) for r in warned)
    summary = (f"{counts['built']} built, {counts['unchanged']} unchanged, {counts['failed']} failed, "
               f"{_plural(n_warn, 'warning')} in {secs:.1f}s "
               f"(style: {style_name}, {variant}; manifest: {_display(Path(out_dir) / 'manifest.json')})")
    if interrupted:
        click.echo("interrupted: finished PDFs were kept and recorded; " + summary, err=True)
        sys.exit(130)
    click.echo(summary, err=bool(failed))
    sys.exit(EXIT_FAILED if failed else EXIT_OK)


@main.command()
@click.argument("paths", nargs=-1)
def validate(paths: tuple[str, ...]) -> None:
    """Check leaflet files against the schema; every error in every file at once."""
    from .render import load_leaflet

    try:
        files = collect_leaflets(paths)
    except LeafwrightError as exc:
        _fail_usage(exc)
        return
    failed = 0
    for f in files:
        try:
            load_leaflet(f, display=_display(f))
        except LeafwrightError as exc:
            failed += 1
            _report(exc)
            continue
        click.echo(f"ok      {_display(f)}")
    click.echo(f"{len(files) - failed} valid, {failed} invalid", err=failed > 0)
    sys.exit(EXIT_FAILED if failed else EXIT_OK)


@main.command()
@click.option("--style", "for_style", is_flag=True, help="Print the style file schema instead.")
@click.option("--manifest", "for_manifest", is_flag=True,
              help="Print the schema of the build manifest (out/manifest.json) instead.")
def schema(for_style: bool, for_manifest: bool) -> None:
    """Print the JSON Schema of leaflet files (or style files, or the manifest), for editors."""
    import json

    if for_manifest:
        from .manifest import manifest_json_schema

        data = manifest_json_schema()
    elif for_style:
        from .style import style_json_schema

        data = style_json_schema()
    else:
        from .model import leaflet_json_schema

        data = leaflet_json_schema()
    click.echo(json.dumps(data, indent=2, sort_keys=True))


@main.command()
@click.argument("name")
@click.option("--dir", "folder", default="leaflets", show_default=True, type=click.Path(),
              help="Folder to write the new leaflet in.")
def new(name: str, folder: str) -> None:
    """Write a starter leaflet NAME.yaml using every block type; it builds as it is."""
    from .starter import write_starter

    try:
        written = write_starter(name, Path(folder))
    except LeafwrightError as exc:
        _fail_usage(exc)
        return
    for p in written:
        click.echo(f"wrote   {_display(p)}")
    click.echo(f"edit {_display(written[0])}, then run: leafwright build {_display(written[0])}")


if __name__ == "__main__":  # pragma: no cover
    main()
