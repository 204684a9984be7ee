"""The JSON Schemas leafwright publishes: leaflet, style, manifest and build report.

Each is generated from the classes that define the format (never written by hand)
and shipped as a file, ``leafwright/schemas/NAME.schema.json``, with a stable
``$id`` (:data:`SCHEMA_BASE` + ``NAME.schema.json``) that editors and CI tools can
point at; ``leafwright new`` writes a ``# yaml-language-server: $schema=`` line
naming the leaflet schema's ``$id``. The ``$id`` changes only with an incompatible
format (``/1/`` is the first).

After changing a format, regenerate the shipped files with
``python -m leafwright.jsonschemas`` (a test fails until they match).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

#: where the schemas are published; the files under it are the ones shipped in the package
SCHEMA_BASE = "https://leafwright.org/schemas/1/"
DRAFT = "https://json-schema.org/draft/2020-12/schema"


def _leaflet() -> dict:
    from .model import leaflet_json_schema

    return leaflet_json_schema()


def _style() -> dict:
    from .style import style_json_schema

    return style_json_schema()


def _manifest() -> dict:
    from .manifest import manifest_json_schema

    return manifest_json_schema()


def _report() -> dict:
    from .report import report_json_schema

    return report_json_schema()


#: every published schema by name, in the order `leafwright schema` lists them
SCHEMAS: dict[str, Callable[[], dict]] = {
    "leaflet": _leaflet,
    "style": _style,
    "manifest": _manifest,
    "report": _report,
}

_TITLES = {
    "leaflet": "leafwright leaflet",
    "style": "leafwright style",
    "manifest": "leafwright build manifest",
    "report": "leafwright build report",
}


def schema_id(name: str) -> str:
    """The stable ``$id`` of a schema, e.g. ``https://leafwright.org/schemas/1/leaflet.schema.json``."""
    return f"{SCHEMA_BASE}{name}.schema.json"


def json_schema(name: str) -> dict:
    """The schema called ``name`` (leaflet, style, manifest, report), with its ``$id``."""
    data = SCHEMAS[name]()
    data["$schema"] = DRAFT
    data["$id"] = schema_id(name)
    data.setdefault("title", _TITLES[name])
    return data


def dumps(data: dict) -> str:
    """A schema's text as shipped and printed: sorted keys, two-space indents."""
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def shipped_path(name: str) -> Path:
    """The shipped file of a schema inside the installed package."""
    return Path(__file__).resolve().parent / "schemas" / f"{name}.schema.json"


def write_all() -> list[Path]:
    """Regenerate every shipped schema file (after a format changed)."""
    out = []
    for name in SCHEMAS:
        path = shipped_path(name)
        path.write_text(dumps(json_schema(name)), encoding="utf-8")
        out.append(path)
    return out


if __name__ == "__main__":  # pragma: no cover - a maintainer's command
    for p in write_all():
        print(f"wrote {p}")
