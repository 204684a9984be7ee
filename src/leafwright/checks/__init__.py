"""Checks run before anything is printed: contrast, clear print, images, structure,
governance and readability, each rule with a stable id (see :mod:`.rules` and docs/checks.md).

``check_source(source, style, config)`` is pure: it reads the leaflet, the
resolved style (and the image files, to measure them) and returns
:class:`~leafwright.errors.Diagnostic` findings, each with its rule id in
``code`` and located at ``file:line:col`` in the leaflet or the style file.
``check_library(sources)`` runs the checks that need every leaflet at once.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import replace

from ..errors import Diagnostic
from . import clearprint, contrast, governance, images, readability, structure
from .base import Context
from .config import CheckConfig, load_config
from .rules import BUILD_WARNINGS, DRAFT_WARNING_FAMILY, RULES, Rule

__all__ = ["RULES", "CheckConfig", "Rule", "check_library", "check_source", "load_config", "split_findings"]

#: The families in the order their findings are listed.
FAMILIES = (
    contrast.check,
    clearprint.check_style,
    clearprint.check_text,
    images.check,
    structure.check,
    governance.check,
    readability.check,
)


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
    from ..clock import today as _today

    ctx = Context(source, style, config, today or _today())
    for family in FAMILIES:
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
        if for_build and d.code in BUILD_WARNINGS and d.severity == "error":
            d = replace(d, severity="warning")
        elif drafting and d.severity == "error" and _family(d.code) == DRAFT_WARNING_FAMILY:
            d = replace(d, severity="warning", message=d.message + " (a draft: needed before approval)")
        out.append(d)
    return out


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
