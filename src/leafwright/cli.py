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


@main.command()
@click.argument("paths", nargs=-1)
@click.option("--style", "style_name", default="default", show_default=True,
              help="Style name (from ./styles) or path to a style file.")
@click.option("--out", "out_dir", default="out", show_default=True, type=click.Path(),
              help="Folder for the PDFs.")
@click.option("--variant", default="standard", show_default=True,
              type=click.Choice(["standard", "large-print"]), help="Which edition to build.")
def build(paths: tuple[str, ...], style_name: str, out_dir: str, variant: str) -> None:
    """Build PDFs from leaflet files or folders (default: leaflets/)."""
    from .batch import Job, JobResult, run_batch
    from .style import resolve_style

    start = time.perf_counter()
    try:
        files = collect_leaflets(paths)
        style = resolve_style(style_name, large_print=variant == "large-print")
    except LeafwrightError as exc:
        _fail_usage(exc)
        return
    jobs = [Job(str(f), _display(f), style_name, variant, out_dir) for f in files]

    def report(r: JobResult) -> None:
        if r.ok:
            pages = "page" if r.pages == 1 else "pages"
            for o in r.outputs:
                click.echo(f"built   {_display(Path(o))}  ({r.pages} {pages})")
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


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--full", is_flag=True, help="Print every element's whole text, not the first 100 characters.")
def audit(files: tuple[str, ...], full: bool) -> None:
    """Check any PDF for PDF/UA-1 and show what a screen reader gets from it.

    Prints the title, language, fonts, the structure tree in reading order (text,
    alt texts, link targets), untagged content and the PDF/UA-1 rule failures.
    Exit 0 if every file is compliant, 1 if not.
    """
    import logging

    from .inspect import basic_problems, inspect_pdf, outline, run_rule_checks

    # pypdf logs every oddity it repairs; the audit reports what matters itself
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    bad = 0
    for f in files:
        click.echo(f"== {f}")
        try:
            rep = inspect_pdf(f)
            checks = run_rule_checks(f)
        except Exception as exc:  # a damaged or non-PDF file: say so, go on with the rest
            bad += 1
            click.echo(f"cannot read this file as a PDF: {exc}\n")
            continue
        shown = "shown in the window title" if rep.display_doc_title else "NOT shown in the window title"
        click.echo(f"title:     {rep.title or '(none)'}" + (f"  ({shown})" if rep.title else ""))
        click.echo(f"language:  {rep.lang or 'NOT SET'}")
        click.echo(f"pages:     {rep.pages}")
        click.echo("fonts:")
        for font in rep.fonts:
            click.echo(f"  {font.name} ({font.subtype}, "
                       f"{'embedded' if font.embedded else 'NOT EMBEDDED'}"
                       f"{'' if font.to_unicode else ', no ToUnicode map'})")
        if not rep.fonts:
            click.echo("  (none)")
        if rep.tree is None:
            click.echo("reading order: NO STRUCTURE TREE (untagged: a screen reader guesses)")
        else:
            click.echo("reading order (what a screen reader follows):")
            for line in outline(rep.tree, width=None if full else 100):
                click.echo("  " + line)
        if rep.untagged:
            click.echo("untagged content (neither tagged nor an artifact):")
            for u in rep.untagged[:20]:
                click.echo(f"  page {u.page + 1}: {u.kind}" + (f" \"{u.text}\"" if u.text else ""))
            if len(rep.untagged) > 20:
                click.echo(f"  ... and {len(rep.untagged) - 20} more")
        if checks is None:
            problems = basic_problems(rep)
            click.echo("PDF/UA-1 rule checks: not run; they need `pip install leafwright[audit]`")
            for p in problems:
                click.echo(f"  problem: {p}")
            ok = not problems
            click.echo("result:    " + ("no problems found by the basic checks" if ok else
                                        "NOT COMPLIANT (basic checks)") + "\n")
        else:
            click.echo(f"PDF/UA-1 rule checks ({checks.checker}): {checks.rules} rules, "
                       f"{len(checks.failures)} failed")
            for fail in checks.failures:
                click.echo(f"  {fail.rule_id}: {fail.message}")
            ok = checks.compliant
            click.echo("result:    " + ("compliant (PDF/UA-1)" if ok else "NOT COMPLIANT (PDF/UA-1)")
                       + "\n")
        bad += not ok
    sys.exit(EXIT_FAILED if bad else EXIT_OK)


if __name__ == "__main__":  # pragma: no cover
    main()
