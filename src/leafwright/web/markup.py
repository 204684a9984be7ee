"""Inline leaflet text as escaped HTML, and the Jinja2 environment every web template uses.

Inline Markdown (``**bold**``, ``*emphasis*``, ``[text](url)``, ``[words]{lang=cy}``,
line breaks) is parsed by :func:`leafwright.inline.parse_inline`, the same parser the
PDF uses, so both editions read the same. Every piece of the leaflet's text goes
through :func:`markupsafe.escape` (``Markup.format`` escapes its arguments), so a
leaflet cannot add an element or an attribute to the page; link targets are the
http(s), mailto and tel addresses the parser already accepted.
"""

from __future__ import annotations

import functools
from typing import Any

from markupsafe import Markup, escape

from ..inline import keep_phones_whole, parse_inline
from ..scripts import direction


def inline_html(text: str | None) -> Markup:
    """Inline Markdown as safe HTML: ``<strong>``, ``<em>``, ``<a href>``, ``<span lang>``, ``<br>``."""
    if not text:
        return Markup("")
    spans = parse_inline(text)
    out: list[Markup] = []
    i = 0
    while i < len(spans):
        s = spans[i]
        if s.text == "\n":
            out.append(Markup("<br>"))
            i += 1
            continue
        if s.url is not None or s.lang is not None:
            # one element for the whole link or language run (it may hold bold or italic parts)
            key = (s.url, s.lang)
            j = i
            while j < len(spans) and (spans[j].url, spans[j].lang) == key and spans[j].text != "\n":
                j += 1
            inner = Markup("").join(_styled(g) for g in spans[i:j])
            # a run in another language says its direction too: the browser then keeps an
            # English drug name whole inside Arabic, and Arabic words in order inside English
            lang = Markup(' lang="{}" dir="{}"').format(s.lang, direction(s.lang)) if s.lang else Markup("")
            if s.url is not None:
                out.append(Markup('<a href="{}"{}>{}</a>').format(s.url, lang, inner))
            else:
                out.append(Markup("<span{}>{}</span>").format(lang, inner))
            i = j
            continue
        out.append(_styled(s))
        i += 1
    return Markup("").join(out)


def _styled(s: Any) -> Markup:
    body = escape(keep_phones_whole(s.text))
    if s.italic:
        body = Markup("<em>{}</em>").format(body)
    if s.bold:
        body = Markup("<strong>{}</strong>").format(body)
    return body


def paragraphs(text: str | None) -> list[str]:
    """Blank lines separate paragraphs (as in the PDF)."""
    if not text:
        return []
    return [p.strip("\n") for p in text.replace("\r\n", "\n").split("\n\n") if p.strip()]


@functools.lru_cache(maxsize=1)
def environment() -> Any:
    """The Jinja2 environment: templates shipped in the package, every value autoescaped."""
    from jinja2 import Environment, PackageLoader, StrictUndefined

    env = Environment(
        loader=PackageLoader("leafwright.web", "templates"),
        autoescape=True,  # every template, whatever its name: text is escaped unless marked safe
        undefined=StrictUndefined,  # a misspelt name in a template fails, never prints nothing
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["inline"] = inline_html
    env.filters["paragraphs"] = paragraphs
    env.filters["direction"] = direction  # 'rtl' or 'ltr' for a language tag
    return env
