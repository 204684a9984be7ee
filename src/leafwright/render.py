"""The pure core: a leaflet, a resolved style and options in; PDF bytes out.

``render(source, style, options)`` checks that every character can be drawn
and every image is safe to use, lays the leaflet out, draws it on a tagging
canvas and returns the PDF. It prints nothing and writes no files. Loading is in
:mod:`leafwright.source`; what differs between editions (pre-flight checks, the
press sheet of the print file) is declared in :mod:`leafwright.variants`.
"""

from __future__ import annotations

import datetime as _dt
import io
import math
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from reportlab.lib.colors import Color, HexColor
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Frame, PageTemplate
from reportlab.platypus.doctemplate import BaseDocTemplate, LayoutError

from . import __version__
from . import reportlab_internals as rl
from .errors import ContentError, Diagnostic, MissingGlyphError
from .fonts import check_glyphs
from .i18n import Labels, label_glyph_problems, leaflet_labels
from .inline import local_files, plain_text, unbroken
from .layout import KeepWithNext, TaggedParagraph, layout_leaflet, make_styles
from .model import Leaflet, iter_texts

# re-exported: the print file's measures and loading, where callers found them before
from .press import BLEED, MARK_GAP, MARK_LENGTH, PRINT_DPI, SAFE_TEXT, SLUG
from .scripts import is_rtl
from .source import LeafletSource, check_links, load_leaflet, resolve_images
from .style import MM, ResolvedStyle
from .tag import DocMeta, PlainCanvas, TaggingCanvas
from .text.bidi import first_strong_is_rtl

__all__ = [
    "BLEED",
    "MARK_GAP",
    "MARK_LENGTH",
    "PRINT_DPI",
    "SAFE_TEXT",
    "SLUG",
    "LeafletSource",
    "RenderOptions",
    "Rendered",
    "check_links",
    "load_leaflet",
    "render",
    "render_document",
    "resolve_images",
]


@dataclass(frozen=True)
class RenderOptions:
    """Every switch that changes the PDF. Unknown options are refused by the dataclass."""

    variant: str = "standard"
    """A name in :data:`leafwright.variants.VARIANTS` (pass the style resolved for it)."""
    tagged: bool = True
    """Tag the PDF (PDF/UA-1). False only for measuring what tagging costs (bench/)."""
    draft: bool = False
    """Mark every page as a draft (``build --draft``); a leaflet with ``status: draft`` always is."""
    labels: Mapping[str, Any] = field(default_factory=dict)
    """The project's label overrides (``labels:`` in leafwright.yaml), over the style's."""
    editions: tuple[tuple[str, str, str], ...] = ()
    """The leaflet in other languages, listed and linked near the end ("This leaflet in:
    Cymraeg · Polski"): (language tag, its name in that language, the PDF's file name)."""

    def __post_init__(self) -> None:
        from .variants import VARIANTS

        if self.variant not in VARIANTS:
            raise ValueError(f"unknown variant '{self.variant}'; use one of {', '.join(VARIANTS)}")


def _source_date_epoch(leaflet: Leaflet):
    """The date stamped in the PDF: SOURCE_DATE_EPOCH if set, else the publication date."""
    import datetime as _dt

    env = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if env.isdigit():
        return _dt.datetime.fromtimestamp(int(env), _dt.UTC).date()
    return leaflet.published


def fill_footer(template: str, **values: str | None) -> str:
    """The footer template filled in; a ' · '-separated part naming a field the leaflet does
    not state (None) is left out whole, so nothing unknown is printed or guessed."""
    parts = []
    for part in re.split(r"[ \u00a0]·[ \u00a0]", template):
        names = re.findall(r"\{(\w+)\}", part)
        if any(values.get(n) is None for n in names):
            continue
        parts.append(part.format(**values))
    return " · ".join(parts)


def in_main_face(text: str, fonts: Any) -> bool:
    """Whether the main font draws every character of a text (any English label)."""
    from .fonts import fonts_for_text

    return all(f in (None, fonts.regular) for f in fonts_for_text(text, fonts))


class LabelLine:
    """A one-line label drawn straight on the page (the page number, the draft mark) in a
    language whose text the main font lacks: laid out by the paragraph path, so each
    character is in the font that has it, shaped, and a right-to-left one in display order."""

    def __init__(self, text: str, fonts: Any, font: str, size: float, colour: Any) -> None:
        style = ParagraphStyle(
            f"lw-label-{size:.2f}", fontName=font, fontSize=size, leading=size, textColor=colour
        )
        # a space at its end is drawn and measured ('Page 3 of ', the count after it): no-break
        # spaces, which a paragraph keeps (it drops spaces that end a line)
        body = text.rstrip(" ")
        self.para = TaggedParagraph(body + "\u00a0" * (len(text) - len(body)), style, fonts, markup=False)
        self.para.wrap(100_000, 100_000)
        self.width = max((line.width for line in self.para.lines), default=0.0)
        # as wide as the text, so it starts where it is drawn (a right-to-left line is set
        # from the right of the width it is wrapped at)
        self.para.wrap(self.width + 0.001, 100_000)

    def draw(self, canv: Any, x: float, baseline: float) -> None:
        self.para.drawOn(canv, x, baseline)  # one line, leading = size: its baseline is at y


def _footer(style: ResolvedStyle, leaflet: Leaflet, footer_style: Any, labels: Labels):
    """The onPage callback that draws the footer as a pagination artifact, and its height.

    The height (points from the page's bottom edge to the footer's rule) lets the
    body frame end above a footer that wraps (large print, A5).
    """
    spec = style.spec.footer
    # a date or a version never breaks inside ("Review by 31 January / 2018"), nor from
    # the word before it ("Version / 1.0"): no-break spaces, which the tags keep as spaces
    template = re.sub(r" (?=\{(?:version|published|review_by)\})", "\u00a0", labels["footer"])
    text = fill_footer(
        template,
        organisation=leaflet.publisher.name if leaflet.publisher else None,
        version=unbroken(leaflet.version) if leaflet.version else None,
        published=unbroken(labels.date(leaflet.published)) if leaflet.published else None,
        review_by=unbroken(labels.date(leaflet.review_by)) if leaflet.review_by else None,
        title=plain_text(leaflet.title),
    )
    # 'Page 3 of ' drawn on each page; the count after it when the document is saved
    # (the label ends with {total}: checked where it is given)
    page_of = labels["page_of"].rstrip()
    page_of = page_of[: len(page_of) - len("{total}")]
    top, right, bottom, left = style.margins
    width = style.frame_width
    rtl = is_rtl(leaflet.language)  # a right-to-left leaflet's footer is mirrored: set at the right
    if rtl:
        footer_style = ParagraphStyle(footer_style.name + "-rtl", parent=footer_style, alignment=TA_RIGHT)
    # the same text on every page: laid out once, drawn on each
    para = TaggedParagraph(text, footer_style, style.fonts, markup=False)
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
                label = page_of.format(page=canv.getPageNumber())
                regular = style.fonts.regular
                if in_main_face(label, style.fonts):  # as it always was
                    line = None
                    label_w = canv.stringWidth(label, regular, size)
                else:
                    line = LabelLine(label, style.fonts, regular, size, colour)
                    label_w = line.width
                flush: float | None = None
                if rtl:
                    # at the right margin; the count, known only when the PDF is saved, gets
                    # room for two digits: left of a right-to-left label, right of another
                    slot = canv.stringWidth("00", regular, size)
                    end = left + width
                    x = end - label_w if first_strong_is_rtl(label) else end - slot - label_w
                    after = end - label_w - slot if first_strong_is_rtl(label) else end - slot
                    # left of a right-to-left label the count is set flush against it
                    flush = slot if first_strong_is_rtl(label) else None
                else:
                    x = left
                    after = left + label_w
                if line is None:
                    canv.drawString(x, y_num, label)
                else:
                    line.draw(canv, x, y_num)
                    canv.setFillColor(colour)
                    canv.setFont(regular, size)
                canv.translate(after, y_num)
                canv.draw_total_pages(style.fonts.regular, size, colour, right_of=flush)
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
    source: LeafletSource,
    style: ResolvedStyle,
    options: RenderOptions | None = None,
    *,
    layout: Any = None,
) -> Rendered:
    """Like :func:`render`, also returning the page count and any warnings.

    The variant's declaration (:data:`leafwright.variants.VARIANTS`) says what runs
    before drawing (its pre-flight checks) and how its pages are set (its ``page``:
    the reading page, or the print variant's press sheet with bleed and crop marks).
    ``layout`` replaces the leaflet's own (:func:`leafwright.swatch.render_swatch`).
    """
    options = options or RenderOptions()
    leaflet = source.leaflet
    variant = get_variant(options.variant)
    page = variant.page
    warnings: list[Diagnostic] = []
    for preflight in variant.preflight:
        preflight(style)
    texts = iter_texts(leaflet)
    labels = leaflet_labels(leaflet, style, options.labels)
    check_links(texts, source)
    check_glyphs(texts, style.fonts, source.doc)
    # the labels in the leaflet's language are drawn too: a script only they use (a leaflet
    # in English text with language: zh-Hans) is said at its language: line
    problems = label_glyph_problems(labels, style.fonts, source.doc)
    if problems:
        raise MissingGlyphError(problems)
    images = resolve_images(source, style)

    top, right, _, left = style.margins
    page_size = (style.page_width, style.page_height)
    on_page, bottom = _footer_and_bottom(style, leaflet, labels)
    # the other language editions' files beside this one may be linked to by leafwright's
    # own line ("This leaflet in: ..."): the leaflet's links were checked above without them
    if layout is None:  # a page made of other parts (the style swatch) brings its own
        with local_files(file for _lang, _name, file in options.editions):
            layout = layout_leaflet(
                leaflet,
                style,
                images,
                bleed=page.bleed,
                frame_height=page_size[1] - top - bottom,
                labels=labels,
                editions=options.editions,
            )
    for path, message, hint in layout.notes:
        if source.doc is not None:
            warnings.append(source.doc.diagnostic(path, message, hint=hint, severity="warning"))
        else:
            warnings.append(Diagnostic(message, file=source.file, hint=hint, severity="warning"))
    on_page_end = _draft_mark(style, labels) if options.draft or leaflet.status == "draft" else _nothing
    off = page.offset  # where the trim sits on the media (the print file's slug)
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
    on_page = page.wrap_on_page(on_page, page_size)
    boxes, setup_warnings = page.doc_options(style, page_size)
    warnings += setup_warnings
    page_size = page.media(page_size)
    # the PDF's author: who wrote it, else who published it, else nobody (never a placeholder)
    authors = "; ".join(p.name for p in leaflet.authors) or (
        leaflet.publisher.name if leaflet.publisher else ""
    )
    meta = DocMeta(
        title=plain_text(leaflet.title),
        lang=leaflet.language,
        author=authors,
        subject=plain_text(leaflet.subtitle or leaflet.title),
        keywords=", ".join(leaflet.keywords),
        creator=f"leafwright {__version__}",
        date=_source_date_epoch(leaflet),
        producer=f"leafwright {__version__} (ReportLab)",
    )
    buf = io.BytesIO()
    doc = _DocTemplate(
        buf,
        pagesize=page_size,
        leftMargin=left,
        rightMargin=right,
        topMargin=top,
        bottomMargin=bottom,
        title=plain_text(leaflet.title),
        author=authors,
        subject=meta.subject,
        keywords=meta.keywords,
        creator=meta.creator,
        producer=meta.producer,
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
        rl.set_pdf_version(canv, (1, 7))
        # no publication date stated: the file's dates are a fixed epoch (as in the XMP),
        # so the bytes stay the same; the leaflet itself prints no date
        rl.stamp_date(canv, meta.date or _dt.date(2000, 1, 1))
        canv.showOutline()
        return canv

    try:
        with local_files(file for _lang, _name, file in options.editions):
            doc.build(layout.flowables, canvasmaker=make_canvas)
    except LayoutError as exc:
        raise _too_large(source, getattr(exc, "lw_flowable", None), frame) from None
    warnings += page.after(source, images, doc.canv)
    return Rendered(buf.getvalue(), doc.canv.getPageNumber() - 1, tuple(warnings))


class _DocTemplate(BaseDocTemplate):
    """ReportLab's document template, remembering which flowable did not fit, and keeping
    headings with the start of the next block (:class:`~leafwright.layout.KeepWithNext`)."""

    def __init__(self, *args: Any, **kw: Any) -> None:
        super().__init__(*args, keepTogetherClass=KeepWithNext, **kw)

    def handle_flowable(self, flowables: list) -> None:
        first = flowables[0] if flowables else None
        try:
            super().handle_flowable(flowables)
        except LayoutError as exc:
            exc.lw_flowable = first
            raise


def _block_path(flowable: Any) -> tuple | None:
    """The YAML path of the block a flowable (or a group holding it) was made from."""
    todo = [flowable]
    while todo:
        f = todo.pop(0)
        path = getattr(f, "lw_path", None)
        if path is not None:
            return tuple(path)
        todo.extend(getattr(f, "_content", None) or [])
    return None


def _too_large(source: LeafletSource, flowable: Any, frame: Frame) -> ContentError:
    """A located error for a block that cannot fit on a page even by itself.

    Pictures, logos, tables and the title band are made to fit (scaled, split or set
    smaller); this is the last word for anything that still cannot, never an internal error.
    """
    room_w, room_h = frame.width, frame.height
    size = ""
    if flowable is not None:
        try:
            w, h = flowable.wrap(room_w, room_h)
            size = f" ({w / MM:.0f} x {h / MM:.0f} mm)"
        except Exception:  # measuring is only for the message
            size = ""
    msg = (
        f"this block is too large to fit on a page{size}; a page has room for "
        f"{room_w / MM:.0f} x {room_h / MM:.0f} mm"
    )
    hint = "split it into smaller blocks (shorter paragraphs, fewer rows, a smaller picture with 'width:')"
    path = _block_path(flowable)
    if path is not None and source.doc is not None:
        return ContentError([source.doc.diagnostic(path, msg, hint=hint)])
    return ContentError([Diagnostic(msg, file=source.file, hint=hint)])


def _footer_and_bottom(
    style: ResolvedStyle, leaflet: Leaflet, labels: Labels | None = None
) -> tuple[Any, float]:
    """The footer's onPage callback and the body frame's bottom edge: the style's bottom
    margin, or higher when the footer wraps to more lines (large print, A5)."""
    labels = labels if labels is not None else leaflet_labels(leaflet, style)
    on_page, footer_h = _footer(style, leaflet, make_styles(style).footer, labels)
    bottom = style.margins[2]
    if footer_h > bottom:
        bottom = footer_h + 3 * MM
    return on_page, bottom


def body_frame_height(style: ResolvedStyle, leaflet: Leaflet, labels: Labels | None = None) -> float:
    """The height of the page's body text frame, as the build lays the leaflet out."""
    return style.page_height - style.margins[0] - _footer_and_bottom(style, leaflet, labels)[1]


def get_variant(name: str) -> Any:
    """The declared variant ``name`` (late import: the registry imports this module)."""
    from .variants import VARIANTS

    return VARIANTS[name]


#: what a draft says on every page (in English; in the leaflet's language: the 'draft_mark' label)
DRAFT_MARK = "DRAFT \u2014 not for distribution"


def _nothing(canv: Any, doc: Any) -> None:
    """A page callback that draws nothing."""


def _draft_mark(style: ResolvedStyle, labels: Labels) -> Any:
    """A page-end callback: "DRAFT — not for distribution" across the page, over everything.

    Drawn last on each page in a translucent red, so no picture or title band hides it
    and the text under it stays legible; as a pagination artifact (PDF 32000-1
    §14.8.2.2, /Subtype /Watermark), so screen readers and the tagged text never meet
    it and a draft's structure is the approved leaflet's.
    """
    w, h = style.page_width, style.page_height
    font = style.fonts.bold
    size = min(w, h) / 11
    mark = labels("draft_mark")
    # a longer mark (Polish is half as long again as English) is set smaller, to fit across the page
    from reportlab.pdfbase.pdfmetrics import stringWidth

    room = math.hypot(w, h) * 0.8
    plain = in_main_face(mark, style.fonts)
    width = stringWidth(mark, font, size) if plain else LabelLine(mark, style.fonts, font, size, None).width
    if width > room:
        size, width = size * room / width, room
    red = HexColor("#c0002a")
    # drawn by the paragraph path in its own colour: translucent in that colour itself
    line = (
        None if plain else LabelLine(mark, style.fonts, font, size, Color(red.red, red.green, red.blue, 0.22))
    )

    def draft_mark(canv: TaggingCanvas, doc: Any) -> None:
        mw, mh = rl.page_size(canv)  # the print file's media is larger than the page
        with canv.artifact("Pagination", "Watermark"):
            canv.saveState()
            canv.setFillColor(HexColor("#c0002a"))
            canv.setFillAlpha(0.22)
            canv.setFont(font, size)
            canv.translate(mw / 2, mh / 2)
            canv.rotate(math.degrees(math.atan2(h, w)))
            if line is None:  # all in the main bold face (as it always was in English)
                canv.drawCentredString(0, -size / 3, mark)
            else:  # in another script: shaped, in the fonts that have it
                line.draw(canv, -width / 2, -size / 3)
            canv.restoreState()

    return draft_mark
