"""The batch runner: every (leaflet, style, variant) is one job.

``run_job(job)`` is a plain function of picklable arguments returning a
picklable :class:`JobResult`, so the same job can run in this process or in a
worker of any ``concurrent.futures.Executor``. ``run_batch`` runs jobs and
reports each as it finishes; one failing job never stops the others.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from .errors import Diagnostic, LeafwrightError


@dataclass(frozen=True)
class Job:
    """One leaflet built in one style and variant into one folder."""

    leaflet: str  # path to the leaflet file
    display: str  # the name shown to the user
    style: str = "default"
    variant: str = "standard"
    out_dir: str = "out"


@dataclass
class JobResult:
    """What happened to a job: the files written, or the errors that stopped it."""

    job: Job
    ok: bool
    leaflet_id: str | None = None
    outputs: list[str] = field(default_factory=list)
    pages: int = 0
    diagnostics: list[Diagnostic] = field(default_factory=list)
    warnings: list[Diagnostic] = field(default_factory=list)
    internal_error: str | None = None


def output_name(leaflet_id: str, variant: str) -> str:
    """The (first) output file name for a leaflet id and variant; see variants.output_names."""
    from .variants import output_names

    return output_names(leaflet_id, variant)[0]


def run_job(job: Job) -> JobResult:
    """Load, check, render and atomically write one job. Never raises for a user's error.

    Check errors stop the job (no PDF); check warnings are in ``result.warnings``, with
    the edition's own (colours converted for print, low-resolution images).
    """
    from .checks import check_source, load_config, split_findings
    from .render import load_leaflet
    from .style import resolve_style
    from .variants import build_variant
    from .write import write_atomic

    result = JobResult(job, ok=False)
    try:
        source = load_leaflet(job.leaflet, display=job.display)
        result.leaflet_id = source.leaflet.id
        style = resolve_style(job.style, variant=job.variant)
        # the checks first: an error stops this leaflet; warnings travel with the result
        errors, result.warnings = split_findings(
            check_source(source, style, load_config(), for_build=True))
        if errors:
            result.diagnostics = errors
            return result
        built = build_variant(source, style, job.variant)
        # one warning per place: the checks may already have flagged a spot (an image's dpi)
        flagged = {(w.file, w.line, w.column) for w in result.warnings if w.line is not None}
        result.warnings = list(result.warnings) + [
            w for w in built.warnings if (w.file, w.line, w.column) not in flagged]
        for name, pdf in built.files:  # all rendered before the first is written
            result.outputs.append(str(write_atomic(Path(job.out_dir) / name, pdf)))
        result.pages = built.pages
        result.ok = True
    except LeafwrightError as exc:
        result.diagnostics = list(exc.diagnostics)
    except Exception as exc:  # a bug in leafwright, not the user's input
        result.internal_error = f"{type(exc).__name__}: {exc}"
    return result


def find_duplicate_ids(jobs: Iterable[Job]) -> dict[str, list[str]]:
    """Leaflet ids used by more than one file (they would overwrite each other's output)."""
    import yaml

    seen: dict[str, list[str]] = {}
    for job in jobs:
        try:
            with open(job.leaflet, encoding="utf-8") as fh:
                for line in fh:
                    if line.startswith("id:"):
                        lid = yaml.safe_load(line[3:]) if line[3:].strip() else None
                        if isinstance(lid, str):
                            files = seen.setdefault(lid, [])
                            if job.display not in files:
                                files.append(job.display)
                        break
        except (OSError, UnicodeDecodeError, yaml.YAMLError):
            continue
    return {k: v for k, v in seen.items() if len(v) > 1}


def run_batch(jobs: list[Job], on_result: Callable[[JobResult], None] | None = None) -> list[JobResult]:
    """Run jobs in order in this process, reporting each result as it finishes."""
    dupes = find_duplicate_ids(jobs)
    results = []
    for job in jobs:
        clash = next((files for files in dupes.values() if job.display in files[1:]), None)
        if clash is not None:
            lid = next(k for k, v in dupes.items() if v is clash)
            r = JobResult(job, ok=False, leaflet_id=lid, diagnostics=[Diagnostic(
                f"duplicate leaflet id '{lid}' (already used by {clash[0]})", file=job.display,
                hint="give each leaflet its own id: it names the output file")])
        else:
            r = run_job(job)
        results.append(r)
        if on_result is not None:
            on_result(r)
    return results
