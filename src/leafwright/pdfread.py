"""Read back any PDF's structure tree, with the text each element stands for.

``inspect_pdf(source)`` returns a :class:`PdfReport`: the structure tree as
:class:`Node` objects (role as written and standard role after the RoleMap,
``/Alt``, ``/Lang``, ``/ActualText``, attributes such as ``/Scope``, link
annotations with their ``/Contents`` and URI), each marked-content reference
resolved to the text drawn inside it, plus what a screen reader would miss or
trip over: content drawn outside any marked sequence or artifact, marked
content no element claims, and the document's language, title and fonts.

It works on PDFs not made by leafwright: text is found by walking each page's
content stream (PDF 32000-1 §14.6 marked content: ``BDC``/``BMC``/``EMC``;
§9.4 text operators; ``Do`` into form XObjects, §8.10) and decoded with each
font's ``/ToUnicode`` CMap (§9.10.3: ``bfchar`` and ``bfrange``), falling back
to the font's simple encoding. Text is kept as the content stream spells it:
a space is added only for a wide ``TJ`` gap, never at a line break, so words
joined across lines show up here as a screen reader would hear them.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Union

from pypdf import PdfReader
from pypdf.generic import (
    ArrayObject,
    BooleanObject,
    ContentStream,
    DictionaryObject,
    IndirectObject,
    NameObject,
    NumberObject,
    StreamObject,
    TextStringObject,
)

from . import pypdf_internals

# PDF 1.7 standard structure types (§14.8.4); anything else needs a RoleMap entry.
STANDARD_ROLES = frozenset(
    [
        "Document",
        "Part",
        "Art",
        "Sect",
        "Div",
        "BlockQuote",
        "Caption",
        "TOC",
        "TOCI",
        "Index",
        "NonStruct",
        "Private",
        "P",
        "H",
        "H1",
        "H2",
        "H3",
        "H4",
        "H5",
        "H6",
        "L",
        "LI",
        "Lbl",
        "LBody",
        "Table",
        "TR",
        "TH",
        "TD",
        "THead",
        "TBody",
        "TFoot",
        "Span",
        "Quote",
        "Note",
        "Reference",
        "BibEntry",
        "Code",
        "Link",
        "Annot",
        "Ruby",
        "RB",
        "RT",
        "RP",
        "Warichu",
        "WT",
        "WP",
        "Figure",
        "Formula",
        "Form",
    ]
)

# A TJ gap wider than this (thousandths of an em, leftwards) reads as a space.
_TJ_SPACE = 200
# Marks, in the raw text, where a shown string starts a new line on the page: kept out of
# ``text()`` but used by the audit to find words joined at a line break (U+E000, private use).
LINE_BREAK = "\ue000"
_SHOW_OPS = (b"Tj", b"TJ", b"'", b'"')
_PAINT_OPS = frozenset((b"S", b"s", b"f", b"F", b"f*", b"B", b"B*", b"b", b"b*", b"sh"))


@dataclass
class MarkedText:
    """A marked-content reference (§14.7.4.2) and the text drawn in that sequence."""

    page: int  # 0-based
    mcid: int
    text: str
    found: bool = True  # False: no content with this MCID exists on the page
    raw: str = ""  # the text with LINE_BREAK where a new line starts on the page
    pos: tuple[float, float] | None = None  # where its first glyph is drawn (page space, points)


@dataclass
class AnnotRef:
    """An object reference (§14.7.4.3) to an annotation: a link's target and description."""

    page: int | None
    subtype: str
    contents: str | None
    uri: str | None
    obj: int | None = None  # the annotation's object number


Kid = Union["Node", MarkedText, AnnotRef]


@dataclass
class Node:
    """A structure element read back from a PDF."""

    role: str  # /S as written
    std_role: str  # after following the RoleMap
    alt: str | None = None
    lang: str | None = None
    actual_text: str | None = None
    title: str | None = None
    attrs: dict[str, Any] = field(default_factory=dict)
    kids: list[Kid] = field(default_factory=list)
    obj: int | None = None  # the element's object number, when it is an indirect object
    ident: str | None = None  # /ID (§14.7.2), e.g. a TH that TD /Headers point at

    @property
    def elements(self) -> list[Node]:
        """The child elements (no content references)."""
        return [k for k in self.kids if isinstance(k, Node)]

    @property
    def annotations(self) -> list[AnnotRef]:
        """Annotations this element holds directly (a Link's annotation)."""
        return [k for k in self.kids if isinstance(k, AnnotRef)]

    @property
    def pages(self) -> list[int]:
        """The pages this element's own marked content is on, in order, without repeats."""
        out: list[int] = []
        for k in self.kids:
            if isinstance(k, MarkedText) and k.page not in out:
                out.append(k.page)
        return out

    def text(self) -> str:
        """All text under this element in reading order (``/ActualText`` replaces it)."""
        if self.actual_text is not None:
            return self.actual_text
        return "".join(
            k.text if isinstance(k, MarkedText) else k.text()
            for k in self.kids
            if not isinstance(k, AnnotRef)
        )

    def raw_text(self) -> str:
        """Like :meth:`text`, with :data:`LINE_BREAK` where the page starts a new line."""
        if self.actual_text is not None:
            return self.actual_text
        return "".join(
            k.raw if isinstance(k, MarkedText) else k.raw_text()
            for k in self.kids
            if not isinstance(k, AnnotRef)
        )

    def walk(self) -> Iterator[Node]:
        """This element and every element below it, depth first (reading order)."""
        yield self
        for k in self.kids:
            if isinstance(k, Node):
                yield from k.walk()

    def find(self, std_role: str) -> list[Node]:
        """Every element below (and including) this one with the given standard role."""
        return [n for n in self.walk() if n.std_role == std_role]


@dataclass
class FontInfo:
    """A font used by the document's pages."""

    name: str
    subtype: str
    embedded: bool
    to_unicode: bool
    objs: tuple[int, ...] = ()  # object numbers: the font and, for Type0, its CIDFont


@dataclass
class Untagged:
    """Content drawn outside every marked-content sequence and artifact."""

    page: int
    kind: str  # text, image or graphics
    text: str = ""


@dataclass
class PdfReport:
    """What :func:`inspect_pdf` finds in a PDF."""

    pages: int
    tree: Node | None  # the StructTreeRoot's kids under a pseudo-node with role ''
    lang: str | None
    title: str | None  # from the Info dictionary, else XMP dc:title
    display_doc_title: bool
    marked: bool
    fonts: list[FontInfo]
    untagged: list[Untagged]
    unclaimed: list[tuple[int, int]]  # (page, MCID) of marked content no element refers to
    artifact_text: list[tuple[int, str]]  # (page, text) drawn inside artifacts
    unclaimed_text: dict[tuple[int, int], str] = field(default_factory=dict)  # what each holds
    page_sizes: list[tuple[float, float]] = field(default_factory=list)  # width, height in points
    page_objs: dict[int, int] = field(default_factory=dict)  # page object number -> 0-based page
    font_objs: dict[int, str] = field(default_factory=dict)  # font object number -> its name
    annot_pages: dict[int, int] = field(default_factory=dict)  # annotation object number -> page
    encrypted: bool = False

    @property
    def untagged_text(self) -> str:
        """All text drawn outside marked content or artifacts, joined."""
        return "".join(u.text for u in self.untagged if u.kind == "text")


# --- fonts: decoding shown strings ----------------------------------------------------


_ADOBE_GLYPHS = pypdf_internals.adobe_glyphs()
_ENCODINGS = pypdf_internals.charset_encodings()


def _glyph_unicode(name: str) -> str | None:
    adobe_glyphs = _ADOBE_GLYPHS
    if "/" + name in adobe_glyphs:
        return adobe_glyphs["/" + name]
    m = re.fullmatch(r"uni([0-9A-Fa-f]{4})+", name)
    if m:
        hexes = name[3:]
        return "".join(chr(int(hexes[i : i + 4], 16)) for i in range(0, len(hexes), 4))
    m = re.fullmatch(r"u([0-9A-Fa-f]{4,6})", name)
    return chr(int(m.group(1), 16)) if m else None


def _base_encoding(name: str | None) -> list[str]:
    charset_encoding = _ENCODINGS
    if name in charset_encoding:
        return list(charset_encoding[name])
    return [bytes((i,)).decode("cp1252", errors="replace") for i in range(256)]


_HEX = re.compile(rb"<([0-9A-Fa-f\s]*)>")


def _hex_bytes(tok: bytes) -> bytes:
    digits = re.sub(rb"[\s<>]", b"", tok)
    if len(digits) % 2:  # §7.3.4.3: a missing final digit is 0
        digits += b"0"
    try:
        return bytes.fromhex(digits.decode("ascii"))
    except ValueError:  # a damaged CMap: map nothing rather than fail
        return b""


def _utf16(b: bytes) -> str:
    return b.decode("utf-16-be", errors="replace")


def parse_cmap(data: bytes) -> tuple[dict[bytes, str], list[tuple[bytes, bytes]]]:
    """A ToUnicode CMap's code->text map (``bfchar``, ``bfrange``) and its code space ranges."""
    mapping: dict[bytes, str] = {}
    spaces: list[tuple[bytes, bytes]] = []
    for sec in re.findall(rb"begincodespacerange(.*?)endcodespacerange", data, re.S):
        toks = [_hex_bytes(t) for t in _HEX.findall(sec)]
        spaces += list(zip(toks[::2], toks[1::2]))
    for sec in re.findall(rb"beginbfchar(.*?)endbfchar", data, re.S):
        toks = _HEX.findall(sec)
        for src, dst in zip(toks[::2], toks[1::2]):
            mapping[_hex_bytes(src)] = _utf16(_hex_bytes(dst))
    for sec in re.findall(rb"beginbfrange(.*?)endbfrange", data, re.S):
        # entries are <lo> <hi> <dst> or <lo> <hi> [<d0> <d1> ...]
        for m in re.finditer(rb"<([^>]*)>\s*<([^>]*)>\s*(\[[^\]]*\]|<[^>]*>)", sec):
            lo, hi = _hex_bytes(m.group(1)), _hex_bytes(m.group(2))
            n, a, b = len(lo), int.from_bytes(lo, "big"), int.from_bytes(hi, "big")
            if b < a or b - a > 0xFFFF:
                continue
            dst = m.group(3)
            if dst.startswith(b"["):
                for i, d in enumerate(_HEX.findall(dst)):
                    if a + i <= b:
                        mapping[(a + i).to_bytes(n, "big")] = _utf16(_hex_bytes(d))
            else:
                start = _hex_bytes(dst)
                base, last = start[:-2], int.from_bytes(start[-2:], "big")
                for i in range(b - a + 1):
                    # §9.10.3: the last byte(s) of the destination increment across the range
                    mapping[(a + i).to_bytes(n, "big")] = _utf16(
                        base + ((last + i) & 0xFFFF).to_bytes(2, "big")
                    )
    return mapping, spaces


class FontDecoder:
    """Turns the bytes of a shown string into text for one font."""

    def __init__(self, font: DictionaryObject | None):
        self.name = "?"
        self.map: dict[bytes, str] = {}
        self.lengths: list[int] = [1]
        self.simple: list[str] | None = None
        if font is None:
            self.simple = _base_encoding(None)
            return
        self.name = str(font.get("/BaseFont", "?")).lstrip("/")
        subtype = font.get("/Subtype")
        spaces: list[tuple[bytes, bytes]] = []
        if subtype == "/Type0":
            enc = font.get("/Encoding")
            enc = enc.get_object() if enc is not None else None
            if isinstance(enc, StreamObject):
                spaces = parse_cmap(enc.get_data())[1]
            self.lengths = sorted({len(lo) for lo, _ in spaces}) or [2]
        else:
            self.simple = self._simple_encoding(font)
        tu = font.get("/ToUnicode")
        tu = tu.get_object() if tu is not None else None
        if isinstance(tu, StreamObject):
            self.map = parse_cmap(tu.get_data())[0]
            if subtype != "/Type0":
                self.lengths = sorted({len(k) for k in self.map} or {1})

    @staticmethod
    def _simple_encoding(font: DictionaryObject) -> list[str]:
        enc = font.get("/Encoding")
        enc = enc.get_object() if enc is not None else None
        if isinstance(enc, DictionaryObject):
            table = _base_encoding(enc.get("/BaseEncoding"))
            code = 0
            for item in enc.get("/Differences", []):
                item = item.get_object() if isinstance(item, IndirectObject) else item
                if isinstance(item, (int, NumberObject)):
                    code = int(item)
                else:
                    ch = _glyph_unicode(str(item).lstrip("/"))
                    if ch is not None and 0 <= code < 256:
                        table[code] = ch
                    code += 1
            return table
        return _base_encoding(str(enc) if enc is not None else None)

    def decode(self, data: bytes) -> str:
        """The text of one shown string."""
        out: list[str] = []
        i = 0
        while i < len(data):
            for n in self.lengths:
                code = data[i : i + n]
                if code in self.map:
                    out.append(self.map[code])
                    i += n
                    break
            else:
                if self.simple is not None:
                    out.append(self.simple[data[i]])
                    i += 1
                else:
                    out.append("\ufffd")  # a composite-font code with no Unicode mapping
                    i += self.lengths[0]
        return "".join(out)


# --- content streams ------------------------------------------------------------------


@dataclass
class _Frame:
    """One open marked-content sequence."""

    tag: str
    mcid: int | None
    artifact: bool
    actual: str | None = None  # /ActualText: the text its glyphs stand for (§14.9.4)
    shown: tuple | None = None  # (where, new line) of the first glyph shown inside it


Matrix = tuple[float, float, float, float, float, float]
_IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def _mul(m: Matrix, n: Matrix) -> Matrix:
    """m × n (PDF 32000-1 §8.3.4: a point is transformed by m, then by n)."""
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = n
    return (
        a * a2 + b * c2,
        a * b2 + b * d2,
        c * a2 + d * c2,
        c * b2 + d * d2,
        e * a2 + f * c2 + e2,
        e * b2 + f * d2 + f2,
    )


def _nums(operands: list, n: int) -> list[float] | None:
    try:
        vals = [float(x) for x in operands[:n]]
    except (TypeError, ValueError):
        return None
    return vals if len(vals) == n else None


class _Text:
    """Text state for one content stream: where the next glyph goes (§9.4.2)."""

    def __init__(self) -> None:
        self.ctm: Matrix = _IDENTITY
        self.stack: list[Matrix] = []
        self.tm: Matrix = _IDENTITY
        self.tlm: Matrix = _IDENTITY
        self.leading = 0.0
        self.size = 0.0

    def next_line(self, tx: float, ty: float) -> None:
        self.tlm = _mul((1.0, 0.0, 0.0, 1.0, tx, ty), self.tlm)
        self.tm = self.tlm

    def origin(self) -> tuple[float, float, float]:
        """The current text position in page space, and the font size there."""
        m = _mul(self.tm, self.ctm)
        return m[4], m[5], abs(self.size * (m[3] if m[3] else m[1])) or 1.0


class _Walker:
    """Walks content streams, collecting text per (page, MCID) and what is left untagged."""

    def __init__(self) -> None:
        self.texts: dict[tuple[Any, int], list[str]] = {}
        self.raw: dict[tuple[Any, int], list[str]] = {}
        self.pos: dict[tuple[Any, int], tuple[float, float]] = {}
        self.untagged: list[Untagged] = []
        self.artifact_text: list[tuple[int, str]] = []
        self.fonts: dict[tuple, tuple[FontDecoder, Any]] = {}
        self.last_line: tuple[int, float] | None = None  # (page, baseline y) of the last text shown

    def _decoder(self, font: Any) -> FontDecoder:
        # one decoder per font object: its CMap is parsed once for the whole document
        key = ("ref", font.idnum) if isinstance(font, IndirectObject) else ("obj", id(font))
        if key not in self.fonts:
            self.fonts[key] = (FontDecoder(font.get_object()), font)  # keeps id(font) alive
        return self.fonts[key][0]

    def walk(
        self,
        page: int,
        content: Any,
        resources: Any,
        reader: PdfReader,
        stack: list[_Frame],
        scope: Any,
        seen: frozenset = frozenset(),
        ctm: Matrix = _IDENTITY,
    ) -> None:
        """Walk one content stream; ``scope`` keys its MCIDs (the page, or a form with StructParents)."""
        if content is None:
            return
        resources = resources.get_object() if resources is not None else DictionaryObject()
        try:
            ops = ContentStream(content, reader).operations
        except Exception:  # a damaged stream: report what we can of the rest
            return
        font: FontDecoder = FontDecoder(None)
        fonts = resources.get("/Font", DictionaryObject())
        fonts = fonts.get_object() if fonts is not None else DictionaryObject()
        depth = len(stack)
        ts = _Text()
        ts.ctm = ctm
        for operands, op in ops:
            if op == b"BDC" or op == b"BMC":
                tag = str(operands[0]).lstrip("/") if operands else ""
                mcid = None
                actual = None
                if op == b"BDC" and len(operands) > 1:
                    props = operands[1]
                    if isinstance(props, NameObject):  # a named property list in /Properties
                        props = resources.get("/Properties", {}).get(props)
                    props = props.get_object() if props is not None else None
                    if isinstance(props, DictionaryObject) and "/MCID" in props:
                        mcid = int(props["/MCID"])  # type: ignore[call-overload]
                    if isinstance(props, DictionaryObject) and "/ActualText" in props:
                        actual = _str(props["/ActualText"])
                stack.append(_Frame(tag, mcid, tag == "Artifact", actual))
            elif op == b"EMC":
                if len(stack) > depth:
                    done = stack.pop()
                    if done.actual is not None:  # its text, where its glyphs were
                        where, new_line = done.shown or (None, False)
                        self._content(page, "text", done.actual, stack, False, scope, where, new_line)
            elif op == b"q":
                ts.stack.append(ts.ctm)
            elif op == b"Q":
                if ts.stack:
                    ts.ctm = ts.stack.pop()
            elif op == b"cm":
                m = _nums(operands, 6)
                if m:
                    ts.ctm = _mul(tuple(m), ts.ctm)  # type: ignore[arg-type]
            elif op == b"BT":
                ts.tm = ts.tlm = _IDENTITY
            elif op == b"Tm":
                m = _nums(operands, 6)
                if m:
                    ts.tm = ts.tlm = tuple(m)  # type: ignore[assignment]
            elif op in (b"Td", b"TD"):
                m = _nums(operands, 2)
                if m:
                    if op == b"TD":
                        ts.leading = -m[1]
                    ts.next_line(m[0], m[1])
            elif op == b"T*":
                ts.next_line(0.0, -ts.leading)
            elif op == b"TL":
                m = _nums(operands, 1)
                if m:
                    ts.leading = m[0]
            elif op == b"Tf" and operands:
                f = fonts.get(operands[0])
                font = self._decoder(f) if f is not None else FontDecoder(None)
                m = _nums(operands[1:], 1)
                if m:
                    ts.size = m[0]
            elif op in _SHOW_OPS:
                if op in (b"'", b'"'):
                    ts.next_line(0.0, -ts.leading)
                self._show(page, font, op, operands, stack, scope, ts)
            elif op == b"Do" and operands:
                xobjs = resources.get("/XObject", DictionaryObject())
                xobjs = xobjs.get_object() if xobjs is not None else DictionaryObject()
                ref = xobjs.get(operands[0])
                if ref is None:
                    continue
                xo = ref.get_object()
                idnum = getattr(ref, "idnum", id(xo))
                if xo.get("/Subtype") == "/Image":
                    self._content(page, "image", "", stack, xo.get("/StructParent") is not None)
                elif xo.get("/Subtype") == "/Form" and idnum not in seen:
                    inner_scope = ("stm", idnum) if "/StructParents" in xo else scope
                    tagged_whole = xo.get("/StructParent") is not None
                    inner = list(stack)
                    if tagged_whole:  # the whole form is one content item (§14.7.4.3)
                        inner.append(_Frame("Form", None, False))
                    fm = _nums(list(xo.get("/Matrix", [])), 6)
                    self.walk(
                        page,
                        xo,
                        xo.get("/Resources", resources),
                        reader,
                        inner,
                        inner_scope,
                        seen | {idnum},
                        _mul(tuple(fm), ts.ctm) if fm else ts.ctm,  # type: ignore[arg-type]
                    )
            elif op == b"INLINE IMAGE":
                self._content(page, "image", "", stack, False)
            elif op in _PAINT_OPS:
                self._content(page, "graphics", "", stack, False)
        del stack[depth:]

    def _show(
        self,
        page: int,
        font: FontDecoder,
        op: bytes,
        operands: list,
        stack: list[_Frame],
        scope: Any,
        ts: _Text | None = None,
    ) -> None:
        parts: list[str] = []
        items = operands[0] if op == b"TJ" and operands else operands[-1:] if operands else []
        for it in items:
            if isinstance(it, (bytes, str)) or hasattr(it, "original_bytes"):
                raw = (
                    it.original_bytes
                    if hasattr(it, "original_bytes")
                    else (it if isinstance(it, bytes) else str(it).encode("latin-1", "replace"))
                )
                parts.append(font.decode(raw))
            elif (
                op == b"TJ"
                and isinstance(it, (int, float))
                and -float(it) >= _TJ_SPACE
                and parts
                and not parts[-1].endswith(" ")
            ):
                parts.append(" ")
        text = "".join(parts)
        where = None
        new_line = False
        if ts is not None and text:
            x, y, size = ts.origin()
            where = (round(x, 1), round(y, 1))
            # a baseline more than half a font size away from the last one starts a new line
            new_line = self.last_line is not None and (
                self.last_line[0] != page or abs(self.last_line[1] - y) > 0.5 * size
            )
            self.last_line = (page, y)
        self._content(page, "text", text, stack, False, scope, where, new_line)

    def _content(
        self,
        page: int,
        kind: str,
        text: str,
        stack: list[_Frame],
        whole: bool,
        scope: Any = None,
        where: tuple[float, float] | None = None,
        new_line: bool = False,
    ) -> None:
        for f in reversed(stack):
            if f.actual is not None:  # replaced by its /ActualText when it closes
                if kind == "text" and f.shown is None:
                    f.shown = (where, new_line)
                return
        if any(f.artifact for f in stack):
            if text:
                self.artifact_text.append((page, text))
            return
        for f in reversed(stack):
            if f.mcid is not None:
                key = (scope if scope is not None else page, f.mcid)
                if kind == "text":
                    self.texts.setdefault(key, []).append(text)
                    self.raw.setdefault(key, []).append((LINE_BREAK if new_line else "") + text)
                    if where is not None and key not in self.pos:
                        self.pos[key] = where
                else:
                    self.texts.setdefault(key, [])
                return
            if f.tag == "Form":  # inside a form tagged as a whole through its /StructParent
                return
        if whole:
            return
        if (
            kind == "graphics"
            and self.untagged
            and self.untagged[-1].kind == "graphics"
            and self.untagged[-1].page == page
        ):
            return  # one entry per run of untagged paths is enough to point at the problem
        self.untagged.append(Untagged(page, kind, text))


# --- the structure tree ---------------------------------------------------------------


def _str(v: Any) -> str | None:
    if v is None:
        return None
    v = v.get_object() if isinstance(v, IndirectObject) else v
    return str(v)


def _pyval(v: Any) -> Any:
    v = v.get_object() if isinstance(v, IndirectObject) else v
    if isinstance(v, NameObject):
        return str(v).lstrip("/")
    if isinstance(v, ArrayObject):
        return [_pyval(x) for x in v]
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return float(v) if isinstance(v, float) or not float(v).is_integer() else int(v)
    if isinstance(v, DictionaryObject):
        return {str(k).lstrip("/"): _pyval(x) for k, x in v.items()}
    return str(v) if isinstance(v, TextStringObject) else v


class _TreeReader:
    def __init__(self, reader: PdfReader, walker: _Walker):
        self.texts = walker.texts
        self.walker = walker
        self.claimed: set[tuple[Any, int]] = set()
        root: Any = reader.trailer["/Root"].get_object()
        self.str_root: Any = root.get("/StructTreeRoot")
        self.str_root = self.str_root.get_object() if self.str_root is not None else None
        rm = self.str_root.get("/RoleMap") if self.str_root is not None else None
        self.role_map = {
            str(k).lstrip("/"): str(v.get_object()).lstrip("/")
            for k, v in (rm.get_object().items() if rm is not None else [])
        }
        cm = self.str_root.get("/ClassMap") if self.str_root is not None else None
        self.class_map = cm.get_object() if cm is not None else DictionaryObject()
        self.page_index = {
            p.indirect_reference.idnum: i
            for i, p in enumerate(reader.pages)
            if p.indirect_reference is not None
        }
        self.seen: set[int] = set()

    def std_role(self, role: str) -> str:
        seen = set()
        while role not in STANDARD_ROLES and role in self.role_map and role not in seen:
            seen.add(role)
            role = self.role_map[role]
        return role

    def _page(self, ref: Any) -> int | None:
        if ref is None:
            return None
        idnum = getattr(ref, "idnum", None)
        return None if idnum is None else self.page_index.get(idnum)

    def tree(self) -> Node | None:
        if self.str_root is None:
            return None
        top = Node("", "")
        self._kids(top, self.str_root.get("/K"), None)
        return top

    def _attrs(self, d: DictionaryObject) -> dict[str, Any]:
        out: dict[str, Any] = {}
        sources: list[Any] = []
        a = d.get("/A")
        a = a.get_object() if a is not None else None
        sources += list(a) if isinstance(a, ArrayObject) else [a] if a is not None else []
        c = d.get("/C")
        c = c.get_object() if c is not None else None
        for name in list(c) if isinstance(c, ArrayObject) else [c] if c is not None else []:
            cls = self.class_map.get(name) if isinstance(name, NameObject) else None
            cls = cls.get_object() if cls is not None else None
            sources += list(cls) if isinstance(cls, ArrayObject) else [cls] if cls else []
        for s in sources:
            s = s.get_object() if isinstance(s, IndirectObject) else s
            if isinstance(s, DictionaryObject):  # ints in the array are revision numbers
                out.update({str(k).lstrip("/"): _pyval(v) for k, v in s.items()})
        return out

    def _elem(self, ref: Any, d: DictionaryObject, parent_page: int | None) -> Node | None:
        idnum = getattr(ref, "idnum", None)
        if idnum is not None:
            if idnum in self.seen:  # a cycle or an element listed twice
                return None
            self.seen.add(idnum)
        role = str(d.get("/S", "/NonStruct")).lstrip("/")
        node = Node(
            role,
            self.std_role(role),
            alt=_str(d.get("/Alt")),
            lang=_str(d.get("/Lang")),
            actual_text=_str(d.get("/ActualText")),
            title=_str(d.get("/T")),
            attrs=self._attrs(d),
            obj=idnum,
            ident=_str(d.get("/ID")),
        )
        page = self._page(d.get("/Pg"))
        self._kids(node, d.get("/K"), page if page is not None else parent_page)
        return node

    def _kids(self, node: Node, k: Any, page: int | None) -> None:
        if k is None:
            return
        ref = k if isinstance(k, IndirectObject) else None
        k = k.get_object() if isinstance(k, IndirectObject) else k
        if isinstance(k, ArrayObject):
            for item in k:
                self._kids(node, item, page)
            return
        if isinstance(k, (int, NumberObject)) and not isinstance(k, bool):
            node.kids.append(self._mcr(page, int(k), None))
            return
        if not isinstance(k, DictionaryObject):
            return
        typ = k.get("/Type")
        if typ == "/MCR":
            pg = self._page(k.get("/Pg"))
            stm = k.get("/Stm")
            node.kids.append(
                self._mcr(
                    pg if pg is not None else page,
                    int(k.get("/MCID", -1)),
                    getattr(stm, "idnum", None) if stm is not None else None,
                )
            )
        elif typ == "/OBJR":
            obj = k.get("/Obj")
            obj = obj.get_object() if obj is not None else DictionaryObject()
            pg = self._page(k.get("/Pg"))
            if obj.get("/Type") == "/XObject" or obj.get("/Subtype") in ("/Image", "/Form"):
                return  # a whole XObject as content (§14.7.4.3): it holds no annotation text
            action = obj.get("/A")
            action = action.get_object() if action is not None else {}
            uri = action.get("/URI") if hasattr(action, "get") else None
            node.kids.append(
                AnnotRef(
                    pg if pg is not None else page,
                    str(obj.get("/Subtype", "")).lstrip("/"),
                    _str(obj.get("/Contents")),
                    _str(uri),
                    getattr(k.get("/Obj"), "idnum", None),
                )
            )
        else:
            elem = self._elem(ref, k, page)
            if elem is not None:
                node.kids.append(elem)

    def _mcr(self, page: int | None, mcid: int, stm: int | None) -> MarkedText:
        key = (("stm", stm) if stm is not None else page, mcid)
        self.claimed.add(key)
        found = key in self.texts
        return MarkedText(
            page if page is not None else -1,
            mcid,
            "".join(self.texts.get(key, [])),
            found,
            "".join(self.walker.raw.get(key, [])),
            self.walker.pos.get(key),
        )


def _fonts(reader: PdfReader) -> list[FontInfo]:
    out: dict[int, FontInfo] = {}

    def visit(resources: Any, seen: set[int]) -> None:
        resources = resources.get_object() if resources is not None else None
        if not isinstance(resources, DictionaryObject):
            return
        fonts = resources.get("/Font")
        for ref in fonts.get_object().values() if fonts is not None else []:
            f = ref.get_object()
            key = getattr(ref, "idnum", id(f))
            if key in out:
                continue
            subtype = str(f.get("/Subtype", "")).lstrip("/")
            desc_font = f
            if subtype == "Type0" and f.get("/DescendantFonts"):
                desc_font = f["/DescendantFonts"].get_object()[0].get_object()
            desc = desc_font.get("/FontDescriptor")
            desc = desc.get_object() if desc is not None else {}
            embedded = subtype == "Type3" or any(k in desc for k in ("/FontFile", "/FontFile2", "/FontFile3"))
            objs = [getattr(ref, "idnum", None)]
            if desc_font is not f and f.get("/DescendantFonts"):
                objs.append(getattr(f["/DescendantFonts"].get_object()[0], "idnum", None))
            out[key] = FontInfo(
                str(f.get("/BaseFont", "?")).lstrip("/"),
                subtype,
                embedded,
                "/ToUnicode" in f,
                tuple(o for o in objs if o is not None),
            )
        xobjs = resources.get("/XObject")
        for ref in xobjs.get_object().values() if xobjs is not None else []:
            idnum = getattr(ref, "idnum", None)
            xo = ref.get_object()
            if xo.get("/Subtype") == "/Form" and idnum is not None and idnum not in seen:
                visit(xo.get("/Resources"), seen | {idnum})

    for p in reader.pages:
        visit(p.get("/Resources"), set())
    return list(out.values())


def _title(reader: PdfReader) -> str | None:
    info = reader.metadata
    if info is not None and info.title:
        return str(info.title)
    try:
        xmp = reader.xmp_metadata
        titles = xmp.dc_title if xmp is not None else None
    except Exception:
        titles = None
    if titles:
        return titles.get("x-default") or next(iter(titles.values()), None)
    return None


class NotAPdfError(Exception):
    """The file does not start like a PDF, or cannot be parsed as one."""


class EncryptedPdfError(Exception):
    """The PDF is encrypted and cannot be opened without a password."""


def is_true(value: Any) -> bool:
    """A PDF boolean read as Python: pypdf's ``BooleanObject(False)`` is truthy, so never ``bool()`` it."""
    value = value.get_object() if isinstance(value, IndirectObject) else value
    if isinstance(value, BooleanObject):
        return bool(value.value)
    return value is True


def open_pdf(source: str | Path | bytes) -> PdfReader:
    """A :class:`PdfReader` for ``source``; a readable error for a non-PDF or a locked file.

    An encrypted PDF with an empty user password (the usual "no copying" protection)
    is opened; one that needs a password raises :class:`EncryptedPdfError`.
    """
    data = source if isinstance(source, bytes) else Path(source).read_bytes()
    if b"%PDF-" not in data[:1024]:  # §7.5.2: the header; readers accept junk before it
        raise NotAPdfError("this is not a PDF (it does not start with %PDF-)")
    try:
        reader = PdfReader(io.BytesIO(data))
    except Exception as exc:
        raise NotAPdfError(f"this file is damaged and cannot be read as a PDF ({exc})") from exc
    if reader.is_encrypted:
        try:
            ok = reader.decrypt("")
        except Exception as exc:  # an unknown or broken security handler
            raise EncryptedPdfError(f"this PDF is encrypted and cannot be opened ({exc})") from exc
        if not ok:
            raise EncryptedPdfError(
                "this PDF is encrypted with a password; audit a copy without the password"
            )
    return reader


def inspect_pdf(source: str | Path | bytes) -> PdfReport:
    """Read a PDF's structure tree, content and metadata back (see the module docstring)."""
    reader = open_pdf(source)
    walker = _Walker()
    sizes: list[tuple[float, float]] = []
    annot_pages: dict[int, int] = {}
    for i, page in enumerate(reader.pages):
        walker.walk(i, page.get_contents(), page.get("/Resources"), reader, [], i)
        box = page.mediabox
        sizes.append((float(box.width), float(box.height)))
        annots = page.get("/Annots")
        annots = annots.get_object() if annots is not None else []
        for a in annots if isinstance(annots, ArrayObject) else []:
            if isinstance(a, IndirectObject):
                annot_pages[a.idnum] = i
    tr = _TreeReader(reader, walker)
    tree = tr.tree()
    unclaimed = sorted(
        (k for k in walker.texts if k not in tr.claimed and not isinstance(k[0], tuple)),
        key=lambda k: (k[0], k[1]),
    )
    root: Any = reader.trailer["/Root"].get_object()
    vp = root.get("/ViewerPreferences")
    vp = vp.get_object() if vp is not None else {}
    mi = root.get("/MarkInfo")
    mi = mi.get_object() if mi is not None else {}
    fonts = _fonts(reader)
    return PdfReport(
        pages=len(reader.pages),
        tree=tree,
        lang=_str(root.get("/Lang")),
        title=_title(reader),
        display_doc_title=is_true(vp.get("/DisplayDocTitle", False)),
        marked=is_true(mi.get("/Marked", False)),
        fonts=fonts,
        untagged=walker.untagged,
        unclaimed=unclaimed,
        artifact_text=walker.artifact_text,
        unclaimed_text={k: "".join(walker.texts[k]) for k in unclaimed},
        page_sizes=sizes,
        page_objs=dict(tr.page_index),
        font_objs={o: f.name for f in fonts for o in f.objs},
        annot_pages=annot_pages,
        encrypted=bool(reader.is_encrypted),
    )


# --- the outline a screen reader follows ----------------------------------------------


_INLINE = frozenset(
    ["Span", "Quote", "Note", "Reference", "BibEntry", "Code", "Link", "Annot", "Ruby", "Warichu"]
)


def _clip(text: str, width: int | None) -> str:
    text = " ".join(text.split())
    if width is not None and len(text) > width:
        return text[: width - 1] + "\u2026"
    return text


def outline(node: Node, *, width: int | None = 100, indent: str = "  ") -> list[str]:
    """The structure tree as indented lines: role, text, alt text, link targets, attributes."""
    lines: list[str] = []

    def own_text(n: Node) -> str:
        return "".join(k.text for k in n.kids if isinstance(k, MarkedText))

    def visit(n: Node, depth: int) -> None:
        label = n.role if n.role == n.std_role or not n.role else f"{n.role} ({n.std_role})"
        bits: list[str] = []
        if n.std_role in ("L",):
            count = len([k for k in n.elements if k.std_role == "LI"])
            bits.append(f"[{count} item{'' if count == 1 else 's'}]")
        if "Scope" in n.attrs:
            bits.append(f"scope={n.attrs['Scope']}")
        if n.lang:
            bits.append(f"lang={n.lang}")
        if n.std_role == "Figure" or n.alt is not None:
            bits.append(f'alt="{_clip(n.alt, width)}"' if n.alt is not None else "NO ALT TEXT")
        if n.actual_text is not None:
            bits.append(f'actual text="{_clip(n.actual_text, width)}"')
        has_elems = bool(n.elements)
        # a paragraph holding links reads as one run of text; its links follow below it
        inline = all(k.std_role in _INLINE for k in n.elements)
        text = n.text() if inline else own_text(n)
        if text.strip() and n.std_role != "Figure":
            bits.append(f'"{_clip(text, width)}"')
        for a in n.annotations:
            target = a.uri or "(no target)"
            desc = f'"{_clip(a.contents, width)}"' if a.contents else "NO /Contents"
            bits.append(f"-> {target} {desc}")
        lines.append(indent * depth + " ".join([label] + bits) if label else "")
        if has_elems:
            for k in n.elements:
                visit(k, depth + 1)

    for k in node.elements if not node.role else [node]:
        visit(k, 0)
    return [ln for ln in lines if ln]


# --- checks -------------------------------------------------------------------------


@dataclass
class RuleFailure:
    """One failed PDF/UA-1 rule."""

    rule_id: str
    message: str
    object_id: int | None = None  # the object number the checker names (an element, font, page ...)


@dataclass
class RuleChecks:
    """The outcome of page-validation's PDF/UA-1 rule set on one file."""

    checker: str  # name and version of the checker
    rules: int
    compliant: bool
    failures: list[RuleFailure]


def run_rule_checks(path: str | Path) -> RuleChecks:
    """PDF/UA-1 machine checks by page-validation (a dependency).

    It raises ``page.PageError`` subclasses on a file it cannot parse.
    """
    from importlib.metadata import PackageNotFoundError, version

    import page

    try:
        ver = version("page-validation")
    except PackageNotFoundError:  # pragma: no cover - imported from a source tree
        ver = "?"
    report = page.validate_pdf(str(path), profile="ua1")
    return RuleChecks(
        f"page-validation {ver}",
        int(report.rules.total),
        bool(report.is_compliant),
        [
            RuleFailure(f.rule_id, f.message, f.object_id.object_number if f.object_id else None)
            for f in report.failures
        ],
    )


def basic_problems(report: PdfReport) -> list[str]:
    """What this module can see for itself that PDF/UA-1 forbids (no rule ids: a short list)."""
    out: list[str] = []
    if report.tree is None:
        out.append("no structure tree: the PDF is not tagged")
    if not report.marked:
        out.append("the catalog's /MarkInfo does not say /Marked true")
    if not report.lang:
        out.append("no document language (/Lang in the catalog)")
    if not report.title:
        out.append("no document title")
    elif not report.display_doc_title:
        out.append("viewers are not told to show the title (/DisplayDocTitle)")
    for f in report.fonts:
        if not f.embedded:
            out.append(f"font {f.name} is not embedded")
    kinds = sorted({u.kind for u in report.untagged})
    if kinds:
        out.append("content outside the tags and artifacts: " + ", ".join(kinds))
    if report.tree is not None:
        for n in report.tree.walk():
            if n.std_role == "Figure" and not n.alt and n.actual_text is None:
                out.append(f"a {n.role} element has no alternative text (/Alt)")
            for a in n.annotations:
                if not a.contents:
                    out.append(f"a {a.subtype} annotation has no /Contents")
    return out
