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


def project_style_dirs(files: list[Path]) -> list[Path]:
    """Style folders beside the leaflets: <leaflet folder>/styles and <its parent>/styles."""
    dirs: list[Path] = []
    for f in files:
        for d in (f.parent / "styles", f.parent.parent / "styles"):
            if d.is_dir() and d not in dirs:
                dirs.append(d)
    return dirs


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


@main.command()
@click.argument("paths", nargs=-1)
@click.option("--style", "style_name", default="default", show_default=True,
              help="Style name (from ./styles) or path to a style file.")
@click.option("--out", "out_dir", default="out", show_default=True, type=click.Path(),
              help="Folder for the PDFs.")
@click.option("--variant", "variant_list", default=None, metavar="LIST",
              help="Editions to build, comma-separated: standard, large-print, booklet, print "
                   "(default: the style's `variants`, else standard).")
def build(paths: tuple[str, ...], style_name: str, out_dir: str, variant_list: str | None) -> None:
    """Build PDFs from leaflet files or folders (default: leaflets/)."""
    from .batch import Job, JobResult, run_batch
    from .style import resolve_style
    from .variants import parse_variants

    start = time.perf_counter()
    try:
        files = collect_leaflets(paths)
        style = resolve_style(style_name, project_style_dirs(files))
        variants = (parse_variants(variant_list) if variant_list is not None
                    else list(style.spec.variants))
        # jobs name the style by its file, so a worker finds the same style wherever it runs
        style_file = str(style.chain.files[-1])
        for v in variants:  # a style unfit for an edition stops the build here, once
            edition = resolve_style(style_file, variant=v)
            if v == "print":
                from .render import check_print_margins

                check_print_margins(edition)
    except LeafwrightError as exc:
        _fail_usage(exc)
        return
    variant = ",".join(variants)
    jobs = [Job(str(f), _display(f), style_file, v, out_dir) for f in files for v in variants]

    def report(r: JobResult) -> None:
        if r.ok:
            pages = "page" if r.pages == 1 else "pages"
            for o in r.outputs:
                click.echo(f"built   {_display(Path(o))}  ({r.pages} {pages})")
            if r.warnings:
                _report(LeafwrightError(r.warnings))
            return
        click.echo(f"failed  {r.job.display}", err=True)
        if r.internal_error:
            click.echo(f"    internal error: {r.internal_error}\n"
                       "    this is a bug in leafwright; please report it with the leaflet",
                       err=True)
        else:
            _report(LeafwrightError(r.diagnostics))

    results = run_batch(jobs, report)
    built = sum(r.ok for r in results)
    failed = len(results) - built
    secs = time.perf_counter() - start
    click.echo(f"{built} built, {failed} failed in {secs:.1f}s (style: {style.name}, {variant})",
               err=failed > 0)
    sys.exit(EXIT_FAILED if failed else EXIT_OK)


@main.command()
@click.argument("pdf", type=click.Path(dir_okay=False))
@click.option("--booklet", is_flag=True,
              help="Impose as a saddle-stitched booklet: padded to a multiple of 4 pages, "
                   "two-up on sheets twice as wide, in folding order.")
@click.option("--out", "out_file", default=None, type=click.Path(dir_okay=False),
              help="Where to write the imposed PDF (default: beside it, NAME.imposed.pdf).")
def impose(pdf: str, booklet: bool, out_file: str | None) -> None:
    """Impose any PDF for printing (a printer's file, not for reading)."""
    from .post import impose_booklet
    from .write import write_atomic

    src = Path(pdf)
    try:
        if not booklet:
            raise LeafwrightError.single("say how to impose: --booklet", exit_code=EXIT_USAGE,
                                         hint="leafwright impose FILE.pdf --booklet")
        try:
            data = src.read_bytes()
        except OSError as exc:
            raise LeafwrightError.single(f"cannot read {pdf}: {exc.strerror or exc}",
                                         file=pdf, exit_code=EXIT_USAGE) from None
        try:
            imposed = impose_booklet(data)
        except LeafwrightError as exc:
            raise LeafwrightError([d if d.file else _with_file(d, pdf) for d in exc.diagnostics],
                                  exit_code=EXIT_FAILED) from None
        target = Path(out_file) if out_file else src.with_name(src.stem + ".imposed.pdf")
        if target.resolve() == src.resolve():
            raise LeafwrightError.single("the imposed file would overwrite its input",
                                         file=pdf, exit_code=EXIT_USAGE,
                                         hint="give another name with --out")
        write_atomic(target, imposed)
    except LeafwrightError as exc:
        _fail_usage(exc)
        return
    from pypdf import PdfReader
    import io

    sheets = len(PdfReader(io.BytesIO(imposed)).pages)
    click.echo(f"imposed {_display(target)}  ({sheets} sheet sides, print duplex, "
               "flip on the short edge)")


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
@click.option("--style", "for_style", is_flag=True, help="Print the style file schema instead.")
def schema(for_style: bool) -> None:
    """Print the JSON Schema of leaflet files (or style files), for editors."""
    import json

    if for_style:
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
