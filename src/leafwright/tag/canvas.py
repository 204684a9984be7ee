"""The canvas hooks that mark content while it is drawn.

Layout's flowables call the hooks in :class:`TaggingHooks` (``marked``, ``artifact``,
``paragraph``, ``begin_text_marked``, the ``lw_link`` paragraph callback, ...) on
whatever canvas draws them. :class:`TaggingCanvas` wraps each piece of real content
in a marked-content sequence (``/P <</MCID n>> BDC ... EMC``, PDF 32000-1 §14.7.4),
records which element it belongs to, wraps page furniture in ``/Artifact`` sequences
(§14.8.2.2) and makes link annotations; at save time it hands its record to
:func:`leafwright.tag.writer.write_structure`. :class:`PlainCanvas` takes the same
hooks and does nothing with them (the untagged baseline the benchmark compares with).

ReportLab's internals are reached only through :mod:`leafwright.reportlab_internals`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Any, Protocol

from reportlab.pdfbase.pdfdoc import PDFArray, PDFDictionary, PDFName, PDFString
from reportlab.pdfgen.canvas import Canvas

from .. import reportlab_internals as rl
from ..reportlab_internals import MarkedText
from .tree import MCR, OBJR, DocMeta, StructElem, TagTree
from .writer import write_metadata, write_structure

# A text object's code entry that shows text (PDF 32000-1 §9.4.3; ReportLab writes Tj and TJ).
_SHOWS_TEXT = re.compile(r"\bT[jJ]\b")

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

    def paragraph(self) -> AbstractContextManager[None]:
        """While a paragraph draws: loose lines it strokes (underlines) become artifacts."""
        ...

    def begin_text_marked(self, x: float, y: float, elem: StructElem) -> Any:
        """A text object whose text is marked as content of ``elem``."""
        ...

    def draw_total_pages(self, font: str, size: float, colour: Any) -> None:
        """Draw the document's page count here (known only at save time)."""
        ...

    def record_image(self, path: Any, width: float, height: float) -> None:
        """Note a picture drawn at a size (the print file checks its resolution)."""
        ...


class _PageCount:
    """The 'Page X of Y' form both canvases share: drawn on each page, filled in at save."""

    lw_images: list[tuple[Any, float, float]]
    _lw_total_form_used: tuple[str, float, Any] | None

    def draw_total_pages(self, font: str, size: float, colour: Any) -> None:
        self.doForm(TOTAL_PAGES_FORM)  # type: ignore[attr-defined]
        self._lw_total_form_used = (font, size, colour)

    def record_image(self, path: Any, width: float, height: float) -> None:
        self.lw_images.append((path, width, height))

    def _write_total_pages(self, n_pages: int) -> None:
        """Fill in the 'Y' of 'Page X of Y' (a form XObject the footers drew)."""
        if not self._lw_total_form_used:
            return
        font, size, colour = self._lw_total_form_used
        canv: Any = self
        canv.beginForm(TOTAL_PAGES_FORM)
        canv.setFillColor(colour)
        canv.setFont(font, size)
        canv.drawString(0, 0, str(n_pages))
        canv.endForm()


class TaggingCanvas(_PageCount, Canvas):
    """A ReportLab canvas that marks content as it is drawn and writes the structure tree."""

    def __init__(self, *args: Any, tree: TagTree, meta: DocMeta, **kw: Any):
        super().__init__(*args, **kw)
        self.lw_tree = tree
        self.lw_meta = meta
        self.lw_images = []
        self._lw_total_form_used = None
        self._lw_page = 0
        self._lw_mcid = 0
        self._lw_page_parents: list[list[StructElem]] = [[]]
        self._lw_annots: list[tuple[int, StructElem]] = []  # struct parent key -> Link elem
        self._lw_page_objects: list[Any] = []
        self._lw_artifact_depth = 0
        self._lw_para_depth = 0
        self._lw_link_stack: list[StructElem] = []

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

    def begin_text_marked(self, x: float, y: float, elem: StructElem) -> MarkedText:
        """A text object whose content is marked for ``elem`` (closed in :meth:`drawText`)."""
        tx = MarkedText(self, x, y, elem)
        if not self._lw_artifact_depth:
            self._lw_open_segment(tx, elem)
            tx.open = True
            inner = self._lw_inner(elem)
            if inner is not elem:
                # a link that continues from the previous page piece of this paragraph
                self._lw_switch_segment(tx, inner)
        return tx

    def _lw_open_segment(self, tx: MarkedText, elem: StructElem) -> None:
        """Open a marked-content sequence for ``elem`` inside text object ``tx``."""
        code = rl.operators(tx)
        at = len(code)
        code.append(self.bdc(elem))
        tx.segment = (at, elem, elem.kids[-1])

    def _lw_close_segment(self, tx: MarkedText) -> None:
        """Close the open sequence; one that showed no text is taken back out.

        An empty sequence (a paragraph whose text starts or ends with a link) would
        otherwise leave the element a reference to nothing.
        """
        assert tx.segment is not None
        at, elem, mcr = tx.segment
        code = rl.operators(tx)
        empty = not any(_SHOWS_TEXT.search(c) for c in code[at + 1 :])
        # only the newest MCID on this page can be given back (MCIDs index the parent tree)
        if empty and mcr.page == self._lw_page and mcr.mcid == self._lw_mcid - 1:
            del code[at]
            elem.kids.remove(mcr)
            self._lw_page_parents[mcr.page].pop()
            self._lw_mcid = mcr.mcid
        else:
            code.append("EMC")

    def _lw_switch_segment(self, tx: MarkedText, elem: StructElem) -> None:
        self._lw_close_segment(tx)
        self._lw_open_segment(tx, elem)

    def drawText(self, aTextObject: Any) -> None:
        if isinstance(aTextObject, MarkedText) and aTextObject.open:
            self._lw_close_segment(aTextObject)
            aTextObject.open = False
        super().drawText(aTextObject)

    def lw_link(self, canv: Any, kind: str, label: str | None) -> None:
        """Paragraph callback at the start and end of a link's (or a language run's) text."""
        tx = rl.current_text_object(self)
        if tx is None or self._lw_artifact_depth:
            return
        if not isinstance(tx, MarkedText) or not tx.open:
            return
        elem = tx.elem
        action, _, index = (label or "").partition(":")
        # a run inside a link's words (or a link inside a language run) nests in it
        inner = self._lw_inner(elem)
        if action == "start":
            role, text, value = (elem.attrs or {}).get("_links", [])[int(index)]
            if role == "Link":
                child = inner.add("Link", text=text, attrs={"_url": value})
            else:  # a run in another language (PDF 32000-1 §14.9.2: /Lang on a Span)
                child = inner.add("Span", text=text, lang=value)
            self._lw_link_stack.append(child)
            self._lw_switch_segment(tx, child)
        elif action == "end" and self._lw_link_stack:
            self._lw_link_stack.pop()
            self._lw_switch_segment(tx, self._lw_inner(elem))

    def _lw_inner(self, elem: StructElem) -> StructElem:
        """The innermost open link or language run of paragraph ``elem`` (else ``elem``)."""
        if self._lw_link_stack:
            top = self._lw_link_stack[-1]
            p: StructElem | None = top
            while p is not None:
                if p is elem:
                    return top
                p = p.parent
        return elem

    def getNamedCB(self, name: str) -> Any:
        if name == "lw_link":
            return self.lw_link
        return super().getNamedCB(name)

    # -- furniture drawn by ReportLab inside paragraphs (link underlines) ---------------

    def line(self, *args: Any, **kw: Any) -> None:
        if self._lw_para_depth and not self._lw_artifact_depth:
            with self.artifact():
                super().line(*args, **kw)
        else:
            super().line(*args, **kw)

    @contextmanager
    def paragraph(self) -> Iterator[None]:
        """While a paragraph draws: loose lines it strokes (underlines) become artifacts."""
        self._lw_para_depth += 1
        try:
            yield
        finally:
            self._lw_para_depth -= 1

    # -- links -------------------------------------------------------------------------

    def linkURL(
        self,
        url: str,
        rect: Any,
        relative: int = 0,
        thickness: int = 0,
        color: Any = None,
        dashArray: Any = None,
        kind: str = "URI",
        **kw: Any,
    ) -> None:
        link = None
        for cand in reversed(self._lw_link_stack + self._lw_recent_links()):
            if cand.attrs and cand.attrs.get("_url") == url:
                link = cand
                break
        ann = PDFDictionary()
        ann["Type"] = PDFName("Annot")
        ann["Subtype"] = PDFName("Link")
        ann["Rect"] = PDFArray(rl.abs_rect(self, rect, relative))
        ann["Border"] = PDFArray([0, 0, 0])
        ann["F"] = 4  # print flag (§12.5.3): links print with the page
        action = PDFDictionary()
        action["Type"] = PDFName("Action")
        action["S"] = PDFName("URI")
        action["URI"] = PDFString(url)
        ann["A"] = action
        label = (link.text if link is not None and link.text else None) or url
        ann["Contents"] = PDFString(f"{label} ({_describe_url(url)})")
        if link is not None and not self._lw_artifact_depth:
            key = self._lw_struct_parent_key()
            ann["StructParent"] = key
            self._lw_annots.append((key, link))
            ref = rl.add_annotation(self, ann, f"lwlink{key}")
            link.kids.append(OBJR(self._lw_page, ref, key))
        else:
            rl.add_annotation(self, ann)

    def _lw_recent_links(self) -> list[StructElem]:
        # a link whose words are all inside a language run has no content of its own:
        # it is found as the parent of that run
        out: list[StructElem] = []
        for e in self._lw_page_parents[self._lw_page][-8:]:
            p: StructElem | None = e
            while p is not None and p.role in ("Link", "Span"):
                if p.role == "Link" and all(p is not q for q in out):
                    out.append(p)
                p = p.parent
        return out

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
        rl.save(self)


@contextmanager
def _nothing(*args: Any, **kw: Any) -> Iterator[None]:
    yield


class PlainCanvas(_PageCount, Canvas):
    """The same drawing with no tagging: the untagged baseline the benchmark compares with.

    It takes the hooks layout calls (``marked``, ``artifact``, ``paragraph``,
    ``begin_text_marked``, the ``lw_link`` callback) and does nothing with them,
    and writes no structure tree.
    """

    marked = artifact = paragraph = staticmethod(_nothing)

    def __init__(self, *args: Any, tree: TagTree | None = None, meta: DocMeta | None = None, **kw: Any):
        super().__init__(*args, **kw)
        self.lw_images = []
        self._lw_total_form_used = None

    def begin_text_marked(self, x: float, y: float, elem: StructElem) -> Any:
        """A plain text object."""
        return self.beginText(x, y)

    def getNamedCB(self, name: str) -> Any:
        if name == "lw_link":
            return _no_link
        return super().getNamedCB(name)

    def save(self) -> None:
        if rl.has_content(self):
            self.showPage()
        self._write_total_pages(self.getPageNumber() - 1)
        rl.save(self)


def _no_link(canv: Any, kind: str, label: str | None) -> None:
    """The untagged canvas's link callback: links need no marking."""


def _describe_url(url: str) -> str:
    if url.startswith("mailto:"):
        return "email " + url[7:]
    if url.startswith("tel:"):
        return "phone " + url[4:]
    return "web link " + url
