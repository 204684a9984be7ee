"""Checks run before anything is printed: contrast, clear print, images, structure,
governance, readability and language, each rule with a stable id (see :mod:`.rules` and docs/checks.md).

``check_source(source, style, config)`` is pure: it reads the leaflet, the
resolved style (and the image files, to measure them) and returns
:class:`~leafwright.errors.Diagnostic` findings, each with its rule id in
``code`` and located at ``file:line:col`` in the leaflet or the style file.
``check_library(sources)`` runs the checks that need every leaflet at once.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import replace

from ..clock import today as current_date
from ..errors import Diagnostic
from . import clearprint, contrast, governance, images, language, readability, structure
from .base import Context, style_key
from .config import CheckConfig, load_config
from .governance import DATE_RULES, review_findings
from .rules import BUILD_WARNINGS, DRAFT_WARNING_FAMILY, RULES, Rule

__all__ = [
    "DATE_RULES",
    "RULES",
    "CheckConfig",
    "Rule",
    "check_library",
    "check_source",
    "current_date",
    "dated_findings",
    "leaflet_ignores",
    "load_config",
    "review_anchor",
    "split_findings",
]


def leaflet_ignores(source) -> set[str]:
    """The rules a leaflet excuses itself from (``checks: ignore:``), known ids only."""
    checks = source.leaflet.checks
    return {e.rule for e in checks.ignore if e.rule in RULES} if checks is not None else set()


def review_anchor(source) -> Diagnostic:
    """Where a leaflet's ``review_by`` is: the place its date findings (LW501-LW503) point at."""
    from .base import leaflet_diagnostic

    return leaflet_diagnostic(source, "LW501", ("review_by",), "")


def dated_findings(
    anchor: Diagnostic,
    published: _dt.date | None,
    review_by: _dt.date,
    config: CheckConfig,
    today: _dt.date,
    *,
    rules=DATE_RULES,
    for_build: bool = True,
    draft: bool = False,
) -> list[Diagnostic]:
    """LW501-LW503 for a leaflet that is not loaded again (an unchanged job of a build).

    The same findings :func:`check_source` gives on ``today``, placed at ``anchor``;
    ``rules`` are the date rules the leaflet itself does not ignore (the project's
    ignores come from ``config``); ``draft`` when the job was built as a draft.
    """
    out = []
    for rule, message, hint in review_findings(published, review_by, config, today):
        if rule not in rules or rule in config.ignore:
            continue
        d = replace(anchor, message=message, hint=hint, severity=RULES[rule].severity, code=rule)
        out.append(_softened(d, for_build=for_build, draft=draft))
    return out


#: The families in the order their findings are listed.
FAMILIES = (
    contrast.check,
    clearprint.check_style,
    clearprint.check_text,
    images.check,
    structure.check,
    governance.check,
    readability.check,
    language.check,
    language.check_numbers,
)


#: The families whose findings depend on the style alone (they point into the style file):
#: run once per resolved style in a process, and the same findings given for every leaflet.
STYLE_FAMILIES = (contrast.check, clearprint.check_style)

_BY_STYLE: dict[tuple, tuple[object, list[Diagnostic]]] = {}


def _style_findings(ctx: Context) -> list[Diagnostic]:
    """The :data:`STYLE_FAMILIES`' findings for ``ctx.style``, worked out once per style."""
    key = style_key(ctx.style)
    hit = _BY_STYLE.get(key)
    if hit is None or hit[0] is not ctx.style:  # (the style is kept, so its id is not reused)
        sub = Context(ctx.source, ctx.style, ctx.config, ctx.today)
        for family in STYLE_FAMILIES:
            family(sub)
        if len(_BY_STYLE) >= 64:
            del _BY_STYLE[next(iter(_BY_STYLE))]
        hit = _BY_STYLE[key] = (ctx.style, list(sub.found))
    return hit[1]


def check_source(
    source,
    style,
    config: CheckConfig | None = None,
    *,
    today: _dt.date | None = None,
    for_build: bool = False,
    draft: bool = False,
) -> list[Diagnostic]:
    """Every finding for one leaflet in one resolved style, family by family (see FAMILIES).

    Style findings point into the style file, the rest into the leaflet; callers that
    list them by place sort them (``leafwright check`` does).

    ``today`` is injectable so review-date tests are stable. ``for_build``
    turns the rules in :data:`~.rules.BUILD_WARNINGS` (a past review date) into
    warnings: the PDF is still made. Rules ignored by the project or by the
    leaflet (with a reason) are dropped; an ignore naming no rule is LW001.

    A draft (``status: draft`` in the leaflet, or ``draft=True`` for ``build --draft``)
    has its governance errors as warnings: what is missing is said, the PDF is still
    made (marked DRAFT), and ``leafwright check`` still calls it out.
    """
    config = config or CheckConfig()
    ctx = Context(source, style, config, today or current_date())
    ctx.found.extend(_style_findings(ctx))
    for family in FAMILIES:
        if family not in STYLE_FAMILIES:
            family(ctx)
    ignored = set(config.ignore)
    checks = source.leaflet.checks
    if checks is not None:
        for i, entry in enumerate(checks.ignore):
            if entry.rule in RULES:
                ignored.add(entry.rule)
            else:
                ctx.report(
                    "LW001",
                    ("checks", "ignore", i, "rule"),
                    f"unknown rule '{entry.rule}' in the ignore list",
                    "see docs/checks.md for the rule ids",
                )
    drafting = draft or getattr(source.leaflet, "status", None) == "draft"
    out = []
    for d in ctx.found:
        if d.code in ignored and d.code != "LW001":
            continue
        out.append(_softened(d, for_build=for_build, draft=drafting))
    return out


def _softened(d: Diagnostic, *, for_build: bool, draft: bool) -> Diagnostic:
    """An error that does not stop this leaflet, as the warning it becomes.

    A draft's governance errors say what is missing before approval (in check and build
    alike, so both give the same finding); a build makes a past review date a warning.
    """
    if d.severity != "error":
        return d
    if draft and _family(d.code) == DRAFT_WARNING_FAMILY:
        return replace(d, severity="warning", message=d.message + " (a draft: needed before approval)")
    if for_build and d.code in BUILD_WARNINGS:
        return replace(d, severity="warning")
    return d


def _family(code: str | None) -> str | None:
    rule = RULES.get(code or "")
    return rule.family if rule else None


def check_library(sources: list, config: CheckConfig | None = None) -> list[Diagnostic]:
    """Checks across leaflets: LW403, two leaflets with the same id."""
    config = config or CheckConfig()
    if "LW403" in config.ignore:
        return []
    return structure.duplicate_ids(sources)


def split_findings(found: list[Diagnostic]) -> tuple[list[Diagnostic], list[Diagnostic]]:
    """(errors, warnings)."""
    errors = [d for d in found if d.severity == "error"]
    return errors, [d for d in found if d.severity != "error"]
