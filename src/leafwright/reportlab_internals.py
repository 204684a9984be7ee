"""The wall round ReportLab's private internals: every use of them is in this module.

Open-source ReportLab has no tagged-PDF support, so tagging has to write marked-content
operators into a canvas's or text object's operator list, add entries to page and
catalog dictionaries, register annotations and objects by name, and replace the
ToUnicode CMap ReportLab writes for subset fonts. None of that is public API. Every
other module goes through the functions here; ``tests/test_reportlab_internals.py``
exercises each of them against the installed ReportLab, so an upgrade that moves one
fails there, loudly, naming what moved -- not as a subtly wrong PDF.

Versions this was written and tested against: :data:`TESTED`.
"""

from __future__ import annotations

import calendar
import datetime as _dt
import functools
import itertools
import time
import weakref
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from typing import Any

from reportlab.lib.rl_accel import fp_str
from reportlab.pdfbase import pdfdoc, ttfonts
from reportlab.pdfbase.pdfdoc import PDFDictionary, PDFName, PDFObjectReference, PDFStream
from reportlab.pdfbase.pdfmetrics import getFont
from reportlab.pdfgen.textobject import PDFTextObject
from reportlab.platypus import Table

#: The ReportLab major.minor versions the internals below were checked against.
TESTED = ("5.1",)


# --- operator lists ----------------------------------------------------------------------


def emit(obj: Any, operator: str) -> None:
    """Append a raw operator to a canvas's (or text object's) content stream."""
    obj._code.append(operator)


def operators(obj: Any) -> list[str]:
    """A canvas's (or text object's) operator list, to edit in place."""
    code: list[str] = obj._code
    return code


def has_content(canv: Any) -> bool:
    """Whether anything was drawn on the canvas's current page."""
    return bool(len(canv._code))


class MarkedText(PDFTextObject):
    """A text object that knows whether a marked-content sequence is open inside it
    (``open``) and for which structure element (``elem``)."""

    def __init__(self, canv: Any, x: float, y: float, elem: Any = None):
        super().__init__(canv, x, y)
        self.elem = elem
        self.open = 0  # how many marked-content sequences are open inside it


#: What a piece of text is shown as in a font, size and leading, whatever was shown before
#: it (:func:`text_shown`, :func:`shaped_shown`), for :class:`JoinedText` to run the items
#: where one piece ends and the next begins into one TJ array: the font subset, text rise
#: (points), the operator that sets that rise, and the TJ array items it starts with (and
#: those items less their opening parenthesis, None if they do not open with a string); the
#: operators and items up to its last stretch in one subset at one rise (None: there is one);
#: that stretch's subset, rise and items, and whether they end with a string.
Shown = tuple[int, float, str, str, str | None, str | None, int, float, str, bool]


def shown_cache(canv: Any, size: float, leading: float) -> dict[Hashable, Shown]:
    """The document's record of what each piece is shown as in a size and leading (the font
    subsets a glyph is drawn through are the document's)."""
    by_size = _SHOWN.get(canv._doc)
    if by_size is None:
        by_size = _SHOWN[canv._doc] = {}
    done = by_size.get((size, leading))
    if done is None:
        done = by_size[(size, leading)] = {}
    return done


#: per document, size and leading: what each piece is shown as, by the piece and its font
_SHOWN: weakref.WeakKeyDictionary[Any, dict[tuple[float, float], dict[Hashable, Shown]]] = (
    weakref.WeakKeyDictionary()
)


def text_shown(tx: Any, text: str) -> Shown | None:
    """``text`` shown as written in the text object's font (as :func:`text_out` shows it);
    None in a font that is not a TrueType font drawn through subsets (use :func:`text_out`)."""
    canv = tx._canvas
    font = getFont(tx._fontname)
    if not font._dynamicFont:
        return None
    esc = canv._escape
    chunks = font.splitString(text, canv._doc)
    return _joined(tx, font, [(subset, 0.0, f"({esc(chunk)})") for subset, chunk in chunks])


def shaped_shown(tx: Any, font_name: str, codes: str, shaped: Any, key: Hashable) -> Shown:
    """Shaped glyphs shown in the text object's size: one code a glyph (through the font's
    subsets), placed where HarfBuzz put it (TJ adjustments for its advance and horizontal
    offset, text rise for its vertical offset). ReportLab 5's own ``ShapedStr`` path fails
    on a run whose first glyph is raised (a mark), so the operators are written here.

    ``key``: what the shaping is a function of (the piece's text, font, direction and
    language). A piece drawn through one subset is shown the same in every document that
    gives its glyphs the same codes: that is kept for the next document."""
    font = getFont(font_name)
    # (gives the glyphs their codes in the document's subsets, as drawing them would)
    chunks = font.splitString(codes, tx._canvas._doc)
    if len(chunks) != 1:  # in more than one subset: the operators name the document's fonts
        return _shaped_shown(tx, font, codes, shaped, chunks)
    full = (key, tx._fontsize, chunks[0])
    hit = _PLACED.get(full)
    if hit is None:
        if len(_PLACED) >= _PLACED_MAX:
            _PLACED.clear()
        hit = _PLACED[full] = _shaped_shown(tx, font, codes, shaped, chunks)
    return hit


#: What pieces in one subset were shown as, by their key and their codes (:func:`shaped_shown`)
_PLACED: dict[tuple, Shown] = {}
_PLACED_MAX = 32_768  # (as many as the shaping caches keep)


def _shaped_shown(tx: Any, font: Any, codes: str, shaped: Any, chunks: list[tuple[int, bytes]]) -> Shown:
    esc = tx._canvas._escape
    widths = font.face.charWidths
    size = tx._fontsize
    upem = shaped.upem
    k = 1000 / upem
    glyphs = shaped.glyphs
    stretches: list[tuple[int, float, str]] = []  # (subset, rise, TJ items)
    i = 0
    for subset, chunk in chunks:
        items: list[str] = []  # strings of glyph codes and adjustments
        run = bytearray()  # the codes of the string being gathered
        rise = 0.0
        for b in chunk:
            g = glyphs[i]
            c = ord(codes[i]) if codes[i] != "\xa0" else 32
            i += 1
            r = round(g.dy * size / upem, 3)
            if r != rise:
                if run:
                    items.append(f"({esc(bytes(run))})")
                    run.clear()
                if items:
                    stretches.append((subset, rise, " ".join(items)))
                    items = []
                rise = r
            dx = g.dx * k
            if dx:
                if run:
                    items.append(f"({esc(bytes(run))})")
                    run.clear()
                items.append(fp_str(-dx))
            run.append(b)
            corr = widths.get(c, 0) + dx - g.advance * k
            if abs(corr) > 0.001:
                items.append(f"({esc(bytes(run))})")
                run.clear()
                items.append(fp_str(corr))
        if run:
            items.append(f"({esc(bytes(run))})")
        if items:
            stretches.append((subset, rise, " ".join(items)))
    return _joined(tx, font, stretches)


def _joined(tx: Any, font: Any, stretches: list[tuple[int, float, str]]) -> Shown:
    """What stretches (each in one subset at one rise: its TJ items) are shown as."""
    if not stretches:  # nothing drawn (JoinedText.add leaves it out)
        return (-1, 0.0, "0 Ts", "", None, None, -1, 0.0, "", False)
    subset, rise, items = stretches[0]
    last_subset, last_rise, last_items = stretches[-1]
    between = None
    if len(stretches) > 1:
        ops: list[str] = []
        for (s0, r0, _), (s1, r1, items1) in itertools.pairwise(stretches):
            ops.append(f"] TJ {_state_ops(tx, None if s1 == s0 else s1, None if r1 == r0 else r1)} [")
            ops.append(items1)
        ops.pop()
        between = "".join(ops)
    return (
        subset,
        rise,
        f"{fp_str(rise)} Ts",
        items,
        items[1:] if items.startswith("(") else None,
        between,
        last_subset,
        last_rise,
        last_items,
        last_items.endswith(")"),
    )


#: per document: the operator selecting each font subset, by font, subset, size and leading
_SUBSET_FONTS: weakref.WeakKeyDictionary[Any, dict[tuple, str]] = weakref.WeakKeyDictionary()


def _state_ops(tx: Any, subset: int | None, rise: float | None) -> str:
    """The operators that set the text object's font subset and text rise (None: as it is)."""
    ops = []
    if subset is not None:
        name = getFont(tx._fontname).getSubsetInternalName(subset, tx._canvas._doc)
        ops.append(f"{name} {fp_str(tx._fontsize)} Tf {fp_str(tx._leading)} TL")
    if rise is not None:
        ops.append(f"{fp_str(rise)} Ts")
    return " ".join(ops)


class JoinedText:
    """Shows pieces (:data:`Shown`) one after another in a text object in as few operators as
    they allow: one TJ array for all that is shown in one subset at one rise, wherever one
    piece ends and the next begins (and one string where a string ends and the next begins).
    Call :meth:`flush` before anything else is written into the text object (a mark, a new
    origin, a font or colour), and :meth:`end` when done, which sets the rise back to none."""

    __slots__ = ("_closes", "_code", "_fonts", "_parts", "_rise", "_tx")

    def __init__(self, tx: Any):
        self._tx = tx
        self._code: list[str] = tx._code
        self._parts: list[str] = []  # the TJ array being gathered (and operators in it)
        self._rise = 0.0
        self._closes = False  # whether what is gathered ends with a string
        # the operators that select each subset (the document's names for them)
        self._fonts: dict[tuple, str] = _SUBSET_FONTS.setdefault(tx._canvas._doc, {})

    def show(self, pieces: list[Shown]) -> None:
        """Show pieces one after another at the current point (after what was shown before)."""
        tx = self._tx
        code, parts = self._code, self._parts
        current, now, closing = tx._curSubset, self._rise, self._closes
        for piece in pieces:
            subset, rise, set_rise, items, opened, between, last_subset, last_rise, last_items, closes = piece
            if rise != now or subset != current:
                if not items:
                    continue
                if subset == current:
                    ops = set_rise
                else:  # another subset (or a font just set): select it
                    key = (tx._fontname, subset, tx._fontsize, tx._leading)
                    font = self._fonts.get(key)
                    if font is None:
                        font = self._fonts[key] = _state_ops(tx, subset, None)
                    ops = font if rise == now else f"{font} {set_rise}"
                    current = subset
                now = rise
                if parts:
                    parts.append(f"] TJ {ops} [")
                else:
                    code.append(ops)
                parts.append(items)
            elif not parts:
                if not items:  # (nothing drawn: no empty array)
                    continue
                parts.append(items)
            elif closing and opened is not None:  # one string: (ab) (cd) -> (abcd)
                parts[-1] = parts[-1][:-1]
                parts.append(opened)
            else:
                parts.append(" ")
                parts.append(items)
            if between is not None:
                parts.append(between)
                parts.append(last_items)
                current, now = last_subset, last_rise
            closing = closes
        tx._curSubset, self._rise, self._closes = current, now, closing

    def flush(self) -> None:
        """Write the TJ array gathered."""
        parts = self._parts
        if parts:
            self._code.append(f"[{''.join(parts)}] TJ")
            parts.clear()

    def end(self) -> None:
        """Write what is gathered and set the rise back to none."""
        self.flush()
        if self._rise:
            self._code.append("0 Ts")
            self._rise = 0.0


def font_file_bytes(font_name: str) -> bytes:
    """The bytes of a registered TrueType font's file (for HarfBuzz)."""
    data: bytes = getFont(font_name).face._ttf_data
    return data


def font_cmap(font_name: str) -> dict[int, int]:
    """A registered TrueType font's character -> glyph id map (with the codes added below)."""
    cmap: dict[int, int] = getFont(font_name).face.charToGlyph
    return cmap


def add_glyph_code(font_name: str, code: int, gid: int, width: float) -> None:
    """Give glyph ``gid`` the character code ``code`` (private use) in a registered font, so
    its subset can draw it; ``width`` is its advance in 1/1000 em (the subset's /Widths)."""
    face = getFont(font_name).face
    if face.charToGlyph.get(code) != gid:
        face.charToGlyph[code] = gid
        face.charWidths[code] = width


_GLYPH_NAMES: dict[tuple[bytes, int], str] = {}


@contextmanager
def glyph_names(names: dict[tuple[str, int], str]) -> Iterator[None]:
    """While a document is written: the text each private-use glyph code stands for, by
    (registered font name, code), for the ToUnicode CMaps (:func:`glyph_text`)."""
    by_face = {(getFont(f).face.name, c): t for (f, c), t in names.items()}
    _GLYPH_NAMES.clear()
    _GLYPH_NAMES.update(by_face)
    try:
        yield
    finally:
        _GLYPH_NAMES.clear()


def glyph_text(base_font_name: str, code: int) -> str | None:
    """The text a private-use code of a font subset (``TAG+FaceName``) stands for."""
    face = base_font_name.split("+", 1)[-1].encode("latin-1", "replace")
    return _GLYPH_NAMES.get((face, code))


def piece_cache(canv: Any) -> dict[tuple, tuple[list[str], int]]:
    """The document's record of the operators each piece was drawn with (:func:`replay`)."""
    return _PIECE_OPS.setdefault(canv._doc, {})


def replay(tx: Any, done: dict[tuple, tuple[list[str], int]], key: Hashable) -> tuple | None:
    """Write again the operators a piece (``key``) was drawn with in this document (``done``:
    its :func:`piece_cache`) with the same font, size, leading and font subset current: the
    same bytes, without drawing it afresh (a line is drawn a piece at a time, and pieces
    recur). None when written; else, the piece not drawn so before, a mark to draw it and
    then give to :func:`remember`."""
    full = (key, tx._fontname, tx._fontsize, tx._leading, tx._curSubset)
    hit = done.get(full)
    if hit is None:
        return (full, len(tx._code))
    tx._code.extend(hit[0])
    tx._curSubset = hit[1]
    return None


def remember(tx: Any, done: dict[tuple, tuple[list[str], int]], mark: tuple) -> None:
    """Note the operators a piece was just drawn with (``mark`` from :func:`replay`)."""
    full, start = mark
    done[full] = (tx._code[start:], tx._curSubset)


#: per document: the operators each piece was drawn with, by its key and the text state
_PIECE_OPS: weakref.WeakKeyDictionary[Any, dict[tuple, tuple[list[str], int]]] = weakref.WeakKeyDictionary()


def text_out(tx: Any, text: str) -> None:
    """Show ``text`` at the text object's current point (its subset fonts chosen per
    character), without ReportLab measuring it again to move its own cursor."""
    tx._textOut(text)


def page_size(canv: Any) -> tuple[float, float]:
    """The size (points) of the page being drawn: the media, larger than the trim in the print file."""
    w, h = canv._pagesize
    return (w, h)


def current_matrix(canv: Any) -> tuple[float, float, float, float, float, float]:
    """The canvas's current transformation matrix (a, b, c, d, e, f)."""
    m: tuple[float, float, float, float, float, float] = canv._currentMatrix
    return m


def frame_state(canv: Any) -> tuple[float | None, bool]:
    """The height of the frame a flowable is being laid into, and whether it is at its top."""
    frame = getattr(getattr(canv, "_doctemplate", None), "frame", None)
    return getattr(frame, "_height", None), bool(getattr(frame, "_atTop", 1))


def pillow_image(reader: Any) -> Any:
    """The Pillow image an ``ImageReader`` opened (None when it reads the file itself)."""
    return getattr(reader, "_image", None)


class ArtifactFillsTable(Table):
    """A table whose cell fills and rules are drawn as artifacts (the canvas's hook)."""

    def wrapped_height(self) -> float:
        """The table's height as last wrapped (0 before it is wrapped)."""
        return float(getattr(self, "_height", 0))

    def tallest_row(self) -> float:
        """The height of its tallest row as last wrapped (0 before it is wrapped)."""
        rows = getattr(self, "_rowHeights", None) or []  # [None, ...] until it is wrapped
        return float(max((h for h in rows if h is not None), default=0))

    def _drawBkgrnd(self) -> None:
        with self.canv.artifact():
            super()._drawBkgrnd()

    def _drawLines(self) -> None:
        with self.canv.artifact():
            super()._drawLines()


# --- pages, annotations, the document ---------------------------------------------------


def last_page(canv: Any) -> Any:
    """The page object ``showPage`` just finished."""
    return canv._doc.Pages.pages[-1]


def set_page_entries(page: Any, **entries: Any) -> None:
    """Set entries ReportLab's page object does not write by default (None: leave out)."""
    page.__NoDefault__ = list(page.__NoDefault__) + list(entries)
    for key, value in entries.items():
        setattr(page, key, value)


def abs_rect(canv: Any, rect: Any, relative: int) -> Any:
    """A rectangle in page coordinates (as ``linkURL`` computes it)."""
    return canv._absRect(rect, relative)


def add_annotation(canv: Any, annotation: Any, name: str | None = None) -> Any:
    """Add an annotation to the current page; with a name, return a reference to it."""
    if name is None:
        canv._addAnnotation(annotation)
        return None
    canv._addAnnotation(annotation, name)
    return canv._doc.refAnnotation(name)


def add_object(canv: Any, obj: Any, name: str) -> Any:
    """Add an object to the document under ``name``; returns its reference."""
    return canv._doc.Reference(obj, name)


def catalog(canv: Any) -> Any:
    """The document catalog, to add entries to."""
    return canv._doc.Catalog


def save(canv: Any) -> None:
    """Write the document (what ``Canvas.save`` does after its last ``showPage``)."""
    canv._doc.SaveToFile(canv._filename, canv)


def set_pdf_version(canv: Any, version: tuple[int, int]) -> None:
    """The version in the file's header."""
    canv._doc._pdfVersion = version


def stamp_date(canv: Any, date: _dt.date) -> None:
    """Stamp the document with a fixed date (no wall-clock time in the file)."""
    ts = canv._doc._timeStamp
    t = calendar.timegm(date.timetuple())
    ts.t = t
    ts.lt = time.gmtime(t)
    ts.YMDhms = tuple(ts.lt)[:6]
    ts.dhh = ts.dmm = 0
    ts.tzname = "UTC"


# --- PDF objects --------------------------------------------------------------------------


class RawObject(pdfdoc.PDFObject):
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


class XMPStream(PDFStream):
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


# --- serialising -------------------------------------------------------------------------


def install_fast_format() -> None:
    """Format the plain values of PDF objects (names, numbers, bytes) without the generic path.

    ``pdfdoc.format`` is called for every key and value of every dictionary and array a
    PDF holds (about 1,700 a leaflet): it tests the value against ReportLab's classes
    first, then encodes text with the ``extpdfdoc`` codec. For the exact built-in types
    the answer is known: bytes as they are, numbers through ``fp_str``, text that is
    printable ASCII as ASCII (which is what ``extpdfdoc`` gives it: checked here, once,
    for every such character, and the fast path not installed if it differs). Everything
    else goes the way it went. The bytes written are the same
    (``tests/test_reportlab_internals.py`` compares a leaflet's PDF both ways).
    """
    original = pdfdoc.format
    if getattr(original, "lw_fast", False):
        return
    printable = "".join(chr(c) for c in range(32, 127))
    if printable.encode("extpdfdoc") != printable.encode("ascii"):
        return  # a ReportLab whose PDFDocEncoding differs there: keep its own path
    fp_str = pdfdoc.fp_str

    def fast_format(element: Any, document: Any, toplevel: int = 0) -> Any:
        t = type(element)
        if t is str:
            if element.isascii() and element.isprintable():
                return element.encode("ascii")
            return element.encode("extpdfdoc")
        if t is int or t is float:
            return fp_str(element).encode("ascii")
        if t is bytes:
            return element
        return original(element, document, toplevel)

    fast_format.lw_fast = True  # type: ignore[attr-defined]
    fast_format.lw_original = original  # type: ignore[attr-defined]
    fast_format.lw_original_name = pdfdoc.PDFName  # type: ignore[attr-defined]
    pdfdoc.format = fast_format
    # every key of every dictionary is escaped again, character by character, by PDFName
    # (a pure function of its text): the few hundred names a PDF uses are kept
    pdfdoc.PDFName = functools.lru_cache(maxsize=4096)(pdfdoc.PDFName)


def uninstall_fast_format() -> None:
    """ReportLab's own ``pdfdoc.format`` again (for the canary test)."""
    original = getattr(pdfdoc.format, "lw_original", None)
    if original is not None:
        pdfdoc.PDFName = pdfdoc.format.lw_original_name
        pdfdoc.format = original


# --- fonts ----------------------------------------------------------------------------------


def install_to_unicode_cmap(make: Callable[[str, list[int]], str]) -> None:
    """Replace the ToUnicode CMap ReportLab writes for each font subset.

    ReportLab looks ``ttfonts.makeToUnicodeCMap`` up when it writes a subset, so
    setting the module attribute is enough.
    """
    ttfonts.makeToUnicodeCMap = make


def install_subset_tags(tag: Callable[[bytes, list[int]], bytes]) -> None:
    """Name each font subset ``tag(font name, its code points)`` + ``+`` (§9.6.4).

    ReportLab prefixes a subset's name with its number alone (``SUBSETN(n)``), so the
    first subset of every font is ``AAAAAA+``. ``TTFont.addObjects`` looks the module's
    ``SUBSETN`` up for each subset it writes; it is swapped for the call only.
    """
    original = ttfonts.TTFont.addObjects
    if getattr(original, "lw_tagged", False):
        return

    def add_objects(self: Any, doc: Any) -> Any:
        numbered = ttfonts.SUBSETN
        ttfonts.SUBSETN = lambda n: tag(self.face.name, list(self.state[doc].subsets[n]))
        try:
            return original(self, doc)
        finally:
            ttfonts.SUBSETN = numbered

    add_objects.lw_tagged = True  # type: ignore[attr-defined]
    ttfonts.TTFont.addObjects = add_objects


# What ReportLab reads from a parsed face when it registers, measures and embeds a font
# (pdfmetrics.registerFont, stringWidth, TTFont.addObjects): a cached state lacking any is not used.
_FACE_ATTRS = frozenset(
    [
        "ascent",
        "descent",
        "capHeight",
        "bbox",
        "flags",
        "italicAngle",
        "stemV",
        "defaultWidth",
        "charWidths",
        "charToGlyph",
        "hmetrics",
        "glyphPos",
        "unitsPerEm",
        "numGlyphs",
    ]
)
_FACE_NAMES = frozenset(("name", "familyName", "styleName", "fullName"))


def face_state(font: ttfonts.TTFont) -> dict[str, Any]:
    """What parsing a TrueType file gave a font's face (metrics, cmap, widths, glyph offsets),
    as plain data ``marshal`` can store: everything but the file's bytes and the scaling
    function. Its names (``TTFNameBytes``) are kept as their text. Raises ValueError if the
    face holds something else (a ReportLab that stores more: nothing is cached then)."""
    attrs: dict[str, Any] = {}
    names: dict[str, str] = {}
    for key, value in vars(font.face).items():
        if key in ("_ttf_data", "_pdfScale"):
            continue
        if isinstance(value, ttfonts.TTFNameBytes):
            names[key] = value.ustr
        else:
            attrs[key] = value
    state = {"attrs": attrs, "names": names}
    import marshal

    marshal.dumps(state)  # ValueError: something that is not plain data
    return state


def font_from_state(name: str, filename: str, data: bytes, state: dict[str, Any], ascii_readable: int) -> Any:
    """The ``TTFont`` that ``TTFont(name, filename, asciiReadable=...)`` makes, from a
    :func:`face_state` of the same file (and ``data``, its bytes, for subsetting), without
    parsing the file again. Mirrors ``TTFont.__init__``, ``TTFontFace.__init__`` and the
    ``head`` table's scaling in ``TTFontFile.extractInfo``."""
    from fnmatch import fnmatch
    from weakref import WeakKeyDictionary

    missing = (_FACE_ATTRS - state["attrs"].keys()) | (_FACE_NAMES - state["names"].keys())
    if missing:  # a file of another shape (another tool's, a damaged one): parse the font
        raise KeyError(f"not a parsed face: no {', '.join(sorted(missing))}")
    face = ttfonts.TTFontFace.__new__(ttfonts.TTFontFace)
    vars(face).update(state["attrs"])
    for key, text in state["names"].items():
        setattr(face, key, ttfonts.TTFNameBytes(text.encode("utf8")))
    face._ttf_data = data
    face.filename = filename
    per_em = face.unitsPerEm
    if per_em == 1000:
        face._pdfScale = lambda x: x
    else:
        mult = 1000 / per_em
        face._pdfScale = lambda x: x * mult
    font = ttfonts.TTFont.__new__(ttfonts.TTFont)
    font.fontName = name
    font.face = face
    font.encoding = ttfonts.TTEncoding()
    font.state = WeakKeyDictionary()
    font._asciiReadable = ascii_readable
    font.shapable = not any(fnmatch(name, g) for g in ttfonts.unShapedFontGlob)
    return font
