"""The flowables layout is made of: each knows the structure element it draws into.

Paragraphs mark their text as content of their element wherever they land (a
paragraph split over two pages stays one element); pictures are Figures with their
bounding box, or artifacts; box and table fills and rules are artifacts. They call
the drawing canvas's tagging hooks (:class:`leafwright.tag.TaggingHooks`).
"""

from __future__ import annotations

import functools
import weakref
from pathlib import Path
from typing import Any

from reportlab.lib.colors import HexColor
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, KeepTogether, Paragraph

from .. import reportlab_internals as rl
from ..style import MM, ResolvedStyle
from ..tag import StructElem
from .addresses import break_addresses


class TaggedParagraph(Paragraph):
    """A paragraph whose text is marked as content of ``lw_elem`` wherever it lands.

    Pieces made by :meth:`split` share the element, so a paragraph broken across
    pages stays one structure element with content on both pages.
    """

    style: ParagraphStyle
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
        st = self.style
        room = availWidth - st.leftIndent - st.rightIndent - max(st.firstLineIndent, 0)
        # a table measures its cells at one width and lays them out at another: addresses
        # are broken afresh for the width of each wrap
        if getattr(self, "_lw_address_room", None) != room:
            self._lw_address_room = room
            break_addresses(self, room)
        if not getattr(self, "_lw_long_checked", False):
            self._lw_long_checked = True
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
    one stopped (``_LINE_PROGRESS``: the non-space characters already matched).
    """
    src = elem.text or ""
    progress = _LINE_PROGRESS.get(elem)
    if progress is None:  # where each non-space character of the text is
        progress = _LINE_PROGRESS[elem] = ([i for i, c in enumerate(src) if not c.isspace()], 0)
    marks, seen = progress
    out: list[bool] = []
    for line in lines:
        seen += len("".join(_line_text(line).split()))  # the line's non-space characters
        if seen > len(marks):  # lost track: assume a break between words
            out.append(True)
            continue
        pos = marks[seen - 1] + 1 if seen else 0
        out.append(pos >= len(src) or src[pos].isspace())
    _LINE_PROGRESS[elem] = (marks, seen)
    return out


#: for each element whose paragraph is being drawn: where each non-space character of its
#: text is, and how many of them the lines drawn so far held (weak: gone with the tree)
_LINE_PROGRESS: weakref.WeakKeyDictionary[StructElem, tuple[list[int], int]] = weakref.WeakKeyDictionary()


@functools.lru_cache(maxsize=64)
def _widest_glyph(font_name: str) -> float:
    """The widest advance of any glyph in a font, in ems."""
    widths = rl.glyph_widths(font_name)
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
        canv.drawImage(image_reader(self.path), 0, 0, self.width, self.height, mask="auto")
        # recorded so the print file can check each picture's resolution at this size
        canv.record_image(self.path, self.width, self.height)


def image_reader(path: Path) -> Any:
    """A ReportLab reader for a picture, in a form the PDF can hold.

    ReportLab writes 8 bits a sample: a 16-bit greyscale PNG (Pillow's ``I;16`` or
    ``I`` mode) printed blank, so its samples are scaled down to 8 bits.
    """
    from reportlab.lib.utils import ImageReader

    reader = ImageReader(str(path))
    im = rl.pillow_image(reader)
    if getattr(im, "mode", "").startswith("I"):  # a PNG holds at most 16 bits: 0..65535 -> 0..255
        reader = ImageReader(im.convert("I").point(lambda v: v * (255 / 65535)).convert("L"))
    return reader


def _layout_bbox(canv: Any, width: float, height: float) -> dict[str, Any]:
    """Layout attributes with the /BBox (§14.8.5.4.3) of a ``width`` x ``height`` box at
    the current origin, in page coordinates (flowables draw inside translated frames)."""
    a, b, c, d, e, f = rl.current_matrix(canv)
    xs = [a * x + c * y + e for x in (0, width) for y in (0, height)]
    ys = [b * x + d * y + f for x in (0, width) for y in (0, height)]
    return {
        "O": "Layout",
        "BBox": [round(min(xs), 2), round(min(ys), 2), round(max(xs), 2), round(max(ys), 2)],
    }


class SvgImage(_Figure):
    """An SVG picture (a logo, or a picture in a leaflet), drawn as vectors: one Figure."""

    def __init__(self, drawing: Any, width: float, elem: StructElem | None, font: str):
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


class BoxTable(rl.ArtifactFillsTable):
    """A ReportLab table whose fills and rules are artifacts; cells tag themselves."""

    splitInRow: int
    lw_split_anywhere = True  # False: break inside a row only when taller than a page
    lw_long_box = True  # a one-cell box over half a page breaks inside its row (see split)

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        # A short box moves on whole. A long one (over half a page: large print, A5)
        # breaks inside its row (splitInRow) rather than leave most of a page empty, and
        # a box taller than a page always breaks when it reaches the top of one.
        page_h, at_top = rl.frame_state(getattr(self, "canv", None))
        long_box = (
            self.lw_long_box
            and page_h is not None
            and self.wrapped_height() > page_h / 2
            and availHeight > page_h / 4
        )
        # a row taller than a whole page can only ever be printed in parts: it may start here
        too_tall = page_h is not None and self.tallest_row() > page_h
        if self.splitInRow and not self.lw_split_anywhere and not at_top and not long_box and not too_tall:
            self.splitInRow = 0
            try:
                return super().split(availWidth, availHeight)
            finally:
                self.splitInRow = 1
        return super().split(availWidth, availHeight)


class KeepWithNext(KeepTogether):
    """Headings kept with what follows them -- with its start, not necessarily all of it.

    ReportLab keeps a heading with the whole next block: a long paragraph or table after
    a heading near a page's foot moved both to the next page and left most of the page
    empty. Here, when the whole group does not fit, the next block is split so that the
    headings and its first part (two lines at least, or a first table row) stay on this
    page; only when no part of it fits does the group move on whole.
    """

    def split(self, aW: float, aH: float) -> list[Flowable]:
        from reportlab.platypus.doctemplate import ActionFlowable

        *heads, nxt = self._content
        used = 0.0
        for i, f in enumerate(heads):
            used += f.wrap(aW, aH)[1] + f.getSpaceAfter() + (f.getSpaceBefore() if i else 0.0)
        room = aH - used - nxt.getSpaceBefore()
        if heads and room > 0:
            parts = nxt.split(aW, room)
            split = len(parts) >= 2 and not isinstance(parts[0], ActionFlowable)
            if split and parts[0].wrap(aW, room)[1] <= room:
                return [*heads, *parts]
        return list(super().split(aW, aH))


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

    #: The most of a page the band may take before its title is set smaller.
    MAX_SHARE = 0.6

    def _measure(self, availWidth: float, availHeight: float) -> None:
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

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self._measure(availWidth, availHeight)
        # A long title and subtitle on a small page (an A5 booklet whose footer repeats the
        # title) would fill it or more: set them smaller, step by step, never below the body
        # size, until the band takes at most MAX_SHARE of the page.
        limit = self.MAX_SHARE * availHeight
        body = self.style.type.body
        while self.height > limit and self.title.style.fontSize > body + 0.01:
            self.title = _resized(self.title, max(body, self.title.style.fontSize * 0.9))
            if self.subtitle is not None and self.subtitle.style.fontSize > body:
                self.subtitle = _resized(self.subtitle, max(body, self.subtitle.style.fontSize * 0.9))
            self._measure(availWidth, availHeight)
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


def _resized(p: Any, size: float) -> TaggedParagraph:
    """The same tagged paragraph set at another size (same element, bookmark and text)."""
    st = p.style
    style = ParagraphStyle(
        f"{st.name}-{size:.1f}", parent=st, fontSize=size, leading=st.leading * size / st.fontSize
    )
    q = TaggedParagraph(p.text, style)
    q.__dict__.update({k: v for k, v in p.__dict__.items() if k.startswith("lw_")})
    return q
