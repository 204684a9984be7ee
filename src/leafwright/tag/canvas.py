"""The canvas hooks that mark content while it is drawn.

Layout's flowables call the hooks in :class:`TaggingHooks` (``marked``, ``artifact``,
``text_object``, ``mark_text``, ``add_link``, ...) on whatever canvas draws them.
:class:`TaggingCanvas` wraps each piece of real content in a marked-content sequence
(``/P <</MCID n>> BDC ... EMC``, PDF 32000-1 §14.7.4), records which element it
belongs to, wraps page furniture in ``/Artifact`` sequences (§14.8.2.2) and makes link
annotations; at save time it hands its record to
:func:`leafwright.tag.writer.write_structure`. :class:`PlainCanvas` takes the same
hooks and does nothing with them (the untagged baseline the benchmark compares with).

ReportLab's internals are reached only through :mod:`leafwright.reportlab_internals`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Any, Protocol

from reportlab.pdfbase.pdfdoc import PDFArray, PDFDictionary, PDFName, PDFString
from reportlab.pdfgen.canvas import Canvas

from .. import reportlab_internals as rl
from ..reportlab_internals import MarkedText
from .tree import MCR, OBJR, DocMeta, StructElem, TagTree
from .writer import write_metadata, write_structure

TOTAL_PAGES_FORM = "lwTotalPages"
"""The form XObject holding the 'Y' of 'Page X of Y', filled in at save time."""


class TaggingHooks(Protocol):
    """What layout's flowables and the page footer call on the canvas that draws them."""

    def marked(self, elem: StructElem) -> AbstractContextManager[None]:
        """Mark everything drawn inside as content of ``elem``."""
        ...

    def artifact(self, kind: str | None = None, subtype: str | None = None) -> AbstractContextManager[None]:
        """Mark everything drawn inside as an artifact (page furniture)."""
        ...

    def text_object(self) -> Any:
        """A text object whose text :meth:`mark_text` marks (closed by ``drawText``)."""
        ...

    def mark_text(self, tx: Any, elem: StructElem | None, *, actual_text: str | None = None) -> None:
        """Mark the text ``tx`` shows from here on as content of ``elem`` (None: unmarked);
        ``actual_text``: the text it stands for, in reading order, where the glyphs drawn
        are not that text (right to left, shaped)."""
        ...

    def add_link(self, url: str, rect: Any, elem: StructElem | None) -> None:
        """A link annotation over ``rect`` (current coordinates) for the Link element ``elem``."""
        ...

    def draw_total_pages(self, font: str, size: float, colour: Any, *, right_of: float | None = None) -> None:
        """Draw the document's page count here (known only at save time)."""
        ...

    def record_image(self, path: Any, width: float, height: float) -> None:
        """Note a picture drawn at a size (the print file checks its resolution)."""
        ...


class _PageCount:
    """The 'Page X of Y' form both canvases share: drawn on each page, filled in at save.

    ``lw_glyph_names``: the text each shaped glyph drawn by a private-use code stands for
    (font, code) -> text, written into the fonts' ToUnicode CMaps at save time."""

    lw_images: list[tuple[Any, float, float]]
    lw_glyph_names: dict[tuple[str, int], str]
    _lw_total_form_used: tuple[str, float, Any, float | None] | None

    def draw_total_pages(self, font: str, size: float, colour: Any, *, right_of: float | None = None) -> None:
        self.doForm(TOTAL_PAGES_FORM)  # type: ignore[attr-defined]
        self._lw_total_form_used = (font, size, colour, right_of)

    def record_image(self, path: Any, width: float, height: float) -> None:
        self.lw_images.append((path, width, height))

    def _write_total_pages(self, n_pages: int) -> None:
        """Fill in the 'Y' of 'Page X of Y' (a form XObject the footers drew)."""
        if not self._lw_total_form_used:
            return
        font, size, colour, right_of = self._lw_total_form_used
        canv: Any = self
        canv.beginForm(TOTAL_PAGES_FORM)
        canv.setFillColor(colour)
        canv.setFont(font, size)
        if right_of is None:
            canv.drawString(0, 0, str(n_pages))
        else:  # the count ends at right_of: it stands just left of a right-to-left label
            canv.drawRightString(right_of, 0, str(n_pages))
        canv.endForm()


class TaggingCanvas(_PageCount, Canvas):
    """A ReportLab canvas that marks content as it is drawn and writes the structure tree."""

    def __init__(self, *args: Any, tree: TagTree, meta: DocMeta, **kw: Any):
        super().__init__(*args, **kw)
        self.lw_tree = tree
        self.lw_meta = meta
        self.lw_images = []
        self.lw_glyph_names = {}
        self._lw_total_form_used = None
        self._lw_page = 0
        self._lw_mcid = 0
        self._lw_page_parents: list[list[StructElem]] = [[]]
        self._lw_annots: list[tuple[int, StructElem]] = []  # struct parent key -> Link elem
        self._lw_page_objects: list[Any] = []
        self._lw_artifact_depth = 0

    # -- marking -------------------------------------------------------------------------

    def _next_mcid(self, elem: StructElem) -> int:
        mcid = self._lw_mcid
        self._lw_mcid += 1
        self._lw_page_parents[self._lw_page].append(elem)
        elem.kids.append(MCR(self._lw_page, mcid))
        return mcid

    def bdc(self, elem: StructElem) -> str:
        """The BDC operator opening a new marked-content sequence for ``elem``."""
        mcid = self._next_mcid(elem)
        return f"/{elem.role} <</MCID {mcid}>> BDC"

    @contextmanager
    def marked(self, elem: StructElem) -> Iterator[None]:
        """Mark everything drawn inside as content of ``elem``."""
        if self._lw_artifact_depth:
            yield
            return
        rl.emit(self, self.bdc(elem))
        try:
            yield
        finally:
            rl.emit(self, "EMC")

    @contextmanager
    def artifact(self, kind: str | None = None, subtype: str | None = None) -> Iterator[None]:
        """Mark everything drawn inside as an artifact (page furniture)."""
        if self._lw_artifact_depth:
            self._lw_artifact_depth += 1
            try:
                yield
            finally:
                self._lw_artifact_depth -= 1
            return
        props = ""
        if kind:
            props = f" <</Type /{kind}" + (f" /Subtype /{subtype}" if subtype else "") + ">>"
        rl.emit(self, f"/Artifact{props} BDC" if props else "/Artifact BMC")
        self._lw_artifact_depth += 1
        try:
            yield
        finally:
            self._lw_artifact_depth -= 1
            rl.emit(self, "EMC")

    # -- text objects: paragraphs mark inside BT/ET so links can interleave ---------------

    def text_object(self) -> MarkedText:
        """A text object whose text :meth:`mark_text` marks (closed in :meth:`drawText`)."""
        return MarkedText(self, 0, 0)

    def mark_text(self, tx: MarkedText, elem: StructElem | None, *, actual_text: str | None = None) -> None:
        """Close the marked-content sequence open in ``tx`` and open one for ``elem``, with
        ``actual_text`` (PDF 32000-1 §14.9.4) in a Span inside it (also in an artifact, or
        for text marked for no element: extraction and copy-paste read it)."""
        code = rl.operators(tx)
        if tx.open:
            code.extend(["EMC"] * tx.open)
            tx.open = 0
        if elem is not None and not self._lw_artifact_depth:
            code.append(self.bdc(elem))
            tx.open = 1
            tx.elem = elem
        if actual_text is not None:
            # replacement text for what the glyphs show, in a Span (where readers such as
            # poppler look for it)
            code.append(f"/Span <</ActualText <FEFF{actual_text.encode('utf-16-be').hex().upper()}>>> BDC")
            tx.open += 1

    def drawText(self, aTextObject: Any) -> None:
        if isinstance(aTextObject, MarkedText) and aTextObject.open:
            rl.operators(aTextObject).extend(["EMC"] * aTextObject.open)
            aTextObject.open = 0
        super().drawText(aTextObject)

    # -- links -------------------------------------------------------------------------

    def add_link(self, url: str, rect: Any, elem: StructElem | None) -> None:
        """A link annotation over ``rect`` (current coordinates), an OBJR kid of ``elem``."""
        ann = PDFDictionary()
        ann["Type"] = PDFName("Annot")
        ann["Subtype"] = PDFName("Link")
        ann["Rect"] = PDFArray(rl.abs_rect(self, rect, 1))
        ann["Border"] = PDFArray([0, 0, 0])
        ann["F"] = 4  # print flag (§12.5.3): links print with the page
        action = PDFDictionary()
        action["Type"] = PDFName("Action")
        action["S"] = PDFName("URI")
        action["URI"] = PDFString(url)
        ann["A"] = action
        label = (elem.text if elem is not None and elem.text else None) or url
        ann["Contents"] = PDFString(f"{label} ({_describe_url(url)})")
        if elem is not None and not self._lw_artifact_depth:
            key = self._lw_struct_parent_key()
            ann["StructParent"] = key
            self._lw_annots.append((key, elem))
            ref = rl.add_annotation(self, ann, f"lwlink{key}")
            elem.kids.append(OBJR(self._lw_page, ref, key))
        else:
            rl.add_annotation(self, ann)

    def _lw_struct_parent_key(self) -> int:
        # keys 0..pages-1 belong to pages; annotations use keys from 100000 up so that
        # they never collide with page keys however many pages follow
        return 100000 + len(self._lw_annots)

    # -- pages -------------------------------------------------------------------------

    def showPage(self) -> None:
        super().showPage()
        page = rl.last_page(self)
        rl.set_page_entries(
            page,
            StructParents=self._lw_page,
            # every page, annotations or not: tabbing follows the structure (as Typst and
            # WeasyPrint do; PDF/UA-1 asks for it where there are annotations)
            Tabs=PDFName("S"),
        )
        self._lw_page_objects.append(page)
        self._lw_page += 1
        self._lw_mcid = 0
        self._lw_page_parents.append([])

    # -- saving ------------------------------------------------------------------------

    def save(self) -> None:
        if rl.has_content(self):
            self.showPage()
        # the last showPage opened an empty page record we do not use
        n_pages = len(self._lw_page_objects)
        self._lw_page_parents = self._lw_page_parents[:n_pages]
        self._write_total_pages(n_pages)
        write_structure(self, self.lw_tree, self._lw_page_parents, self._lw_annots, n_pages)
        write_metadata(self, self.lw_meta)
        with rl.glyph_names(self.lw_glyph_names):
            rl.save(self)


@contextmanager
def _nothing(*args: Any, **kw: Any) -> Iterator[None]:
    yield


class PlainCanvas(_PageCount, Canvas):
    """The same drawing with no tagging: the untagged baseline the benchmark compares with.

    It takes the hooks layout calls (``marked``, ``artifact``, ``text_object``,
    ``mark_text``, ``add_link``) and marks nothing, and writes no structure tree.
    """

    marked = artifact = staticmethod(_nothing)

    def __init__(self, *args: Any, tree: TagTree | None = None, meta: DocMeta | None = None, **kw: Any):
        super().__init__(*args, **kw)
        self.lw_images = []
        self.lw_glyph_names = {}
        self._lw_total_form_used = None

    def text_object(self) -> Any:
        """A plain text object."""
        return self.beginText(0, 0)

    def mark_text(self, tx: Any, elem: StructElem | None, *, actual_text: str | None = None) -> None:
        """Nothing to mark."""

    def add_link(self, url: str, rect: Any, elem: StructElem | None) -> None:
        """A plain link annotation."""
        self.linkURL(url, rect, relative=1)

    def save(self) -> None:
        if rl.has_content(self):
            self.showPage()
        self._write_total_pages(self.getPageNumber() - 1)
        with rl.glyph_names(self.lw_glyph_names):
            rl.save(self)


def _describe_url(url: str) -> str:
    if url.startswith("mailto:"):
        return "email " + url[7:]
    if url.startswith("tel:"):
        return "phone " + url[4:]
    return "web link " + url
