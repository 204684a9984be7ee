"""The pure core: a leaflet, a resolved style and options in; PDF bytes out.

``render(source, style, options)`` checks that every character can be drawn
and every image is safe to use, lays the leaflet out, draws it on a tagging
canvas and returns the PDF. It prints nothing and writes no files.
"""

from __future__ import annotations

import io
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
from .style import MM, ResolvedStyle
from .tag import DocMeta, PlainCanvas, TaggingCanvas

VARIANTS = ("standard", "large-print")


@dataclass(frozen=True)
class RenderOptions:
    """Every switch that changes the PDF. Unknown options are refused by the dataclass."""

    variant: str = "standard"
    """standard or large-print."""
    tagged: bool = True
    """Tag the PDF (PDF/UA-1). False only for measuring what tagging costs (bench/)."""

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
    from .model import walk_sections

    allowed = [source.base_dir.resolve(), Path(style.chain.files[-1]).parent.resolve()]
    out: dict[tuple, Path] = {}
    diags: list[Diagnostic] = []

    def locate(path: tuple, msg: str, hint: str | None) -> Diagnostic:
        if source.doc is not None:
            return source.doc.diagnostic(path, msg, hint=hint)
        return Diagnostic(msg, file=source.file, hint=hint)

    def visit(sections: list, prefix: tuple) -> None:
        for i, sec in enumerate(sections):
            for j, block in enumerate(sec.blocks):
                if block.image is None:
                    continue
                bpath = prefix + (i, "blocks", j)
                fpath = bpath + ("image", "file")
                name = block.image.file
                target = (source.base_dir / name).resolve()
                if not any(target == a or a in target.parents for a in allowed):
                    diags.append(locate(fpath, f"image path '{name}' points outside the "
                                        "leaflet's folder",
                                        "put the image in the leaflet's folder (or a folder "
                                        "inside it) and give a relative path"))
                    continue
                if target.suffix.lower() not in _IMAGE_SUFFIXES:
                    diags.append(locate(fpath, f"image '{name}' is not a PNG or JPEG file",
                                        "save the picture as .png or .jpg"))
                    continue
                if not target.is_file():
                    diags.append(locate(fpath, f"image file not found: {name}",
                                        f"looked for {target}"))
                    continue
                try:
                    from reportlab.lib.utils import ImageReader

                    ImageReader(str(target)).getSize()
                except Exception:
                    diags.append(locate(fpath, f"image '{name}' cannot be read",
                                        "check that it is a real PNG or JPEG file"))
                    continue
                out[bpath] = target
            visit(sec.sections, prefix + (i, "sections"))

    visit(source.leaflet.sections, ("sections",))
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
            diags.append(source.doc.diagnostic(path, msg, hint=hint) if source.doc
                         else Diagnostic(msg, file=source.file, hint=hint))
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
    """The onPage callback that draws the footer as a pagination artifact."""
    from reportlab.platypus import Paragraph

    from .inline import escape, _font_runs

    spec = style.spec.footer
    text = spec.text.format(organisation=leaflet.publisher.name, version=leaflet.version,
                            published=format_date(leaflet.published),
                            review_by=format_date(leaflet.review_by), title=leaflet.title)
    top, right, bottom, left = style.margins
    width = style.page_width - left - right
    markup = _font_runs(text, style.fonts)
    size = footer_style.fontSize
    colour = footer_style.textColor
    rule = HexColor(style.colours.rule)

    def on_page(canv: TaggingCanvas, doc: Any) -> None:
        with canv.artifact("Pagination", "Footer"):
            para = Paragraph(markup, footer_style)
            _, h = para.wrap(width, bottom)
            y_num = 8 * MM
            y_text = y_num + footer_style.leading
            canv.saveState()
            canv.setStrokeColor(rule)
            canv.setLineWidth(0.6)
            canv.line(left, y_text + h + 2 * MM, left + width, y_text + h + 2 * MM)
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
    del escape
    return on_page


@dataclass(frozen=True)
class Rendered:
    """A rendered PDF and what the build reports about it."""

    pdf: bytes
    pages: int


def render(source: LeafletSource, style: ResolvedStyle, options: RenderOptions | None = None) -> bytes:
    """Lay out, draw and tag one leaflet; return the PDF's bytes."""
    return render_document(source, style, options).pdf


def render_document(source: LeafletSource, style: ResolvedStyle,
                    options: RenderOptions | None = None) -> Rendered:
    """Like :func:`render`, also returning the page count."""
    options = options or RenderOptions()
    leaflet = source.leaflet
    texts = iter_texts(leaflet)
    check_links(texts, source)
    check_glyphs(texts, style.fonts, source.doc)
    images = resolve_images(source, style)
    layout = layout_leaflet(leaflet, style, source.base_dir, images)

    top, right, bottom, left = style.margins
    page_size = (style.page_width, style.page_height)
    frame = Frame(left, bottom, page_size[0] - left - right, page_size[1] - top - bottom,
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id="body")
    on_page = _footer(style, leaflet, layout.styles.footer)
    authors = "; ".join(p.name for p in leaflet.authors) or leaflet.publisher.name
    meta = DocMeta(title=leaflet.title, lang=leaflet.language, author=authors,
                   subject=leaflet.subtitle or leaflet.title, keywords=", ".join(leaflet.keywords),
                   creator=f"leafwright {__version__}", date=_source_date_epoch(leaflet))
    buf = io.BytesIO()
    doc = BaseDocTemplate(
        buf, pagesize=page_size, leftMargin=left, rightMargin=right, topMargin=top,
        bottomMargin=bottom, title=leaflet.title, author=authors, subject=meta.subject,
        keywords=meta.keywords, creator=meta.creator, producer="ReportLab (leafwright)",
        lang=leaflet.language, displayDocTitle=1, invariant=1, pageCompression=1,
        initialFontName=style.fonts.regular, initialFontSize=style.type.body)
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=on_page,
                                       pagesize=page_size)])

    canvas_class = TaggingCanvas if options.tagged else PlainCanvas

    def make_canvas(*args: Any, **kw: Any) -> TaggingCanvas:
        canv = canvas_class(*args, tree=layout.tree, meta=meta, **kw)
        canv._doc._pdfVersion = (1, 7)
        _stamp(canv, meta.date)
        canv.showOutline()
        return canv

    doc.build(layout.flowables, canvasmaker=make_canvas)
    return Rendered(buf.getvalue(), doc.canv.getPageNumber() - 1)


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
