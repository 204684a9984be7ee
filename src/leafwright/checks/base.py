"""What every check family gets: the leaflet, the style, the settings, and a way to report."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any

from ..blocks import block_texts
from ..errors import Diagnostic
from ..load import PathKey
from ..model import Leaflet, walk_section_paths
from .config import CheckConfig
from .rules import RULES

_STYLES: dict[tuple, tuple[Any, Any]] = {}


def style_key(style: Any) -> tuple:
    """What style-level results are worked out from: the resolved style (by identity: one
    object per style and variant in a process) and the function making its paragraph
    styles (a test that replaces it gets results of its own)."""
    from .. import layout

    return (id(style), layout.make_styles)


@dataclass
class Context:
    """One leaflet in one resolved style, checked on one day."""

    source: Any  # render.LeafletSource
    style: Any  # style.ResolvedStyle
    config: CheckConfig
    today: _dt.date
    found: list[Diagnostic] = field(default_factory=list)

    @property
    def leaflet(self) -> Leaflet:
        return self.source.leaflet

    @cached_property
    def styles(self) -> Any:
        """The paragraph styles layout would use (sizes, fonts, colours): made once per style."""
        from .. import layout

        key = style_key(self.style)
        hit = _STYLES.get(key)
        if hit is None or hit[0] is not self.style:  # (the style is kept: its id is not reused)
            if len(_STYLES) >= 64:
                del _STYLES[next(iter(_STYLES))]
            hit = _STYLES[key] = (self.style, layout.make_styles(self.style))
        return hit[1]

    @property
    def frame_width(self) -> float:
        """The text column's width in points."""
        return self.style.frame_width

    def report(self, rule: str, path: PathKey, message: str, hint: str | None = None) -> None:
        """A finding located in the leaflet file at ``path``."""
        self.found.append(leaflet_diagnostic(self.source, rule, path, message, hint))

    def report_style(self, rule: str, key: PathKey, message: str, hint: str | None = None) -> None:
        """A finding located in the style file that sets ``key`` (e.g. ('colours', 'muted'))."""
        self.found.append(style_diagnostic(self.style, rule, key, message, hint))


def _with_code(d: Diagnostic, rule: str) -> Diagnostic:
    return replace(d, code=rule)


def leaflet_diagnostic(
    source: Any, rule: str, path: PathKey, message: str, hint: str | None = None
) -> Diagnostic:
    """A diagnostic at ``path`` in the leaflet's file (the file alone when it has no positions)."""
    sev = RULES[rule].severity
    if source.doc is not None:
        d = source.doc.diagnostic(path, message, hint=hint, severity=sev)
    else:
        d = Diagnostic(message, file=source.file, hint=hint, severity=sev)
    return _with_code(d, rule)


def style_diagnostic(
    style: Any, rule: str, key: PathKey, message: str, hint: str | None = None
) -> Diagnostic:
    """A diagnostic at the line of the style file (child first, then its parents) that sets ``key``."""
    from ..style import setting_diagnostic

    d = setting_diagnostic(style, key, message, hint=hint, severity=RULES[rule].severity)
    return _with_code(d, rule)


def prose(leaflet: Leaflet) -> Iterator[tuple[PathKey, str]]:
    """Every piece of text a reader reads in the body of the leaflet, with its YAML path."""
    if leaflet.key_points:
        if leaflet.key_points.title:
            yield ("key_points", "title"), leaflet.key_points.title
        for i, item in enumerate(leaflet.key_points.items):
            yield ("key_points", "items", i), item
    for sec, path, _level in walk_section_paths(leaflet.sections):
        yield path + ("heading",), sec.heading
        for j, block in enumerate(sec.blocks):
            yield from block_texts(block, path + ("blocks", j))
    for key in ("acknowledgements", "disclaimer", "feedback", "other_formats"):
        value = getattr(leaflet, key)
        if value:
            yield (key,), value
    for i, ref in enumerate(leaflet.references):
        yield ("references", i), ref
