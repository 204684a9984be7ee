"""The command line: a thin layer over the pure core.

Exit codes: 0 everything ok; 1 at least one leaflet failed (the others were
still built); 2 usage or input error that stopped the command (unknown style,
no leaflets found, bad option).
"""

from __future__ import annotations

import contextlib
import glob
import os
import sys
import time
from pathlib import Path
from typing import NoReturn

import click

from . import __version__
from .errors import EXIT_FAILED, EXIT_OK, EXIT_USAGE, LeafwrightError
from .errors import display_path as _display
from .variants import VARIANTS


def collect_leaflets(paths: tuple[str, ...]) -> list[Path]:
    """Leaflet files from files, folders (all *.yaml below them) and glob patterns, in order."""
    out: list[Path] = []
    seen: set[Path] = set()
    for raw in paths or ("leaflets",):
        p = Path(raw)
        if p.is_dir():
            found = _leaflets_below(p)
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
            if f not in seen:  # (a set: a list's `in` made a library of 1,000 cost ~0.3 s here)
                seen.add(f)
                out.append(f)
    if not out:
        raise LeafwrightError.single(
            "no leaflets found in " + ", ".join(paths or ("leaflets",)),
            exit_code=EXIT_USAGE,
            hint="create one with: leafwright new my-leaflet",
        )
    return out


#: files in a leaflet folder that are not leaflets
_NOT_LEAFLETS = {"leafwright.yaml", "leafwright.yml"}


def _leaflets_below(folder: Path) -> list[Path]:
    """Every *.yaml / *.yml below a folder that can be a leaflet, sorted.

    Passed over: hidden folders (.git, .venv), style folders (``styles/``), the project
    settings file, and leafwright's own output folders (they hold a ``manifest.json``;
    their archive keeps each published version's YAML), so ``build .`` reads each leaflet
    once, however often it has been built into a folder inside the project.
    """
    found: list[Path] = []
    for root, dirs, files in os.walk(folder):
        here = Path(root)
        dirs[:] = [
            d
            for d in dirs
            if not d.startswith(".") and d != "styles" and not (here / d / "manifest.json").is_file()
        ]
        found.extend(here / f for f in files if f.endswith((".yaml", ".yml")) and f not in _NOT_LEAFLETS)
    return sorted(found)


def project_style_dirs(files: list[Path]) -> list[Path]:
    """Style folders beside the leaflets: <leaflet folder>/styles and <its parent>/styles."""
    dirs: list[Path] = []
    for f in files:
        for d in (f.parent / "styles", f.parent.parent / "styles"):
            if d.is_dir() and d not in dirs:
                dirs.append(d)
    return dirs


def _report(exc: LeafwrightError) -> None:
    click.echo(exc.format(), err=True)


def _fail_usage(exc: LeafwrightError) -> NoReturn:
    _report(exc)
    sys.exit(exc.exit_code or EXIT_USAGE)


def _quiet_verbose(quiet: bool, verbose: bool) -> None:
    if quiet and verbose:
        raise click.UsageError("-q/--quiet and -v/--verbose cannot be used together")


QUIET = click.option("-q", "--quiet", is_flag=True, help="Print only problems and the summary.")


def _set_font_path(ctx, param, value: tuple[str, ...]) -> None:
    from .fonts import set_font_dirs

    set_font_dirs(value)  # always: an earlier command in this process leaves none behind


FONT_PATH = click.option(
    "--font-path",
    multiple=True,
    type=click.Path(exists=True, file_okay=False),
    metavar="DIR",
    expose_value=False,
    callback=_set_font_path,
    help="A folder of TTF/OTF files whose families a style can name (repeatable; searched "
    "before the system, after it the folders in LEAFWRIGHT_FONT_PATH).",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="leafwright")
def main() -> None:
    """leafwright: YAML patient leaflets into accessible, branded, print-ready PDFs.

    Exit codes: 0 ok; 1 a leaflet failed (the others were still built), or a
    warning with --strict; 2 usage or input error; 130 interrupted (Ctrl-C).
    """


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
@click.option(
    "--executor",
    "executor_spec",
    default="local",
    show_default=True,
    metavar="local|dask://HOST:PORT",
    help="Where jobs run: worker processes on this machine, or the workers of a Dask cluster "
    "(pip install leafwright[cluster]; no shared folder needed).",
)
@click.option("--force", is_flag=True, help="Rebuild every leaflet, changed or not.")
@click.option(
    "--no-archive",
    is_flag=True,
    help="Overwrite superseded versions and delete withdrawn leaflets' files instead of keeping "
    "them in OUT/archive/.",
)
@click.option("--strict", is_flag=True, help="Fail (exit 1) on warnings too, as check --strict does.")
@click.option(
    "--draft",
    is_flag=True,
    help="Build as drafts: governance errors become warnings, every page is marked DRAFT, "
    "and the PDFs go to OUT/drafts/, never into the manifest.",
)
@click.option(
    "--report",
    "report_file",
    default=None,
    type=click.Path(dir_okay=False),
    metavar="FILE.json",
    help="Write every job's status, time, files and findings as JSON (schema: leafwright schema report).",
)
@FONT_PATH
@QUIET
@click.option(
    "-v", "--verbose", is_flag=True, help="One line per leaflet, unchanged ones too, and every warning."
)
def build(
    paths: tuple[str, ...],
    style_name: str,
    out_dir: str,
    variant_list: str | None,
    workers: int | None,
    executor_spec: str,
    force: bool,
    no_archive: bool,
    draft: bool,
    strict: bool,
    report_file: str | None,
    quiet: bool,
    verbose: bool,
) -> None:
    """Build PDFs from leaflet files, folders or globs (default: leaflets/).

    Only leaflets whose inputs changed since the last build into the same folder are
    built (see OUT/manifest.json); --force rebuilds all. Warnings of unchanged leaflets
    are reported again, review dates checked against today. Interrupt with Ctrl-C at
    any time: finished PDFs are kept and no half-written file is left.
    """

    from .batch import Job, run_batch
    from .console import Progress
    from .editions import language_editions
    from .report import BuildReport

    _quiet_verbose(quiet, verbose)
    start = time.perf_counter()
    try:
        files, style, variants, config, today = _build_plan(
            paths, style_name, out_dir, variant_list, report_file
        )
    except LeafwrightError as exc:
        _fail_usage(exc)
    style_file = str(style.chain.files[-1])
    from .batch import separate_style_folder

    chosen = separate_style_folder(out_dir, style_file)
    if chosen != out_dir and not quiet:
        click.echo(
            f"note: {_display(Path(out_dir))}/ holds PDFs built in another style: "
            f"these go in {_display(Path(chosen))}/ so neither overwrites the other",
            err=True,
        )
    out_dir = chosen
    # each edition links to the leaflet in other languages; a translation is checked
    # against the leaflet it translates (see leafwright.editions)
    family = language_editions(files, draft=draft)
    jobs = [
        Job(
            str(f),
            _display(f),
            style_file,
            v,
            out_dir,
            draft,
            links=tuple(variants) if VARIANTS[v].links_editions else (),
            editions=family.get(str(f)),
        )
        for f in files
        for v in variants
    ]
    report = BuildReport(strict=strict)
    err = sys.stderr
    progress = Progress(err) if err.isatty() and not (quiet or verbose) else None

    def started(to_build: int, unchanged: int) -> None:
        report.planned(to_build, unchanged)
        if progress is not None:
            progress.begin(to_build)

    archived: set[str] = set()  # an archived leaflet is said once, not once per edition

    def arrived(r) -> None:
        report.add(r)
        _show_job(r, progress, archived, out_dir, quiet=quiet, verbose=verbose)

    try:
        with _executor(executor_spec, workers) as (executor, slots):
            run_batch(
                jobs,
                arrived,
                workers=slots,
                executor=executor,
                ship_inputs=executor is not None,
                force=force,
                on_start=started,
                config=config,
                today=today,
                archive=not no_archive,
            )
    except LeafwrightError as exc:  # a style that cannot be resolved stops everything
        if progress is not None:
            progress.clear()
        _fail_usage(exc)
    except KeyboardInterrupt:
        report.interrupted = True
    if progress is not None:
        progress.clear()
    _finish_build(report, start, style.name, variants, out_dir, report_file, quiet=quiet, verbose=verbose)


@contextlib.contextmanager
def _executor(spec: str, workers: int | None):
    """(executor or None for the local pool, jobs at once) for --executor; a client closed after."""
    import os

    from .cluster import cluster_executor, connect, parse_executor

    address = parse_executor(spec)
    if address is None:
        yield None, workers or os.cpu_count() or 1
        return
    if workers is not None:
        raise click.UsageError(
            "--jobs is for --executor local: a Dask cluster runs as many jobs as it has workers"
        )
    client = connect(address)
    try:
        yield cluster_executor(client), max(1, sum(client.nthreads().values()))
    finally:
        client.close()


def _build_plan(paths, style_name, out_dir, variant_list, report_file):
    """What a build needs before its first job: leaflets, style, editions, settings, today.

    Every problem here stops the command (exit 2).
    """
    from .checks import current_date, load_config
    from .style import resolve_style
    from .variants import parse_variants, preflight

    files = collect_leaflets(paths)
    if Path(out_dir).exists() and not Path(out_dir).is_dir():
        raise LeafwrightError.single(
            f"--out {out_dir} is a file, not a folder",
            exit_code=EXIT_USAGE,
            hint="give a folder for the PDFs (it is made if missing)",
        )
    if report_file is not None and Path(report_file).is_dir():
        raise LeafwrightError.single(
            f"--report {report_file} is a folder",
            exit_code=EXIT_USAGE,
            hint="give a file name, e.g. report.json",
        )
    style = resolve_style(style_name, project_style_dirs(files))
    config = load_config()  # a bad leafwright.yaml stops the command, not each leaflet
    today = current_date()
    variants = parse_variants(variant_list) if variant_list is not None else list(style.spec.variants)
    # jobs name the style by its file, so a worker finds the same style wherever it runs
    style_file = str(style.chain.files[-1])
    for v in variants:  # a style unfit for an edition stops the build here, once
        preflight(resolve_style(style_file, variant=v), v)
    return files, style, variants, config, today


def _show_job(r, progress, archived: set[str], out_dir: str, *, quiet: bool, verbose: bool) -> None:
    """As a job arrives: a step of the bar, or its lines (failures always; -v: its warnings)."""
    from .console import archive_line, finding_line, job_lines

    if progress is not None:
        if not r.skipped:
            progress.step(r.job.display)
        return
    if not quiet and (r.archived or (r.withdrawn and verbose)) and r.job.leaflet not in archived:
        archived.add(r.job.leaflet)
        click.echo(archive_line(r, out_dir))
    if r.status == "failed" or (not quiet and (verbose or not r.skipped)):
        for line in job_lines(r):
            click.echo(line, err=r.status == "failed")
    if verbose:
        for w in sorted(r.warnings, key=lambda d: (d.file or "", d.line or 0, d.column or 0)):
            click.echo("    " + finding_line(w, hint=False), err=True)


def _finish_build(report, start, style_name, variants, out_dir, report_file, *, quiet, verbose) -> NoReturn:
    """Print the end of a build (failures, warnings by rule, summary), write --report, exit."""
    from .console import failure_lines, rule_summary, summary_line, summary_sections
    from .write import write_atomic

    secs = time.perf_counter() - start
    if report_file is not None:
        text = report.to_json(style=style_name, variants=variants, out=out_dir, seconds=secs)
        try:
            write_atomic(report_file, text.encode("utf-8"))
        except OSError as exc:
            click.echo(
                f"leafwright: error: cannot write --report {report_file}: {exc.strerror or exc}", err=True
            )
    for line in failure_lines(report):
        click.echo(line, err=True)
    if not quiet:
        for line in rule_summary(report, examples=10**9 if verbose else 3, report_file=report_file):
            click.echo(line, err=True)
    summary = summary_line(
        report,
        seconds=secs,
        style=style_name,
        variants=variants,
        manifest=_display(Path(out_dir) / "manifest.json"),
    )
    if report.interrupted:
        summary = "interrupted: finished PDFs were kept and recorded; " + summary
    click.echo(summary, err=bool(report.return_code))
    for line in summary_sections(report):
        click.echo(line, err=True)
    sys.exit(report.return_code)


@main.command()
@click.option(
    "--out",
    "out_dir",
    default="out",
    show_default=True,
    type=click.Path(file_okay=False),
    help="The output folder to list (it holds manifest.json); index.html is written there.",
)
@click.option(
    "--style",
    "style_name",
    default="default",
    show_default=True,
    help="Style name (from ./styles) or path to a style file: the catalogue's colours and fonts.",
)
@click.option("--title", default="Patient information leaflets", show_default=True, help="The page's title.")
@QUIET
def site(out_dir: str, style_name: str, title: str, quiet: bool) -> None:
    """Write OUT/index.html: a catalogue of every leaflet built into OUT.

    Lists each leaflet (title, summary, language, version, dates, a thumbnail of its
    first page) with links to its web page and reading PDFs and their sizes, from
    OUT/manifest.json. Copy OUT to a web server and the library is online.
    """
    from .batch import write_if_changed
    from .style import resolve_style
    from .web.catalogue import make_catalogue
    from .write import write_atomic

    try:
        style = resolve_style(style_name, [Path.cwd() / "styles"])
        cat = make_catalogue(out_dir, style, title=title)
        for asset in cat.assets:
            write_if_changed(Path(out_dir) / asset.name, asset.data)
        target = write_atomic(Path(out_dir) / "index.html", cat.html)
    except LeafwrightError as exc:
        _fail_usage(exc)
        return
    except OSError as exc:
        _fail_usage(
            LeafwrightError.single(f"cannot write to {out_dir}: {exc.strerror or exc}", exit_code=EXIT_USAGE)
        )
        return
    from .console import plural

    if not quiet:
        click.echo(f"wrote   {_display(target)}  ({plural(cat.leaflets, 'leaflet')})")


@main.command()
@click.argument("paths", nargs=-1)
@click.option(
    "--style",
    "style_name",
    default="default",
    show_default=True,
    help="Style name (from ./styles) or path to a style file.",
)
@click.option("--out", "out_dir", default="out", show_default=True, type=click.Path(), help="Output folder.")
@click.option(
    "--variant",
    "variant_list",
    default=None,
    metavar="LIST",
    help="Editions to build, as for build (default: the style's `variants`).",
)
@QUIET
def watch(
    paths: tuple[str, ...], style_name: str, out_dir: str, variant_list: str | None, quiet: bool
) -> None:
    """Build, then rebuild whatever a saved file changes, until Ctrl-C.

    Watches the leaflets (files or folders; default leaflets/), their pictures, the
    style with its fonts and logo, and leafwright.yaml. Prints one line per result; an
    error is printed with its place and the last good output is kept.
    """
    from .variants import parse_variants
    from .watch import Session, watch_changes

    try:
        collect_leaflets(paths)
        if variant_list is not None:
            parse_variants(variant_list)
    except LeafwrightError as exc:
        _fail_usage(exc)
        return
    session = Session(paths, style_name, out_dir, variant_list)

    def line(text: str) -> None:  # -q: failures only
        if not quiet or text.startswith("failed"):
            click.echo(text)

    session.build(on_line=line)
    roots = session.roots()

    def ready() -> None:
        if not quiet:
            click.echo("watching " + ", ".join(_display(r) for r in roots) + " (Ctrl-C to stop)")

    try:
        for changed in watch_changes(roots, on_ready=ready):
            hit = session.affected(changed)
            if hit:
                session.build(hit, on_line=line)
    except KeyboardInterrupt:
        pass
    sys.exit(EXIT_OK)


@main.command()
@click.argument("file", type=click.Path(dir_okay=False))
@click.option(
    "--style",
    "style_name",
    default="default",
    show_default=True,
    help="Style name (from ./styles) or path to a style file.",
)
@click.option(
    "--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="Port (0: any free one)."
)
@click.option("--open", "open_browser", is_flag=True, help="Open the page in the default browser.")
@QUIET
def preview(file: str, style_name: str, port: int, open_browser: bool, quiet: bool) -> None:
    """Serve FILE's web edition (and PDF) on http://127.0.0.1:PORT, rebuilt on every save.

    The page reloads itself when a build finishes; when the leaflet does not build, the
    page shows the errors with file, line and column. Only this computer can connect.
    """
    import threading

    from .preview import Preview, PreviewServer, rebuild_loop

    if not Path(file).is_file():
        _fail_usage(LeafwrightError.single(f"no such file: {file}", exit_code=EXIT_USAGE))
        return
    pv = Preview(file, style_name)
    try:
        server = PreviewServer(pv, port)
    except OSError as exc:
        _fail_usage(
            LeafwrightError.single(
                f"cannot listen on 127.0.0.1:{port}: {exc.strerror or exc}",
                exit_code=EXIT_USAGE,
                hint="choose another port with --port, or --port 0 for any free one",
            )
        )
        return
    threading.Thread(target=server.serve_forever, daemon=True).start()
    stop = threading.Event()
    click.echo(f"serving {server.url} (PDF: {server.url}<id>.pdf; Ctrl-C to stop)")
    if open_browser:
        import webbrowser

        webbrowser.open(server.url)
    try:
        rebuild_loop(
            pv,
            stop,
            on_line=lambda text: None if quiet and not text.startswith("failed") else click.echo(text),
            on_ready=None if quiet else lambda: click.echo("watching for changes"),
        )
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        pv.close()
        server.shutdown()
        server.server_close()
    sys.exit(EXIT_OK)


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
@QUIET
def impose(pdf: str, booklet: bool, out_file: str | None, quiet: bool) -> None:
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
    if quiet:
        return
    import io

    from pypdf import PdfReader

    sheets = len(PdfReader(io.BytesIO(imposed)).pages)
    click.echo(f"imposed {_display(target)}  ({sheets} sheet sides, print duplex, flip on the short edge)")


def _with_file(diag, file: str):
    """The diagnostic pointing at ``file``."""
    import dataclasses

    return dataclasses.replace(diag, file=file)


@main.command()
@click.argument("paths", nargs=-1)
@QUIET
def validate(paths: tuple[str, ...], quiet: bool) -> None:
    """Check leaflet files against the schema; every error in every file at once.

    A translation's ``translation_of`` is checked against the library too (the files
    given and the leaflets beside them)."""
    from .editions import language_editions, translation_errors
    from .render import load_leaflet

    try:
        files = collect_leaflets(paths)
    except LeafwrightError as exc:
        _fail_usage(exc)
    failed = 0
    family = None
    for f in files:
        try:
            src = load_leaflet(f, display=_display(f))
            if src.leaflet.translation_of is not None:
                family = family if family is not None else language_editions(files)
                errors = translation_errors(src, family.get(str(f)))
                if errors:
                    raise LeafwrightError(errors)
        except LeafwrightError as exc:
            failed += 1
            _report(exc)
            continue
        if not quiet:
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
    "variant_list",
    default=None,
    metavar="LIST",
    help="Editions to check, comma-separated, as for build: "
    + ", ".join(VARIANTS)
    + " (default: the style's `variants`).",
)
@click.option(
    "--format",
    "fmt",
    default="text",
    show_default=True,
    type=click.Choice(["text", "json", "sarif"]),
    help="text for people; json for scripts; sarif for code hosts (findings shown on the YAML lines).",
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
@FONT_PATH
@QUIET
def check(
    paths: tuple[str, ...],
    style_name: str,
    variant_list: str | None,
    fmt: str,
    strict: bool,
    out_dir: str,
    quiet: bool,
) -> None:
    """Check leaflets before printing: contrast, clear print, images, structure,
    governance, readability and versions (rules in docs/checks.md)."""
    import json

    from .checks import check_library, check_source, current_date, load_config
    from .checks.readability import leaflet_scores
    from .console import finding_line, plural
    from .editions import language_editions, translation_errors, translation_findings
    from .errors import Diagnostic
    from .manifest import finding_from_diagnostic
    from .render import load_leaflet
    from .style import resolve_style
    from .variants import parse_variants

    if quiet and fmt != "text":
        raise click.UsageError(f"-q/--quiet is for --format text; --format {fmt} prints data only")
    try:
        files = collect_leaflets(paths)
        style = resolve_style(style_name, project_style_dirs(files))
        variants = parse_variants(variant_list) if variant_list is not None else list(style.spec.variants)
        editions = [resolve_style(str(style.chain.files[-1]), variant=v) for v in variants]
        config = load_config()
        today = current_date()
    except LeafwrightError as exc:
        _fail_usage(exc)
        return
    from .manifest import read_leaflets

    found: list[Diagnostic] = []
    sources = []
    scores: dict[str, dict] = {}
    records = read_leaflets(out_dir)  # what the last builds recorded, for the version checks
    family = language_editions(files)  # translations checked against their sources
    for f in files:
        try:
            src = load_leaflet(f, display=_display(f))
        except LeafwrightError as exc:
            found.extend(exc.diagnostics)
            continue
        sources.append(src)
        for edition in editions:
            found.extend(check_source(src, edition, config, today=today))
        found.extend(version_findings(src, records, config))
        eds = family.get(str(f))
        found.extend(translation_errors(src, eds) + translation_findings(src, eds, frozenset(config.ignore)))
        scores[src.file] = leaflet_scores(src.leaflet)
    found.extend(check_library(sources, config))
    by_file: dict[str, list[Diagnostic]] = {}
    # a style's finding is reported once, not per leaflet; a leaflet's once, not per edition
    for d in dict.fromkeys(found):
        by_file.setdefault(d.file or "<input>", []).append(d)
    for diags in by_file.values():
        diags.sort(key=lambda d: (d.line or 0, d.column or 0, d.code or ""))
    findings = [d for diags in by_file.values() for d in diags]
    errors = sum(d.severity == "error" for d in findings)
    warnings = len(findings) - errors
    if fmt == "sarif":
        from .sarif import to_sarif

        click.echo(json.dumps(to_sarif(findings), indent=2, ensure_ascii=False))
    elif fmt == "json":
        out = {
            "style": style.name,
            "variants": variants,
            "files": {
                name: [asdict_finding(finding_from_diagnostic(d)) for d in diags]
                for name, diags in by_file.items()
            },
            "readability": scores,
            "summary": {"checked": len(files), "errors": errors, "warnings": warnings},
        }
        click.echo(json.dumps(out, indent=2, ensure_ascii=False))
    else:
        notes = {name: sc.get("skipped") or sc.get("note") for name, sc in scores.items()}
        for name, diags in by_file.items():
            for d in diags:
                click.echo(finding_line(d))
            if notes.get(name) and not quiet:  # said once, under the leaflet's findings
                click.echo(f"{name}: note: {notes.pop(name)}")
            if not quiet:
                click.echo("")
        for name, note in notes.items():  # a leaflet with no findings
            if note and not quiet:
                click.echo(f"{name}: note: {note}\n")
        click.echo(
            f"{len(files)} checked: {plural(errors, 'error')}, "
            f"{plural(warnings, 'warning')} in {plural(len(by_file), 'file')} "
            f"(style: {style.name}, {','.join(variants)})",
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
@QUIET
def review(
    paths: tuple[str, ...],
    fmt: str,
    due_within: str | None,
    owner: str | None,
    overdue: bool,
    include_withdrawn: bool,
    quiet: bool,
) -> None:
    """Leaflets by review date: owner, status, version, published, review_by, days until due.

    Exit 1 when a listed leaflet is overdue (or a leaflet cannot be read), for a
    scheduled CI job; 0 otherwise. LEAFWRIGHT_TODAY=YYYY-MM-DD sets today's date.
    """
    import json

    from .clock import today
    from .console import plural
    from .render import load_leaflet
    from .review import behind_lines, format_csv, format_table, parse_span, review_rows, select, to_json

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
        shown = [r for r in rows if r.overdue] if quiet else rows  # -q: the overdue ones only
        if shown:
            click.echo(format_table(shown), nl=False)
        for line in behind_lines(rows):  # translations behind their original, said once
            click.echo(line)
        click.echo(
            f"{plural(len(rows), 'leaflet')} listed, {late} overdue (today {now.isoformat()})",
            err=bool(late),
        )
    sys.exit(EXIT_FAILED if late or unreadable else EXIT_OK)


def version_findings(src, records: dict, config) -> list:
    """LW701/LW702 for a loaded leaflet against its record in OUT/manifest.json (``records`` by id)."""
    from .checks.versions import check_versions
    from .content import content_hash

    record = records.get(src.leaflet.id)
    return check_versions(src, record, content_hash(src.leaflet, src.base_dir), frozenset(config.ignore))


def asdict_finding(f) -> dict:
    """A finding as JSON data, in the key order people read it."""
    return {
        "rule": f.rule,
        "severity": f.severity,
        "file": f.file,
        "line": f.line,
        "column": f.column,
        "path": f.path,
        "message": f.message,
        "hint": f.hint,
    }


@main.command()
@click.argument(
    "name", required=False, default="leaflet", type=click.Choice(["leaflet", "style", "manifest", "report"])
)
def schema(name: str) -> None:
    """Print the JSON Schema of NAME: leaflet files (the default), style files, the build
    manifest (out/manifest.json) or the build report (build --report).

    The same schemas ship as files in the package (leafwright/schemas/NAME.schema.json),
    each with a stable $id editors can point at.
    """
    from .jsonschemas import dumps, json_schema

    click.echo(dumps(json_schema(name)), nl=False)


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
@QUIET
def new(name: str, folder: str, quiet: bool) -> None:
    """Write a starter leaflet NAME.yaml using every block type; it builds as it is."""
    from .starter import write_starter

    try:
        written = write_starter(name, Path(folder))
    except LeafwrightError as exc:
        _fail_usage(exc)
    if quiet:
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
@QUIET
def import_(document: str, folder: str, force: bool, quiet: bool) -> None:
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
        if not quiet:
            click.echo(f"wrote   {_display(out / name)}")
    write_atomic(target, result.yaml.encode("utf-8"))
    if not quiet:
        click.echo(f"wrote   {_display(target)}")
    for note in result.notes:  # what is left to do is a problem: shown with -q too
        click.echo(f"todo:   {note}")
    if not quiet:
        click.echo(
            f"next: fill in the TODOs in {_display(target)}, then run: leafwright build {_display(target)}"
        )


@main.command()
@FONT_PATH
def fonts() -> None:
    """List the font families a style can name, where each comes from and the scripts it covers.

    Families come from fontpkg-* packages (pip), the system (fontconfig) and the folders
    given with --font-path (or LEAFWRIGHT_FONT_PATH). A brand's own TTF or OTF files need no
    installing: give their folder with --font-path, or name them under fonts: files: in the style.
    """
    from .fonts import scripts_covered, visible_families

    found = visible_families()
    if not found:
        click.echo("no font families found: pip install fontpkg-atkinson-hyperlegible")
        return
    for family, where, face in found:
        covered = scripts_covered(face)
        click.echo(f"{family}  ({where}; {face.name})")
        click.echo("    scripts: " + (", ".join(covered) if covered else "none of the usual ones"))


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
@FONT_PATH
@QUIET
def style_new(
    name: str,
    primary: str,
    accent: str,
    logo: str | None,
    font: str | None,
    folder: str,
    force: bool,
    quiet: bool,
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
    for p in written if not quiet else []:
        click.echo(f"wrote   {_display(p)}")
    for note in notes:  # a brand colour that had to move: said with -q too
        click.echo(f"note:   {note}")
    if not quiet:
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
@QUIET
def audit(paths: tuple[str, ...], full: bool, fmt: str, output: str | None, quiet: bool) -> None:
    """Check PDFs for PDF/UA-1 and say, in plain words, what a screen reader gets from them.

    PATHS are PDF files, folders (every *.pdf inside) or quoted globs ("out/**/*.pdf").
    For each file: title, language, fonts, the reading order with alt texts and link
    targets, every PDF/UA-1 problem and every warning, each with its page, the element
    it concerns and what to do. Several files end with a summary table.

    With -q, only the summary table (one line per file).

    Exit 0 if every file is compliant, 1 if one is not, 2 if a file cannot be read
    (not a PDF, encrypted with a password) or a path does not exist.
    """
    import logging

    from .audit import AuditResult, audit_pdf
    from .auditreport import Unreadable, format_html, format_json, format_summary, format_text
    from .pdfread import EncryptedPdfError, NotAPdfError
    from .write import write_atomic

    if quiet and fmt != "text":
        raise click.UsageError(f"-q/--quiet is for --format text; --format {fmt} writes the whole report")
    # pypdf logs every oddity it repairs; the audit reports what matters itself
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    files = _audit_inputs(paths)
    results: list = []
    chunks: list[str] = []
    for f in files:
        res: AuditResult | Unreadable
        try:
            res = audit_pdf(f, width=None if full else 100)
        except (NotAPdfError, EncryptedPdfError) as exc:
            res = Unreadable(str(f), str(exc))
        except OSError as exc:
            res = Unreadable(str(f), f"cannot read it: {exc.strerror or exc}")
        except Exception as exc:  # a file pypdf chokes on: say so, go on with the rest
            res = Unreadable(str(f), f"this file is damaged and cannot be read as a PDF ({exc})")
        results.append(res)
        if fmt == "text" and not quiet:
            text = format_text(res, full=full)
            if output:
                chunks.append(text)
            else:
                click.echo(text)
    if fmt == "text":
        if len(results) > 1 or quiet:
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
