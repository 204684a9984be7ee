"""Each leaflet block as HTML: one renderer per block type, each a macro of ``blocks.html.j2``.

The roles follow the PDF's (see the README's Accessibility section): paragraphs are
``<p>``; lists ``<ul>``/``<ol>``; each FAQ question a heading one level below its
section with its answer after it; callouts ``<aside>`` named by their label; tables
``<table>`` with ``<caption>`` and ``<th scope="col">``; pictures ``<figure>`` with
``alt`` and ``<figcaption>`` (a decorative one ``alt=""``); links a list of ``<a>``.
A block's ``lang`` goes on the element(s) it becomes.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any, Callable

from markupsafe import Markup

from ..inline import plain_text
from ..model import Block, Leaflet
from .assets import Picture
from .markup import environment

#: CSS pixels per PDF point (96 dpi screens, 72 points an inch)
PX_PER_PT = 96 / 72


@dataclass
class WebContext:
    """What block renderers share while one page is made: pictures, fresh ids, dispatch."""

    leaflet: Leaflet
    style: Any
    pictures: dict[tuple, Picture] = field(default_factory=dict)
    """Each image block's picture, by the block's YAML path."""
    _ids: Any = field(default_factory=lambda: itertools.count(1))

    def new_id(self, prefix: str) -> str:
        """A page-unique element id (``callout-3``), the same every build."""
        return f"{prefix}-{next(self._ids)}"

    def block(self, block: Block, level: int, path: tuple) -> Markup:
        """One block as HTML; ``level`` is its section's heading level."""
        return block_html(block.kind)(self, block, level, path)

    def macro(self, name: str) -> Any:
        """A macro of ``blocks.html.j2``."""
        return getattr(environment().get_template("blocks.html.j2").module, name)


BlockHTML = Callable[[WebContext, Block, int, tuple], Markup]


def _paragraph(ctx: WebContext, block: Block, level: int, path: tuple) -> Markup:
    return ctx.macro("paragraph")(block.paragraph, block.lang)


def _bullets(ctx: WebContext, block: Block, level: int, path: tuple) -> Markup:
    return ctx.macro("items")(block.bullets, False, block.lang)


def _numbered(ctx: WebContext, block: Block, level: int, path: tuple) -> Markup:
    return ctx.macro("items")(block.numbered, True, block.lang)


def _faq(ctx: WebContext, block: Block, level: int, path: tuple) -> Markup:
    return ctx.macro("faq")(block.faq, min(level + 1, 6), block.lang, ctx, level, path)


CALLOUT_LABELS = {"info": "Information", "warning": "Warning", "note": "Note"}


def _callout(ctx: WebContext, block: Block, level: int, path: tuple) -> Markup:
    c = block.callout
    label = CALLOUT_LABELS[c.kind]
    return ctx.macro("callout")(
        c, f"{label}: {c.title}" if c.title else label, ctx.new_id("callout"), block.lang
    )


def _table(ctx: WebContext, block: Block, level: int, path: tuple) -> Markup:
    return ctx.macro("table")(block.table, block.lang)


def _image(ctx: WebContext, block: Block, level: int, path: tuple) -> Markup:
    from ..layout import image_width

    img = block.image
    pic = ctx.pictures[path]
    width_pt = image_width(img, pic.width, ctx.style.frame_width)  # as wide as in the PDF
    width = round(width_pt * PX_PER_PT)
    height = round(width * pic.height / pic.width)
    return ctx.macro("image")(img, pic.asset.name, width, height, plain_text(img.alt or ""), block.lang)


def _links(ctx: WebContext, block: Block, level: int, path: tuple) -> Markup:
    return ctx.macro("links")(block.links, min(level + 1, 6), block.lang)


#: One HTML renderer per block type (kept beside the block registry's other renderers).
BLOCK_HTML: dict[str, BlockHTML] = {
    "paragraph": _paragraph,
    "bullets": _bullets,
    "numbered": _numbered,
    "faq": _faq,
    "callout": _callout,
    "table": _table,
    "image": _image,
    "links": _links,
}


def block_html(kind: str) -> BlockHTML:
    """The HTML renderer of a block type."""
    return BLOCK_HTML[kind]
