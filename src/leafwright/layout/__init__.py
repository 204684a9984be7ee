"""Stage 4: layout -- the leaflet as ReportLab flowables, each knowing its structure role.

``layout_leaflet(leaflet, style, image_paths)`` returns the flowables and the
structure tree they draw into. The tree is built here, in reading order; the
flowables only add marked content to their element when they are drawn (see
:mod:`leafwright.tag`).

The package's rooms: :mod:`.flowables` (tagged paragraphs, pictures, boxes, the title
band), :mod:`.styles` (paragraph styles), :mod:`.context` (what builders share),
:mod:`.blocks` (one builder per block type, declared in :mod:`leafwright.blocks`) and
:mod:`.parts` (the fixed parts: title, contents, key points, contact, about, notice).

Clear print throughout: left-aligned ragged right, no hyphenation, no italic
body text (emphasis is bold), headings kept with what follows them, phone
numbers never split.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from reportlab.platypus import Flowable, Spacer

from ..i18n import Labels, leaflet_labels
from ..model import Leaflet
from ..style import MM, ResolvedStyle
from ..tag import TagTree
from ..text.addresses import address_pieces
from .context import BuildContext, format_date, image_size, image_width
from .flowables import (
    BoxTable,
    KeepWithNext,
    QRCode,
    SvgImage,
    TaggedImage,
    TaggedParagraph,
    TitleBand,
    qr_matrix,
)
from .parts import (
    build_about,
    build_booklet,
    build_contact,
    build_editions,
    build_key_points,
    build_notice,
    build_section,
    build_title,
)
from .styles import Styles, make_styles

__all__ = [
    "BoxTable",
    "KeepWithNext",
    "Layout",
    "QRCode",
    "Styles",
    "SvgImage",
    "TaggedImage",
    "TaggedParagraph",
    "TitleBand",
    "address_pieces",
    "format_date",
    "image_size",
    "image_width",
    "layout_leaflet",
    "make_styles",
    "qr_matrix",
]


@dataclass
class Layout:
    """What layout produces: the flowables and the structure tree they draw into."""

    flowables: list[Flowable]
    tree: TagTree
    styles: Styles
    notes: list[tuple[tuple, str, str | None]] = field(default_factory=list)
    """Layout decisions the build reports, as (YAML path, message, hint): a table stacked,
    a word too wide for its column."""


def layout_leaflet(
    leaflet: Leaflet,
    style: ResolvedStyle,
    image_paths: dict[tuple, Path] | None = None,
    *,
    bleed: float = 0.0,
    frame_height: float | None = None,
    labels: Labels | None = None,
    editions: tuple[tuple[str, str, str], ...] = (),
) -> Layout:
    """The leaflet as flowables in reading order, with the structure tree they fill.

    ``image_paths`` maps each image block's YAML path to its file, already resolved
    and checked (``render.resolve_images``).
    ``bleed`` (points) is how far full-bleed backgrounds run past the trim: 0 for a
    reading PDF, 3 mm for the print file. ``frame_height`` (points) is the body
    frame's height (the page less its margins and footer): pictures are made to fit in it.
    ``labels`` are the fixed labels in the leaflet's language (default: the catalogue's
    under the style's overrides; :func:`leafwright.i18n.leaflet_labels`).
    ``editions`` are the leaflet in other languages, (language, its name in that language,
    file name), listed before the other-formats notice.
    """
    styles = make_styles(style)
    top, right, bottom, left = style.margins
    tree = TagTree(leaflet.language)
    if frame_height is None:
        frame_height = style.page_height - top - bottom
    ctx = BuildContext(
        leaflet,
        style,
        styles,
        style.frame_width,
        image_paths=image_paths or {},
        height=frame_height,
        labels=labels if labels is not None else leaflet_labels(leaflet, style),
        editions=editions,
    )
    doc = tree.root
    flow: list = []
    flow += build_title(ctx, doc, bleed)
    flow += build_booklet(ctx, doc)
    flow += build_key_points(ctx, doc)
    for i, sec in enumerate(leaflet.sections):
        flow += build_section(ctx, sec, 2, doc, ("sections", i))
    flow.append(Spacer(0, 4 * MM))
    flow += build_contact(ctx, doc)
    flow += build_about(ctx, doc)
    flow += build_editions(ctx, doc)
    flow += build_notice(ctx, doc)
    return Layout(flow, tree, styles, ctx.notes)
