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


#: Every edition, in the order the build makes them.
VARIANTS: dict[str, Variant] = {
    v.name: v
    for v in (
        Variant("standard", (".pdf",), "the reading PDF in the brand style"),
        Variant(
            "large-print",
            (".large-print.pdf",),
            "large print (18pt body, A4, single column) for readers who ask for it",
        ),
        Variant(
            "booklet",
            (".booklet-a5.pdf", ".booklet-a5.imposed.pdf"),
            "the A5 reading PDF, and its pages imposed on A4 sheets for a saddle-stitched "
            "booklet (a printer's file)",
        ),
        Variant("print", (".print.pdf",), "the press file: 3 mm bleed, crop marks, CMYK (a printer's file)"),
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


def build_variant(source, style, variant: str, *, draft: bool = False) -> Built:
    """Render one leaflet's edition: ``style`` must be resolved for that variant.

    (``resolve_style(name, variant=variant)`` gives it.) ``draft`` marks every page as
    a draft, as ``status: draft`` in the leaflet does.
    """
    from .render import RenderOptions, render_document

    rendered = render_document(source, style, RenderOptions(variant=variant, draft=draft))
    names = output_names(source.leaflet.id, variant)
    files = [(names[0], rendered.pdf)]
    pages = [rendered.pages]
    if variant == "booklet":
        from .post import booklet_order, impose_booklet  # pypdf costs ~0.1 s to import

        files.append((names[1], impose_booklet(rendered.pdf)))
        pages.append(len(booklet_order(rendered.pages)))  # one imposed page per sheet side
    return Built(tuple(files), rendered.pages, rendered.warnings, tuple(pages))
