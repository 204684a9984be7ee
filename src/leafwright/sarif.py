"""Findings as SARIF 2.1.0 (``leafwright check --format sarif``), so code hosts show them inline.

GitHub code scanning, GitLab and Azure DevOps read SARIF and annotate the YAML line a
finding points at. One ``run`` whose tool lists every rule (id, summary, source of the
guidance, default level); one ``result`` per finding, located by file, line and column
relative to the folder the check ran in (the repository's root in CI). A finding that is not a
check's (a schema or YAML error) has no rule id.

Reference: OASIS SARIF v2.1.0 (https://docs.oasis-open.org/sarif/sarif/v2.1.0/).
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from . import __version__

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def _uri(file: str) -> str:
    """A file as a SARIF artifact URI: relative (forward slashes) when it is under the cwd."""
    p = Path(file)
    if p.is_absolute():
        try:
            return PurePosixPath(p.resolve().relative_to(Path.cwd()).as_posix()).as_posix()
        except ValueError:
            return p.as_uri()
    return p.as_posix()


def to_sarif(findings) -> dict:
    """A SARIF log of ``findings`` (:class:`~leafwright.errors.Diagnostic` objects)."""
    from .checks import RULES

    rule_ids = list(RULES)
    rules = [
        {
            "id": r.id,
            "name": r.id,
            "shortDescription": {"text": r.summary},
            "fullDescription": {"text": f"{r.summary} ({r.guidance})"},
            "defaultConfiguration": {"level": "error" if r.severity == "error" else "warning"},
            "properties": {"family": r.family},
        }
        for r in RULES.values()
    ]
    results = []
    for d in findings:
        result: dict = {
            "level": "error" if d.severity == "error" else "warning",
            "message": {"text": d.message + (f" (hint: {d.hint})" if d.hint else "")},
        }
        if d.code in RULES:
            result["ruleId"] = d.code
            result["ruleIndex"] = rule_ids.index(d.code)
        if d.file:
            region = {}
            if d.line is not None:
                region["startLine"] = d.line
                if d.column is not None:
                    region["startColumn"] = d.column
            location: dict = {"physicalLocation": {"artifactLocation": {"uri": _uri(d.file)}}}
            if region:
                location["physicalLocation"]["region"] = region
            if d.path:
                location["logicalLocations"] = [{"fullyQualifiedName": d.path, "kind": "member"}]
            result["locations"] = [location]
        results.append(result)
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "leafwright",
                        "version": __version__,
                        "rules": rules,
                    }
                },
                "results": results,
            }
        ],
    }
