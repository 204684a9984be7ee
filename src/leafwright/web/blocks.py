"""Each leaflet block as HTML: the ``html`` renderer of every type in the block registry.

Each renderer is registered with ``@renders("html", name)`` beside the PDF layout's
(:mod:`leafwright.layout.blocks`), and draws its block with a macro of
``blocks.html.j2``. The roles follow the PDF's (see the README's Accessibility
section): paragraphs are ``<p>``; lists ``<ul>``/``<ol>``; each FAQ question a heading
one level below its section with its answer after it; callouts ``<aside>`` named by
their label; tables ``<table>`` with ``<caption>`` and ``<th scope="col">``; pictures
``<figure>`` with ``alt`` and ``<figcaption>`` (a decorative one ``alt=""``); links a
list of ``<a>``. A block's ``lang`` goes on the element(s) it becomes.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup, escape

from ..blocks import BLOCKS, BlockModel, renders
from ..inline import plain_text
from ..model import Leaflet
from ..scripts import is_rtl
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
    labels: Any = None
    """The fixed labels in the leaflet's language (:class:`leafwright.i18n.Labels`)."""
    _ids: Any = field(default_factory=lambda: itertools.count(1))

    def new_id(self, prefix: str) -> str:
        """A page-unique element id (``callout-3``), the same every build."""
        return f"{prefix}-{next(self._ids)}"

    def block(self, block: BlockModel, level: int, path: tuple) -> Markup:
        """One block as HTML, by its type's registered renderer; ``level`` is its section's heading level."""
        return BLOCKS[block.kind].renderer("html")(self, block, level, path)

    def macro(self, name: str) -> Any:
        """A macro of ``blocks.html.j2``."""
        return getattr(environment().get_template("blocks.html.j2").module, name)


@dataclass(frozen=True)
class HtmlLabels:
    """The fixed labels as escaped HTML; one shown in English in a page in another
    language is marked ``<span lang="en">`` so a screen reader says it in English."""

    labels: Any

    def label(self, key: str, *, mark: bool = True, **values: Any) -> Markup:
        text = Markup(escape(self.labels[key])).format(**values)  # values are escaped
        if mark and self.labels.english(key):
            if is_rtl(self.labels.lang):  # kept whole, left to right, inside a right-to-left page
                return Markup('<span lang="en" dir="ltr">{}</span>').format(text)
            return Markup('<span lang="en">{}</span>').format(text)
        return text

    def field(self, key: str) -> Markup:
        """'Version:' (the language's punctuation). A label shown in English is marked with
        its punctuation, so 'Telephone:' stays whole (not ':Telephone') in a right-to-left page."""
        if not self.labels.english(key):
            return self.label("field", mark=False, label=self.label(key))
        text = self.label("field", mark=False, label=self.label(key, mark=False))
        if is_rtl(self.labels.lang):
            return Markup('<span lang="en" dir="ltr">{}</span>').format(text)
        return Markup('<span lang="en">{}</span>').format(text)


@renders("html", "paragraph")
def html_paragraph(ctx: WebContext, block: Any, level: int, path: tuple) -> Markup:
    return ctx.macro("paragraph")(block.paragraph, block.lang)


@renders("html", "bullets")
def html_bullets(ctx: WebContext, block: Any, level: int, path: tuple) -> Markup:
    return ctx.macro("items")(block.bullets, False, block.lang)


@renders("html", "numbered")
def html_numbered(ctx: WebContext, block: Any, level: int, path: tuple) -> Markup:
    return ctx.macro("items")(block.numbered, True, block.lang)


@renders("html", "faq")
def html_faq(ctx: WebContext, block: Any, level: int, path: tuple) -> Markup:
    return ctx.macro("faq")(block.faq, min(level + 1, 6), block.lang, ctx, level, path)


@renders("html", "callout")
def html_callout(ctx: WebContext, block: Any, level: int, path: tuple) -> Markup:
    from ..layout.blocks import CALLOUT_LABELS  # the label the PDF prints and reads out
    from .markup import direction

    c = block.callout
    key = CALLOUT_LABELS[c.kind]
    html = HtmlLabels(ctx.labels)
    label, field_ = html.label(key), html.field(key)
    lang = ctx.leaflet.language
    if block.lang and block.lang.lower() != lang.lower():
        # the label is in the leaflet's language, the callout in another: say which is which
        span = Markup('<span lang="{}" dir="{}">{}</span>')
        label, field_ = (span.format(lang, direction(lang), m) for m in (label, field_))
    return ctx.macro("callout")(c, label, field_, ctx.new_id("callout"), block.lang, min(level + 1, 6))


@renders("html", "table")
def html_table(ctx: WebContext, block: Any, level: int, path: tuple) -> Markup:
    return ctx.macro("table")(block.table, block.lang)


@renders("html", "image")
def html_image(ctx: WebContext, block: Any, level: int, path: tuple) -> Markup:
    from ..layout.context import image_width

    img = block.image
    pic = ctx.pictures[path]
    width_pt = image_width(img, pic.width, ctx.style.frame_width)  # as wide as in the PDF
    width = round(width_pt * PX_PER_PT)
    height = round(width * pic.height / pic.width)
    return ctx.macro("image")(img, pic.asset.name, width, height, plain_text(img.alt or ""), block.lang)


@renders("html", "links")
def html_links(ctx: WebContext, block: Any, level: int, path: tuple) -> Markup:
    return ctx.macro("links")(block.links, min(level + 1, 6), block.lang)
