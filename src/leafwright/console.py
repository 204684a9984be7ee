"""What the commands print: finding lines, job lines, the end-of-build summary, progress.

Everything a person reads on the terminal is formatted here, from a
:class:`~leafwright.report.BuildReport` and the results in it; the click commands only
decide what to show. At scale the summary stays short: findings are counted per rule
with a few examples each, and the full list is in ``--report FILE.json``.

Other parts of leafwright may add a few lines to the end of the build summary with
:func:`summary_section` (the overdue-review list is one).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import click

from .errors import Diagnostic
from .errors import display_path as _display

#: examples shown per rule in the summary; the rest are counted
EXAMPLES = 3
#: failed leaflets whose errors are printed in full; the rest are counted (errors matter
#: more than warnings: a whole folder of broken leaflets is still listed, a library is not)
FAILED_SHOWN = 50


def plural(n: int, word: str) -> str:
    """``1 warning``, ``2 warnings``."""
    return f"{n} {word}" + ("" if n == 1 else "s")


def finding_line(d: Diagnostic, *, hint: bool = True) -> str:
    """``path:line:col: LW123 message`` (``warning:`` before the message when it is one)."""
    head = d.location() + ": " + (d.code + " " if d.code else "")
    if d.severity != "error":
        head += "warning: "
    out = head + d.message
    if hint and d.hint:
        out += "\n    hint: " + d.hint
    return out


def output_pages(output: str, pages: int) -> str:
    """'9 pages' for a reading PDF; an imposed booklet counts its sheet sides."""
    from .variants import output_of

    out = output_of(output)
    return plural(pages, out.page_unit if out is not None else "page")


def job_lines(r) -> list[str]:
    """One line per file a job wrote (``built   out/x.pdf  (8 pages)``), or ``failed  FILE``."""
    if r.status == "failed":
        return [f"failed  {r.job.display} ({r.job.variant})"]
    label = ("draft  " if r.draft else "built  ") if r.status == "built" else "unchanged"
    return [
        f"{label} {_display(Path(o))}  ({output_pages(o, pages)})"
        for o, (_size, _digest, pages) in zip(r.outputs, r.output_facts)
    ]


def failure_lines(report) -> list[str]:
    """Every failed leaflet's errors, each error once however many editions it failed."""
    by_leaflet: dict[str, list[Diagnostic]] = {}
    variants: dict[str, list[str]] = {}
    from .report import _errors_of

    for r in report.failed:
        errs = by_leaflet.setdefault(r.job.display, [])
        variants.setdefault(r.job.display, []).append(r.job.variant)
        for d in _errors_of(r):
            if d not in errs:
                errs.append(d)
    if not by_leaflet:
        return []
    out = ["", "failed:"]
    for name in list(by_leaflet)[:FAILED_SHOWN]:
        for d in by_leaflet[name]:
            out.append(d.format())
    rest = len(by_leaflet) - FAILED_SHOWN
    if rest > 0:
        out.append(
            f"... and {plural(rest, 'more failed leaflet')}: every error is in --report FILE.json "
            "(or run leafwright validate / check on them)"
        )
    return out


def rule_summary(report, *, examples: int = EXAMPLES, report_file: str | None = None) -> list[str]:
    """Warnings counted per rule, with the first few of each; never a wall of text.

    Errors are not repeated here: :func:`failure_lines` prints them in full.
    """
    from .checks import RULES

    groups = {k: v for k, v in report.by_rule().items() if k[1] == "warning"}
    if not groups:
        return []
    total = sum(len(v) for v in groups.values())
    out = ["", f"{plural(total, 'warning')} by rule:"]
    hidden = 0
    for (rule, _sev), found in groups.items():
        about = RULES[rule].summary if rule in RULES else "other warnings"
        out.append(f"  {rule or '-':6} {len(found):5}  {about}")
        for d in found[:examples]:
            out.append("      " + finding_line(d, hint=False))
        if len(found) > examples:
            hidden += len(found) - examples
            out.append(f"      ... and {len(found) - examples} more")
    if hidden:
        where = report_file or "--report FILE.json"
        out.append(f"every warning, with its fix: {where} (or leafwright check; rules: docs/checks.md)")
    else:
        out.append("run 'leafwright check' for each warning's fix (rules: docs/checks.md)")
    return out


def summary_line(report, *, seconds: float, style: str, variants: list[str], manifest: str) -> str:
    """``12 built, 1 failed, 3 warnings in 4.2s (988 unchanged; style: …; manifest: …)``."""
    strict = " (--strict: warnings fail the build)" if report.strict and report.warnings() else ""
    return (
        f"{report.count('built')} built, {report.count('failed')} failed, "
        f"{plural(len(report.warnings()), 'warning')}{strict} in {seconds:.1f}s "
        f"({report.count('unchanged')} unchanged; style: {style}, {','.join(variants)}; "
        f"manifest: {manifest})"
    )


# --- extra sections of the summary ----------------------------------------------------

SummarySection = Callable[[object], list[str]]
_SECTIONS: list[SummarySection] = []


def summary_section(fn: SummarySection) -> SummarySection:
    """Register a function (report -> lines) whose lines close the build summary, in order.

    Keep them short: a count and a list of names, never one line per finding.
    """
    _SECTIONS.append(fn)
    return fn


def summary_sections(report) -> Iterator[str]:
    """The lines of every registered section."""
    for fn in _SECTIONS:
        yield from fn(report)


@summary_section
def _overdue(report) -> list[str]:
    """Leaflets past their review date (LW501), each once, most overdue first (a short list)."""
    import datetime as _dt

    from .clock import today
    from .review import overdue_summary

    now = today()
    overdue = []
    for r in report.results:
        if any(w.code == "LW501" for w in r.warnings) and r.meta.get("review_by"):
            days = (now - _dt.date.fromisoformat(r.meta["review_by"])).days
            overdue.append((r.job.display, r.meta["review_by"], days))
    return overdue_summary(overdue)


def archive_line(r, out_dir: str) -> str:
    """'withdrawn x.yaml (files kept in out/archive/x/1.0)', or 'archived' for a superseded version."""
    where = ", ".join(_display(Path(out_dir) / f) for f in r.archived.values())
    if r.withdrawn:
        kept = f"files kept in {where}" if where else "no files of it in the output folder"
        return f"withdrawn {r.job.display}  ({kept})"
    return f"archived {r.job.display} version {', '.join(r.archived)}  (in {where})"


# --- progress ---------------------------------------------------------------------------


class Progress:
    """click's progress bar for the jobs being built, on a terminal only; the last leaflet shown."""

    def __init__(self, stream) -> None:
        self.stream = stream
        self.bar: Any = None  # click's ProgressBar while one is shown
        self.last = ""

    def begin(self, total: int) -> None:
        """Start counting ``total`` jobs."""
        if total:
            self.bar = click.progressbar(
                length=total,
                file=self.stream,
                show_pos=True,
                show_eta=True,
                item_show_func=lambda _item: self.last,
                width=24,
            )
            self.bar.__enter__()

    def step(self, name: str) -> None:
        """One more job finished."""
        if self.bar is not None:
            self.last = name
            self.bar.update(1, name)

    def clear(self) -> None:
        """Remove the bar (before the summary)."""
        if self.bar is not None:
            self.bar.render_finish()
            self.bar.finished = True
            self.bar = None
