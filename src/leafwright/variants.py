"""The editions one leaflet is built in: each declared once, in :data:`VARIANTS`.

Every edition is built from the same leaflet, with the same content in the same
reading order. A :class:`Variant` owns everything that differs:

* its **style transform** (large print: 18pt body on A4; booklet: A5 pages),
  applied by :func:`~leafwright.style.resolve_style`;
* its **page setup** (render options: the reading page, or the print file's press
  sheet with bleed, crop marks and CMYK, :class:`~leafwright.press.PressSheet`);
* its **pre-flight checks**, run before anything is drawn and once per build by the
  CLI (the print file's margins must keep text 5 mm inside the trim);
* its **post-processing**, which makes its further files from the rendered PDF
  (the booklet imposed two-up in saddle-stitch order);
* its **outputs**: the file suffixes it writes, and for each whether it is a reading
  file checked against PDF/UA-1 or printer's sheets (``not-for-reading``).

The CLI's ``--variant`` choices and help, ``check --variant``, the style's
``variants:`` key (and its JSON Schema) and the README's list are all derived from
(or tested against) this registry. An edition that is not a PDF gives its own
``build`` function, returning its files as bytes: the web edition, ``html``
(:func:`~leafwright.web.render_web`), writes ``<id>.html`` with its fonts and pictures
beside it and links to the reading PDFs built with it (each variant's ``link_label``).

:func:`build_variant` is pure (bytes out, nothing written), like
:func:`~leafwright.render.render`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from .errors import EXIT_USAGE, Diagnostic, LeafwrightError
from .pages import ReadingPage
from .press import PressSheet, check_print_margins

if TYPE_CHECKING:
    from .editions import Edition
    from .render import Rendered
    from .source import LeafletSource
    from .style import ResolvedStyle, StyleSpec


@dataclass(frozen=True)
class Output:
    """One file an edition writes."""

    suffix: str
    """Appended to the leaflet id, e.g. '.booklet-a5.imposed.pdf'."""
    reading: bool = True
    """A file for reading: tagged and checked against PDF/UA-1. False: printer's sheets
    (pages out of reading order, no structure tree), recorded as 'not-for-reading'."""
    page_unit: str = "page"
    """What the build counts in it: 'page', 'sheet side' for imposed sheets, 'web page'."""
    pdf: bool = True
    """A PDF. False: a web page (recorded as 'not-a-pdf'; axe-core checks it in the tests)."""


@dataclass(frozen=True)
class Built:
    """An edition, ready to write: (file name, bytes) pairs, pages, warnings."""

    files: tuple[tuple[str, bytes], ...]
    pages: int
    """Pages of the reading (or press) PDF, not of the imposed sheets."""
    warnings: tuple[Diagnostic, ...] = ()
    file_pages: tuple[int, ...] = ()
    """Pages of each file, in the order of ``files`` (an imposed booklet counts its sheet sides)."""
    assets: tuple[tuple[str, bytes], ...] = ()
    """Files the outputs use, shared between leaflets (a web page's fonts and pictures):
    written beside them, not listed in the manifest."""


PostProcess = Callable[["Rendered"], tuple[bytes, int, tuple[Diagnostic, ...]]]
"""Makes one further file from the rendered PDF: (bytes, its page count, warnings about
it; a warning with no file is located at the leaflet)."""


@dataclass(frozen=True)
class Variant:
    """One edition: how its style, pages and files differ from the standard one."""

    name: str
    description: str
    """Who it is for, in a line (shown in the CLI's help and the docs)."""
    outputs: tuple[Output, ...]
    """The files it writes; the first is the rendered PDF, each further one comes from
    the matching entry of :attr:`postprocess`."""
    style_transform: Callable[[StyleSpec], StyleSpec] | None = None
    """The style's form for this edition (None: the style as written)."""
    page: ReadingPage = field(default_factory=ReadingPage)
    """How its pages are set (render options): the reading page, or the press sheet."""
    preflight: tuple[Callable[[ResolvedStyle], None], ...] = ()
    """Checks of the resolved style before anything is drawn; each raises a StyleError."""
    postprocess: tuple[PostProcess, ...] = ()
    """One per output after the first: makes that file from the rendered PDF."""
    build: Callable[..., Built] | None = None
    """A whole build of its own, for an edition that is not one rendered PDF (a web page):
    ``build(source, style, variant, draft, links, editions, labels=...)`` returns every file
    (``links``: the other variants built with it; ``editions``: the leaflet's other
    language editions, :class:`~leafwright.editions.Edition`). None: render the PDF, then
    :attr:`postprocess`."""
    link_label: str | None = None
    """How the web edition links to this edition ('Large print PDF'); None: not linked
    (a printer's file, or the web page itself)."""
    link_note: str = ""
    """Said after that link in brackets, e.g. '18 point text'."""
    links_editions: bool = False
    """Whether it links to the other editions built with it (its build is told their names,
    and a different set rebuilds it)."""

    @property
    def suffixes(self) -> tuple[str, ...]:
        """The outputs' suffixes, in order."""
        return tuple(o.suffix for o in self.outputs)

    def __post_init__(self) -> None:
        if self.build is None and len(self.postprocess) != len(self.outputs) - 1:
            raise ValueError(f"variant '{self.name}': one post-process step per output after the first")


def _large_print(spec: StyleSpec) -> StyleSpec:
    from .style import make_large_print

    return spec if spec.large_print else make_large_print(spec)


def _booklet(spec: StyleSpec) -> StyleSpec:
    from .style import make_booklet

    return make_booklet(spec)


def _impose(rendered: Rendered) -> tuple[bytes, int, tuple[Diagnostic, ...]]:
    """The reading PDF's pages imposed two-up on A4 sheets, and the sheet sides it has;
    a warning when it has too many pages to saddle-stitch (over 1000: not imposed, an error)."""
    from .post import SADDLE_STITCH_PAGES, booklet_order, impose_booklet  # pypdf: ~0.1 s to import

    warnings: tuple[Diagnostic, ...] = ()
    if rendered.pages > SADDLE_STITCH_PAGES:
        warnings = (
            Diagnostic(
                f"the A5 booklet has {rendered.pages} pages: a saddle-stitched booklet holds about "
                f"{SADDLE_STITCH_PAGES}, so the imposed file cannot be folded and stapled as one",
                hint="split the leaflet, or ask the printer for another binding",
                severity="warning",
            ),
        )
    return impose_booklet(rendered.pdf), len(booklet_order(rendered.pages)), warnings


def _build_html(
    source: LeafletSource,
    style: ResolvedStyle,
    variant: Variant,
    draft: bool,
    links: tuple[str, ...],
    editions: tuple[Edition, ...],
    labels: Mapping[str, Any] | None = None,
) -> Built:
    """The web edition: the page, and its fonts and pictures as shared assets."""
    from .i18n import leaflet_labels
    from .web import LanguageLink, WebOptions, render_web
    from .web.edition import page_name

    options = WebOptions(
        editions=edition_links(source.leaflet.id, links, leaflet_labels(source.leaflet, style, labels or {})),
        languages=tuple(LanguageLink(e.language, e.title, page_name(e.leaflet_id), e.name) for e in editions),
        draft=draft,
        labels=labels or {},
    )
    web = render_web(source, style, options)
    return Built(((web.page, web.html),), 1, web.warnings, (1,), tuple((a.name, a.data) for a in web.assets))


def edition_links(leaflet_id: str, variants: tuple[str, ...] | list[str], labels: Any = None) -> tuple:
    """The web edition's links to the reading PDFs among ``variants`` (printer's files left out),
    in the leaflet's language (``labels``: each link's words are the label
    ``edition_<name>``, its note ``edition_<name>_note``; the declared English ones else)."""
    from .web import EditionLink

    texts = labels.texts if labels is not None else {}
    out = []
    for name in variants:
        v = VARIANTS.get(name)
        if v is not None and v.link_label:
            key = "edition_" + name.replace("-", "_")
            note = texts.get(key + "_note", v.link_note) if v.link_note else ""
            out.append(EditionLink(texts.get(key, v.link_label), leaflet_id + v.suffixes[0], note))
    return tuple(out)


#: Every edition, in the order the build makes them.
VARIANTS: dict[str, Variant] = {
    v.name: v
    for v in (
        Variant(
            "standard",
            "the reading PDF in the brand style",
            (Output(".pdf"),),
            link_label="PDF",
            link_note="for printing at home",
        ),
        Variant(
            "large-print",
            "large print (18pt body, A4, single column) for readers who ask for it",
            (Output(".large-print.pdf"),),
            style_transform=_large_print,
            link_label="Large print PDF",
            link_note="18 point text",
        ),
        Variant(
            "booklet",
            "the A5 reading PDF, and its pages imposed on A4 sheets for a saddle-stitched "
            "booklet (a printer's file)",
            (
                Output(".booklet-a5.pdf"),
                Output(".booklet-a5.imposed.pdf", reading=False, page_unit="sheet side"),
            ),
            style_transform=_booklet,
            postprocess=(_impose,),
            link_label="A5 booklet PDF",
        ),
        Variant(
            "print",
            "the press file: 3 mm bleed, crop marks, CMYK (a printer's file)",
            (Output(".print.pdf"),),
            page=PressSheet(),
            preflight=(check_print_margins,),
        ),
        Variant(
            "html",
            "the web edition: an accessible HTML page (fonts and pictures beside it) linking to "
            "the reading PDFs built with it",
            (Output(".html", page_unit="web page", pdf=False),),
            build=_build_html,
            links_editions=True,
        ),
    )
}


def output_of(path: str) -> Output | None:
    """The declared output a written file is (by its suffix; the longest match wins)."""
    name = str(path)
    best: Output | None = None
    for v in VARIANTS.values():
        for o in v.outputs:
            if name.endswith(o.suffix) and (best is None or len(o.suffix) > len(best.suffix)):
                best = o
    return best


def is_imposed(path: str) -> bool:
    """Whether an output is printer's sheets (``*.imposed.pdf``), not reading pages."""
    out = output_of(path)
    return out is not None and not out.reading


def parse_variants(text: str) -> list[str]:
    """``"standard,print"`` -> ``["standard", "print"]``; unknown names are a usage error."""
    names: list[str] = []
    for raw in text.split(","):
        name = raw.strip()
        if not name:
            continue
        if name not in VARIANTS:
            from .model import did_you_mean  # pydantic's models: not needed for the names

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


def preflight(style: ResolvedStyle, variant: str) -> None:
    """Run an edition's checks of its resolved style (a StyleError if it is unfit)."""
    for check in VARIANTS[variant].preflight:
        check(style)


def build_variant(
    source: LeafletSource,
    style: ResolvedStyle,
    variant: str,
    links: tuple[str, ...] = (),
    *,
    draft: bool = False,
    editions: tuple[Edition, ...] = (),
    labels: Mapping[str, Any] | None = None,
) -> Built:
    """Render one leaflet's edition: ``style`` must be resolved for that variant.

    (``resolve_style(name, variant=variant)`` gives it.) ``draft`` marks every page as
    a draft, as ``status: draft`` in the leaflet does. ``links`` names the other
    variants built with it and ``editions`` the leaflet's other language editions
    (each edition links to theirs in the same variant). ``labels`` are the project's
    label overrides (``labels:`` in leafwright.yaml).
    """
    from .render import RenderOptions, render_document

    v = VARIANTS[variant]
    if v.build is not None:
        return v.build(source, style, v, draft, links, editions, labels=labels or {})
    languages = tuple((e.language, e.name, output_names(e.leaflet_id, variant)[0]) for e in editions)
    rendered = render_document(
        source, style, RenderOptions(variant=variant, draft=draft, labels=labels or {}, editions=languages)
    )
    names = output_names(source.leaflet.id, variant)
    files = [(names[0], rendered.pdf)]
    pages = [rendered.pages]
    warnings = list(rendered.warnings)
    for name, step in zip(names[1:], v.postprocess):
        try:
            data, n, said = step(rendered)
        except LeafwrightError as exc:  # e.g. too many pages to impose: said at the leaflet
            raise LeafwrightError([replace(d, file=d.file or source.file) for d in exc.diagnostics]) from None
        files.append((name, data))
        pages.append(n)
        warnings += [replace(d, file=d.file or source.file) for d in said]
    return Built(tuple(files), rendered.pages, tuple(warnings), tuple(pages))


def describe_variants() -> list[tuple[str, str, tuple[str, ...]]]:
    """(name, description, suffixes) of every variant, for help texts and docs."""
    return [(v.name, v.description, v.suffixes) for v in VARIANTS.values()]


__all__ = [
    "VARIANTS",
    "Built",
    "Output",
    "Variant",
    "build_variant",
    "is_imposed",
    "output_names",
    "output_of",
    "parse_variants",
    "preflight",
]
