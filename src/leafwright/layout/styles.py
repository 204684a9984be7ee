"""The paragraph styles one resolved style gives: clear print, left-aligned, no hyphenation."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from reportlab.lib.colors import HexColor
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.styles import ParagraphStyle

from ..style import ResolvedStyle


@dataclass
class Styles:
    """The paragraph styles one resolved style gives."""

    body: ParagraphStyle
    h1: ParagraphStyle
    subtitle: ParagraphStyle
    h2: ParagraphStyle
    h3: ParagraphStyle
    h4: ParagraphStyle
    h5: ParagraphStyle
    h6: ParagraphStyle
    question: ParagraphStyle
    item: ParagraphStyle
    cell: ParagraphStyle
    head_cell: ParagraphStyle
    head_cell_stacked: ParagraphStyle  # a heading beside its value in a stacked table
    caption: ParagraphStyle
    notice: ParagraphStyle
    footer: ParagraphStyle
    box_heading: ParagraphStyle


def make_styles(st: ResolvedStyle) -> Styles:
    """Paragraph styles for a resolved style: clear print, left-aligned, no hyphenation."""
    t = st.type
    c = st.colours
    f = st.fonts
    lead = t.leading

    def ps(name: str, size: float, font: str, colour: str, **kw: Any) -> ParagraphStyle:
        return ParagraphStyle(
            name,
            fontName=font,
            fontSize=size,
            leading=round(size * kw.pop("lead", lead), 2),
            textColor=HexColor(colour),
            alignment=TA_LEFT,
            hyphenationLang=None,
            embeddedHyphenation=0,
            uriWasteReduce=0,
            splitLongWords=1,
            allowWidows=0,
            allowOrphans=0,
            **kw,
        )

    body = ps("body", t.body, f.regular, c.text, spaceAfter=t.body * 0.6)
    return Styles(
        body=body,
        h1=ps("h1", t.h1, f.bold, c.band_text if st.spec.title_band else c.primary, lead=1.15),
        subtitle=ps(
            "subtitle", max(t.h3, t.body), f.regular, c.band_text if st.spec.title_band else c.text, lead=1.25
        ),
        h2=ps(
            "h2",
            t.h2,
            f.bold,
            c.primary,
            lead=1.2,
            spaceBefore=t.h2 * 0.9,
            spaceAfter=t.h2 * 0.35,
            keepWithNext=1,
        ),
        h3=ps(
            "h3",
            t.h3,
            f.bold,
            c.primary,
            lead=1.25,
            spaceBefore=t.h3 * 0.7,
            spaceAfter=t.h3 * 0.3,
            keepWithNext=1,
        ),
        # H4-H6 step down by size, then colour (clear print: never below the body size, no
        # italics or capitals): H4 between H3 and the body, in the brand colour; H5 body size
        # in the brand colour; H6 body size in the text colour
        h4=ps(
            "h4",
            max(t.body + 1, round((t.h3 + t.body) / 2, 1)),
            f.bold,
            c.primary,
            lead=1.25,
            spaceBefore=t.body * 0.7,
            spaceAfter=t.body * 0.25,
            keepWithNext=1,
        ),
        h5=ps(
            "h5",
            t.body,
            f.bold,
            c.primary,
            lead=1.25,
            spaceBefore=t.body * 0.6,
            spaceAfter=t.body * 0.2,
            keepWithNext=1,
        ),
        h6=ps(
            "h6",
            t.body,
            f.bold,
            c.text,
            lead=1.25,
            spaceBefore=t.body * 0.6,
            spaceAfter=t.body * 0.2,
            keepWithNext=1,
        ),
        question=ps(
            "question",
            max(t.body, t.h3 * 0.92),
            f.bold,
            c.primary,
            lead=1.25,
            spaceBefore=t.body * 0.7,
            spaceAfter=t.body * 0.2,
            keepWithNext=1,
        ),
        item=ps(
            "item",
            t.body,
            f.regular,
            c.text,
            leftIndent=t.body * 1.7,
            bulletIndent=t.body * 0.2,
            spaceAfter=t.body * 0.3,
        ),
        cell=ps("cell", max(t.small, t.body * 0.95), f.regular, c.text, lead=1.25),
        head_cell=ps("head_cell", max(t.small, t.body * 0.95), f.bold, c.table_header_text, lead=1.25),
        head_cell_stacked=ps("head_cell_stacked", max(t.small, t.body * 0.95), f.bold, c.text, lead=1.25),
        caption=ps("caption", t.small, f.bold, c.text, lead=1.3, spaceAfter=t.body * 0.3, keepWithNext=1),
        notice=ps(
            "notice",
            max(16.0, t.body * 1.3),
            f.bold,
            c.text,
            lead=1.3,
            spaceBefore=t.body,
            spaceAfter=t.body * 0.5,
        ),
        footer=ps("footer", t.small, f.regular, c.muted, lead=1.25),
        box_heading=ps("box_heading", t.h3, f.bold, c.primary, lead=1.2, spaceAfter=t.body * 0.4),
    )
