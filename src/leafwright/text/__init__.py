"""leafwright's own paragraph path: inline text to lines, pure (no ReportLab flowables).

    spans (inline.parse_inline) -> itemise (font per character with script fonts and
    fallbacks, bold/italic faces, links and language runs, bidi embedding levels) ->
    measure (simple scripts: cached word widths; complex scripts and right to left:
    HarfBuzz) -> break lines greedily in logical order -> reorder each line for display

:func:`lay_out` gives the lines of one paragraph for a :class:`TextStyle` and the
widths of its first and later lines; results are kept in a bounded cache keyed by
the content (text, style, widths), so a leaflet edited in a warm process (``watch``)
only lays out the paragraphs that changed. ``layout/flowables.py`` draws the lines.
"""

from __future__ import annotations

from .lines import Line, Piece, TextStyle, clear_cache, lay_out, longest_word, wrapped_texts
from .shape import glyph_codes

__all__ = [
    "Line",
    "Piece",
    "TextStyle",
    "clear_cache",
    "glyph_codes",
    "lay_out",
    "longest_word",
    "wrapped_texts",
]
