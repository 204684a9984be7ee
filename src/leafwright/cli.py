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
from .errors import display_path as _display
from .variants import VARIANTS


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
            raise LeafwrightError.single(
                f"no such file or folder: {raw}",
                exit_code=EXIT_USAGE,
                hint="give leaflet files (.yaml) or folders holding them",
            )
        for f in found:
            if f not in out:
                out.append(f)
    if not out:
        raise LeafwrightError.single(
            "no leaflets found in " + ", ".join(paths or ("leaflets",)),
            exit_code=EXIT_USAGE,
            hint="create one with: leafwright new my-leaflet",
        )
    return out


def project_style_dirs(files: list[Path]) -> list[Path]:
    """Style folders beside the leaflets: <leaflet folder>/styles and <its parent>/styles."""
    dirs: list[Path] = []
    for f in files:
        for d in (f.parent / "styles", f.parent.parent / "styles"):
            if d.is_dir() and d not in dirs:
                dirs.append(d)
    return dirs


def _output_pages(output: str, pages: int) -> str:
    """'9 pages' for a reading PDF; an imposed booklet counts its sheet sides."""
    from .variants import output_of

    out = output_of(output)
    return _plural(pages, out.page_unit if out is not None else "page")


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
        line = (
            f"[{bar}] {self.done}/{self.total}  {rate:.1f}/s  "
            f"ETA {int(eta) // 60}:{int(eta) % 60:02d}  {name}"
        )
        cols = _terminal_width()
        self.stream.write("\r" + line[: cols - 1].ljust(cols - 1))
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
@click.option(
    "--style",
    "style_name",
    default="default",
    show_default=True,
    help="Style name (from ./styles) or path to a style file.",
)
@click.option(
    "--out",
    "out_dir",
    default="out",
    show_default=True,
    type=click.Path(),
    help="Folder for the PDFs and manifest.json.",
)
@click.option(
    "--variant",
    "variant_list",
    default=None,
    metavar="LIST",
    help="Editions to build, comma-separated: " + ", ".join(VARIANTS) + " "
    "(default: the style's `variants`, else standard).",
)
@click.option(
    "-j",
    "--jobs",
    "workers",
    type=click.IntRange(min=1),
    default=None,
    help="Worker processes  [default: the number of CPUs]",
)
@click.option("--force", is_flag=True, help="Rebuild every leaflet, changed or not.")
@click.option(
    "--no-archive",
    is_flag=True,
    help="Overwrite superseded versions and delete withdrawn leaflets' files instead of keeping "
    "them in OUT/archive/.",
)
@click.option(
    "--draft",
    is_flag=True,
    help="Build as drafts: governance errors become warnings, every page is marked DRAFT, "
    "and the PDFs go to OUT/drafts/, never into the manifest.",
)
@click.option("-q", "--quiet", is_flag=True, help="Print only failures and the summary.")
@click.option(
    "-v", "--verbose", is_flag=True, help="One line per leaflet, unchanged ones too (no progress bar)."
)
def build(
    paths: tuple[str, ...],
    style_name: str,
    out_dir: str,
    variant_list: str | None,
    workers: int | None,
    force: bool,
    no_archive: bool,
    draft: bool,
    quiet: bool,
    verbose: bool,
) -> None:
    """Build PDFs from leaflet files, folders or globs (default: leaflets/).

    Only leaflets whose inputs changed since the last build into the same folder are
    built (see OUT/manifest.json); --force rebuilds all. Interrupt with Ctrl-C at any
    time: finished PDFs are kept and no half-written file is left.
    """
    import os

    from .batch import Job, JobResult, run_batch
    from .checks import load_config
    from .style import resolve_style
    from .variants import parse_variants, preflight

    start = time.perf_counter()
    try:
        files = collect_leaflets(paths)
        if Path(out_dir).exists() and not Path(out_dir).is_dir():
            raise LeafwrightError.single(
                f"--out {out_dir} is a file, not a folder",
                exit_code=EXIT_USAGE,
                hint="give a folder for the PDFs (it is made if missing)",
            )
        style = resolve_style(style_name, project_style_dirs(files))
        load_config()  # a bad leafwright.yaml stops the command, not each leaflet
        variants = parse_variants(variant_list) if variant_list is not None else list(style.spec.variants)
        # jobs name the style by its file, so a worker finds the same style wherever it runs
        style_file = str(style.chain.files[-1])
        for v in variants:  # a style unfit for an edition stops the build here, once
            preflight(resolve_style(style_file, variant=v), v)
    except LeafwrightError as exc:
        _fail_usage(exc)
        return
    variant = ",".join(variants)
    from .batch import separate_style_folder

    chosen = separate_style_folder(out_dir, style_file)
    if chosen != out_dir and not quiet:
        click.echo(
            f"note: {_display(Path(out_dir))}/ holds PDFs built in another style: "
            f"these go in {_display(Path(chosen))}/ so neither overwrites the other",
            err=True,
        )
    out_dir = chosen
    jobs = [Job(str(f), _display(f), style_file, v, out_dir, draft) for f in files for v in variants]
    workers = workers or os.cpu_count() or 1
    err = sys.stderr
    progress = Progress(err) if err.isatty() and not (quiet or verbose) else None
    results: list[JobResult] = []
    shown: set = set()  # a style's warning is shown once, not once per leaflet
    archived: set = set()
    held: list[JobResult] = []  # under a progress bar, warnings wait for the end
    failed_shown: set[str] = set()

    def warn(r: JobResult) -> None:
        for w in sorted(r.warnings, key=lambda d: (d.file or "", d.line or 0, d.column or 0)):
            if w not in shown:
                shown.add(w)
                if not quiet:
                    click.echo("    " + _check_line(w, hint=False), err=True)

    def started(to_build: int, unchanged: int) -> None:
        if progress is not None:
            progress.begin(to_build)

    def report(r: JobResult) -> None:
        results.append(r)
        if progress is not None:
            if not r.skipped:
                progress.step(r.job.display)
            if r.warnings:
                held.append(r)
            return
        if r.status == "failed":
            if r.job.leaflet not in failed_shown:  # once per leaflet, not once per edition
                failed_shown.add(r.job.leaflet)
                click.echo(f"failed  {r.job.display}", err=True)
        elif not quiet and (r.archived or (r.withdrawn and verbose)) and r.job.leaflet not in archived:
            archived.add(r.job.leaflet)  # once per leaflet, not once per edition
            click.echo(archive_line(r, out_dir))
        if not quiet and (verbose or not r.skipped) and r.status != "failed":
            label = ("draft  " if r.draft else "built  ") if r.status == "built" else "unchanged"
            for o, (_size, _digest, pages) in zip(r.outputs, r.output_facts):
                click.echo(f"{label} {_display(Path(o))}  ({_output_pages(o, pages)})")
        warn(r)

    interrupted = False
    try:
        run_batch(jobs, report, workers=workers, force=force, on_start=started, archive=not no_archive)
    except LeafwrightError as exc:  # a style that cannot be resolved stops everything
        if progress is not None:
            progress.clear()
        _fail_usage(exc)
        return
    except KeyboardInterrupt:
        interrupted = True
    if progress is not None:
        progress.clear()
        for r in held:
            warn(r)
    failed = [r for r in results if r.status == "failed"]
    if failed:
        click.echo("\nfailed:", err=True)
        printed: set = set()  # an error in a leaflet fails each edition: print it once
        for r in failed:
            if r.internal_error:
                if (r.job.leaflet, r.internal_error) in printed:
                    continue
                printed.add((r.job.leaflet, r.internal_error))
                click.echo(
                    f"{r.job.display}: internal error: {r.internal_error}\n"
                    "    this is a bug in leafwright; please report it with the leaflet and "
                    + (
                        "this traceback:"
                        if verbose and r.traceback
                        else "the traceback (build -v, or "
                        f"internal_errors in {_display(Path(out_dir) / 'manifest.json')})"
                    ),
                    err=True,
                )
                if verbose and r.traceback:
                    click.echo(r.traceback.rstrip(), err=True)
            else:
                new = [d for d in r.diagnostics if d not in printed]
                printed.update(new)
                if new:
                    _report(LeafwrightError(new))
    secs = time.perf_counter() - start
    built = sum(r.status == "built" for r in results)
    unchanged = sum(r.status == "unchanged" for r in results)
    warned = len(shown)
    summary = (
        f"{built} built, {len({r.job.leaflet for r in failed})} failed, "
        f"{_plural(warned, 'warning')} in {secs:.1f}s "
        f"({unchanged} unchanged; style: {style.name}, {variant}; "
        f"manifest: {_display(Path(out_dir) / 'manifest.json')})"
    )
    if interrupted:
        click.echo("interrupted: finished PDFs were kept and recorded; " + summary, err=True)
        sys.exit(130)
    click.echo(summary, err=bool(failed))
    if warned and not quiet:
        click.echo("run 'leafwright check' for each warning's fix (rules: docs/checks.md)", err=True)
    for line in overdue_lines(results):
        click.echo(line, err=True)
    sys.exit(EXIT_FAILED if failed else EXIT_OK)


@main.command()
@click.argument("pdf", type=click.Path(dir_okay=False))
@click.option(
    "--booklet",
    is_flag=True,
    help="Impose as a saddle-stitched booklet: padded to a multiple of 4 pages, "
    "two-up on sheets twice as wide, in folding order.",
)
@click.option(
    "--out",
    "out_file",
    default=None,
    type=click.Path(dir_okay=False),
    help="Where to write the imposed PDF (default: beside it, NAME.imposed.pdf).",
)
def impose(pdf: str, booklet: bool, out_file: str | None) -> None:
    """Impose any PDF for printing (a printer's file, not for reading)."""
    from .post import impose_booklet
    from .write import write_atomic

    src = Path(pdf)
    try:
        if not booklet:
            raise LeafwrightError.single(
                "say how to impose: --booklet",
                exit_code=EXIT_USAGE,
                hint="leafwright impose FILE.pdf --booklet",
            )
        try:
            data = src.read_bytes()
        except OSError as exc:
            raise LeafwrightError.single(
                f"cannot read {pdf}: {exc.strerror or exc}", file=pdf, exit_code=EXIT_USAGE
            ) from None
        try:
            imposed = impose_booklet(data)
        except LeafwrightError as exc:
            raise LeafwrightError(
                [d if d.file else _with_file(d, pdf) for d in exc.diagnostics], exit_code=EXIT_FAILED
            ) from None
        target = Path(out_file) if out_file else src.with_name(src.stem + ".imposed.pdf")
        if target.resolve() == src.resolve():
            raise LeafwrightError.single(
                "the imposed file would overwrite its input",
                file=pdf,
                exit_code=EXIT_USAGE,
                hint="give another name with --out",
            )
        write_atomic(target, imposed)
    except LeafwrightError as exc:
        _fail_usage(exc)
        return
    from pypdf import PdfReader
    import io

    sheets = len(PdfReader(io.BytesIO(imposed)).pages)
    click.echo(f"imposed {_display(target)}  ({sheets} sheet sides, print duplex, flip on the short edge)")


def _with_file(diag, file: str):
    """The diagnostic pointing at ``file``."""
    import dataclasses

    return dataclasses.replace(diag, file=file)


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
@click.argument("paths", nargs=-1)
@click.option(
    "--style",
    "style_name",
    default="default",
    show_default=True,
    help="Style name (from ./styles) or path to a style file.",
)
@click.option(
    "--variant",
    default="standard",
    show_default=True,
    type=click.Choice(list(VARIANTS)),
    help="Which edition to check.",
)
@click.option(
    "--format",
    "fmt",
    default="text",
    show_default=True,
    type=click.Choice(["text", "json"]),
    help="text for people, json for CI.",
)
@click.option("--strict", is_flag=True, help="Fail (exit 1) on warnings too.")
@click.option(
    "--out",
    "out_dir",
    default="out",
    show_default=True,
    type=click.Path(),
    help="The build folder whose manifest the version checks (LW701, LW702) compare with.",
)
def check(
    paths: tuple[str, ...], style_name: str, variant: str, fmt: str, strict: bool, out_dir: str
) -> None:
    """Check leaflets before printing: contrast, clear print, images, structure,
    governance, readability and versions (rules in docs/checks.md)."""
    import json

    from .checks import check_library, check_source, load_config
    from .checks.readability import leaflet_scores
    from .errors import Diagnostic
    from .render import load_leaflet
    from .style import resolve_style

    try:
        files = collect_leaflets(paths)
        style = resolve_style(style_name, project_style_dirs(files), variant=variant)
        config = load_config()
    except LeafwrightError as exc:
        _fail_usage(exc)
        return
    found: list[Diagnostic] = []
    sources = []
    scores: dict[str, dict] = {}
    for f in files:
        try:
            src = load_leaflet(f, display=_display(f))
        except LeafwrightError as exc:
            found.extend(exc.diagnostics)
            continue
        sources.append(src)
        found.extend(check_source(src, style, config))
        found.extend(version_findings(src, out_dir, config))
        scores[src.file] = leaflet_scores(src.leaflet)
    found.extend(check_library(sources, config))
    by_file: dict[str, list[Diagnostic]] = {}
    for d in dict.fromkeys(found):  # a style's finding is reported once, not per leaflet
        by_file.setdefault(d.file or "<input>", []).append(d)
    for diags in by_file.values():
        diags.sort(key=lambda d: (d.line or 0, d.column or 0, d.code or ""))
    findings = [d for diags in by_file.values() for d in diags]
    errors = sum(d.severity == "error" for d in findings)
    warnings = len(findings) - errors
    if fmt == "json":
        out = {
            "style": style.name,
            "variant": variant,
            "files": {name: [_diag_json(d) for d in diags] for name, diags in by_file.items()},
            "readability": scores,
            "summary": {"checked": len(files), "errors": errors, "warnings": warnings},
        }
        click.echo(json.dumps(out, indent=2, ensure_ascii=False))
    else:
        for name, diags in by_file.items():
            for d in diags:
                click.echo(_check_line(d))
            click.echo("")
        click.echo(
            f"{len(files)} checked: {_plural(errors, 'error')}, "
            f"{_plural(warnings, 'warning')} in {_plural(len(by_file), 'file')} "
            f"(style: {style.name}, {variant})",
            err=bool(errors),
        )
    sys.exit(EXIT_FAILED if errors or (strict and warnings) else EXIT_OK)


@main.command()
@click.argument("old")
@click.argument("new", required=False)
@click.option(
    "--format",
    "fmt",
    default="text",
    show_default=True,
    type=click.Choice(["text", "json", "html"]),
    help="text for the terminal, json for programs, html for a committee pack's changes page.",
)
@click.option(
    "-o",
    "--output",
    "output",
    default=None,
    type=click.Path(dir_okay=False),
    help="Write to this file instead of the terminal.",
)
@click.option(
    "--out",
    "out_dir",
    default="out",
    show_default=True,
    type=click.Path(),
    help="The build folder whose archive holds the versions (ID@VERSION).",
)
def diff(old: str, new: str | None, fmt: str, output: str | None, out_dir: str) -> None:
    """What a reader would see changed between two versions of a leaflet.

    OLD and NEW are each a leaflet file, ID@VERSION from the archive (OUT/archive), or
    git:REV (the other side's file at that git revision; git:REV:PATH for another file).
    With one FILE, it is compared with the last version published before it.
    Section by section: sentences, list items and table rows added, removed and changed
    (words marked [-removed-] {+added+}), sections added, removed, renamed and moved, and
    changed details (version, dates, authors, owner). Exit 0 whether or not they differ.
    """
    import json

    from .changes import compare, format_html, format_text, to_json
    from .content import content_hash, reader_view
    from .load import load_yaml
    from .model import validate_leaflet
    from .revisions import last_published, resolve
    from .write import write_atomic

    try:
        if new is None:
            new_rev = resolve(old, None, out_dir)
            new_lf = validate_leaflet(load_yaml(new_rev.text, new_rev.label))
            old_rev = last_published(new_rev.label, new_lf, out_dir, content_hash(new_lf))
        else:
            old_rev, new_rev = resolve(old, new, out_dir), resolve(new, old, out_dir)
            new_lf = validate_leaflet(load_yaml(new_rev.text, new_rev.label))
        old_lf = validate_leaflet(load_yaml(old_rev.text, old_rev.label))
    except LeafwrightError as exc:
        _fail_usage(exc)
        return
    changes = compare(reader_view(old_lf), reader_view(new_lf), old_rev.label, new_rev.label)
    if fmt == "json":
        text = json.dumps(to_json(changes), indent=2, ensure_ascii=False) + "\n"
    elif fmt == "html":
        text = format_html(changes)
    else:
        text = format_text(changes, colour=output is None and sys.stdout.isatty())
    if output:
        try:
            write_atomic(output, text.encode("utf-8"))
        except OSError as exc:
            _fail_usage(
                LeafwrightError.single(f"cannot write {output}: {exc.strerror or exc}", exit_code=EXIT_USAGE)
            )
        click.echo(f"wrote {_display(Path(output))}", err=True)
    else:
        click.echo(text, nl=False)


def overdue_lines(results) -> list[str]:
    """The build summary's short list of leaflets past their review date (LW501), each once."""
    import datetime as _dt

    from .clock import today
    from .review import overdue_summary

    now = today()
    overdue = []
    for r in results:
        if any(w.code == "LW501" for w in r.warnings) and r.meta.get("review_by"):
            days = (now - _dt.date.fromisoformat(r.meta["review_by"])).days
            overdue.append((r.job.display, r.meta["review_by"], days))
    return overdue_summary(overdue)


@main.command()
@click.argument("paths", nargs=-1)
@click.option(
    "--format",
    "fmt",
    default="table",
    show_default=True,
    type=click.Choice(["table", "csv", "json"]),
    help="table for people, csv for a spreadsheet, json for programs.",
)
@click.option(
    "--due-within",
    "due_within",
    default=None,
    metavar="SPAN",
    help="Only leaflets due within SPAN (90d, 12w, 6m, 1y), overdue ones included.",
)
@click.option("--owner", default=None, help="Only leaflets whose owner's name or contact contains this.")
@click.option("--overdue", is_flag=True, help="Only leaflets past their review date.")
@click.option("--include-withdrawn", is_flag=True, help="List withdrawn leaflets too (never overdue).")
def review(
    paths: tuple[str, ...],
    fmt: str,
    due_within: str | None,
    owner: str | None,
    overdue: bool,
    include_withdrawn: bool,
) -> None:
    """Leaflets by review date: owner, status, version, published, review_by, days until due.

    Exit 1 when a listed leaflet is overdue (or a leaflet cannot be read), for a
    scheduled CI job; 0 otherwise. LEAFWRIGHT_TODAY=YYYY-MM-DD sets today's date.
    """
    import json

    from .clock import today
    from .render import load_leaflet
    from .review import format_csv, format_table, parse_span, review_rows, select, to_json

    try:
        files = collect_leaflets(paths)
        span = parse_span(due_within) if due_within is not None else None
        now = today()
    except LeafwrightError as exc:
        _fail_usage(exc)
        return
    sources, unreadable = [], 0
    for f in files:
        try:
            sources.append(load_leaflet(f, display=_display(f)))
        except LeafwrightError as exc:
            unreadable += 1
            _report(exc)
    rows = select(
        review_rows(sources, now, include_withdrawn=include_withdrawn),
        due_within=span,
        owner=owner,
        overdue=overdue,
    )
    late = sum(r.overdue for r in rows)
    if fmt == "json":
        click.echo(json.dumps(to_json(rows, now), indent=2, ensure_ascii=False))
    elif fmt == "csv":
        click.echo(format_csv(rows), nl=False)
    else:
        if rows:
            click.echo(format_table(rows), nl=False)
        click.echo(
            f"{_plural(len(rows), 'leaflet')} listed, {late} overdue (today {now.isoformat()})",
            err=bool(late),
        )
    sys.exit(EXIT_FAILED if late or unreadable else EXIT_OK)


def version_findings(src, out_dir: str, config) -> list:
    """LW701/LW702 for a loaded leaflet against the record of it in OUT/manifest.json."""
    from .checks.versions import check_versions
    from .content import content_hash
    from .manifest import read_leaflets

    record = read_leaflets(out_dir).get(src.leaflet.id)
    return check_versions(src, record, content_hash(src.leaflet, src.base_dir), frozenset(config.ignore))


def archive_line(r, out_dir: str) -> str:
    """'withdrawn x.yaml (files kept in out/archive/x/1.0)', or 'archived' for a superseded version."""
    where = ", ".join(_display(Path(out_dir) / f) for f in r.archived.values())
    if r.withdrawn:
        kept = f"files kept in {where}" if where else "no files of it in the output folder"
        return f"withdrawn {r.job.display}  ({kept})"
    return f"archived {r.job.display} version {', '.join(r.archived)}  (in {where})"


def _check_line(d, *, hint: bool = True) -> str:
    """``path:line:col: LW123 message`` (``warning:`` before the message when it is one)."""
    head = d.location() + ": " + (d.code + " " if d.code else "")
    if d.severity != "error":
        head += "warning: "
    out = head + d.message
    if hint and d.hint:
        out += "\n    hint: " + d.hint
    return out


def _diag_json(d) -> dict:
    return {
        "rule": d.code,
        "severity": d.severity,
        "file": d.file,
        "line": d.line,
        "column": d.column,
        "path": d.path,
        "message": d.message,
        "hint": d.hint,
    }


@main.command()
@click.option("--style", "for_style", is_flag=True, help="Print the style file schema instead.")
@click.option(
    "--manifest",
    "for_manifest",
    is_flag=True,
    help="Print the schema of the build manifest (out/manifest.json) instead.",
)
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
@click.option(
    "--dir",
    "folder",
    default="leaflets",
    show_default=True,
    type=click.Path(),
    help="Folder to write the new leaflet in.",
)
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


@main.command("import")
@click.argument("document", type=click.Path(dir_okay=False))
@click.option(
    "--dir",
    "folder",
    default="leaflets",
    show_default=True,
    type=click.Path(file_okay=False),
    help="Folder to write the leaflet and its pictures in.",
)
@click.option("--force", is_flag=True, help="Overwrite a leaflet (and pictures) of the same name.")
def import_(document: str, folder: str, force: bool) -> None:
    """Turn a Word (.docx), Markdown (.md) or HTML file into a draft leaflet that builds.

    Headings become sections, lists, tables, links, bold and italics are kept, pictures
    are saved beside the leaflet, and questions become FAQ. What the document cannot tell
    (version, dates, publisher, authors) is left as TODO placeholders.
    """
    from .importing import import_document
    from .write import write_atomic

    try:
        result = import_document(document)
    except LeafwrightError as exc:
        _fail_usage(exc)
        return
    out = Path(folder)
    target = out / f"{result.id}.yaml"
    paths = [target] + [out / name for name in result.files]
    clash = [p for p in paths if p.exists()]
    if clash and not force:
        _fail_usage(
            LeafwrightError.single(
                f"{_display(clash[0])} already exists",
                exit_code=EXIT_USAGE,
                hint="use --force to overwrite it, or --dir to import into another folder",
            )
        )
        return
    out.mkdir(parents=True, exist_ok=True)
    for name, data in result.files.items():
        write_atomic(out / name, data)
        click.echo(f"wrote   {_display(out / name)}")
    write_atomic(target, result.yaml.encode("utf-8"))
    click.echo(f"wrote   {_display(target)}")
    for note in result.notes:
        click.echo(f"todo:   {note}")
    click.echo(
        f"next: fill in the TODOs in {_display(target)}, then run: leafwright build {_display(target)}"
    )


@main.group()
def style() -> None:
    """Make and inspect styles."""


@style.command("new")
@click.argument("name")
@click.option("--primary", required=True, help='The brand\'s main colour, e.g. "#6a1b4d".')
@click.option("--accent", required=True, help='The brand\'s second colour, e.g. "#8a3b00".')
@click.option("--logo", type=click.Path(dir_okay=False, exists=True), help="A PNG, JPEG or SVG logo.")
@click.option("--font", help="A font family (a fontpkg-* package) or a .ttf/.otf file.")
@click.option(
    "--dir",
    "folder",
    default="styles",
    show_default=True,
    type=click.Path(file_okay=False),
    help="Folder to write the style and its swatch in.",
)
@click.option("--force", is_flag=True, help="Overwrite a style of the same name.")
def style_new(
    name: str, primary: str, accent: str, logo: str | None, font: str | None, folder: str, force: bool
) -> None:
    """Write styles/NAME.yaml from two brand colours, and NAME-swatch.pdf showing every colour.

    Every other colour is derived from PRIMARY and ACCENT to meet WCAG contrast; a brand
    colour that falls short is moved to its nearest passing shade, and the command says so.
    """
    from .stylekit import write_style

    try:
        written, notes = write_style(
            name, Path(folder), primary=primary, accent=accent, logo=logo, font=font, force=force
        )
    except LeafwrightError as exc:
        _fail_usage(exc)
        return
    for p in written:
        click.echo(f"wrote   {_display(p)}")
    for note in notes:
        click.echo(f"note:   {note}")
    click.echo(f"use it: leafwright build --style {_display(written[0])}")


def _audit_inputs(paths: tuple[str, ...]) -> list[Path]:
    """The PDFs named: files as given, folders searched for *.pdf, quoted globs expanded."""
    import glob

    out: list[Path] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            found = sorted(q for q in p.rglob("*") if q.is_file() and q.suffix.lower() == ".pdf")
            if not found:
                _fail_usage(LeafwrightError.single(f"no PDF files in folder {raw}", exit_code=EXIT_USAGE))
            out += found
        elif p.exists():
            out.append(p)
        elif glob.has_magic(raw):
            found = sorted(Path(q) for q in glob.glob(raw, recursive=True) if Path(q).is_file())
            if not found:
                _fail_usage(LeafwrightError.single(f"no files match {raw}", exit_code=EXIT_USAGE))
            out += found
        else:
            _fail_usage(
                LeafwrightError.single(
                    f"no such file or folder: {raw}",
                    hint="give PDF files, folders or a quoted glob",
                    exit_code=EXIT_USAGE,
                )
            )
    return out


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--full", is_flag=True, help="Print every element's whole text, not the first 100 characters.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "html"]),
    default="text",
    show_default=True,
    help="text for the terminal, json for scripts, html for a readable report with page thumbnails.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False),
    help="Write the report to this file instead of the terminal.",
)
def audit(paths: tuple[str, ...], full: bool, fmt: str, output: str | None) -> None:
    """Check PDFs for PDF/UA-1 and say, in plain words, what a screen reader gets from them.

    PATHS are PDF files, folders (every *.pdf inside) or quoted globs ("out/**/*.pdf").
    For each file: title, language, fonts, the reading order with alt texts and link
    targets, every PDF/UA-1 problem and every warning, each with its page, the element
    it concerns and what to do. Several files end with a summary table.

    Exit 0 if every file is compliant, 1 if one is not, 2 if a file cannot be read
    (not a PDF, encrypted with a password) or a path does not exist.
    """
    import logging

    from .audit import audit_pdf
    from .auditreport import Unreadable, format_html, format_json, format_summary, format_text
    from .pdfread import EncryptedPdfError, NotAPdfError
    from .write import write_atomic

    # pypdf logs every oddity it repairs; the audit reports what matters itself
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    files = _audit_inputs(paths)
    results: list = []
    chunks: list[str] = []
    for f in files:
        try:
            res = audit_pdf(f, width=None if full else 100)
        except (NotAPdfError, EncryptedPdfError) as exc:
            res = Unreadable(str(f), str(exc))
        except OSError as exc:
            res = Unreadable(str(f), f"cannot read it: {exc.strerror or exc}")
        except Exception as exc:  # a file pypdf chokes on: say so, go on with the rest
            res = Unreadable(str(f), f"this file is damaged and cannot be read as a PDF ({exc})")
        results.append(res)
        if fmt == "text":
            text = format_text(res, full=full)
            if output:
                chunks.append(text)
            else:
                click.echo(text)
    if fmt == "text":
        if len(results) > 1:
            chunks.append(format_summary(results))
            if not output:
                click.echo(chunks[-1], nl=False)
        report = "\n".join(chunks)
    elif fmt == "json":
        report = format_json(results)
    else:
        report = format_html(results)
    if output:
        write_atomic(Path(output), report.encode("utf-8"))
        click.echo(f"wrote   {_display(output)}")
    elif fmt != "text":
        click.echo(report, nl=False)
    if any(isinstance(r, Unreadable) for r in results):
        sys.exit(EXIT_USAGE)
    sys.exit(EXIT_FAILED if any(not r.compliant for r in results) else EXIT_OK)


if __name__ == "__main__":  # pragma: no cover
    main()
