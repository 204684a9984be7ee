"""The editions one leaflet is built in: what each writes and how it is made.

Every edition is built from the same leaflet, with the same content in the same
reading order; only the style's form and the page change:

* ``standard`` -- the brand style as written: ``<id>.pdf``.
* ``large-print`` -- the style made large print (:func:`~leafwright.style.make_large_print`):
  ``<id>.large-print.pdf``.
* ``booklet`` -- the style on A5 (:func:`~leafwright.style.make_booklet`): the tagged
  reading PDF ``<id>.booklet-a5.pdf``, and the same pages imposed two-up in
  saddle-stitch order for the printer, ``<id>.booklet-a5.imposed.pdf``.
* ``print`` -- the press file ``<id>.print.pdf``: bleed, crop marks, CMYK.
* ``html`` -- the web edition ``<id>.html`` (:func:`~leafwright.web.render_web`), its
  fonts and pictures beside it in ``fonts/`` and ``images/``, linking to the reading PDFs
  built with it.

:func:`build_variant` is pure (bytes out, nothing written), like
:func:`~leafwright.render.render`.
"""

from __future__ import annotations

from dataclasses import dataclass

from .errors import EXIT_USAGE, Diagnostic, LeafwrightError
from .model import did_you_mean


@dataclass(frozen=True)
class Variant:
    """One edition: its name, the file suffixes it writes, and who each file is for."""

    name: str
    suffixes: tuple[str, ...]
    """Appended to the leaflet id, one per file, e.g. ('.booklet-a5.pdf', '.booklet-a5.imposed.pdf')."""
    description: str
    link_label: str | None = None
    """How the web edition links to this edition ('Large print PDF'); None: not linked
    (a printer's file, or the web page itself)."""
    link_note: str = ""


#: Every edition, in the order the build makes them.
VARIANTS: dict[str, Variant] = {
    v.name: v
    for v in (
        Variant("standard", (".pdf",), "the reading PDF in the brand style", "PDF", "for printing at home"),
        Variant(
            "large-print",
            (".large-print.pdf",),
            "large print (18pt body, A4, single column) for readers who ask for it",
            "Large print PDF",
            "18 point text",
        ),
        Variant(
            "booklet",
            (".booklet-a5.pdf", ".booklet-a5.imposed.pdf"),
            "the A5 reading PDF, and its pages imposed on A4 sheets for a saddle-stitched "
            "booklet (a printer's file)",
            "A5 booklet PDF",
        ),
        Variant("print", (".print.pdf",), "the press file: 3 mm bleed, crop marks, CMYK (a printer's file)"),
        Variant(
            "html",
            (".html",),
            "the web edition: an accessible HTML page, its fonts and pictures beside it",
        ),
    )
}


def is_imposed(path: str) -> bool:
    """Whether an output is an imposed booklet (``*.imposed.pdf``): sheets, not reading pages."""
    return str(path).endswith(".imposed.pdf")


def parse_variants(text: str) -> list[str]:
    """``"standard,print"`` -> ``["standard", "print"]``; unknown names are a usage error."""
    names: list[str] = []
    for raw in text.split(","):
        name = raw.strip()
        if not name:
            continue
        if name not in VARIANTS:
            guess = did_you_mean(name, list(VARIANTS))
            raise LeafwrightError.single(
                f"unknown variant '{name}'",
                exit_code=EXIT_USAGE,
                hint=(f"did you mean '{guess}'? " if guess else "") + "variants: " + ", ".join(VARIANTS),
            )
        if name not in names:
            names.append(name)
    if not names:
        raise LeafwrightError.single(
            "no variant given", exit_code=EXIT_USAGE, hint="variants: " + ", ".join(VARIANTS)
        )
    return names


def output_names(leaflet_id: str, variant: str) -> list[str]:
    """The file names one leaflet's edition is written to, e.g. ``['oi.large-print.pdf']``."""
    return [leaflet_id + suffix for suffix in VARIANTS[variant].suffixes]


@dataclass(frozen=True)
class Built:
    """An edition, ready to write: (file name, PDF bytes) pairs, pages, warnings."""

    files: tuple[tuple[str, bytes], ...]
    pages: int
    """Pages of the reading (or press) PDF, not of the imposed sheets."""
    warnings: tuple[Diagnostic, ...] = ()
    file_pages: tuple[int, ...] = ()
    """Pages of each file, in the order of ``files`` (an imposed booklet counts its sheet sides)."""
    assets: tuple[tuple[str, bytes], ...] = ()
    """Files the outputs use, shared between leaflets (a web page's fonts and pictures):
    written beside them, not listed in the manifest."""


def edition_links(leaflet_id: str, variants: tuple[str, ...] | list[str]) -> tuple:
    """The web edition's links to the reading PDFs among ``variants`` (printer's files left out)."""
    from .web import EditionLink

    out = []
    for name in variants:
        v = VARIANTS.get(name)
        if v is not None and v.link_label:
            out.append(EditionLink(v.link_label, leaflet_id + v.suffixes[0], v.link_note))
    return tuple(out)


def build_variant(source, style, variant: str, links: tuple[str, ...] = (), *, draft: bool = False) -> Built:
    """Render one leaflet's edition: ``style`` must be resolved for that variant.

    (``resolve_style(name, variant=variant)`` gives it.) ``links`` names the other
    variants built with it, which the web edition links to. ``draft`` marks every page
    as a draft, as ``status: draft`` in the leaflet does.
    """
    from .render import RenderOptions, render_document

    if variant == "html":
        from .web import WebOptions, render_web

        web = render_web(
            source, style, WebOptions(editions=edition_links(source.leaflet.id, links), draft=draft)
        )
        return Built(
            ((web.page, web.html),), 1, web.warnings, (1,), tuple((a.name, a.data) for a in web.assets)
        )

    rendered = render_document(source, style, RenderOptions(variant=variant, draft=draft))
    names = output_names(source.leaflet.id, variant)
    files = [(names[0], rendered.pdf)]
    pages = [rendered.pages]
    if variant == "booklet":
        from .post import booklet_order, impose_booklet  # pypdf costs ~0.1 s to import

        files.append((names[1], impose_booklet(rendered.pdf)))
        pages.append(len(booklet_order(rendered.pages)))  # one imposed page per sheet side
    return Built(tuple(files), rendered.pages, rendered.warnings, tuple(pages))
