"""How an edition sets its pages, as render options: the reading page, and the hooks
another setting (the press sheet in :mod:`leafwright.press`) overrides.

:func:`leafwright.render.render_document` asks its variant's page setup for the
layout bleed, where the trim sits on the media, the media's size, the page callback,
extra document options (page boxes, colour conversion) and warnings after drawing.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .errors import Diagnostic
    from .source import LeafletSource
    from .style import ResolvedStyle

OnPage = Callable[[Any, Any], None]
"""A page callback: ``on_page(canvas, doc_template)``."""


class ReadingPage:
    """A reading PDF's page: the style's page as it is, nothing outside it."""

    bleed: float = 0.0
    """How far (points) full-bleed backgrounds run past the trim."""
    offset: float = 0.0
    """How far (points) the trim sits in from the media's lower-left corner."""

    def media(self, trim: tuple[float, float]) -> tuple[float, float]:
        """The media size for a trimmed page of ``trim`` (width, height in points)."""
        return trim

    def wrap_on_page(self, on_page: OnPage, trim: tuple[float, float]) -> OnPage:
        """The page callback, with whatever this setting draws round the page."""
        return on_page

    def doc_options(
        self, style: ResolvedStyle, trim: tuple[float, float]
    ) -> tuple[dict[str, Any], list[Diagnostic]]:
        """Extra ``BaseDocTemplate`` options (page boxes, colour conversion), and warnings."""
        return {}, []

    def after(self, source: LeafletSource, images: dict[tuple, Path], canv: Any) -> list[Diagnostic]:
        """Warnings found once the pages are drawn (e.g. pictures too coarse for print)."""
        return []
