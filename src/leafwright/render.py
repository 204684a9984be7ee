"""The pure core: a leaflet, a resolved style and options in; PDF bytes out.

``render(source, style, options)`` checks that every character can be drawn
and every image is safe to use, lays the leaflet out, draws it on a tagging
canvas and returns the PDF. It prints nothing and writes no files.
"""

from __future__ import annotations

import io
import math
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reportlab.lib.colors import HexColor
from reportlab.platypus import Frame, PageTemplate
from reportlab.platypus.doctemplate import BaseDocTemplate

from . import __version__
from .errors import ContentError, Diagnostic, UnsafePathError
from .fonts import check_glyphs
from .layout import format_date, layout_leaflet
from .load import Document, load_file
from .model import Leaflet, iter_texts, validate_leaflet
from .style import MM, ResolvedStyle, setting_diagnostic
from .tag import DocMeta, PlainCanvas, TaggingCanvas

VARIANTS = ("standard", "large-print", "booklet", "print")

# The print file (see FACTS.md, "Print"): 3 mm bleed past the trim on every edge, text at
# least 5 mm inside the trim, images 300 dpi at printed size. Crop marks start 1 mm
# outside the bleed (so trimming never leaves a mark on the page) and are 5 mm long; the
# media has 10 mm of room round the trim for them.
BLEED = 3 * MM
SAFE_TEXT = 5 * MM
MARK_GAP = BLEED + 1 * MM
MARK_LENGTH = 5 * MM
SLUG = 10 * MM
PRINT_DPI = 300


@dataclass(frozen=True)
class RenderOptions:
    """Every switch that changes the PDF. Unknown options are refused by the dataclass."""

    variant: str = "standard"
    """standard, large-print, booklet (the A5 reading PDF; pass the booklet style) or print."""
    tagged: bool = True
    """Tag the PDF (PDF/UA-1). False only for measuring what tagging costs (bench/)."""
    draft: bool = False
    """Mark every page as a draft (``build --draft``); a leaflet with ``status: draft`` always is."""

    def __post_init__(self) -> None:
        if self.variant not in VARIANTS:
            raise ValueError(f"unknown variant '{self.variant}'; use one of {', '.join(VARIANTS)}")


@dataclass(frozen=True)
class LeafletSource:
    """A validated leaflet, the loaded file it came from, and the folder its files live in."""

    leaflet: Leaflet
    doc: Document | None
    base_dir: Path

    @property
    def file(self) -> str:
        return self.doc.file if self.doc else self.leaflet.id


def load_leaflet(path: str | Path, *, display: str | None = None) -> LeafletSource:
    """Load and validate a leaflet file (stages 1 and 2)."""
    doc = load_file(path, display=display)
    leaflet = validate_leaflet(doc)
    return LeafletSource(leaflet, doc, Path(path).resolve().parent)


_IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg")


def resolve_images(source: LeafletSource, style: ResolvedStyle) -> dict[tuple, Path]:
    """Every image's file, checked: inside the leaflet's (or style's) folder, present, PNG/JPEG."""
    from .model import walk_section_paths

    allowed = [source.base_dir.resolve(), Path(style.chain.files[-1]).parent.resolve()]
    out: dict[tuple, Path] = {}
    diags: list[Diagnostic] = []

    def locate(path: tuple, msg: str, hint: str | None) -> Diagnostic:
        if source.doc is not None:
            return source.doc.diagnostic(path, msg, hint=hint)
        return Diagnostic(msg, file=source.file, hint=hint)

    for sec, spath, _level in walk_section_paths(source.leaflet.sections):
        for j, block in enumerate(sec.blocks):
            if block.image is None:
                continue
            bpath = spath + ("blocks", j)
            fpath = bpath + ("image", "file")
            name = block.image.file
            target = (source.base_dir / name).resolve()
            if not any(target == a or a in target.parents for a in allowed):
                diags.append(
                    locate(
                        fpath,
                        f"image path '{name}' points outside the leaflet's folder",
                        "put the image in the leaflet's folder (or a folder "
                        "inside it) and give a relative path",
                    )
                )
                continue
            if target.suffix.lower() not in _IMAGE_SUFFIXES:
                diags.append(
                    locate(
                        fpath, f"image '{name}' is not a PNG or JPEG file", "save the picture as .png or .jpg"
                    )
                )
                continue
            if not target.is_file():
                diags.append(locate(fpath, f"image file not found: {name}", f"looked for {target}"))
                continue
            try:
                from reportlab.lib.utils import ImageReader

                ImageReader(str(target)).getSize()
            except Exception:
                diags.append(
                    locate(
                        fpath, f"image '{name}' cannot be read", "check that it is a real PNG or JPEG file"
                    )
                )
                continue
            out[bpath] = target
    if diags:
        unsafe = [d for d in diags if "outside" in d.message]
        raise (UnsafePathError if unsafe else ContentError)(diags)
    return out


def check_links(texts: list, source: LeafletSource) -> None:
    """Refuse inline links other than http(s), mailto and tel, located in the YAML."""
    from .inline import bad_links

    diags = []
    for path, text in texts:
        for url in bad_links(text):
            msg = f"link '{url}' must start with http://, https://, mailto: or tel:"
            hint = "write the whole web address, e.g. [our website](https://example.org)"
            diags.append(
                source.doc.diagnostic(path, msg, hint=hint)
                if source.doc
                else Diagnostic(msg, file=source.file, hint=hint)
            )
    if diags:
        raise ContentError(diags)


def _source_date_epoch(leaflet: Leaflet):
    """The date stamped in the PDF: SOURCE_DATE_EPOCH if set, else the publication date."""
    import datetime as _dt

    env = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if env.isdigit():
        return _dt.datetime.fromtimestamp(int(env), _dt.timezone.utc).date()
    return leaflet.published


def _footer(style: ResolvedStyle, leaflet: Leaflet, footer_style: Any):
    """The onPage callback that draws the footer as a pagination artifact, and its height.

    The height (points from the page's bottom edge to the footer's rule) lets the
    body frame end above a footer that wraps (large print, A5).
    """
    from reportlab.platypus import Paragraph

    from .inline import _font_runs

    spec = style.spec.footer
    text = spec.text.format(
        organisation=leaflet.publisher.name,
        version=leaflet.version,
        published=format_date(leaflet.published),
        review_by=format_date(leaflet.review_by),
        title=leaflet.title,
    )
    top, right, bottom, left = style.margins
    width = style.frame_width
    # the same text on every page: laid out once, drawn on each
    para = Paragraph(_font_runs(text, style.fonts), footer_style)
    _, text_h = para.wrap(width, style.page_height)
    size = footer_style.fontSize
    colour = footer_style.textColor
    rule = HexColor(style.colours.rule)
    y_num = 8 * MM
    y_text = y_num + footer_style.leading

    def on_page(canv: TaggingCanvas, doc: Any) -> None:
        with canv.artifact("Pagination", "Footer"):
            canv.saveState()
            canv.setStrokeColor(rule)
            canv.setLineWidth(0.6)
            canv.line(left, y_text + text_h + 2 * MM, left + width, y_text + text_h + 2 * MM)
            canv.restoreState()
            para.drawOn(canv, left, y_text)
            if spec.page_numbers:
                canv.saveState()
                canv.setFillColor(colour)
                canv.setFont(style.fonts.regular, size)
                label = f"Page {canv.getPageNumber()} of "
                canv.drawString(left, y_num, label)
                canv.translate(left + canv.stringWidth(label, style.fonts.regular, size), y_num)
                canv.doForm(canv.lw_total_pages_form)
                canv._lw_total_form_used = (style.fonts.regular, size, colour)
                canv.restoreState()

    return on_page, y_text + text_h + 2 * MM


@dataclass(frozen=True)
class Rendered:
    """A rendered PDF and what the build reports about it."""

    pdf: bytes
    pages: int
    warnings: tuple[Diagnostic, ...] = ()
    """Things the reader of the build should know (colours converted, low-resolution images)."""


def render(source: LeafletSource, style: ResolvedStyle, options: RenderOptions | None = None) -> bytes:
    """Lay out, draw and tag one leaflet; return the PDF's bytes."""
    return render_document(source, style, options).pdf


def render_document(
    source: LeafletSource, style: ResolvedStyle, options: RenderOptions | None = None
) -> Rendered:
    """Like :func:`render`, also returning the page count and any warnings.

    The ``print`` variant draws the same pages on a larger sheet: the trim (the style's
    page) sits :data:`SLUG` in from the media's edges, the title band runs
    :data:`BLEED` past the trim, crop marks are drawn outside the bleed, TrimBox and
    BleedBox are set on every page and every colour is CMYK (see :func:`cmyk_colours`).
    """
    options = options or RenderOptions()
    leaflet = source.leaflet
    printing = options.variant == "print"
    warnings: list[Diagnostic] = []
    if printing:
        check_print_margins(style)
    texts = iter_texts(leaflet)
    check_links(texts, source)
    check_glyphs(texts, style.fonts, source.doc)
    images = resolve_images(source, style)
    layout = layout_leaflet(leaflet, style, images, bleed=BLEED if printing else 0.0)

    top, right, bottom, left = style.margins
    page_size = (style.page_width, style.page_height)
    on_page, footer_h = _footer(style, leaflet, layout.styles.footer)
    on_page_end = _draft_mark(style) if options.draft or leaflet.status == "draft" else _nothing
    if footer_h > bottom:  # a footer that wraps to more lines pushes the body up
        bottom = footer_h + 3 * MM
    off = SLUG if printing else 0.0  # the print file's trim sits this far in from the media
    frame = Frame(
        left + off,
        bottom + off,
        page_size[0] - left - right,
        page_size[1] - top - bottom,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
        id="body",
    )
    boxes: dict[str, Any] = {}
    if printing:
        on_page = _print_page(on_page, page_size)
        w, h = page_size
        page_size = (w + 2 * SLUG, h + 2 * SLUG)
        # PDF 32000-1 §14.11.2: TrimBox is the finished page, BleedBox the trim plus
        # bleed; both in default user space, i.e. in the MediaBox's coordinates.
        boxes = {
            "trimBox": _box(SLUG, SLUG, w, h),
            "bleedBox": _box(SLUG - BLEED, SLUG - BLEED, w + 2 * BLEED, h + 2 * BLEED),
        }
        convert, guessed = cmyk_colours(style)
        boxes["enforceColorSpace"] = convert
        if guessed:
            warnings.append(
                Diagnostic(
                    "print file: brand colours converted from RGB to CMYK with a plain formula "
                    "(no colour profile): " + ", ".join(guessed) + "; give their press values "
                    "under 'cmyk:' in the style",
                    file=str(style.chain.files[-1]),
                    hint="give the exact press values under 'cmyk:' in the style, e.g. "
                    f"cmyk: {{{guessed[0]}: {{c: 100, m: 70, y: 0, k: 10}}}}",
                    severity="warning",
                )
            )
    authors = "; ".join(p.name for p in leaflet.authors) or leaflet.publisher.name
    meta = DocMeta(
        title=leaflet.title,
        lang=leaflet.language,
        author=authors,
        subject=leaflet.subtitle or leaflet.title,
        keywords=", ".join(leaflet.keywords),
        creator=f"leafwright {__version__}",
        date=_source_date_epoch(leaflet),
    )
    buf = io.BytesIO()
    doc = BaseDocTemplate(
        buf,
        pagesize=page_size,
        leftMargin=left,
        rightMargin=right,
        topMargin=top,
        bottomMargin=bottom,
        title=leaflet.title,
        author=authors,
        subject=meta.subject,
        keywords=meta.keywords,
        creator=meta.creator,
        producer="ReportLab (leafwright)",
        lang=leaflet.language,
        displayDocTitle=1,
        invariant=1,
        pageCompression=1,
        initialFontName=style.fonts.regular,
        initialFontSize=style.type.body,
        **boxes,
    )
    doc.addPageTemplates(
        [PageTemplate(id="page", frames=[frame], onPage=on_page, onPageEnd=on_page_end, pagesize=page_size)]
    )

    canvas_class = TaggingCanvas if options.tagged else PlainCanvas

    def make_canvas(*args: Any, **kw: Any) -> TaggingCanvas:
        canv = canvas_class(*args, tree=layout.tree, meta=meta, **kw)
        canv._doc._pdfVersion = (1, 7)
        _stamp(canv, meta.date)
        canv.showOutline()
        return canv

    doc.build(layout.flowables, canvasmaker=make_canvas)
    if printing:
        warnings += _low_resolution_images(source, images, doc.canv)
    return Rendered(buf.getvalue(), doc.canv.getPageNumber() - 1, tuple(warnings))


def _box(x: float, y: float, w: float, h: float) -> tuple[float, float, float, float]:
    """A page box [llx lly urx ury], rounded so the file is the same on every machine."""
    return (round(x, 3), round(y, 3), round(x + w, 3), round(y + h, 3))


#: what a draft says on every page
DRAFT_MARK = "DRAFT \u2014 not for distribution"


def _nothing(canv: Any, doc: Any) -> None:
    """A page callback that draws nothing."""


def _draft_mark(style: ResolvedStyle) -> Any:
    """A page-end callback: "DRAFT — not for distribution" across the page, over everything.

    Drawn last on each page in a translucent red, so no picture or title band hides it
    and the text under it stays legible; as a pagination artifact (PDF 32000-1
    §14.8.2.2, /Subtype /Watermark), so screen readers and the tagged text never meet
    it and a draft's structure is the approved leaflet's.
    """
    w, h = style.page_width, style.page_height
    font = style.fonts.bold
    size = min(w, h) / 11

    def draft_mark(canv: TaggingCanvas, doc: Any) -> None:
        mw, mh = canv._pagesize  # the print file's media is larger than the page
        with canv.artifact("Pagination", "Watermark"):
            canv.saveState()
            canv.setFillColor(HexColor("#c0002a"))
            canv.setFillAlpha(0.22)
            canv.setFont(font, size)
            canv.translate(mw / 2, mh / 2)
            canv.rotate(math.degrees(math.atan2(h, w)))
            canv.drawCentredString(0, -size / 3, DRAFT_MARK)
            canv.restoreState()

    return draft_mark


def _print_page(on_page: Any, trim: tuple[float, float]) -> Any:
    """Wrap a page callback for the print file: crop marks, then draw in trim coordinates."""

    def print_page(canv: TaggingCanvas, doc: Any) -> None:
        draw_crop_marks(canv, SLUG, SLUG, *trim)
        canv.saveState()
        canv.translate(SLUG, SLUG)  # the footer is placed as on the trimmed page
        on_page(canv, doc)
        canv.restoreState()

    return print_page


def draw_crop_marks(canv: TaggingCanvas, x: float, y: float, w: float, h: float) -> None:
    """Crop marks at the trim's four corners, outside the bleed, as a layout artifact.

    Each corner gets a horizontal and a vertical hairline on the trim lines, from
    :data:`MARK_GAP` to :data:`MARK_GAP` + :data:`MARK_LENGTH` past the trim, in
    registration colour (all four inks) so they show on every plate.
    """
    from reportlab.lib.colors import CMYKColor

    with canv.artifact("Layout"):
        canv.saveState()
        canv.setStrokeColor(CMYKColor(1, 1, 1, 1))
        canv.setLineWidth(0.25)
        near, far = MARK_GAP, MARK_GAP + MARK_LENGTH
        for cx, sx in ((x, -1), (x + w, 1)):
            for cy, sy in ((y, -1), (y + h, 1)):
                canv.line(cx + sx * near, cy, cx + sx * far, cy)  # on the horizontal trim line
                canv.line(cx, cy + sy * near, cx, cy + sy * far)  # on the vertical trim line
        canv.restoreState()


def check_print_margins(style: ResolvedStyle) -> None:
    """Refuse a print file whose text would come within :data:`SAFE_TEXT` of the trim.

    The trim can wander by a millimetre or two; text closer than 5 mm may be cut.
    The error points at the margin in the style file that sets it.
    """
    from .errors import StyleError

    names = ("top", "right", "bottom", "left")
    diags = []
    for side, value in zip(names, style.margins):
        if value >= SAFE_TEXT - 1e-6:
            continue
        msg = (
            f"page.margins.{side} is {value / MM:g} mm: the print file keeps text at "
            f"least {SAFE_TEXT / MM:g} mm inside the trim"
        )
        hint = f"set page.margins.{side} to {SAFE_TEXT / MM:g} or more in the style"
        diags.append(setting_diagnostic(style, ("page", "margins", side), msg, hint=hint))
    if diags:
        raise StyleError(diags, exit_code=2)  # like every style error: the build cannot start


def _hex(rgb: tuple[float, float, float]) -> str:
    return "#" + "".join(f"{round(v * 255):02x}" for v in rgb)


def rgb_to_cmyk(rgb: tuple[float, float, float]) -> tuple[float, float, float, float]:
    """The plain (profile-free) conversion: grey goes to black ink only."""
    r, g, b = rgb
    k = 1 - max(r, g, b)
    if k >= 1 - 1e-9:
        return (0.0, 0.0, 0.0, 1.0)
    return tuple(
        round(v, 4) for v in ((1 - r - k) / (1 - k), (1 - g - k) / (1 - k), (1 - b - k) / (1 - k), k)
    )  # type: ignore[return-value]


def cmyk_colours(style: ResolvedStyle) -> tuple[Any, list[str]]:
    """A colour converter for ReportLab's ``enforceColorSpace``, and the colours it guessed.

    A brand colour with values under ``cmyk:`` in the style is printed with exactly
    those; others (and any colour not in the style) are converted with
    :func:`rgb_to_cmyk`. The names of converted brand colours that are not neutral
    greys (which convert exactly, to black ink) are returned for a warning.
    """
    from reportlab.lib.colors import CMYKColor, Color, toColor

    given: dict[str, CMYKColor] = {}
    for name, v in style.spec.cmyk.items():
        given[getattr(style.colours, name)] = CMYKColor(v.c / 100, v.m / 100, v.y / 100, v.k / 100)
    guessed = []
    for name in type(style.colours).model_fields:
        hexv = getattr(style.colours, name)
        r, g, b = (int(hexv[i : i + 2], 16) for i in (1, 3, 5))
        if hexv not in given and not r == g == b:
            guessed.append(name)

    def convert(colour: Any) -> Any:
        c = toColor(colour)
        if isinstance(c, CMYKColor):
            return c
        if not isinstance(c, Color):
            raise ValueError(f"cannot print colour {colour!r}")
        rgb = (c.red, c.green, c.blue)
        hit = given.get(_hex(rgb))
        out = hit.clone() if hit is not None else CMYKColor(*rgb_to_cmyk(rgb))
        out.alpha = c.alpha
        return out

    return convert, guessed


def _low_resolution_images(
    source: LeafletSource, images: dict[tuple, Path], canv: TaggingCanvas
) -> list[Diagnostic]:
    """Warnings for pictures below :data:`PRINT_DPI` at the size they are printed."""
    from reportlab.lib.utils import ImageReader

    where = {file: path for path, file in images.items()}
    out = []
    seen = set()
    for file, w, h in getattr(canv, "lw_images", []):
        if file in seen:
            continue
        seen.add(file)
        px, _ = ImageReader(str(file)).getSize()
        dpi = px / (w / 72.0)
        if dpi >= PRINT_DPI - 0.5:
            continue
        msg = (
            f"print file: image '{file.name}' is {dpi:.0f} dpi at its printed size "
            f"({w / MM:.0f} x {h / MM:.0f} mm); print needs {PRINT_DPI} dpi"
        )
        hint = f"use a picture at least {round(PRINT_DPI * w / 72)} pixels wide, or print it smaller"
        bpath = where.get(file)
        if bpath is not None and source.doc is not None:
            out.append(source.doc.diagnostic(bpath + ("image", "file"), msg, hint=hint, severity="warning"))
        else:  # the style's logo
            out.append(Diagnostic(msg, file=str(file), hint=hint, severity="warning"))
    return out


def _stamp(canv: TaggingCanvas, date) -> None:
    """Stamp the document with a fixed date (no wall-clock time in the file)."""
    import calendar
    import time

    ts = canv._doc._timeStamp
    t = calendar.timegm(date.timetuple())
    ts.t = t
    ts.lt = time.gmtime(t)
    ts.YMDhms = tuple(ts.lt)[:6]
    ts.dhh = ts.dmm = 0
    ts.tzname = "UTC"
