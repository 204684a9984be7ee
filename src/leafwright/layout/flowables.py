"""The flowables layout is made of: each knows the structure element it draws into.

Paragraphs mark their text as content of their element wherever they land (a
paragraph split over two pages stays one element); pictures are Figures with their
bounding box, or artifacts; box and table fills and rules are artifacts. They call
the drawing canvas's tagging hooks (:class:`leafwright.tag.TaggingHooks`).
"""

from __future__ import annotations

import copy
import functools
import itertools
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from reportlab.lib.colors import HexColor
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, KeepTogether

from .. import reportlab_internals as rl
from ..style import MM, ResolvedStyle
from ..tag import StructElem
from ..text import Line, Piece, TextStyle, glyph_codes, lay_out, longest_word, wrapped_texts
from ..text.bidi import language_is_rtl


class TaggedParagraph(Flowable):
    """A paragraph laid out by :mod:`leafwright.text` and drawn as marked content of ``lw_elem``.

    Its lines come from :func:`leafwright.text.lay_out` for the widths it is wrapped at;
    widths, indents, colour and alignment from the ParagraphStyle it is given. Pieces made
    by :meth:`split` share the element (and its links and language runs), so a paragraph
    broken across pages stays one structure element with content on both pages. With no
    element (the footer) it draws its text unmarked.
    """

    style: ParagraphStyle
    lw_elem: StructElem  # None only for the footer's untagged paragraph
    lw_first = True
    lw_bookmark: tuple[int, str, str] | None = None  # (outline level, key, title)
    lw_label: tuple[str, StructElem, str, float, Any] | None = None  # text, Lbl, font, size, colour
    lw_continues = False  # a piece whose text goes on in the next piece (on the next page)

    def __init__(
        self,
        text: str,
        style: ParagraphStyle,
        fonts: Any,
        *,
        elem: StructElem | None = None,
        link_colour: str | None = None,
        markup: bool = True,
        lang: str | None = None,
    ):
        super().__init__()
        self.lang = lang  # the paragraph's language: its direction, how it is shaped
        self.rtl = False
        self.text = text
        self.style = style
        self.fonts = fonts
        self.link_colour = link_colour
        self.markup = markup
        self.lw_elem = elem  # type: ignore[assignment]
        self.lines: tuple[Line, ...] = ()
        self._laid_for: tuple | None = None
        self._fixed = False  # a piece of a split paragraph: its lines are set
        self._elems: dict[tuple, StructElem] = {}  # Link/Span elements by wrap, shared by pieces
        self._lw_drawn = False

    def text_style(self) -> TextStyle:
        st = self.style
        return TextStyle(
            self.fonts,
            st.fontName,
            st.fontSize,
            self.link_colour,
            st.spaceShrinkage,
            language_is_rtl(self.lang),
            self.lang,
        )

    def _room(self, width: float) -> tuple[float, float]:
        st = self.style
        rest = width - st.leftIndent - st.rightIndent
        return rest - (st.firstLineIndent if self.lw_first else 0.0), rest

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        st = self.style
        if not self._fixed:
            first, rest = self._room(availWidth)
            key = (first, rest, st.fontName, st.fontSize)
            if key != self._laid_for:
                self.lines = lay_out(self.text, self.text_style(), first, rest, markup=self.markup)
                self._laid_for = key
                self.rtl = bool(self.lines) and self.lines[0].rtl
        self.width = availWidth
        self.height = len(self.lines) * st.leading
        return availWidth, self.height

    def minWidth(self) -> float:
        st = self.style
        return longest_word(self.text, self.text_style(), markup=self.markup) + st.leftIndent + st.rightIndent

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        # as ReportLab's paragraphs split (widows and orphans as the style says)
        if availWidth < _FUZZ or availHeight < _FUZZ:
            return []
        if self._laid_for is None and not self._fixed:
            # (as ReportLab's: split the lines last wrapped, which a table's cell measured
            # its height with, even when the split is asked for at another width)
            self.wrap(availWidth, availHeight)
        st = self.style
        n = len(self.lines)
        if not n:
            return []
        s = int(availHeight / st.leading)
        orphans = getattr(st, "allowOrphans", 0)
        if (not orphans and s <= 1) or s == 0:
            return []
        if n <= s:
            return [self]
        if not getattr(st, "allowWidows", 1) and n == s + 1:
            if (orphans and n == 3) or n > 3:
                s -= 1
            else:
                return []
        return [
            self._piece(self.lines[:s], True, True),
            self._piece(self.lines[s:], False, self.lw_continues),
        ]

    def _piece(self, lines: tuple[Line, ...], first: bool, continues: bool) -> TaggedParagraph:
        p = copy.copy(self)
        for k in _FRAME_STATE:  # what ReportLab noted on this flowable is not the piece's
            p.__dict__.pop(k, None)
        p.lines = lines
        p._fixed = True
        p._lw_drawn = False
        p.lw_first = self.lw_first and first
        p.lw_bookmark = self.lw_bookmark if p.lw_first else None
        p.lw_label = self.lw_label if p.lw_first else None
        p.lw_continues = continues
        return p

    def resized(self, size: float) -> TaggedParagraph:
        """The same paragraph (element, bookmark, text) set at another size."""
        st = self.style
        style = ParagraphStyle(
            f"{st.name}-{size:.1f}", parent=st, fontSize=size, leading=st.leading * size / st.fontSize
        )
        q = copy.copy(self)
        q.style = style
        q._laid_for = None
        return q

    def draw(self) -> None:
        canv = self.canv
        if self._lw_drawn:
            # drawn a second time: a table header row repeated on a new page
            with canv.artifact("Pagination", "Header"):
                self._draw_lines(canv)
            return
        self._lw_drawn = True
        if self.lw_bookmark and self.lw_first:
            level, key, title = self.lw_bookmark
            canv.bookmarkHorizontal(key, 0, self.height)
            canv.addOutlineEntry(title, key, level=level)
        if self.lw_label and self.lw_first:
            text, elem, font, size, colour = self.lw_label
            y = self.height - self.style.fontSize  # the first baseline
            with canv.marked(elem):
                canv.saveState()
                canv.setFont(font, size)
                canv.setFillColor(colour)
                x = self.style.bulletIndent
                if self.rtl:  # the label on the right, as the text starts there
                    x = self.width - x - canv.stringWidth(text, font, size)
                canv.drawString(x, y, text)
                canv.restoreState()
        self._draw_lines(canv)

    def _elem_for(self, wraps: tuple) -> StructElem | None:
        """The element a piece in these Link/Span wraps is content of (made when first drawn)."""
        if self.lw_elem is None or not wraps:
            return self.lw_elem
        e = self._elems.get(wraps)
        if e is None:
            parent = self._elem_for(wraps[:-1])
            assert parent is not None
            role, value, _n = wraps[-1]
            text = wrapped_texts(self.text).get(wraps[-1], "")
            if role == "Link":
                e = parent.add("Link", text=text, attrs={"_url": value})
            else:  # a run in another language (PDF 32000-1 §14.9.2: /Lang on a Span)
                e = parent.add("Span", text=text, lang=value)
            self._elems[wraps] = e
        return e

    def _draw_lines(self, canv: Any) -> None:
        st = self.style
        if not self.lines:
            return
        size, leading = st.fontSize, st.leading
        y = self.height - size  # the first baseline (as ReportLab's paragraphs)
        canv.saveState()
        canv.setFillColor(st.textColor)
        tx = canv.text_object()
        # font, colour, element marked; for lines not drawn as written: JoinedText, shown_cache
        state: list[Any] = [None, None, False, None, None]
        done = rl.piece_cache(canv)
        links: list[tuple[float, float, float, str, str | None, tuple]] = []  # x1, x2, y, url, colour, wraps
        rtl = self.rtl
        for i, line in enumerate(self.lines):
            first = i == 0 and self.lw_first
            # a right-to-left paragraph is set from the right: its indents mirrored (the
            # left indent, a list item's room for its label, and the first line's on the right)
            room = self.width - st.leftIndent - st.rightIndent
            x = st.rightIndent if rtl else st.leftIndent
            if first:
                room -= st.firstLineIndent
                if not rtl:
                    x += st.firstLineIndent
            x += _align(_mirrored(st.alignment) if rtl else st.alignment, room, line.width)
            if line.plain:
                self._plain_line(canv, tx, line, x, y, state, links, done)
            else:
                self._mixed_line(canv, tx, line, x, y, state, links, done)
            y -= leading
        canv.drawText(tx)
        canv.restoreState()
        if links:
            with canv.artifact():  # link underlines are decoration
                canv.saveState()
                for x1, x2, ly, _url, c, _w in links:
                    canv.setStrokeColor(_colour(c) if c else st.textColor)
                    canv.line(x1, ly - 0.125 * size, x2, ly - 0.125 * size)
                canv.restoreState()
            for x1, x2, ly, url, _c, w in links:
                canv.add_link(url, (x1, ly - 0.2 * size, x2, ly + size), self._elem_for(w))

    def _look(self, tx: Any, look: Any, state: list[Any]) -> None:
        """Set the font and colour of a piece in ``look`` where they differ from ``state``'s."""
        st = self.style
        if look.font != state[0]:
            state[0] = look.font
            tx.setFont(look.font, st.fontSize, st.leading)
        if look.colour != state[1]:
            state[1] = look.colour
            tx.setFillColor(_colour(look.colour) if look.colour else st.textColor)

    def _show(self, tx: Any, piece: Piece, state: list[Any], done: dict) -> None:
        """Set the font and colour of ``piece`` and show it as written (``done``: the
        document's :func:`~leafwright.reportlab_internals.piece_cache`)."""
        self._look(tx, piece.look, state)
        mark = rl.replay(tx, done, piece.text)
        if mark is not None:
            rl.text_out(tx, piece.text)
            rl.remember(tx, done, mark)

    @staticmethod
    def _note_link(links: list, piece: Piece, x: float, end: float, y: float) -> None:
        lk = piece.look
        if not lk.link or x >= end:
            return
        k = max(j for j, w in enumerate(lk.wraps) if w[0] == "Link")
        link = lk.wraps[: k + 1]  # the link's element, as _elem_for finds it
        x2 = min(x + piece.width, end)
        if links and links[-1][5] == link and abs(links[-1][1] - x) < 0.01 and links[-1][2] == y:
            links[-1] = (links[-1][0], x2, y, lk.link, lk.colour, link)
        else:
            links.append((x, x2, y, lk.link, lk.colour, link))

    def _plain_line(
        self, canv: Any, tx: Any, line: Line, x: float, y: float, state: list, links: list, done: dict
    ) -> None:
        """A line drawn as written: one marked sequence runs on from line to line."""
        tx.setTextOrigin(x, y)
        end = x + line.width
        for piece in line.pieces:
            e = self._elem_for(piece.look.wraps)
            if e is not state[2]:
                canv.mark_text(tx, e)
                state[2] = e
            self._show(tx, piece, state, done)
            self._note_link(links, piece, x, end, y)
            x += piece.width

    def _mixed_line(
        self, canv: Any, tx: Any, line: Line, x: float, y: float, state: list, links: list, done: dict
    ) -> None:
        """A line whose glyphs are not its text as written (right to left, shaped): each run
        of an element's pieces marked on its own, with the logical text as /ActualText, and
        drawn in as few TJ arrays as its fonts, subsets, colours and rises allow."""
        pieces = line.pieces
        n = len(pieces)
        logical = line.logical or _in_order(n)
        # the element each piece is content of, by its Link/Span wraps (the elements
        # themselves are made as the runs are drawn, in reading order)
        wraps = [p.look.wraps for p in pieces]
        out = state[3]
        if out is None:  # the paragraph's first line drawn so
            out = state[3] = rl.JoinedText(tx)
            state[4] = rl.shown_cache(canv, self.style.fontSize, self.style.leading)
        shown_as = state[4]
        trail = logical.index(n - 1) if line.trail else -1
        if trail == 0:
            x -= pieces[0].width  # the space kept at a right-to-left line's end: to its left
        xs: list[float] | None = None  # where each piece starts (for runs after the first, links)
        # runs of display indices, each one element's consecutive text, and its text
        runs: list[tuple[Sequence[int], str | None]] = []  # (None: the text as drawn)
        in_order = logical == _in_order(n)
        if wraps.count(wraps[0]) == n and (in_order or logical == _in_order(n)[::-1]):
            # (most lines: one element's text, in one direction: one run)
            texts = [p.text for p in pieces]
            if not in_order:
                texts.reverse()
            as_drawn = in_order and all(p.shaped is None for p in pieces)
            runs.append((range(n), None if as_drawn else "".join(texts)))
        else:
            run = [0]
            spans: list[list[int]] = []
            for d in range(1, n):
                if wraps[d] == wraps[d - 1] and abs(logical[d] - logical[d - 1]) == 1:
                    run.append(d)
                else:
                    spans.append(run)
                    run = [d]
            spans.append(run)
            # the runs go into the page in reading order, each at its place on the line, so
            # what reads the content in its order (text extraction, reflow) meets them in it
            spans.sort(key=lambda r: min(logical[d] for d in r))
            for span in spans:
                read = sorted(span, key=logical.__getitem__)
                as_drawn = read == span and all(pieces[d].shaped is None for d in span)
                runs.append((span, None if as_drawn else "".join([pieces[d].text for d in read])))
            xs = _starts(pieces, x)
        for r, text in runs:
            out.flush()
            tx.setTextOrigin(x if xs is None else xs[r[0]], y)
            canv.mark_text(tx, self._elem_for(wraps[r[0]]), actual_text=text)
            shown: list[rl.Shown] = []  # what the pieces since the font or colour was set show
            for d in r:
                piece = pieces[d]
                lk = piece.look
                if lk.font != state[0] or lk.colour != state[1]:
                    out.show(shown)
                    shown.clear()
                    out.flush()
                    self._look(tx, lk, state)
                key = (piece.text, lk.font, piece.level, lk.lang)
                hit = shown_as.get(key)
                if hit is None:
                    hit = self._shown(tx, piece, canv, key)
                    if hit is not None:
                        shown_as[key] = hit
                if hit is not None:
                    shown.append(hit)
                else:  # a font not drawn through subsets: as ReportLab draws it, unraised
                    out.show(shown)
                    shown.clear()
                    out.end()
                    rl.text_out(tx, piece.text)
                if lk.link and d != trail:
                    if xs is None:
                        xs = _starts(pieces, x)
                    self._note_link(links, piece, xs[d], xs[d] + piece.width, y)
            out.show(shown)
        out.end()
        state[2] = False  # the next line marks afresh (no element is False)

    @staticmethod
    def _shown(tx: Any, piece: Piece, canv: Any, key: tuple) -> rl.Shown | None:
        """What ``piece`` is shown as in the text object's font, size and leading (see
        :data:`~leafwright.reportlab_internals.Shown`)."""
        if piece.shaped is None:
            return rl.text_shown(tx, piece.text)
        lk = piece.look
        # (the glyph names glyph_codes notes are the document's)
        codes = glyph_codes(piece.text, lk.font, bool(piece.level % 2), lk.lang, canv.lw_glyph_names)
        return rl.shaped_shown(tx, lk.font, codes, piece.shaped, key)


def _starts(pieces: Sequence[Piece], x: float) -> list[float]:
    """Where each piece of a line starts, the first at ``x`` (and where the last ends)."""
    return list(itertools.accumulate((p.width for p in pieces), initial=x))


@functools.lru_cache(maxsize=256)
def _in_order(n: int) -> tuple[int, ...]:
    """0, 1, ... n - 1: the logical order of a line of ``n`` pieces drawn as written."""
    return tuple(range(n))


def _mirrored(alignment: int) -> int:
    """Left (every style's alignment: the start of the line) becomes right in a right-to-left
    paragraph, whose lines start at the right; a style set right or centred stays so."""
    return TA_RIGHT if alignment == TA_LEFT else alignment


def _align(alignment: int, room: float, width: float) -> float:
    """How far a line of ``width`` starts from the left of its ``room``."""
    if alignment == TA_RIGHT:
        return room - width
    if alignment == TA_CENTER:
        return (room - width) / 2
    return 0.0


@functools.lru_cache(maxsize=64)
def _colour(hex_colour: str) -> Any:
    return HexColor(hex_colour)


_FUZZ = 1e-6
#: Attributes ReportLab's frames and document set on a flowable while placing it.
_FRAME_STATE = ("_postponed", "canv", "_frame", "_traceInfo")


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
    q: TaggedParagraph = p.resized(size)
    return q
