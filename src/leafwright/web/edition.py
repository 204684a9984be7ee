"""The web edition of a leaflet: one HTML page, its stylesheet inside it, fonts and pictures beside it.

``render_web(source, style, options)`` is pure like :func:`leafwright.render.render`:
it returns the page and its files as bytes and writes nothing. The page holds the
same content in the same order as the PDF (title, booklet contents, key points,
sections, contact panel, "About this information", the other-formats notice), in
semantic HTML5 with the style's colours and fonts; it needs no JavaScript and
fetches nothing from elsewhere. The same inputs give the same bytes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup

from .. import __version__
from ..errors import Diagnostic
from ..i18n import leaflet_labels
from ..inline import plain_text
from ..layout.context import contact_lines, short_url
from ..model import iter_texts
from .assets import Asset, FontFace, font_faces, picture
from .blocks import HtmlLabels, WebContext
from .markup import environment


@dataclass(frozen=True)
class EditionLink:
    """A link from the page to another edition of the same leaflet (a PDF)."""

    label: str
    """What the link says, e.g. 'Large print PDF'."""
    href: str
    """Relative to the page, e.g. 'oi-bisphosphonates.large-print.pdf'."""
    note: str = ""
    """Said after the link in brackets, e.g. 'A4, 18pt text'."""
    media_type: str = "application/pdf"


@dataclass(frozen=True)
class LanguageLink:
    """A link to the same leaflet in another language."""

    lang: str
    """Its language (BCP 47)."""
    title: str
    """Its title, in its language."""
    href: str
    """Its page, relative to this one."""
    name: str = ""
    """The language's name in that language ("Cymraeg"): what the link says."""


@dataclass(frozen=True)
class WebOptions:
    """Every switch that changes the page."""

    editions: tuple[EditionLink, ...] = ()
    """The leaflet's other editions to link to (the PDFs built beside the page)."""
    languages: tuple[LanguageLink, ...] = ()
    """The same leaflet in other languages."""
    draft: bool = False
    """Mark the page as a draft, not for distribution (``status: draft`` or ``build --draft``)."""
    labels: Mapping[str, Any] = field(default_factory=dict)
    """The project's label overrides (``labels:`` in leafwright.yaml), over the style's."""


@dataclass(frozen=True)
class WebEdition:
    """A rendered web edition: the page's name and bytes, and the files it uses."""

    page: str
    html: bytes
    assets: tuple[Asset, ...] = ()
    warnings: tuple[Diagnostic, ...] = field(default_factory=tuple)

    @property
    def files(self) -> tuple[tuple[str, bytes], ...]:
        """Every file to write, page first: (path relative to the output folder, bytes)."""
        return ((self.page, self.html),) + tuple((a.name, a.data) for a in self.assets)


def page_name(leaflet_id: str) -> str:
    """``<id>.html``: beside the leaflet's PDFs, so relative links work from any folder or server."""
    return f"{leaflet_id}.html"


def _people(people: list) -> str:
    return "; ".join(p.name + (f" ({p.role})" if p.role else "") for p in people)


def _sizes(style: Any) -> dict[str, float]:
    """The style's type scale for the screen: body in rem (12pt = 1rem = 16px), the rest in em."""
    t = style.type
    body = t.body

    def em(v: float) -> float:
        return round(v / body, 4)

    return {
        "body": round(body / 12, 4),
        "body_pt": body,
        "leading": t.leading,
        "h1": em(t.h1),
        "h2": em(t.h2),
        "h3": em(t.h3),
        "h4": em(max(body, t.h3 * 0.9)),
        "subtitle": round(max(t.h3, body) / t.h1, 4),  # inside the h1's block: relative to body
        "box": em(t.h3),
        "small": em(max(t.small, body * 0.85)),
        "cell": em(max(t.small, body * 0.95)),
        "notice": em(max(16.0, body * 1.3)),
    }


def stylesheet(style: Any, faces: list[FontFace]) -> str:
    """The page's CSS: the style's fonts, colours and type scale."""
    colours = [(name, getattr(style.colours, name)) for name in type(style.colours).model_fields]
    # bare identifiers: autoescaping would turn quotes into entities
    families = ", ".join(["lw-body"] + sorted({f.family for f in faces if f.family != "lw-body"}))
    sizes = _sizes(style)
    sizes["subtitle"] = round(max(style.type.h3, style.type.body) / style.type.body, 4)
    return (
        environment()
        .get_template("leaflet.css.j2")
        .render(faces=faces, colours=colours, families=families, size=sizes)
    )


def summary_of(leaflet: Any) -> str:
    """A leaflet in a sentence: its first key point, else its subtitle (plain text)."""
    if leaflet.key_points and leaflet.key_points.items:
        return plain_text(leaflet.key_points.items[0])
    return leaflet.subtitle or ""


def render_web(source: Any, style: Any, options: WebOptions | None = None) -> WebEdition:
    """The leaflet's web page and the files beside it. Pure: nothing is written.

    Refuses what the PDF refuses (links other than http(s), mailto and tel; pictures
    outside the leaflet's folder or missing), with the same located errors.
    """
    from ..source import check_links, resolve_images

    options = options or WebOptions()
    lf = source.leaflet
    labels = leaflet_labels(lf, style, options.labels)
    html_labels = HtmlLabels(labels)
    check_links(iter_texts(lf), source)
    images = resolve_images(source, style)
    pictures = {path: picture(file) for path, file in sorted(images.items(), key=lambda kv: str(kv[0]))}
    # the fonts the page needs: for its text, and for its labels in the leaflet's language
    printed = tuple(t for _, t in iter_texts(lf)) + tuple(t for _, t in labels.printed_texts())
    faces = font_faces(style, frozenset("".join(printed)), printed)
    logo = None
    assets: dict[str, Asset] = {f.asset.name: f.asset for f in faces}
    if style.logo is not None:
        pic = picture(style.logo)
        assets[pic.asset.name] = pic.asset
        height = 72  # CSS px at 1x (the PDF's 18 mm is about 68); the stylesheet sizes it in rem
        logo = {
            "src": pic.asset.name,
            "alt": style.spec.logo_alt
            or (
                labels("logo_alt", organisation=lf.publisher.name)
                if lf.publisher
                else labels("logo_alt_unnamed")
            ),
            "width": round(height * pic.width / pic.height),
            "height": height,
        }
    for pic in pictures.values():
        assets[pic.asset.name] = pic.asset
    ctx = WebContext(lf, style, pictures, labels)
    from ..render import fill_footer

    # the PDF's footer text: a part naming something the leaflet does not state is left out
    footer_text = fill_footer(
        labels["footer"],
        organisation=lf.publisher.name if lf.publisher else None,
        version=lf.version or None,
        published=labels.date(lf.published) if lf.published else None,
        review_by=labels.date(lf.review_by) if lf.review_by else None,
        title=plain_text(lf.title),
    )
    html = (
        environment()
        .get_template("page.html.j2")
        .render(
            lf=lf,
            ctx=ctx,
            css=Markup(stylesheet(style, faces)),
            band=style.spec.title_band,
            logo=logo,
            summary=summary_of(lf),
            version=__version__,
            editions=options.editions,
            draft=options.draft,
            languages=options.languages,
            contact_lines=contact_lines(lf.publisher, labels) if lf.publisher else [],
            short_url=short_url,
            date=labels.date,
            labels=labels,
            label=html_labels.label,
            field=html_labels.field,
            people=_people,
            footer_text=footer_text,
        )
    )
    return WebEdition(page_name(lf.id), html.encode("utf-8"), tuple(assets[k] for k in sorted(assets)), ())
