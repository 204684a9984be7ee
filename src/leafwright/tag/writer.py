"""The structure tree written into the PDF: a pure writer from the recorded tree to PDF
objects (PDF 32000-1 §14.7-14.8), and the XMP metadata packet (§14.3.2, ISO 14289-1).

The tagging canvas records, while drawing, which element each marked-content
sequence and annotation belongs to; these functions turn that record into objects.
They reach ReportLab only through :mod:`leafwright.reportlab_internals`.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

from reportlab.pdfbase.pdfdoc import PDFArray, PDFDictionary, PDFName, PDFObjectReference, PDFString

from .. import reportlab_internals as rl
from .tree import MCR, OBJR, ROLE_MAP, DocMeta, StructElem, TagTree

# Attribute values that are names, not strings (§14.8.5: owner, list, table and layout keys).
_NAME_ATTRS = frozenset(
    ("O", "Scope", "Placement", "ListNumbering", "WritingMode", "TextAlign", "BlockAlign", "InlineAlign")
)


#: each role's opening bytes, ``<< /Type /StructElem /S /P /P `` (a few dozen roles)
_HEADS: dict[str, bytes] = {}


def write_structure(
    canv: Any,
    tree: TagTree,
    page_parents: list[list[StructElem]],
    annots: list[tuple[int, StructElem]],
    n_pages: int,
) -> None:
    """Write the tree (§14.7.2-14.7.4): one object per element that holds content, the
    ParentTree mapping each page's MCIDs and each annotation's key back to elements, the
    RoleMap; and the catalog entries PDF/UA-1 asks for (MarkInfo, Lang, ViewerPreferences).

    ``page_parents[p][mcid]`` is the element content ``mcid`` of page ``p`` belongs to;
    ``annots`` pairs each annotation's StructParent key with its Link element.
    """
    refs: dict[int, PDFObjectReference] = {}
    # only elements that hold content (or an annotation) somewhere below are written
    elems = [e for e in tree.root.walk() if e.has_content()]
    # Reserve a reference name for every element so kids and parents can point at each other.
    for i, e in enumerate(elems):
        refs[id(e)] = PDFObjectReference(f"lwSE{i}")
    root_ref = PDFObjectReference("lwStructTreeRoot")
    page_refs = [PDFObjectReference(f"Page{n + 1}") for n in range(n_pages)]
    for i, e in enumerate(elems):
        # written straight to bytes (see RawObject): these are most of a tagged file's objects
        parent = refs[id(e.parent)] if e.parent is not None else root_ref
        head = _HEADS.get(e.role)
        if head is None:
            head = _HEADS[e.role] = b"<< /Type /StructElem /S " + PDFName(e.role).encode("latin-1") + b" /P "
        parts: list[Any] = [head, parent]
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
            ("ID", e.ident),
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
                        # e.g. /Headers: an array of IDs, which are strings (§14.8.5.7)
                        else (
                            PDFArray([PDFString(x) if isinstance(x, str) else x for x in v])
                            if isinstance(v, (list, tuple))
                            else v
                        )
                    )
                parts += [b" /A ", a]
        parts.append(b" >>")
        rl.add_object(canv, rl.RawObject(parts), f"lwSE{i}")
    # ParentTree (§14.7.4.4): page key -> array of elements by MCID; annotation key -> Link
    nums: list[Any] = [b"<< /Nums ["]
    for page in range(n_pages):
        nums.append(b"\n%d [" % page)
        for e in page_parents[page]:
            nums += [b" ", refs[id(e)]]
        nums.append(b" ]")
    for struct_parent, link in annots:
        nums += [b"\n%d " % struct_parent, refs[id(link)]]
    nums.append(b" ] >>")
    parent_tree = rl.RawObject(nums)
    used = {e.role for e in elems}
    role_map = PDFDictionary({k: PDFName(v) for k, v in ROLE_MAP.items() if k in used})
    root = PDFDictionary()
    root["Type"] = PDFName("StructTreeRoot")
    root["K"] = PDFArray([refs[id(tree.root)]])
    root["ParentTree"] = rl.add_object(canv, parent_tree, "lwParentTree")
    root["ParentTreeNextKey"] = 100000 + len(annots)
    if used & set(ROLE_MAP):
        root["RoleMap"] = role_map
    rl.add_object(canv, root, "lwStructTreeRoot")
    cat = rl.catalog(canv)
    cat.StructTreeRoot = root_ref
    cat.MarkInfo = PDFDictionary({"Marked": "true"})
    cat.Lang = PDFString(tree.lang)
    from ..scripts import is_rtl

    prefs: dict[str, object] = {"DisplayDocTitle": "true"}
    if is_rtl(tree.lang):  # two-up views put page 2 left of page 3, as the reader turns them
        prefs["Direction"] = PDFName("R2L")
    cat.ViewerPreferences = PDFDictionary(prefs)


def _xml_escape(text: str) -> str:
    """Text escaped for XML character data (``&``, ``<``, ``>``), as ``xml.sax.saxutils.escape``
    does; that module imports ``urllib.request`` (~15 ms of every cold start)."""
    return text.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")


def write_metadata(canv: Any, meta: DocMeta) -> None:
    """The catalog's XMP metadata stream."""
    rl.catalog(canv).Metadata = rl.XMPStream(xmp_packet(meta))


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
   <pdf:Producer>{e(meta.producer)}</pdf:Producer>
   <xmp:CreatorTool>{e(meta.creator)}</xmp:CreatorTool>
   <xmp:CreateDate>{date}</xmp:CreateDate>
   <xmp:ModifyDate>{date}</xmp:ModifyDate>
   <xmp:MetadataDate>{date}</xmp:MetadataDate>
   <pdfuaid:part>1</pdfuaid:part>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"""
