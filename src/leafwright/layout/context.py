"""What every builder shares: the build context (leaflet, style, paragraph styles, column
width) and the pieces blocks and fixed parts are made of (paragraphs, lists, boxes)."""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reportlab.lib.colors import HexColor
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, TableStyle

from ..i18n import Labels, english_date, leaflet_labels
from ..inline import plain_text
from ..model import Leaflet
from ..style import MM, ResolvedStyle
from ..tag import StructElem
from .flowables import BoxTable, TaggedParagraph
from .styles import Styles


@dataclass
class BuildContext:
    leaflet: Leaflet
    style: ResolvedStyle
    styles: Styles
    width: float
    outline_keys: list[str] = field(default_factory=list)
    image_paths: dict[tuple, Path] = field(default_factory=dict)
    notes: list[tuple[tuple, str, str | None]] = field(default_factory=list)
    """What layout decided that the build should say: (YAML path, message, hint)."""
    ids: int = 0
    height: float = 10_000.0
    """The text frame's height: no picture is drawn taller (render passes the real one)."""
    labels: Labels = None  # type: ignore[assignment]
    """The fixed labels in the leaflet's language (default: the catalogue's and the style's)."""
    editions: tuple[tuple[str, str, str], ...] = ()
    """The leaflet in other languages: (language tag, its name in that language, file name)."""

    def __post_init__(self) -> None:
        if self.labels is None:
            self.labels = leaflet_labels(self.leaflet, self.style)

    def rtl(self, lang: str | None = None) -> bool:
        """Whether a block in ``lang`` (None: the leaflet's language) is right to left: its
        boxes, tables and panels are then mirrored (bar on the right, first column on the right)."""
        from ..scripts import is_rtl

        return is_rtl(lang or self.leaflet.language)

    def note(self, path: tuple, message: str, hint: str | None = None) -> None:
        """Tell the build about a layout decision (a table stacked, a word split), located."""
        self.notes.append((path, message, hint))

    def new_id(self, prefix: str) -> str:
        """A structure element /ID unique in the document."""
        self.ids += 1
        return f"{prefix}{self.ids}"

    def para(
        self,
        text: str,
        style: ParagraphStyle,
        parent: StructElem,
        role: str = "P",
        *,
        lang: str | None = None,
    ) -> TaggedParagraph:
        """A paragraph of inline-markup ``text`` as a new ``role`` element under ``parent``."""
        elem = parent.add(role, lang=lang, text=plain_text(text))
        return TaggedParagraph(
            text,
            style,
            self.style.fonts,
            elem=elem,
            link_colour=self.style.colours.link,
            lang=self.lang_of(elem),
        )

    def lang_of(self, elem: StructElem | None) -> str:
        """The language an element is in: its own, its nearest ancestor's, else the leaflet's."""
        while elem is not None:
            if elem.lang:
                return elem.lang
            elem = elem.parent
        return self.leaflet.language

    def heading(self, text: str, level: int, parent: StructElem) -> TaggedParagraph:
        level = min(level, 6)
        st = self.styles
        style = {1: st.h1, 2: st.h2, 3: st.h3, 4: st.h4, 5: st.h5}.get(level, st.h6)
        p = self.para(text, style, parent, f"H{level}")
        key = f"lwh{len(self.outline_keys)}"
        self.outline_keys.append(key)
        p.lw_bookmark = (level - 1, key, plain_text(text))
        return p


def paragraphs(text: str) -> list[str]:
    """Blank lines separate paragraphs."""
    return [p.strip("\n") for p in text.replace("\r\n", "\n").split("\n\n") if p.strip()]


def label_style(ctx: BuildContext, st: ParagraphStyle, widest: str) -> ParagraphStyle:
    """The item style with room for the widest label ('1.' vs '12.')."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    need = stringWidth(widest, ctx.style.fonts.bold, st.fontSize) + st.fontSize * 0.6 + st.bulletIndent
    if need <= st.leftIndent:
        return st
    return ParagraphStyle(st.name + f"-w{len(widest)}", parent=st, leftIndent=need)


def list_items(
    ctx: BuildContext,
    items: list,
    parent: StructElem,
    numbered: bool,
    lang: str | None,
    *,
    style: ParagraphStyle | None = None,
) -> list:
    st = style or ctx.styles.item
    if numbered:
        st = label_style(ctx, st, f"{len(items)}.")
    lst = parent.add("L", lang=lang, attrs={"O": "List", "ListNumbering": "Decimal" if numbered else "Disc"})
    font = ctx.style.fonts.bold if numbered else ctx.style.fonts.regular
    colour = HexColor(ctx.style.colours.primary if numbered else ctx.style.colours.accent)
    out = []
    for n, item in enumerate(items, 1):
        li = lst.add("LI")
        label = f"{n}." if numbered else "\u2022"
        lbl = li.add("Lbl", text=label)
        body = li.add("LBody")
        if isinstance(item, str):
            text = item
        else:
            text = (f"**{md_escape(item.lead)}** " if item.lead else "") + item.text
        p = ctx.para(text, st, body)
        p.lw_label = (label, lbl, font, st.fontSize, colour)
        out.append(p)
    if out:
        out[-1].style = _with_space_after(st, ctx.styles.body.spaceAfter)
    return out


def _with_space_after(st: ParagraphStyle, space: float) -> ParagraphStyle:
    return ParagraphStyle(st.name + "-last", parent=st, spaceAfter=space)


def md_escape(text: str) -> str:
    """Plain text (a title, a name) as inline markup that reads back as exactly that text."""
    return text.replace("\\", "\\\\").replace("*", "\\*").replace("[", "\\[")


def boxed(
    ctx: BuildContext, content: list, fill: str, bar: str, *, split: bool = False, lang: str | None = None
) -> Flowable:
    """A tinted box with a bar down its start edge: the left, or the right when the text in
    it (``lang``, else the leaflet's language) is written right to left."""
    pad = 4 * MM
    rtl = ctx.rtl(lang)
    # split: a long box (a booklet's contents) continues on the next page rather than
    # leaving the rest of this one empty; short boxes move whole (unless taller than a
    # page, as in large print or on A5: see BoxTable.split)
    t = BoxTable([[content]], colWidths=[ctx.width], splitInRow=1)
    t.lw_split_anywhere = split
    t.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), ctx.style.fonts.regular),  # else Helvetica is referenced
                ("BACKGROUND", (0, 0), (-1, -1), HexColor(fill)),
                ("LINEAFTER" if rtl else "LINEBEFORE", (0, 0), (0, -1), 4, HexColor(bar)),
                ("LEFTPADDING", (0, 0), (-1, -1), pad if rtl else pad + 2),
                ("RIGHTPADDING", (0, 0), (-1, -1), pad + 2 if rtl else pad),
                ("TOPPADDING", (0, 0), (-1, -1), pad * 0.8),
                ("BOTTOMPADDING", (0, 0), (-1, -1), pad * 0.4),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    t.spaceBefore = 2 * MM
    t.spaceAfter = 4 * MM
    return t


def image_width(image: Any, pixel_width: int, column: float) -> float:
    """The printed width of an image block in points: its ``width`` (mm) if given, else its
    pixels at 150 dpi; never wider than the column. (The checks' dpi rule uses it too.)"""
    if image.width:
        return min(column, image.width * MM)
    return min(column, pixel_width * 72.0 / 150)


def short_url(url: str) -> str:
    """``https://example.org/`` -> ``example.org`` (how web addresses are printed)."""
    return url.split("://", 1)[-1].rstrip("/")


def contact_lines(pub: Any, labels: Labels | None = None) -> list[str]:
    """The contact panel's lines as inline markup (shared by the PDF and the web page),
    labelled in the leaflet's language (``labels``; default English)."""
    from ..i18n import labels_for
    from ..inline import nobreak

    lb = labels or labels_for("en")
    lines: list[str] = []
    if pub.address:
        lines.append(", ".join(md_escape(a) for a in pub.address))
    if pub.helpline:
        h = pub.helpline
        name = lb.md("field", label=md_escape(h.label)) if h.label else lb.md_field("helpline")
        lines.append(
            f"**{name}** "
            f"[{nobreak(h.number)}](tel:{h.number.replace(' ', '')})"
            + (f" ({md_escape(h.hours)})" if h.hours else "")
        )
    if pub.phone:
        lines.append(
            f"**{lb.md_field('telephone')}** [{nobreak(pub.phone)}](tel:{pub.phone.replace(' ', '')})"
        )
    if pub.email:
        lines.append(f"**{lb.md_field('email')}** [{md_escape(pub.email)}](mailto:{pub.email})")
    if pub.web:
        lines.append(f"**{lb.md_field('website')}** [{md_escape(short_url(pub.web))}]({pub.web})")
    for s in pub.social:
        lines.append(f"**{md_escape(s.network)}:** {md_escape(s.handle)}")
    if pub.charity_number:
        lines.append(md_escape(pub.charity_number))
    return lines


def image_size(
    image: Any, pixel_width: int, pixel_height: int, column: float, frame_height: float, styles: Styles
) -> tuple[float, float]:
    """The printed (width, height) of an image block in points: :func:`image_width`, made
    smaller when the picture would be taller than the page's text frame less room for a
    section heading kept with it and three lines of its caption -- a tall picture is
    scaled to fit, never cut or refused. (The checks' LW304 and LW305 use it too.)"""
    width = image_width(image, pixel_width, column)
    height = width * pixel_height / pixel_width
    h2, caption = styles.h2, styles.caption
    room = frame_height - (2 * h2.leading + h2.spaceBefore + h2.spaceAfter)
    if image.caption:
        room -= 3 * caption.leading + caption.spaceAfter
    if height > room > 0:
        width, height = width * room / height, room
    return width, height


def format_date(d: _dt.date, lang: str = "en") -> str:
    """A date in a leaflet's language (:func:`leafwright.i18n.format_date`); in English
    '31 January 2015' (the form UK leaflets use, and the one messages to the user use)."""
    if lang == "en":
        return english_date(d)
    from ..i18n import format_date as in_language

    return in_language(d, lang)
