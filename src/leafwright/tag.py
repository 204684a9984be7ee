"""Stage 5: tagging -- the structure tree, and a canvas that marks what it draws.

Layout builds a tree of :class:`StructElem` in reading order before anything is
drawn; every flowable holds the element it belongs to. While drawing, the
:class:`TaggingCanvas` wraps each piece of real content in a marked-content
sequence (``/P <</MCID n>> BDC ... EMC``, PDF 32000-1 §14.7.4) and appends a
marked-content reference to that element, and wraps page furniture in
``/Artifact`` sequences (§14.8.2.2). At save time it writes the tree
(``StructTreeRoot``, ``ParentTree``, ``RoleMap``, §14.7.2-14.7.4), the catalog
entries PDF/UA-1 asks for (``MarkInfo``, ``Lang``, ``ViewerPreferences``,
``Metadata``) and ``/StructParents`` and ``/Tabs /S`` on each page.
"""

from __future__ import annotations

import datetime as _dt
import re
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Iterator
from xml.sax.saxutils import escape as _xml_escape

from reportlab.pdfbase import pdfdoc
from reportlab.pdfbase.pdfdoc import (
    PDFArray,
    PDFDictionary,
    PDFName,
    PDFObjectReference,
    PDFStream,
    PDFString,
)
from reportlab.pdfgen.canvas import Canvas

# Non-standard roles we use, mapped to the standard PDF 1.7 types (§14.8.4) they act as.
ROLE_MAP = {"Aside": "Div", "Title": "H1"}

# A text object's code entry that shows text (PDF 32000-1 §9.4.3; ReportLab writes Tj and TJ).
_SHOWS_TEXT = re.compile(r"\bT[jJ]\b")

# Attribute values that are names, not strings (§14.8.5: owner, list, table and layout keys).
_NAME_ATTRS = frozenset(
    ("O", "Scope", "Placement", "ListNumbering", "WritingMode", "TextAlign", "BlockAlign", "InlineAlign")
)


@dataclass(eq=False)
class MCR:
    """A marked-content reference: content with ``mcid`` on page ``page`` (0-based)."""

    page: int
    mcid: int


@dataclass(eq=False)
class OBJR:
    """An object reference: an annotation on page ``page``."""

    page: int
    ref: PDFObjectReference
    struct_parent: int


@dataclass(eq=False)
class StructElem:
    """A structure element: a role (P, H2, LI, ...), its kids, and its attributes."""

    role: str
    parent: "StructElem | None" = None
    kids: list[Any] = field(default_factory=list)
    alt: str | None = None
    lang: str | None = None
    title: str | None = None
    actual_text: str | None = None
    attrs: dict[str, Any] | None = None
    # the text this element stands for, for tests and the audit outline
    text: str | None = None

    def add(self, role: str, **kw: Any) -> "StructElem":
        """Create a child element at the end of this one's kids."""
        child = StructElem(role, parent=self, **kw)
        self.kids.append(child)
        return child

    def walk(self) -> Iterator["StructElem"]:
        """This element and its descendants, depth first."""
        yield self
        for k in self.kids:
            if isinstance(k, StructElem):
                yield from k.walk()

    def has_content(self) -> bool:
        """Whether any content (or annotation) landed in this element or below it."""
        return any(
            isinstance(k, (MCR, OBJR)) or (isinstance(k, StructElem) and k.has_content()) for k in self.kids
        )


class TagTree:
    """The document's structure tree, rooted at a ``Document`` element."""

    def __init__(self, lang: str):
        self.root = StructElem("Document", lang=None)
        self.lang = lang


@dataclass
class DocMeta:
    """What the catalog, Info dictionary and XMP packet say about the document."""

    title: str
    lang: str
    author: str = ""
    subject: str = ""
    keywords: str = ""
    creator: str = "leafwright"
    date: _dt.date | None = None


class TaggingCanvas(Canvas):
    """A ReportLab canvas that marks content as it is drawn and writes the structure tree."""

    def __init__(self, *args: Any, tree: TagTree, meta: DocMeta, **kw: Any):
        super().__init__(*args, **kw)
        self.lw_tree = tree
        self.lw_meta = meta
        self._lw_page = 0
        self._lw_mcid = 0
        self._lw_page_parents: list[list[StructElem]] = [[]]
        self._lw_annots: list[tuple[int, StructElem]] = []  # struct parent key -> Link elem
        self._lw_has_annots = [False]
        self._lw_page_objects: list[Any] = []
        self._lw_artifact_depth = 0
        self._lw_para_depth = 0
        self._lw_link_stack: list[StructElem] = []
        self.lw_total_pages_form = "lwTotalPages"

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
        self._code.append(self.bdc(elem))
        try:
            yield
        finally:
            self._code.append("EMC")

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
        self._code.append(f"/Artifact{props} BDC" if props else "/Artifact BMC")
        self._lw_artifact_depth += 1
        try:
            yield
        finally:
            self._lw_artifact_depth -= 1
            self._code.append("EMC")

    # -- text objects: paragraphs mark inside BT/ET so links can interleave ---------------

    def begin_text_marked(self, x: float, y: float, elem: StructElem):
        """A text object whose content is marked for ``elem`` (closed in :meth:`drawText`)."""
        tx = self.beginText(x, y)
        tx._lw_elem = elem
        tx._lw_open = 0
        if not self._lw_artifact_depth:
            self._lw_open_segment(tx, elem)
            tx._lw_open = 1
            inner = self._lw_inner(elem)
            if inner is not elem:
                # a link that continues from the previous page piece of this paragraph
                self._lw_switch_segment(tx, inner)
        return tx

    def _lw_open_segment(self, tx: Any, elem: StructElem) -> None:
        """Open a marked-content sequence for ``elem`` inside text object ``tx``."""
        at = len(tx._code)
        tx._code.append(self.bdc(elem))
        tx._lw_seg = (at, elem, elem.kids[-1])

    def _lw_close_segment(self, tx: Any) -> None:
        """Close the open sequence; one that showed no text is taken back out.

        An empty sequence (a paragraph whose text starts or ends with a link) would
        otherwise leave the element a reference to nothing.
        """
        at, elem, mcr = tx._lw_seg
        empty = not any(_SHOWS_TEXT.search(c) for c in tx._code[at + 1 :])
        # only the newest MCID on this page can be given back (MCIDs index the parent tree)
        if empty and mcr.page == self._lw_page and mcr.mcid == self._lw_mcid - 1:
            del tx._code[at]
            elem.kids.remove(mcr)
            self._lw_page_parents[mcr.page].pop()
            self._lw_mcid = mcr.mcid
        else:
            tx._code.append("EMC")

    def _lw_switch_segment(self, tx: Any, elem: StructElem) -> None:
        self._lw_close_segment(tx)
        self._lw_open_segment(tx, elem)

    def drawText(self, aTextObject: Any) -> None:
        if getattr(aTextObject, "_lw_open", 0):
            self._lw_close_segment(aTextObject)
            aTextObject._lw_open = 0
        super().drawText(aTextObject)

    def lw_link(self, canv: Any, kind: str, label: str | None) -> None:
        """Paragraph callback at the start and end of a link's (or a language run's) text."""
        info = getattr(self, "_curr_tx_info", None)
        if info is None or self._lw_artifact_depth:
            return
        tx = info["tx"]
        elem = getattr(tx, "_lw_elem", None)
        if elem is None or not getattr(tx, "_lw_open", 0):
            return
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
        ann["Rect"] = PDFArray(self._absRect(rect, relative))
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
            name = f"lwlink{key}"
            self._addAnnotation(ann, name)
            link.kids.append(OBJR(self._lw_page, self._doc.refAnnotation(name), key))
        else:
            self._addAnnotation(ann)
        self._lw_has_annots[self._lw_page] = True

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
        page = self._doc.Pages.pages[-1]
        page.__NoDefault__ = list(page.__NoDefault__) + ["StructParents", "Tabs"]
        page.StructParents = self._lw_page
        if self._lw_has_annots[self._lw_page]:
            page.Tabs = PDFName("S")
        else:
            page.Tabs = None
        self._lw_page_objects.append(page)
        self._lw_page += 1
        self._lw_mcid = 0
        self._lw_page_parents.append([])
        self._lw_has_annots.append(False)

    # -- saving ------------------------------------------------------------------------

    def save(self) -> None:
        if len(self._code):
            self.showPage()
        # the last showPage opened an empty page record we do not use
        n_pages = len(self._lw_page_objects)
        self._lw_page_parents = self._lw_page_parents[:n_pages]
        _write_total_pages(self, n_pages)
        self._write_structure(n_pages)
        self._write_metadata()
        self._doc.SaveToFile(self._filename, self)

    def _write_structure(self, n_pages: int) -> None:
        doc = self._doc
        tree = self.lw_tree
        refs: dict[int, PDFObjectReference] = {}
        # only elements that hold content (or an annotation) somewhere below are written
        elems = [e for e in tree.root.walk() if e.has_content()]
        # Reserve a reference name for every element so kids and parents can point at each other.
        for i, e in enumerate(elems):
            refs[id(e)] = PDFObjectReference(f"lwSE{i}")
        root_ref = PDFObjectReference("lwStructTreeRoot")
        page_refs = [PDFObjectReference(f"Page{n + 1}") for n in range(n_pages)]
        for i, e in enumerate(elems):
            # written straight to bytes (see _Fast): these are most of a tagged file's objects
            parent = refs[id(e.parent)] if e.parent is not None else root_ref
            parts: list[Any] = [
                b"<< /Type /StructElem /S " + PDFName(e.role).encode("latin-1") + b" /P ",
                parent,
            ]
            # §14.7.4.2: a bare MCID kid is on the element's /Pg page; MCR dicts only
            # for content on other pages (a paragraph continued on the next page)
            pg = next((k.page for k in e.kids if isinstance(k, MCR)), None)
            if pg is not None:
                parts += [b" /Pg ", page_refs[pg]]
            parts.append(b" /K [")
            for k in e.kids:
                if isinstance(k, StructElem):
                    if id(k) in refs:
                        parts += [b" ", refs[id(k)]]
                elif isinstance(k, MCR):
                    if k.page == pg:
                        parts.append(b" %d" % k.mcid)
                    else:
                        parts += [b" << /Type /MCR /Pg ", page_refs[k.page], b" /MCID %d >>" % k.mcid]
                elif isinstance(k, OBJR):
                    parts += [b" << /Type /OBJR /Pg ", page_refs[k.page], b" /Obj ", k.ref, b" >>"]
            parts.append(b" ]")
            for key, value in (
                ("Alt", e.alt),
                ("ActualText", e.actual_text),
                ("T", e.title),
                ("Lang", e.lang),
            ):
                if value is not None:
                    parts += [f" /{key} ".encode("ascii"), PDFString(value)]
            if e.attrs:
                attrs = {k: v for k, v in e.attrs.items() if not k.startswith("_")}
                if attrs:
                    a = PDFDictionary()
                    for k, v in attrs.items():
                        a[k] = (
                            PDFName(v)
                            if isinstance(v, str) and k in _NAME_ATTRS
                            else (PDFArray(v) if isinstance(v, (list, tuple)) else v)
                        )
                    parts += [b" /A ", a]
            parts.append(b" >>")
            doc.Reference(_Fast(parts), f"lwSE{i}")
        # ParentTree (§14.7.4.4): page key -> array of elements by MCID; annotation key -> Link
        nums: list[Any] = [b"<< /Nums ["]
        for page in range(n_pages):
            nums.append(b"\n%d [" % page)
            for e in self._lw_page_parents[page]:
                nums += [b" ", refs[id(e)]]
            nums.append(b" ]")
        for key, link in self._lw_annots:
            nums += [b"\n%d " % key, refs[id(link)]]
        nums.append(b" ] >>")
        parent_tree = _Fast(nums)
        role_map = PDFDictionary({k: PDFName(v) for k, v in ROLE_MAP.items()})
        root = PDFDictionary()
        root["Type"] = PDFName("StructTreeRoot")
        root["K"] = PDFArray([refs[id(tree.root)]])
        root["ParentTree"] = doc.Reference(parent_tree, "lwParentTree")
        root["ParentTreeNextKey"] = 100000 + len(self._lw_annots)
        root["RoleMap"] = role_map
        doc.Reference(root, "lwStructTreeRoot")
        cat = doc.Catalog
        cat.StructTreeRoot = root_ref
        cat.MarkInfo = PDFDictionary({"Marked": "true"})
        cat.Lang = PDFString(tree.lang)
        cat.ViewerPreferences = PDFDictionary({"DisplayDocTitle": "true"})

    def _write_metadata(self) -> None:
        meta = self.lw_meta
        self._doc.Catalog.Metadata = _XMPStream(xmp_packet(meta))


def _write_total_pages(canv: Canvas, n_pages: int) -> None:
    """Fill in the 'Y' of 'Page X of Y' (a form XObject the footers drew)."""
    if not getattr(canv, "_lw_total_form_used", None):
        return
    font, size, colour = canv._lw_total_form_used
    canv.beginForm(canv.lw_total_pages_form)
    canv.setFillColor(colour)
    canv.setFont(font, size)
    canv.drawString(0, 0, str(n_pages))
    canv.endForm()


@contextmanager
def _nothing(*args: Any, **kw: Any) -> Iterator[None]:
    yield


class PlainCanvas(Canvas):
    """The same drawing with no tagging: the untagged baseline the benchmark compares with.

    It takes the hooks layout calls (``marked``, ``artifact``, ``paragraph``,
    ``begin_text_marked``, the ``lw_link`` callback) and does nothing with them,
    and writes no structure tree.
    """

    marked = artifact = paragraph = staticmethod(_nothing)

    def __init__(self, *args: Any, tree: TagTree | None = None, meta: DocMeta | None = None, **kw: Any):
        super().__init__(*args, **kw)
        self.lw_total_pages_form = "lwTotalPages"

    def begin_text_marked(self, x: float, y: float, elem: StructElem) -> Any:
        """A plain text object."""
        return self.beginText(x, y)

    def getNamedCB(self, name: str) -> Any:
        if name == "lw_link":
            return _no_link
        return super().getNamedCB(name)

    def save(self) -> None:
        if len(self._code):
            self.showPage()
        _write_total_pages(self, self.getPageNumber() - 1)
        self._doc.SaveToFile(self._filename, self)


def _no_link(canv: Any, kind: str, label: str | None) -> None:
    """The untagged canvas's link callback: links need no marking."""


class _Fast(pdfdoc.PDFObject):
    """A PDF object given as pieces: bytes, object references and ReportLab objects.

    ReportLab's generic formatting of hundreds of small dictionaries was most of
    what tagging cost; these pieces are joined with one lookup per reference.
    """

    def __init__(self, parts: list[Any]):
        self.parts = parts

    def format(self, document: Any) -> bytes:
        ids = document.idToObjectNumberAndVersion
        out = []
        for p in self.parts:
            if isinstance(p, bytes):
                out.append(p)
            elif type(p) is PDFObjectReference:
                out.append(b"%d %d R" % ids[p.name])
            else:
                out.append(pdfdoc.format(p, document))
        return b"".join(out)


class _XMPStream(PDFStream):
    """An uncompressed XMP metadata stream (§14.3.2: readable without decoding)."""

    def __init__(self, xml: str):
        super().__init__(
            dictionary=PDFDictionary({"Type": PDFName("Metadata"), "Subtype": PDFName("XML")}),
            content=xml.encode("utf-8"),
        )

    def format(self, document: Any) -> bytes:
        d = PDFDictionary(dict(self.dictionary.dict))
        d["Length"] = len(self.content)
        return pdfdoc.format(d, document) + b"\nstream\n" + self.content + b"\nendstream\n"


def _describe_url(url: str) -> str:
    if url.startswith("mailto:"):
        return "email " + url[7:]
    if url.startswith("tel:"):
        return "phone " + url[4:]
    return "web link " + url


def xmp_packet(meta: DocMeta) -> str:
    """The XMP packet: Dublin Core title, creator, language, dates and the PDF/UA part."""
    date = (meta.date or _dt.date(2000, 1, 1)).isoformat() + "T00:00:00Z"
    e = _xml_escape
    return f"""<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:xmp="http://ns.adobe.com/xap/1.0/"
    xmlns:pdf="http://ns.adobe.com/pdf/1.3/"
    xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/">
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">{e(meta.title)}</rdf:li></rdf:Alt></dc:title>
   <dc:creator><rdf:Seq><rdf:li>{e(meta.author)}</rdf:li></rdf:Seq></dc:creator>
   <dc:description><rdf:Alt><rdf:li xml:lang="x-default">{e(meta.subject)}</rdf:li></rdf:Alt></dc:description>
   <dc:language><rdf:Bag><rdf:li>{e(meta.lang)}</rdf:li></rdf:Bag></dc:language>
   <dc:format>application/pdf</dc:format>
   <pdf:Keywords>{e(meta.keywords)}</pdf:Keywords>
   <pdf:Producer>ReportLab PDF Library - www.reportlab.com</pdf:Producer>
   <xmp:CreatorTool>{e(meta.creator)}</xmp:CreatorTool>
   <xmp:CreateDate>{date}</xmp:CreateDate>
   <xmp:ModifyDate>{date}</xmp:ModifyDate>
   <xmp:MetadataDate>{date}</xmp:MetadataDate>
   <pdfuaid:part>1</pdfuaid:part>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"""
