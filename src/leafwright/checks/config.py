"""Project settings for the checks: ``leafwright.yaml``, or ``[tool.leafwright]`` in pyproject.toml.

Both are looked for in the current folder (the project's root, where
``leafwright build`` runs); ``leafwright.yaml`` wins when both exist. Unknown
keys are refused with a did-you-mean, like leaflets and styles.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import field_validator

from ..errors import EXIT_USAGE, LeafwrightError, SchemaError
from ..i18n.overrides import LabelOverrides
from ..load import Document, load_file
from ..model import Model, validate_model


class CheckSettings(Model):
    """Settings for `leafwright check` and the checks `leafwright build` runs first."""

    smog_target: float = 9
    """Warn when a leaflet's (or section's) SMOG grade is above this (9 is a reading age of about 14)."""
    review_warning_days: int = 90
    """Warn when the review date is this many days away or fewer."""
    max_review_years: float = 3
    """Warn when review_by is more than this many years after published."""
    ignore: list[str] = []
    """Rule ids to skip for every leaflet, e.g. [LW602]."""

    @field_validator("ignore")
    @classmethod
    def _ids(cls, v: list[str]) -> list[str]:
        from .rules import RULES

        for rule in v:
            if rule not in RULES:
                raise ValueError(f"unknown rule '{rule}' (see docs/checks.md)")
        return v


class CheckConfig(CheckSettings):
    """The project's settings as the checks and the build use them: the check settings,
    and the project's label overrides (``labels:`` beside ``checks:`` in the file)."""

    labels: LabelOverrides = {}
    """The project's labels, over the style's and the catalogue's (see ProjectConfig)."""


class ProjectConfig(Model):
    """The project file: settings that apply to every leaflet."""

    checks: CheckSettings = CheckSettings()
    """Settings for the checks."""
    labels: LabelOverrides = {}
    """The fixed labels ('Contact', 'Sources', 'Page 1 of 9'...) in your words, for every leaflet:
    {contact: ...} for every language, {cy: {contact: ...}} for one. They win over a style's
    labels and the shipped catalogue."""


def _project_checks(doc: Document) -> CheckConfig:
    """The check settings in a loaded project file; a mistake in them is a usage error."""
    try:
        project = validate_model(doc, ProjectConfig, "project settings")
    except SchemaError as exc:
        raise SchemaError(exc.diagnostics, exit_code=EXIT_USAGE) from None
    return CheckConfig(**project.checks.model_dump(), labels=project.labels)


def load_config(folder: str | Path | None = None) -> CheckConfig:
    """The check settings of the project in ``folder`` (default: the current folder)."""
    root = Path(folder) if folder is not None else Path.cwd()
    yml = root / "leafwright.yaml"
    if yml.is_file():
        doc = load_file(yml, display=str(yml.name) if folder is None else str(yml))
        if doc.data is None:
            return CheckConfig()
        return _project_checks(doc)
    pyproject = root / "pyproject.toml"
    if pyproject.is_file():
        import tomllib

        try:
            data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise LeafwrightError.single(
                f"pyproject.toml cannot be read: {exc}", file=pyproject, exit_code=EXIT_USAGE
            ) from None
        tool = data.get("tool", {}).get("leafwright")
        if tool is None:
            return CheckConfig()
        doc = Document(data=tool, file=f"{pyproject.name} [tool.leafwright]", lines=[])
        return _project_checks(doc)
    return CheckConfig()
