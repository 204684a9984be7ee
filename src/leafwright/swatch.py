"""A style's swatch: one tagged page showing every colour, what it is for and its contrast.

``render_swatch(style)`` lays out a page in the style itself (its title band, its
fonts) with one row per colour of :data:`leafwright.palette.USES`: a chip of the colour
(an artifact: it carries no meaning the text does not give) and a paragraph naming the
colour, its hex value, what it is used for and its contrast ratio where it is seen,
with the WCAG minimum it meets or misses. Brand colours moved to meet contrast are
listed first. The page is tagged PDF/UA-1 like a leaflet.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt

from reportlab.lib.colors import HexColor
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable

from .layout import Layout, make_styles
from .layout.context import BuildContext, md_escape
from .layout.parts import build_title
from .model import Leaflet, Publisher, Section
from .palette import USES, contrast_ratio
from .render import LeafletSource, render_document
from .style import MM, Footer, ResolvedStyle
from .tag import TagTree


class _Chip(Flowable):
    """A paragraph with a chip of colour before it; the chip is an artifact."""

    def __init__(self, colour: str, border: str, para: Flowable, chip_w: float) -> None:
        super().__init__()
        self.colour, self.border, self.para, self.chip_w = colour, border, para, chip_w

    def wrap(self, avail_w: float, avail_h: float) -> tuple[float, float]:
        self._pw, self._ph = self.para.wrap(avail_w - self.chip_w - 4 * MM, avail_h)
        self.height = max(self._ph, 8 * MM)
        return avail_w, self.height + 1.5 * MM

    def draw(self) -> None:
        canv = self.canv
        with canv.artifact("Layout"):
            canv.saveState()
            canv.setFillColor(HexColor(self.colour))
            canv.setStrokeColor(HexColor(self.border))
            canv.setLineWidth(0.5)
            canv.rect(0, self.height - 8 * MM + 1.5 * MM, self.chip_w, 8 * MM - 1.5 * MM, stroke=1, fill=1)
            canv.restoreState()
        self.para.drawOn(canv, self.chip_w + 4 * MM, self.height - self._ph + 1.5 * MM)


def _line(key: str, colours: dict[str, str]) -> str:
    use = USES[key]
    value = colours[key]
    text = f"**{key}** {value}: {use.what}."
    if use.against is None or use.ratio is None:
        if use.against:
            ratio = contrast_ratio(value, colours[use.against])
            return text + f" {ratio:.2f}:1 on the page (decorative: no minimum)."
        return text
    other = colours[use.against]
    ratio = contrast_ratio(value, other)
    where = (
        f"with {_NAMES.get(use.against, use.against)} {other} on it"
        if use.on
        else f"on {_NAMES.get(use.against, use.against)}"
    )
    verdict = "meets" if ratio >= use.ratio else "FAILS"
    return text + f" {ratio:.2f}:1 {where} ({verdict} {use.ratio:g}:1)."


_NAMES = {
    "background": "the page",
    "primary": "the title band",
    "table_header": "the header row",
    "table_header_text": "header text",
}


def swatch_leaflet(style: ResolvedStyle, name: str) -> Leaflet:
    """The stand-in leaflet that gives the swatch its title, language and metadata."""
    return Leaflet(
        id="swatch",
        title=f"{name}: brand colours",
        subtitle="What each colour is for, and its contrast",
        version="swatch",
        published=_dt.date(2000, 1, 1),
        review_by=_dt.date(2000, 1, 2),
        publisher=Publisher(name=style.spec.name or name),
        sections=[Section(heading="Colours", blocks=[])],
        other_formats=None,
    )


def render_swatch(style: ResolvedStyle, name: str) -> bytes:
    """One tagged page: every colour of ``style`` with its use and contrast."""
    footer = Footer(text="{organisation} · brand colours made by leafwright style new", page_numbers=False)
    style = dataclasses.replace(style, spec=style.spec.model_copy(update={"footer": footer}))
    leaflet = swatch_leaflet(style, name)
    styles = make_styles(style)
    tree = TagTree(leaflet.language)
    ctx = BuildContext(leaflet, style, styles, style.frame_width)
    doc = tree.root
    flow: list = build_title(ctx, doc)
    colours = style.colours.model_dump()
    sect = doc.add("Sect")
    # one page for fourteen colours: rows at the style's smallest size (still clear print)
    small = ParagraphStyle(
        "swatch", parent=styles.body, fontSize=style.type.small, leading=style.type.small * 1.25, spaceAfter=0
    )
    for moved in style.chain.moved:
        flow.append(
            ctx.para(
                f"**Moved:** brand {moved.key} {moved.given} falls short of {moved.ratio:g}:1 on "
                f"{md_escape(moved.against)}; {moved.used} is used instead.",
                small,
                sect,
            )
        )
    flow.append(ctx.heading("Colours", 2, sect))
    for key in USES:
        para = ctx.para(_line(key, colours), small, sect)
        flow.append(_Chip(colours[key], colours["text"], para, 16 * MM))
    layout = Layout(flow, tree, styles)
    return render_document(
        LeafletSource(leaflet, None, style.chain.files[-1].parent), style, layout=layout
    ).pdf
