"""Post-processing of built PDFs: booklet imposition and merging.

Everything here is pure: PDF bytes in, PDF bytes out. Nothing is written to
disk and nothing is printed, so the CLI decides where files go and how errors
are shown.

* :func:`booklet_order` -- which page goes where on a saddle-stitched booklet.
* :func:`impose_booklet` -- a reading PDF laid out two-up as a print file.
* :func:`merge_pdfs` -- PDFs concatenated in order.

Output is deterministic: the same input gives byte-identical output. pypdf
writes no dates, and its only varying field, the file identifier (``/ID``,
PDF 32000-1:2008 section 14.4), is random when pypdf makes it, so it is
derived here from a hash of the input instead.

Page boxes follow PDF 32000-1:2008 section 14.11.2: a page's visible extent
is its CropBox (which defaults to the MediaBox); the imposed sheet only has a
MediaBox (section 7.7.3.3, Table 30).
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Sequence
from io import BytesIO

from pypdf import PageObject, PdfReader, PdfWriter, Transformation
from pypdf.generic import ArrayObject, NameObject

from . import pypdf_internals
from .errors import LeafwrightError

__all__ = ["booklet_order", "impose_booklet", "merge_pdfs"]

# Pages whose sizes differ by at most this many points count as equal:
# generators round A5 differently (419.53 vs 419.5276), about 0.18 mm.
SIZE_TOLERANCE_PT = 0.5

#: About the most pages one saddle-stitched booklet holds (16 sheets of ordinary paper
#: folded once): more will not fold flat or take a staple. Over it, the build warns.
SADDLE_STITCH_PAGES = 64
#: No booklet is imposed beyond this many pages: it could never be stitched, and
#: imposing it would take minutes and a great deal of memory for nothing.
MAX_IMPOSED_PAGES = 1000

_MM = 72 / 25.4

# ISO 216 A and B series, portrait (width, height) in mm. ISO rounds each half
# size down to a whole mm, so two A5 pages (2 x 148 mm) are 1 mm narrower than
# the A4 sheet they are printed on; a sheet that close is snapped to the
# standard paper size, and the spare millimetre goes to the outer margins.
_ISO_SIZES_MM = (
    (841, 1189),
    (594, 841),
    (420, 594),
    (297, 420),
    (210, 297),
    (148, 210),
    (105, 148),
    (74, 105),
    (52, 74),
    (1000, 1414),
    (707, 1000),
    (500, 707),
    (353, 500),
    (250, 353),
    (176, 250),
    (125, 176),
    (88, 125),
)
_SNAP_TOLERANCE_PT = 1.5 * _MM

_TITLE_SUFFIX = " (imposed booklet)"

# /Rotate as a matrix (a, b, c, d): x' = a*x + c*y, y' = b*x + d*y, turning
# the page clockwise by that many degrees, as viewers show it.
_CLOCKWISE = {0: (1, 0, 0, 1), 90: (0, -1, 1, 0), 180: (-1, 0, 0, -1), 270: (0, 1, -1, 0)}


def booklet_order(n_pages: int, *, right_to_left: bool = False) -> list[tuple[int | None, int | None]]:
    """Saddle-stitch order of the sheet sides for a document of ``n_pages`` pages.

    Returns one ``(left, right)`` pair per sheet side, in printing order: side
    1 is the outside of the outermost sheet, side 2 its inside, side 3 the
    outside of the next sheet, and so on. Each number is a 1-based page of the
    reading document; ``None`` is a blank page added as padding. The number of
    sides is half the padded page count (a multiple of 4).

    Padding rule: the document is padded to a multiple of 4 with blanks placed
    just before the back cover, so the first page stays the front cover and the
    last page stays the back cover (outside left of side 1). A single page has
    no back cover distinct from its front: it becomes the front cover and the
    other three pages of the folded sheet are blank, i.e.
    ``[(None, 1), (None, None)]``.

    >>> booklet_order(8)
    [(8, 1), (2, 7), (6, 3), (4, 5)]
    >>> booklet_order(5)
    [(5, 1), (2, None), (None, 3), (4, None)]

    ``right_to_left``: a booklet in Arabic, Hebrew or Urdu is bound on the right and opens
    the other way: every side is mirrored, the front cover on the left of the outside.

    >>> booklet_order(8, right_to_left=True)
    [(1, 8), (7, 2), (3, 6), (5, 4)]

    Raises :class:`ValueError` if ``n_pages`` is less than 1 (a programming
    error: :func:`impose_booklet` reports an empty PDF to the user itself).
    """
    if isinstance(n_pages, bool) or not isinstance(n_pages, int) or n_pages < 1:
        raise ValueError(f"a booklet needs at least one page, got {n_pages!r}")
    padded = 4 * math.ceil(n_pages / 4)
    # slot[i] is the reading page at position i+1 of the padded booklet.
    slot: list[int | None] = [None] * padded
    if n_pages == 1:
        slot[0] = 1
    else:
        slot[: n_pages - 1] = range(1, n_pages)
        slot[padded - 1] = n_pages  # the back cover stays outermost
    sides: list[tuple[int | None, int | None]] = []
    for sheet in range(padded // 4):
        lo, hi = 2 * sheet, padded - 1 - 2 * sheet  # 0-based, outermost first
        sides.append((slot[hi], slot[lo]))  # outside: last | first
        sides.append((slot[lo + 1], slot[hi - 1]))  # inside: second | second-to-last
    if right_to_left:
        return [(right, left) for left, right in sides]
    return sides


def impose_booklet(pdf: bytes, *, right_to_left: bool | None = None) -> bytes:
    """Impose a reading PDF as a saddle-stitched booklet, two pages per sheet side.

    ``pdf`` holds pages of one size (A5 portrait in leafwright; any equal size
    works). The result has one page per sheet side, in :func:`booklet_order`:
    two source pages side by side, meeting at the middle of a landscape sheet
    twice as wide. When that sheet is within 1.5 mm of an ISO 216 paper size
    it is made exactly that size (two A5 pages give A4 landscape; ISO A5 is
    1 mm narrower than half of A4) and the difference goes to the outer edges.
    Pages with /Rotate are placed as a reader sees them. Padding pages stay
    blank. Link annotations are dropped (they do nothing on paper). Print
    duplex, flipping on the short edge, then fold the stack in half.

    The result is a print file, not a reading file: page order is scrambled
    for the press, the structure tree is not carried over and it is not
    expected to be tagged or accessible. Ship the reading PDF to readers.

    The Info ``/Title`` is the input's title with " (imposed booklet)"
    appended, if the input has one; ``/ID`` is derived from a hash of the
    input, so the same input always gives the same bytes.

    ``right_to_left``: a booklet bound on the right (see :func:`booklet_order`); by
    default, when the PDF's language (its catalog's /Lang) is written right to left.

    Raises :class:`~leafwright.errors.LeafwrightError` if ``pdf`` is not a
    readable PDF, has no pages, more than :data:`MAX_IMPOSED_PAGES`, or pages of
    different sizes.
    """
    reader = _read_pdf(pdf, "the PDF to impose")
    if right_to_left is None:
        from .scripts import is_rtl

        try:
            lang = reader.root_object.get("/Lang")
        except Exception:  # a damaged catalog: read as left to right
            lang = None
        right_to_left = is_rtl(str(lang) if lang is not None else None)
    pages = list(reader.pages)
    if not pages:
        raise LeafwrightError.single("cannot impose a booklet: the PDF has no pages")
    if len(pages) > MAX_IMPOSED_PAGES:
        raise LeafwrightError.single(
            f"cannot impose a booklet of {len(pages)} pages: at most {MAX_IMPOSED_PAGES} are imposed, "
            f"and a saddle-stitched booklet holds about {SADDLE_STITCH_PAGES}",
            hint="split it into several booklets, or have it bound another way (perfect binding, wire)",
        )

    try:
        placed = [_upright(page) for page in pages]
    except LeafwrightError:
        raise
    except Exception as exc:  # a damaged page dictionary, found only now
        raise LeafwrightError.single(f"the PDF to impose is not a readable PDF: {exc}") from exc

    _, width, height = placed[0]
    for number, (_, w, h) in enumerate(placed[1:], start=2):
        if abs(w - width) > SIZE_TOLERANCE_PT or abs(h - height) > SIZE_TOLERANCE_PT:
            raise LeafwrightError.single(
                f"cannot impose a booklet: page {number} is "
                f"{_size_text(w, h)} but page 1 is {_size_text(width, height)}",
                hint="every page of a booklet must have the same size",
            )

    sheet_w, sheet_h = _sheet_size(2 * width, height)
    mid_x = sheet_w / 2  # the fold: pages meet here
    writer = PdfWriter()
    for left, right in booklet_order(len(pages), right_to_left=right_to_left):
        # Created through the writer so pypdf's writer-side merge is used: it
        # clips each page to its CropBox and moves its annotations with it.
        sheet = writer.add_blank_page(sheet_w, sheet_h)
        for page_no, x in ((left, mid_x - width), (right, mid_x)):
            if page_no is None:
                continue  # padding stays blank
            _drop_links(pages[page_no - 1])
            upright = placed[page_no - 1][0]
            dy = (sheet_h - height) / 2  # centred vertically if snapped taller
            sheet.merge_transformed_page(pages[page_no - 1], upright.translate(x, dy))

    writer.pdf_header = _header_for([reader])
    title = _title(reader)
    if title:
        writer.add_metadata({"/Title": title + _TITLE_SUFFIX})
    _set_file_id(writer, b"leafwright impose_booklet\0" + bytes(pdf))
    return _write(writer)


def merge_pdfs(pdfs: list[bytes]) -> bytes:
    """Concatenate PDFs, in the order given, into one PDF.

    Pages, their annotations and the outlines (bookmarks) of each input are
    kept. The structure trees of tagged inputs are not merged (pypdf cannot),
    so the result is not tagged even when every input is. The Info dictionary
    only names the producer (pypdf); ``/ID`` is derived from a hash of the
    inputs, so the same inputs always give the same bytes.

    Raises :class:`~leafwright.errors.LeafwrightError` if the list is empty or
    one of the inputs is not a readable PDF or has no pages.
    """
    if not pdfs:
        raise LeafwrightError.single("nothing to merge: no PDFs were given")
    readers = []
    for index, pdf in enumerate(pdfs, start=1):
        reader = _read_pdf(pdf, f"PDF {index} of {len(pdfs)}")
        if len(reader.pages) == 0:
            raise LeafwrightError.single(f"cannot merge: PDF {index} of {len(pdfs)} has no pages")
        readers.append(reader)

    writer = PdfWriter()
    for reader in readers:
        writer.append(reader)
    writer.pdf_header = _header_for(readers)
    digest_input = b"leafwright merge_pdfs\0" + b"".join(
        len(pdf).to_bytes(8, "big") + pdf
        for pdf in pdfs  # length-prefixed: unambiguous
    )
    _set_file_id(writer, digest_input)
    return _write(writer)


def _read_pdf(pdf: bytes, what: str) -> PdfReader:
    """Open ``pdf``, turning anything pypdf raises into a LeafwrightError."""
    if not isinstance(pdf, (bytes, bytearray, memoryview)):
        raise LeafwrightError.single(f"{what} is not a PDF: expected bytes, got {type(pdf).__name__}")
    data = bytes(pdf)
    if b"%PDF-" not in data[:1024]:
        # Section 7.5.2: the header must be there; pypdf would guess otherwise.
        raise LeafwrightError.single(f"{what} is not a PDF (no %PDF- header)")
    try:
        reader = PdfReader(BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise LeafwrightError.single(
                f"{what} is encrypted with a password", hint="remove the password and try again"
            )
        len(reader.pages)  # forces the page tree to be read now, inside the try
    except LeafwrightError:
        raise
    except Exception as exc:  # malformed files raise many types from deep in pypdf
        raise LeafwrightError.single(f"{what} is not a readable PDF: {exc}") from exc
    return reader


def _drop_links(page: PageObject) -> None:
    """Remove ``page``'s link annotations (section 12.5.6.5) before it is merged.

    Links do nothing on paper, and an internal link's destination is a page of
    the reading order that no longer exists on its own: pypdf would copy that
    page into the print file as an orphan. Other annotations are kept (moved
    with their page), as they may print.
    """
    annots = page.get("/Annots")
    if annots is None:
        return
    kept = ArrayObject(a for a in annots.get_object() if a.get_object().get("/Subtype") != "/Link")
    if kept:
        page[NameObject("/Annots")] = kept
    else:
        del page[NameObject("/Annots")]


def _upright(page: PageObject) -> tuple[Transformation, float, float]:
    """How to show ``page`` as a reader sees it, with its lower-left corner at 0, 0.

    Returns the transformation and the displayed width and height. The
    displayed page is the CropBox (section 14.11.2) turned clockwise by the
    page's /Rotate (section 7.7.3.3, Table 30).
    """
    box = page.cropbox
    rotation = page.rotation % 360
    if rotation not in _CLOCKWISE:
        raise LeafwrightError.single(f"a page has /Rotate {page.rotation}, not a multiple of 90")
    a, b, c, d = _CLOCKWISE[rotation]  # exact, unlike cos/sin of a float angle
    corners = [(float(x), float(y)) for x in (box.left, box.right) for y in (box.bottom, box.top)]
    xs = [a * x + c * y for x, y in corners]
    ys = [b * x + d * y for x, y in corners]
    # The page's content is clipped to its CropBox by pypdf before this applies.
    move = Transformation((a, b, c, d, -min(xs), -min(ys)))
    return move, max(xs) - min(xs), max(ys) - min(ys)


def _sheet_size(width: float, height: float) -> tuple[float, float]:
    """The landscape sheet for two pages side by side, snapped to ISO 216 if close."""
    for short_mm, long_mm in _ISO_SIZES_MM:
        # Landscape sheet: the paper's long side is its width.
        iso_w, iso_h = long_mm * _MM, short_mm * _MM
        # Never smaller than the pages (beyond rounding): that would crop them.
        if (
            -SIZE_TOLERANCE_PT <= iso_w - width <= _SNAP_TOLERANCE_PT
            and -SIZE_TOLERANCE_PT <= iso_h - height <= _SNAP_TOLERANCE_PT
        ):
            return iso_w, iso_h
    return width, height


def _header_for(readers: Sequence[PdfReader]) -> str:
    """The highest PDF version among the inputs (features are copied as they are)."""
    best = (1, 3)  # what pypdf writes by default
    for reader in readers:
        try:
            major, minor = (int(p) for p in reader.pdf_header[5:8].split("."))
        except ValueError:
            continue  # a damaged header: the version tells us nothing
        best = max(best, (major, minor))
    return f"%PDF-{best[0]}.{best[1]}"


def _title(reader: PdfReader) -> str | None:
    """The input's Info /Title, or None if it has none."""
    try:
        info = reader.metadata
    except Exception:  # a damaged Info dictionary should not stop imposition
        return None
    if info is None or not info.title:
        return None
    return str(info.title)


def _set_file_id(writer: PdfWriter, seed: bytes) -> None:
    """Give the file a deterministic /ID (section 14.4) derived from ``seed``."""
    pypdf_internals.set_file_id(writer, hashlib.sha256(seed).digest()[:16])


def _write(writer: PdfWriter) -> bytes:
    """Serialise ``writer`` to bytes."""
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def _size_text(width: float, height: float) -> str:
    """A page size as the user would say it: points and millimetres."""
    w, h = float(width), float(height)
    return f"{w:.1f} x {h:.1f} pt ({w / _MM:.0f} x {h / _MM:.0f} mm)"
