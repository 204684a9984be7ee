"""Stage 4: layout -- the leaflet as ReportLab flowables, each knowing its structure role.

``layout_leaflet(leaflet, style, image_paths)`` returns the flowables and the
structure tree they draw into. The tree is built here, in reading order; the
flowables only add marked content to their element when they are drawn (see
:mod:`leafwright.tag`). Adding a block type means one entry in
:data:`BLOCK_BUILDERS`, one builder and one test.

Clear print throughout: left-aligned ragged right, no hyphenation, no italic
body text (emphasis is bold), headings kept with what follows them, phone
numbers never split.
"""

from __future__ import annotations

import datetime as _dt
import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from reportlab.lib.colors import HexColor
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle
from reportlab.platypus.flowables import KeepTogether

from .inline import nobreak, plain_text, to_markup
from .model import Block, Leaflet, Section
from .style import MM, ResolvedStyle
from .tag import StructElem, TagTree

# --- tagged flowables -----------------------------------------------------------------


class TaggedParagraph(Paragraph):
    """A paragraph whose text is marked as content of ``lw_elem`` wherever it lands.

    Pieces made by :meth:`split` share the element, so a paragraph broken across
    pages stays one structure element with content on both pages.
    """

    lw_elem: StructElem
    lw_first = True
    lw_bookmark: tuple[int, str, str] | None = None  # (outline level, key, title)
    lw_label: tuple[str, StructElem, str, float, Any] | None = None  # text, Lbl, font, size, colour
    lw_continues = False  # a piece whose text goes on in the next piece (on the next page)

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        parts = super().split(availWidth, availHeight)
        for n, p in enumerate(parts):
            if p is self:
                continue
            p.lw_elem = self.lw_elem
            p.lw_first = self.lw_first and n == 0
            p.lw_bookmark = self.lw_bookmark if p.lw_first else None
            p.lw_label = self.lw_label if p.lw_first else None
            p.lw_continues = n < len(parts) - 1 or self.lw_continues
        return parts

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        if not getattr(self, "_lw_long_checked", False):
            self._lw_long_checked = True
            st = self.style
            room = availWidth - st.leftIndent - st.rightIndent - max(st.firstLineIndent, 0)
            if _has_word_wider_than(self, room):
                # A word wider than the line (a long compound in a large-print title) would
                # be cut mid-letter; let it break after its own hyphen instead. Only here:
                # elsewhere clear print keeps words whole.
                self.style = ParagraphStyle(st.name + "-hyphens", parent=st, embeddedHyphenation=1)
        return super().wrap(availWidth, availHeight)

    def beginText(self, x: float, y: float) -> Any:
        return self.canv.begin_text_marked(x, y, self.lw_elem)

    def draw(self) -> None:
        canv = self.canv
        if getattr(self, "_lw_drawn", False):
            # drawn a second time: a table header row repeated on a new page
            with canv.artifact("Pagination", "Header"):
                super().draw()
            return
        self._lw_drawn = True
        _space_line_ends(self.blPara, self.lw_elem, self.lw_continues)
        if self.lw_bookmark and self.lw_first:
            level, key, title = self.lw_bookmark
            canv.bookmarkHorizontal(key, 0, self.height)
            canv.addOutlineEntry(title, key, level=level)
        if self.lw_label and self.lw_first:
            text, elem, font, size, colour = self.lw_label
            y = self.height - self.style.fontSize  # the first baseline (paraFontSizeHeightOffset)
            with canv.marked(elem):
                canv.saveState()
                canv.setFont(font, size)
                canv.setFillColor(colour)
                canv.drawString(self.style.bulletIndent, y, text)
                canv.restoreState()
        with canv.paragraph():
            super().draw()


def _line_text(line: Any) -> str:
    if isinstance(line, tuple):  # a simple paragraph's line: (width left, words)
        return "".join(line[1])
    return "".join(f.text for f in line.words if not hasattr(f, "cbDefn"))


def _word_breaks(lines: list, elem: StructElem) -> list[bool]:
    """For each line: whether it ends between words (False: inside a word split to fit).

    The lines are matched against the text the element stands for; pieces of a
    paragraph split across pages are drawn in order and carry on where the last
    one stopped (``elem._lw_seen``, the non-space characters already matched).
    """
    src = elem.text or ""
    marks = getattr(elem, "_lw_marks", None)
    if marks is None:  # where each non-space character of the text is
        marks = elem._lw_marks = [i for i, c in enumerate(src) if not c.isspace()]
    seen = getattr(elem, "_lw_seen", 0)
    out: list[bool] = []
    for line in lines:
        seen += len("".join(_line_text(line).split()))  # the line's non-space characters
        if seen > len(marks):  # lost track: assume a break between words
            out.append(True)
            continue
        pos = marks[seen - 1] + 1 if seen else 0
        out.append(pos >= len(src) or src[pos].isspace())
    elem._lw_seen = seen
    return out


@functools.lru_cache(maxsize=64)
def _widest_glyph(font_name: str) -> float:
    """The widest advance of any glyph in a font, in ems."""
    from reportlab.pdfbase.pdfmetrics import getFont

    widths = getattr(getFont(font_name).face, "charWidths", None) or {}
    return max(widths.values(), default=2000) / 1000.0


def _has_word_wider_than(para: Paragraph, room: float) -> bool:
    """Whether any word of a paragraph is wider than ``room`` (word by word in each font run)."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    for frag in getattr(para, "frags", []):
        words = getattr(frag, "text", "").split()
        if not words:
            continue
        # a word cannot be wider than its length times the font's widest glyph: only
        # long words need measuring
        if max(map(len, words)) * frag.fontSize * _widest_glyph(frag.fontName) <= room:
            continue
        if any(stringWidth(w, frag.fontName, frag.fontSize) > room for w in words):
            return True
    return False


def _space_line_ends(bl: Any, elem: StructElem, continues: bool = False) -> None:
    """Keep a real space at the end of every wrapped line that ends between words.

    Tools that read the tags rather than the page (screen readers, poppler's
    struct-text) would otherwise join the last word of a line to the next. A line
    that ends inside a word (after a compound's own hyphen, or a word too long for
    the line cut to fit) gets none: the text itself says which is which. With
    ``continues`` the last line too, as the paragraph goes on on the next page.
    """
    lines = getattr(bl, "lines", None)
    if not lines or getattr(bl, "_lw_spaced", False):
        return
    bl._lw_spaced = True
    between = _word_breaks(lines, elem)
    upto = len(lines) if continues else len(lines) - 1
    for i in range(upto):
        line = lines[i]
        if not between[i]:
            continue
        if isinstance(line, tuple):
            ws, words = line
            if words and not words[-1].endswith(" "):
                lines[i] = (ws, list(words[:-1]) + [words[-1] + " "])
        else:
            for frag in reversed(line.words):
                if hasattr(frag, "cbDefn"):
                    continue
                if not frag.text.endswith(" "):
                    frag.text = frag.text + " "
                break


class _Figure(Flowable):
    """A picture of fixed size: a ``Figure`` with ``/Alt`` and ``/BBox`` (§14.8.5.4.3),
    or an artifact when ``elem`` is None (decorative). Subclasses say how to paint it."""

    def __init__(self, width: float, height: float, elem: StructElem | None):
        super().__init__()
        self.width = width
        self.height = height
        self.elem = elem

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        canv = self.canv
        if self.elem is not None:
            self.elem.attrs = _layout_bbox(canv, self.width, self.height)
        with canv.marked(self.elem) if self.elem is not None else canv.artifact():
            canv.saveState()
            self.paint(canv)
            canv.restoreState()

    def paint(self, canv: Any) -> None:  # pragma: no cover - every subclass paints
        raise NotImplementedError


class TaggedImage(_Figure):
    """A PNG or JPEG picture."""

    def __init__(self, path: Path, width: float, height: float, elem: StructElem | None):
        super().__init__(width, height, elem)
        self.path = path

    def paint(self, canv: Any) -> None:
        # an ImageReader, not the path: ReportLab names an image drawn from a path by a
        # hash of the path, so the same leaflet built in another folder would differ
        from reportlab.lib.utils import ImageReader

        canv.drawImage(ImageReader(str(self.path)), 0, 0, self.width, self.height, mask="auto")
        # recorded so the print file can check each picture's resolution at this size
        canv.__dict__.setdefault("lw_images", []).append((self.path, self.width, self.height))


def _layout_bbox(canv: Any, width: float, height: float) -> dict[str, Any]:
    """Layout attributes with the /BBox (§14.8.5.4.3) of a ``width`` x ``height`` box at
    the current origin, in page coordinates (flowables draw inside translated frames)."""
    a, b, c, d, e, f = canv._currentMatrix
    xs = [a * x + c * y + e for x in (0, width) for y in (0, height)]
    ys = [b * x + d * y + f for x in (0, width) for y in (0, height)]
    return {
        "O": "Layout",
        "BBox": [round(min(xs), 2), round(min(ys), 2), round(max(xs), 2), round(max(ys), 2)],
    }


class SvgImage(_Figure):
    """An SVG picture (a logo), drawn as vectors."""

    def __init__(self, drawing: Any, width: float, elem: StructElem, font: str):
        scale = width / drawing.width
        super().__init__(width, drawing.height * scale, elem)
        # renderPDF selects Helvetica before drawing unless told otherwise: an unembedded font
        drawing.initialFontName = font
        self.drawing = drawing
        self.scale = scale

    def paint(self, canv: Any) -> None:
        from reportlab.graphics import renderPDF

        canv.scale(self.scale, self.scale)
        renderPDF.draw(self.drawing, canv, 0, 0)


@functools.lru_cache(maxsize=64)
def qr_matrix(url: str) -> tuple:
    """The QR code's modules for a URL (a batch shares a few URLs: each is encoded once)."""
    import segno

    return tuple(segno.make(url, error="m", micro=False).matrix)


class QRCode(_Figure):
    """A QR code for a web address, drawn as vector squares."""

    def __init__(self, url: str, size: float, colour: Any, elem: StructElem):
        super().__init__(size, size, elem)
        self.matrix = qr_matrix(url)
        self.colour = colour

    def paint(self, canv: Any) -> None:
        n = len(self.matrix)
        quiet = 2
        cell = self.width / (n + 2 * quiet)
        canv.setFillColor(self.colour)
        path = canv.beginPath()
        for r, row in enumerate(self.matrix):
            for c, on in enumerate(row):
                if on:
                    path.rect((c + quiet) * cell, self.height - (r + quiet + 1) * cell, cell, cell)
        canv.drawPath(path, stroke=0, fill=1)


class BoxTable(Table):
    """A ReportLab table whose fills and rules are artifacts; cells tag themselves."""

    def _drawBkgrnd(self) -> None:
        with self.canv.artifact():
            super()._drawBkgrnd()

    def _drawLines(self) -> None:
        with self.canv.artifact():
            super()._drawLines()

    lw_split_anywhere = True  # False: break inside a row only when taller than a page

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        # A short box moves on whole. A long one (over half a page: large print, A5)
        # breaks inside its row (splitInRow) rather than leave most of a page empty, and
        # a box taller than a page always breaks when it reaches the top of one.
        frame = getattr(getattr(getattr(self, "canv", None), "_doctemplate", None), "frame", None)
        page_h = getattr(frame, "_height", None)
        long_box = (
            page_h is not None and getattr(self, "_height", 0) > page_h / 2 and availHeight > page_h / 4
        )
        if (
            self.splitInRow
            and not self.lw_split_anywhere
            and not getattr(frame, "_atTop", 1)
            and not long_box
        ):
            self.splitInRow = 0
            try:
                return super().split(availWidth, availHeight)
            finally:
                self.splitInRow = 1
        return super().split(availWidth, availHeight)


class TitleBand(Flowable):
    """The title block: a full-width band in the brand colour with logo, title and subtitle."""

    def __init__(
        self,
        title: Flowable,
        subtitle: Flowable | None,
        logo: Flowable | None,
        style: ResolvedStyle,
        band: bool,
        bleed: float = 0.0,
    ):
        super().__init__()
        self.bleed = bleed  # the print file's bleed: the band runs this far past the trim
        self.title = title
        self.subtitle = subtitle
        self.logo = logo
        self.style = style
        self.band = band
        self.pad = 7 * MM

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        logo_w = 0.0
        self.logo_h = 0.0
        if self.logo is not None:
            logo_w, self.logo_h = self.logo.wrap(availWidth, availHeight)
            logo_w += 6 * MM
        self.text_w = availWidth - logo_w
        self.title_h = self.title.wrap(self.text_w, availHeight)[1]
        self.sub_h = self.subtitle.wrap(self.text_w, availHeight)[1] if self.subtitle else 0.0
        text_h = self.title_h + (self.sub_h + 3 * MM if self.subtitle else 0)
        self.inner_h = max(text_h, self.logo_h)
        self.width = availWidth
        self.height = self.inner_h + (self.pad if self.band else 2 * MM)
        return self.width, self.height

    def draw(self) -> None:
        canv = self.canv
        st = self.style
        top, right, bottom, left = st.margins
        if self.band:
            with canv.artifact("Layout"):
                canv.saveState()
                canv.setFillColor(HexColor(st.colours.primary))
                # from the page's top edge to just below the text, edge to edge (and on
                # into the bleed, so a trim a little off still leaves no white sliver)
                b = self.bleed
                canv.rect(-left - b, 0, st.page_width + 2 * b, self.height + top + b, stroke=0, fill=1)
                canv.restoreState()
        y = self.height - self.title_h
        self.title.drawOn(canv, 0, y)
        if self.subtitle is not None:
            y -= 3 * MM + self.sub_h
            self.subtitle.drawOn(canv, 0, y)
        if self.logo is not None:
            lw, lh = self.logo.wrap(self.width, self.height)
            self.logo.drawOn(canv, self.width - lw, self.height - lh)


# --- paragraph styles -----------------------------------------------------------------


@dataclass
class Styles:
    """The paragraph styles one resolved style gives."""

    body: ParagraphStyle
    h1: ParagraphStyle
    subtitle: ParagraphStyle
    h2: ParagraphStyle
    h3: ParagraphStyle
    h4: ParagraphStyle
    question: ParagraphStyle
    item: ParagraphStyle
    cell: ParagraphStyle
    head_cell: ParagraphStyle
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
        h4=ps(
            "h4",
            max(t.body, t.h3 * 0.9),
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


# --- the builder ----------------------------------------------------------------------


@dataclass
class Layout:
    """What layout produces: the flowables and the structure tree they draw into."""

    flowables: list[Flowable]
    tree: TagTree
    styles: Styles


@dataclass
class _Ctx:
    leaflet: Leaflet
    style: ResolvedStyle
    styles: Styles
    width: float
    outline_keys: list[str] = field(default_factory=list)
    image_paths: dict[tuple, Path] = field(default_factory=dict)

    def markup(self, text: str, elem: StructElem | None = None) -> str:
        links: list[tuple[str, str, str]] = []
        m = to_markup(text, self.style.fonts, link_colour=self.style.colours.link, links=links)
        if links and elem is not None:
            elem.attrs = dict(elem.attrs or {}, _links=links)
        return m

    def para(
        self,
        text: str,
        style: ParagraphStyle,
        parent: StructElem,
        role: str = "P",
        *,
        lang: str | None = None,
        raw: str | None = None,
    ) -> TaggedParagraph:
        """A paragraph of inline-markup ``text`` as a new ``role`` element under ``parent``."""
        elem = parent.add(role, lang=lang, text=plain_text(text))
        p = TaggedParagraph(raw if raw is not None else self.markup(text, elem), style)
        p.lw_elem = elem
        return p

    def heading(self, text: str, level: int, parent: StructElem) -> TaggedParagraph:
        level = min(level, 6)
        style = {1: self.styles.h1, 2: self.styles.h2, 3: self.styles.h3}.get(level, self.styles.h4)
        p = self.para(text, style, parent, f"H{level}")
        key = f"lwh{len(self.outline_keys)}"
        self.outline_keys.append(key)
        p.lw_bookmark = (level - 1, key, plain_text(text))
        return p


def _paragraphs(text: str) -> list[str]:
    """Blank lines separate paragraphs."""
    return [p.strip("\n") for p in text.replace("\r\n", "\n").split("\n\n") if p.strip()]


def _b_paragraph(ctx: _Ctx, block: Block, parent: StructElem, level: int, path: tuple) -> list:
    return [ctx.para(p, ctx.styles.body, parent, lang=block.lang) for p in _paragraphs(block.paragraph)]


def _label_style(ctx: _Ctx, st: ParagraphStyle, widest: str) -> ParagraphStyle:
    """The item style with room for the widest label ('1.' vs '12.')."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    need = stringWidth(widest, ctx.style.fonts.bold, st.fontSize) + st.fontSize * 0.6 + st.bulletIndent
    if need <= st.leftIndent:
        return st
    return ParagraphStyle(st.name + f"-w{len(widest)}", parent=st, leftIndent=need)


def _list_items(
    ctx: _Ctx,
    items: list,
    parent: StructElem,
    numbered: bool,
    lang: str | None,
    *,
    style: ParagraphStyle | None = None,
) -> list:
    st = style or ctx.styles.item
    if numbered:
        st = _label_style(ctx, st, f"{len(items)}.")
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
            text = (f"**{_md_escape(item.lead)}** " if item.lead else "") + item.text
        p = ctx.para(text, st, body)
        p.lw_label = (label, lbl, font, st.fontSize, colour)
        out.append(p)
    if out:
        out[-1].style = _with_space_after(st, ctx.styles.body.spaceAfter)
    return out


def _with_space_after(st: ParagraphStyle, space: float) -> ParagraphStyle:
    return ParagraphStyle(st.name + "-last", parent=st, spaceAfter=space)


def _md_escape(text: str) -> str:
    """Plain text (a title, a name) as inline markup that reads back as exactly that text."""
    return text.replace("\\", "\\\\").replace("*", "\\*").replace("[", "\\[")


def _b_bullets(ctx: _Ctx, block: Block, parent: StructElem, level: int, path: tuple) -> list:
    return _list_items(ctx, block.bullets, parent, False, block.lang)


def _b_numbered(ctx: _Ctx, block: Block, parent: StructElem, level: int, path: tuple) -> list:
    return _list_items(ctx, block.numbered, parent, True, block.lang)


def _b_faq(ctx: _Ctx, block: Block, parent: StructElem, level: int, path: tuple) -> list:
    # Each question is a heading one level below its section, so screen-reader users can
    # jump question to question, and its answer follows it as paragraphs.
    out: list = []
    for i, entry in enumerate(block.faq):
        q = ctx.heading(entry.question, level + 1, parent)
        q.style = ctx.styles.question
        out.append(q)
        if isinstance(entry.answer, str):
            out.extend(
                ctx.para(p, ctx.styles.body, parent, lang=block.lang) for p in _paragraphs(entry.answer)
            )
            continue
        for j, b in enumerate(entry.answer):  # an answer with a list, a table or a callout
            out.extend(BLOCK_BUILDERS[b.kind](ctx, b, parent, level + 1, path + ("faq", i, "answer", j)))
    return out


CALLOUT_LABELS = {"info": "Information", "warning": "Warning", "note": "Note"}


def _boxed(ctx: _Ctx, content: list, fill: str, bar: str, *, split: bool = False) -> Flowable:
    pad = 4 * MM
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
                ("LINEBEFORE", (0, 0), (0, -1), 4, HexColor(bar)),
                ("LEFTPADDING", (0, 0), (-1, -1), pad + 2),
                ("RIGHTPADDING", (0, 0), (-1, -1), pad),
                ("TOPPADDING", (0, 0), (-1, -1), pad * 0.8),
                ("BOTTOMPADDING", (0, 0), (-1, -1), pad * 0.4),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    t.spaceBefore = 2 * MM
    t.spaceAfter = 4 * MM
    return t


def _b_callout(ctx: _Ctx, block: Block, parent: StructElem, level: int, path: tuple) -> list:
    c = block.callout
    aside = parent.add("Aside", lang=block.lang)
    label = CALLOUT_LABELS[c.kind]
    head = f"{label}: {c.title}" if c.title else label
    content = [ctx.para(_md_escape(head), ctx.styles.box_heading, aside)]
    content += [ctx.para(p, ctx.styles.body, aside) for p in _paragraphs(c.text)]
    colours = ctx.style.colours
    return [
        _boxed(
            ctx, content, getattr(colours, c.kind), colours.accent if c.kind == "warning" else colours.primary
        )
    ]


# A table column narrower than this many times its text size is too narrow to read
# (about a dozen characters a line): the table is stacked instead.
MIN_COLUMN_EMS = 6.0
_CELL_PADDING = 2.5 * MM  # left and right, inside every table cell


def _cell_commands(ctx: _Ctx) -> list:
    """What every cell of a table shares, grid or stacked: font, top alignment, padding
    (the same ``_CELL_PADDING`` that :func:`_table_fits` measures with)."""
    return [
        ("FONTNAME", (0, 0), (-1, -1), ctx.style.fonts.regular),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), _CELL_PADDING),
        ("RIGHTPADDING", (0, 0), (-1, -1), _CELL_PADDING),
        ("TOPPADDING", (0, 0), (-1, -1), 1.8 * MM),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.2 * MM),
    ]


def _table_fits(ctx: _Ctx, tb: Any) -> bool:
    """Whether a table's columns are wide enough for every word at full size.

    ReportLab would otherwise split long words across lines (or cut them), which
    is unreadable; shrinking the text instead would break the size minimum.
    """
    from reportlab.pdfbase.pdfmetrics import stringWidth

    ncols = len(tb.header)
    inner = ctx.width / ncols - 2 * _CELL_PADDING
    cell, head = ctx.styles.cell, ctx.styles.head_cell
    if inner < MIN_COLUMN_EMS * cell.fontSize:
        return False
    for j in range(ncols):
        texts = [(tb.header[j], head)] + [(row[j], cell) for row in tb.rows if j < len(row)]
        for text, st in texts:
            for word in plain_text(text).split():
                if stringWidth(word, st.fontName, st.fontSize) > inner:
                    return False
    return True


def _b_table(ctx: _Ctx, block: Block, parent: StructElem, level: int, path: tuple) -> list:
    tb = block.table
    if not _table_fits(ctx, tb):
        return _stacked_table(ctx, block, parent)
    table = parent.add("Table", lang=block.lang)
    out: list = []
    if tb.caption:
        out.append(ctx.para(tb.caption, ctx.styles.caption, table, "Caption"))
    thead = table.add("THead")
    tr = thead.add("TR")
    header = []
    for h in tb.header:
        header.append(ctx.para(h, ctx.styles.head_cell, tr, "TH"))
        header[-1].lw_elem.attrs = dict(header[-1].lw_elem.attrs or {}, O="Table", Scope="Column")
    tbody = table.add("TBody")
    rows = []
    for row in tb.rows:
        tr = tbody.add("TR")
        rows.append([ctx.para(cell, ctx.styles.cell, tr, "TD") for cell in row])
    ncols = len(tb.header)
    t = BoxTable([header] + rows, colWidths=[ctx.width / ncols] * ncols, repeatRows=1)
    colours = ctx.style.colours
    t.setStyle(
        TableStyle(
            _cell_commands(ctx)
            + [
                ("BACKGROUND", (0, 0), (-1, 0), HexColor(colours.table_header)),
                ("LINEBELOW", (0, 0), (-1, -1), 0.75, HexColor(colours.rule)),
                ("BOX", (0, 0), (-1, -1), 0.75, HexColor(colours.rule)),
            ]
        )
    )
    t.spaceAfter = 4 * MM
    out.append(t)
    return out


def _stacked_table(ctx: _Ctx, block: Block, parent: StructElem) -> list:
    """A table too wide for its page, stacked: each row a block of "Header: value" lines.

    Tagged as a list (L > LI > LBody > P, the caption as the list's Caption), not as
    Table/TR/TH/TD: what is drawn is a sequence of labelled rows, and each line already
    names its column, so a screen reader hears exactly what a sighted reader sees. Keeping
    Table semantics would claim a grid (a row of headers, cells under them) that is no
    longer on the page, and interleaved TH/TD in one TR would mis-associate headers.
    """
    tb = block.table
    lst = parent.add("L", lang=block.lang)  # ListNumbering defaults to None (§14.8.5.5)
    out: list = []
    if tb.caption:
        out.append(ctx.para(tb.caption, ctx.styles.caption, lst, "Caption"))
    rows = []
    for row in tb.rows:
        body = lst.add("LI").add("LBody")
        rows.append(
            [[ctx.para(f"**{head}:** {value}", ctx.styles.cell, body) for head, value in zip(tb.header, row)]]
        )
    colours = ctx.style.colours
    t = BoxTable(rows, colWidths=[ctx.width])
    t.setStyle(
        TableStyle(
            _cell_commands(ctx)
            + [
                ("ROWBACKGROUNDS", (0, 0), (-1, -1), [HexColor(colours.tint), HexColor(colours.background)]),
                ("LINEABOVE", (0, 0), (-1, -1), 0.75, HexColor(colours.rule)),
                ("LINEBELOW", (0, -1), (-1, -1), 0.75, HexColor(colours.rule)),
            ]
        )
    )
    t.spaceAfter = 4 * MM
    out.append(t)
    return out


def image_width(image: Any, pixel_width: int, column: float) -> float:
    """The printed width of an image block in points: its ``width`` (mm) if given, else its
    pixels at 150 dpi; never wider than the column. (The checks' dpi rule uses it too.)"""
    if image.width:
        return min(column, image.width * MM)
    return min(column, pixel_width * 72.0 / 150)


def _b_image(ctx: _Ctx, block: Block, parent: StructElem, level: int, path: tuple) -> list:
    from reportlab.lib.utils import ImageReader

    img = block.image
    file = ctx.image_paths[path]
    iw, ih = ImageReader(str(file)).getSize()
    width = image_width(img, iw, ctx.width)
    height = width * ih / iw
    out: list = []
    if img.decorative:
        out.append(TaggedImage(file, width, height, None))
    else:
        fig = parent.add("Figure", alt=plain_text(img.alt or ""), lang=block.lang)
        out.append(TaggedImage(file, width, height, fig))
    if img.caption:
        out.append(ctx.para(img.caption, ctx.styles.caption, parent, "P"))
    if len(out) > 1:
        return [KeepTogether(out)]
    return out


def _b_links(ctx: _Ctx, block: Block, parent: StructElem, level: int, path: tuple) -> list:
    lk = block.links
    out: list = []
    if lk.title:
        out.append(ctx.heading(lk.title, level + 1, parent))
    items = []
    for link in lk.items:
        text = f"[{_md_escape(link.text)}]({link.url})"
        if link.description:
            text += " \u2013 " + link.description
        items.append(text)
    out.extend(_list_items(ctx, items, parent, False, block.lang))
    return out


BlockBuilder = Callable[[_Ctx, Block, StructElem, int, tuple], list]

#: One row per block type: how it is laid out, and (in the builder) which PDF roles it gets.
BLOCK_BUILDERS: dict[str, BlockBuilder] = {
    "paragraph": _b_paragraph,  # P
    "bullets": _b_bullets,  # L > LI > (Lbl, LBody > P)
    "numbered": _b_numbered,  # L > LI > (Lbl, LBody > P)
    "faq": _b_faq,  # H(n+1) question, then P answer(s)
    "callout": _b_callout,  # Aside (role-mapped to Div) > P
    "table": _b_table,  # Table > Caption, THead > TR > TH, TBody > TR > TD; stacked: L > LI
    "image": _b_image,  # Figure with /Alt, or an artifact when decorative
    "links": _b_links,  # L > LI > LBody > P > Link
}


def format_date(d: _dt.date) -> str:
    """'31 January 2015' (the form UK leaflets use)."""
    return f"{d.day} {d.strftime('%B')} {d.year}"


def _section(ctx: _Ctx, sec: Section, level: int, parent: StructElem, path: tuple) -> list:
    sect = parent.add("Sect")
    out: list = [ctx.heading(sec.heading, level, sect)]
    for i, block in enumerate(sec.blocks):
        out.extend(BLOCK_BUILDERS[block.kind](ctx, block, sect, level, path + ("blocks", i)))
    for i, sub in enumerate(sec.sections):
        out.extend(_section(ctx, sub, level + 1, sect, path + ("sections", i)))
    return out


def _title(ctx: _Ctx, doc: StructElem, bleed: float = 0.0) -> list:
    lf = ctx.leaflet
    st = ctx.style
    logo = None
    if st.logo is not None:
        h = 18 * MM
        fig = doc.add("Figure", alt=st.spec.logo_alt or f"{lf.publisher.name} logo")
        if st.logo.suffix.lower() == ".svg":
            from .style import load_svg

            drawing = load_svg(st.logo)
            logo = SvgImage(drawing, h * drawing.width / drawing.height, fig, st.fonts.regular)
        else:
            from reportlab.lib.utils import ImageReader

            iw, ih = ImageReader(str(st.logo)).getSize()
            logo = TaggedImage(st.logo, h * iw / ih, h, fig)
    title = ctx.para(_md_escape(lf.title), ctx.styles.h1, doc, "H1")
    key = "lwh_title"
    title.lw_bookmark = (0, key, lf.title)
    subtitle = ctx.para(_md_escape(lf.subtitle), ctx.styles.subtitle, doc) if lf.subtitle else None
    band = TitleBand(title, subtitle, logo, st, st.spec.title_band, bleed)
    band.spaceAfter = 6 * MM
    return [band]


def _key_points(ctx: _Ctx, doc: StructElem) -> list:
    kp = ctx.leaflet.key_points
    if kp is None:
        return []
    sect = doc.add("Sect")
    content = [ctx.heading(kp.title, 2, sect)]
    content[0].style = ctx.styles.box_heading
    content += _list_items(ctx, kp.items, sect, False, None)
    return [_boxed(ctx, content, ctx.style.colours.tint, ctx.style.colours.accent)]


def _booklet(ctx: _Ctx, doc: StructElem) -> list:
    bk = ctx.leaflet.booklet
    if bk is None:
        return []
    sect = doc.add("Sect")
    content: list = [ctx.heading(f"From the booklet: {_md_escape(bk.title)}", 2, sect)]
    content[0].style = ctx.styles.box_heading
    if bk.series:
        content.append(ctx.para(_md_escape(bk.series), ctx.styles.body, sect))
    content.append(
        ctx.para("This leaflet is one section of the booklet. Its contents:", ctx.styles.body, sect)
    )
    toc = sect.add("TOC")
    item_style = _label_style(ctx, ctx.styles.item, f"{len(bk.contents)}.")
    colour = HexColor(ctx.style.colours.muted)
    for n, entry in enumerate(bk.contents, 1):
        toci = toc.add("TOCI")
        text = _md_escape(entry)
        if entry == bk.current:
            text = f"**{text} (this section)**"
        lbl = toci.add("Lbl", text=f"{n}.")  # the label reads before the entry's text
        p = ctx.para(text, item_style, toci)
        p.lw_label = (f"{n}.", lbl, ctx.style.fonts.regular, item_style.fontSize, colour)
        content.append(p)
    return [_boxed(ctx, content, ctx.style.colours.tint, ctx.style.colours.primary, split=True)]


def _about(ctx: _Ctx, doc: StructElem) -> list:
    lf = ctx.leaflet
    sect = doc.add("Sect")
    out: list = [ctx.heading("About this information", 2, sect)]
    facts = [
        f"**Version:** {_md_escape(lf.version)}",
        f"**Published:** {format_date(lf.published)}",
        f"**Next review due:** {format_date(lf.review_by)}",
    ]
    out.append(ctx.para("\n".join(facts), ctx.styles.body, sect))
    if lf.change_note:
        out.append(
            ctx.para(f"**What changed in this version:** {_md_escape(lf.change_note)}", ctx.styles.body, sect)
        )
    if lf.authors:
        out.append(ctx.para("**Written by:** " + _people(lf.authors), ctx.styles.body, sect))
    if lf.reviewers:
        out.append(ctx.para("**Reviewed by:** " + _people(lf.reviewers), ctx.styles.body, sect))
    if lf.acknowledgements:
        out.append(ctx.heading("Acknowledgements", 3, sect))
        out.extend(ctx.para(p, ctx.styles.body, sect) for p in _paragraphs(lf.acknowledgements))
    if lf.references:
        out.append(ctx.heading("Sources", 3, sect))
        out.extend(_list_items(ctx, lf.references, sect, True, None))
    if lf.feedback:
        out.append(ctx.heading("Tell us what you think", 3, sect))
        out.extend(ctx.para(p, ctx.styles.body, sect) for p in _paragraphs(lf.feedback))
    if lf.disclaimer:
        out.append(ctx.heading("Disclaimer", 3, sect))
        out.extend(ctx.para(p, ctx.styles.body, sect) for p in _paragraphs(lf.disclaimer))
    return out


def _people(people: list) -> str:
    return "; ".join(_md_escape(p.name) + (f" ({_md_escape(p.role)})" if p.role else "") for p in people)


def _contact(ctx: _Ctx, doc: StructElem) -> list:
    lf = ctx.leaflet
    pub = lf.publisher
    sect = doc.add("Sect")
    content: list = [ctx.heading(f"Contact {_md_escape(pub.name)}", 2, sect)]
    content[0].style = ctx.styles.box_heading
    body = ctx.styles.body
    lines: list[str] = []
    if pub.address:
        lines.append(", ".join(_md_escape(a) for a in pub.address))
    if pub.helpline:
        h = pub.helpline
        num = nobreak(h.number)
        lines.append(
            f"**{_md_escape(h.label or 'Helpline')}:** "
            f"[{num}](tel:{h.number.replace(' ', '')})" + (f" ({_md_escape(h.hours)})" if h.hours else "")
        )
    if pub.phone:
        lines.append(f"**Telephone:** [{nobreak(pub.phone)}](tel:{pub.phone.replace(' ', '')})")
    if pub.email:
        lines.append(f"**Email:** [{_md_escape(pub.email)}](mailto:{pub.email})")
    if pub.web:
        lines.append(f"**Website:** [{_md_escape(_short_url(pub.web))}]({pub.web})")
    for s in pub.social:
        lines.append(f"**{_md_escape(s.network)}:** {_md_escape(s.handle)}")
    if pub.charity_number:
        lines.append(_md_escape(pub.charity_number))
    content += [ctx.para(line, body, sect) for line in lines]
    out: list = []
    if lines:  # a publisher with only a name gets no empty contact box
        out.append(_boxed(ctx, content, ctx.style.colours.tint, ctx.style.colours.primary))
    else:
        doc.kids.remove(sect)
    if lf.online_url:
        online = doc.add("Sect")
        qr_size = 30 * MM
        fig = online.add("Figure", alt=f"QR code: scan it to open this leaflet online at {lf.online_url}")
        qr = QRCode(lf.online_url, qr_size, HexColor(ctx.style.colours.text), fig)
        text = ctx.para(
            f"**Read this leaflet online:** [{_md_escape(_short_url(lf.online_url))}]({lf.online_url})",
            body,
            online,
        )
        t = BoxTable([[qr, text]], colWidths=[qr_size + 5 * MM, ctx.width - qr_size - 5 * MM])
        t.setStyle(
            TableStyle(
                [
                    ("FONTNAME", (0, 0), (-1, -1), ctx.style.fonts.regular),
                    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ]
            )
        )
        out.append(KeepTogether([t]))
    return out


def _short_url(url: str) -> str:
    return url.split("://", 1)[-1].rstrip("/")


def _notice(ctx: _Ctx, doc: StructElem) -> list:
    if not ctx.leaflet.other_formats:
        return []
    return [ctx.para(ctx.leaflet.other_formats, ctx.styles.notice, doc)]


def layout_leaflet(
    leaflet: Leaflet,
    style: ResolvedStyle,
    image_paths: dict[tuple, Path] | None = None,
    *,
    bleed: float = 0.0,
) -> Layout:
    """The leaflet as flowables in reading order, with the structure tree they fill.

    ``image_paths`` maps each image block's YAML path to its file, already resolved
    and checked (``render.resolve_images``).
    ``bleed`` (points) is how far full-bleed backgrounds run past the trim: 0 for a
    reading PDF, 3 mm for the print file.
    """
    styles = make_styles(style)
    top, right, bottom, left = style.margins
    tree = TagTree(leaflet.language)
    ctx = _Ctx(leaflet, style, styles, style.frame_width, image_paths=image_paths or {})
    doc = tree.root
    flow: list = []
    flow += _title(ctx, doc, bleed)
    flow += _booklet(ctx, doc)
    flow += _key_points(ctx, doc)
    for i, sec in enumerate(leaflet.sections):
        flow += _section(ctx, sec, 2, doc, ("sections", i))
    flow.append(Spacer(0, 4 * MM))
    flow += _contact(ctx, doc)
    flow += _about(ctx, doc)
    flow += _notice(ctx, doc)
    return Layout(flow, tree, styles)
