"""A build's report: every job's result, the counts, and the exit code, decided in one place.

:class:`BuildReport` collects the :class:`~leafwright.batch.JobResult` of every job as it
arrives. The command line asks it for the counts, the findings grouped by rule and the
exit code; ``build --report FILE.json`` writes :meth:`BuildReport.to_json`, whose shape
is the dataclasses below (its JSON Schema, generated from them, ships as
``leafwright/schemas/report.schema.json``). Nothing here prints.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Literal

from . import __version__
from .errors import EXIT_FAILED, EXIT_OK, Diagnostic
from .manifest import Finding, finding_from_diagnostic

REPORT_VERSION = 1
#: the exit code of a build stopped by Ctrl-C (128 + SIGINT, as shells report it)
EXIT_INTERRUPTED = 130


@dataclass
class ReportFile:
    """One file a job wrote (or, for an unchanged job, had written before)."""

    path: str
    """The file's path as the build named it (the output folder joined with its name)."""
    bytes: int
    """Size in bytes."""
    sha256: str
    """SHA-256 of the file (hex)."""
    pages: int
    """Pages (an imposed booklet: sheet sides)."""


@dataclass
class ReportJob:
    """One leaflet in one edition: what happened, how long it took, what it wrote and found."""

    leaflet: str
    """The leaflet file, as the build named it."""
    leaflet_id: str | None
    """The leaflet's id, when it could be read."""
    variant: str
    """The edition: standard, large-print, booklet, print."""
    style: str
    """The style, by name."""
    status: Literal["built", "unchanged", "withdrawn", "failed"]
    """built; unchanged (nothing it depends on changed, so it was not rebuilt); withdrawn (nothing
    built, its files moved to the archive); failed (no file written)."""
    seconds: float
    """Time the job took where it ran (0 when unchanged)."""
    files: list[ReportFile] = field(default_factory=list)
    """The files it wrote (or had written, when unchanged)."""
    findings: list[Finding] = field(default_factory=list)
    """Errors (a failed job) and warnings, located. An unchanged job's are those its build
    recorded, with the review-date rules (LW501-LW503) evaluated again for the build's day."""
    internal_error: str | None = None
    """A bug in leafwright stopped the job: the exception (please report it)."""


@dataclass
class RuleCount:
    """How often one rule (or one kind of error) was found in this build."""

    rule: str | None
    """The rule id, or null for errors that are not a check's (schema, YAML, files)."""
    severity: Literal["error", "warning"]
    """error or warning."""
    count: int
    """Distinct findings (a style's finding shared by many leaflets counts once)."""


@dataclass
class ReportSummary:
    """The counts the build printed at its end."""

    built: int
    """Leaflets built (in at least one edition) with no edition failing."""
    unchanged: int
    """Leaflets whose every edition was unchanged."""
    failed: int
    """Leaflets with at least one failed edition."""
    jobs: int
    """Jobs reported (leaflets times editions; fewer when interrupted)."""
    errors: int
    """Distinct errors."""
    warnings: int
    """Distinct warnings."""
    by_rule: list[RuleCount]
    """Counts per rule and severity, most frequent first."""
    seconds: float
    """Wall time of the whole build."""
    interrupted: bool
    """True when Ctrl-C stopped the build (finished files were kept)."""
    strict: bool
    """True when warnings fail the build (--strict)."""
    exit_code: int
    """The build's exit code: 0 ok, 1 failed (or warnings with --strict), 130 interrupted."""


@dataclass
class ReportData:
    """A build report (``leafwright build --report FILE.json``)."""

    report_version: int
    """The report format's version (this is version 1)."""
    generator: str
    """The program that wrote it, e.g. 'leafwright 0.1.0'."""
    style: str
    """The style the leaflets were built in."""
    variants: list[str]
    """The editions built."""
    out: str
    """The output folder."""
    summary: ReportSummary
    """The counts and the exit code."""
    jobs: list[ReportJob] = field(default_factory=list)
    """Every job, sorted by leaflet then edition."""


def report_json_schema() -> dict:
    """The report's JSON Schema, generated from the dataclasses."""
    from pydantic import ConfigDict, TypeAdapter

    for cls in (Finding, ReportFile, ReportJob, RuleCount, ReportSummary, ReportData):
        cls.__pydantic_config__ = ConfigDict(use_attribute_docstrings=True)  # type: ignore[union-attr]
    schema = TypeAdapter(ReportData).json_schema()
    schema["title"] = "leafwright build report"
    return schema


class BuildReport:
    """Every job's result as it comes in; the counts and the exit code derive from them."""

    def __init__(self, *, strict: bool = False) -> None:
        self.strict = strict
        self.results: list = []  # batch.JobResult, in the order they arrived
        self.interrupted = False
        self.to_build = 0
        self.unchanged_jobs = 0

    def planned(self, to_build: int, unchanged: int) -> None:
        """The plan is known: ``to_build`` jobs will run, ``unchanged`` are skipped."""
        self.to_build, self.unchanged_jobs = to_build, unchanged

    def add(self, result) -> None:
        """One job is done (built, unchanged or failed)."""
        self.results.append(result)

    # --- counts -----------------------------------------------------------------------

    def _leaflet_status(self) -> dict[str, str]:
        """Each leaflet's status over its editions: failed beats built beats unchanged."""
        rank = {"unchanged": 0, "withdrawn": 1, "built": 1, "failed": 2}
        out: dict[str, str] = {}
        for r in self.results:
            now = out.get(r.job.display)
            if now is None or rank[r.status] > rank[now]:
                out[r.job.display] = r.status
        return out

    def count(self, status: str) -> int:
        """Leaflets whose status over all their editions is ``status``."""
        return sum(s == status for s in self._leaflet_status().values())

    @property
    def failed(self) -> list:
        """The failed jobs."""
        return [r for r in self.results if r.status == "failed"]

    def warnings(self) -> list[Diagnostic]:
        """Distinct warnings in the order they came (a style's warning once, not once per leaflet)."""
        return list(dict.fromkeys(w for r in self.results for w in r.warnings))

    def errors(self) -> list[Diagnostic]:
        """Distinct errors of the failed jobs (an error in every edition of a leaflet once)."""
        return list(dict.fromkeys(d for r in self.failed for d in _errors_of(r)))

    def by_rule(self) -> dict[tuple[str | None, str], list[Diagnostic]]:
        """Distinct findings grouped by (rule, severity): errors first, then most frequent."""
        groups: dict[tuple[str | None, str], list[Diagnostic]] = {}
        for d in self.errors() + self.warnings():
            sev = "warning" if d.severity == "warning" else "error"
            groups.setdefault((d.code, sev), []).append(d)
        order = sorted(groups, key=lambda k: (k[1] != "error", -len(groups[k]), k[0] or ""))
        return {k: groups[k] for k in order}

    def leaflets_with(self, rule: str) -> list[str]:
        """Leaflets (each once) with a finding of ``rule``, in the order they came."""
        return list(
            dict.fromkeys(
                r.job.display for r in self.results if any(w.code == rule for w in r.warnings + r.diagnostics)
            )
        )

    @property
    def return_code(self) -> int:
        """0 ok; 1 a leaflet failed, or a warning under --strict; 130 interrupted."""
        if self.interrupted:
            return EXIT_INTERRUPTED
        if self.failed or (self.strict and self.warnings()):
            return EXIT_FAILED
        return EXIT_OK

    # --- the JSON report --------------------------------------------------------------

    def data(self, *, style: str, variants: list[str], out: str, seconds: float) -> ReportData:
        """The report as data (see :class:`ReportData`)."""
        from .batch import style_label

        jobs = []
        for r in sorted(self.results, key=lambda r: (r.job.display, r.job.variant)):
            jobs.append(
                ReportJob(
                    leaflet=r.job.display,
                    leaflet_id=r.leaflet_id,
                    variant=r.job.variant,
                    style=style_label(r.job.style),
                    status=r.status,
                    seconds=round(r.seconds, 4),
                    files=[
                        ReportFile(path, size, digest, pages)
                        for path, (size, digest, pages) in zip(r.outputs, r.output_facts)
                    ],
                    findings=[finding_from_diagnostic(d) for d in _errors_of(r) + list(r.warnings)],
                    internal_error=r.internal_error,
                )
            )
        summary = ReportSummary(
            built=self.count("built"),
            unchanged=self.count("unchanged"),
            failed=self.count("failed"),
            jobs=len(self.results),
            errors=len(self.errors()),
            warnings=len(self.warnings()),
            by_rule=[RuleCount(rule, sev, len(ds)) for (rule, sev), ds in self.by_rule().items()],  # type: ignore[arg-type]
            seconds=round(seconds, 3),
            interrupted=self.interrupted,
            strict=self.strict,
            exit_code=self.return_code,
        )
        return ReportData(REPORT_VERSION, f"leafwright {__version__}", style, variants, out, summary, jobs)

    def to_json(self, **kw) -> str:
        """The report as JSON text (keyword arguments as :meth:`data`)."""
        import json

        return json.dumps(asdict(self.data(**kw)), indent=2, ensure_ascii=False) + "\n"


def _errors_of(r) -> list[Diagnostic]:
    """A job's errors; an internal error becomes one, so nothing goes unreported."""
    if r.internal_error and not r.diagnostics:
        trace = getattr(r, "internal_traceback", None)
        return [
            Diagnostic(
                f"internal error: {r.internal_error}",
                file=r.job.display,
                hint="this is a bug in leafwright; please report it with the leaflet"
                + (f" and this traceback:\n{trace.rstrip()}" if trace else ""),
            )
        ]
    return list(r.diagnostics)
