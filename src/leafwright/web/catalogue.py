"""The catalogue (``leafwright site``): one ``index.html`` listing every leaflet in an output folder.

Read from ``manifest.json``: each leaflet's title, summary (its first key point, else
its subtitle, from the leaflet file the manifest names), language, version, dates, a
thumbnail of its first page (rendered from the PDF with pypdfium2) and a link to every
reading edition with its size. Printer's files (the print file, imposed booklets) are
not listed: they are not for readers; nor are draft or withdrawn leaflets (``status:``
in the leaflet, or in its manifest entries). A short inline script filters the list by text
and language; without JavaScript the filter stays hidden and the list is shown whole.
Nothing is fetched from elsewhere; the same folder gives the same bytes.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from markupsafe import Markup

from .. import __version__
from ..editions import language_name
from ..errors import EXIT_USAGE, LeafwrightError
from ..layout.context import format_date
from ..manifest import MANIFEST_NAME, ManifestEntry, read_manifest
from .assets import Asset, font_faces
from .edition import stylesheet, summary_of
from .markup import environment

THUMB_DIR = "thumbs"
THUMB_WIDTH = 240  # pixels: shown 120 CSS px wide, sharp on a 2x screen

#: Statuses (issue 13's ``status:``; a draft is never published) that keep a leaflet off the site.
HIDDEN_STATUSES = ("draft", "withdrawn")


@dataclass
class Listing:
    """One leaflet as the catalogue shows it."""

    id: str
    title: str
    language: str
    version: str
    published: str
    review_by: str
    summary: str = ""
    page: str | None = None
    thumbnail: dict[str, Any] | None = None
    editions: list[dict[str, str]] = field(default_factory=list)

    @property
    def published_text(self) -> str:
        return _date_text(self.published)

    @property
    def review_text(self) -> str:
        return _date_text(self.review_by)

    @property
    def search(self) -> str:
        """What the filter searches: title, summary and id, lower case."""
        return " ".join((self.title, self.summary, self.id)).lower()


def _date_text(iso: str) -> str:
    import datetime as _dt

    try:
        return format_date(_dt.date.fromisoformat(iso))
    except ValueError:
        return iso


def _size(n: int) -> str:
    """'76 KB', '1.2 MB'."""
    if n < 1000 * 1000:
        return f"{max(1, round(n / 1000))} KB"
    return f"{n / 1000 / 1000:.1f} MB"


def _edition(entry: ManifestEntry) -> tuple[int, str, str] | None:
    """(order, label, media type) of a reading edition the catalogue lists; None for the rest.

    The web page first, then each variant's reading PDF (its ``link_label``) in the
    registry's order; printer's files and other extra files are not listed.
    """
    from ..variants import VARIANTS, output_of

    out = output_of(entry.path)
    v = VARIANTS.get(entry.variant)
    if out is None or v is None or not out.reading:
        return None
    if not out.pdf:
        return (0, "Web page", "text/html")
    if v.link_label and entry.path.endswith(v.suffixes[0]):
        return (1 + list(VARIANTS).index(v.name), v.link_label, "application/pdf")
    return None


def _details(entry: ManifestEntry) -> str:
    if entry.path.endswith(".html"):
        return f"HTML, {_size(entry.bytes)}"
    pages = f"{entry.pages} page" + ("" if entry.pages == 1 else "s")
    return f"PDF, {_size(entry.bytes)}, {pages}"


def _listed(entry: ManifestEntry) -> bool:
    return _edition(entry) is not None and getattr(entry, "status", None) not in HIDDEN_STATUSES


def _source_facts(out_dir: Path, entry: ManifestEntry) -> tuple[str, str | None]:
    """(summary, status) from the leaflet file the manifest names: its first key point (else
    subtitle) and its ``status``; ('', None) when the file cannot be read."""
    from ..source import load_leaflet

    try:
        leaflet = load_leaflet(out_dir / entry.source).leaflet
    except (LeafwrightError, OSError):
        return "", None
    return summary_of(leaflet), getattr(leaflet, "status", None)


def thumbnail(pdf: Path, sha256: str, leaflet_id: str) -> Asset:
    """Page 1 of a PDF as a PNG :data:`THUMB_WIDTH` pixels wide, named by the PDF's digest."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(pdf))
    try:
        page = doc[0]
        scale = THUMB_WIDTH / page.get_width()
        image = page.render(scale=scale).to_pil().convert("RGB")
    finally:
        doc.close()
    buf = io.BytesIO()
    image.save(buf, format="PNG", optimize=True)
    return Asset(f"{THUMB_DIR}/{leaflet_id}-{sha256[:8]}.png", buf.getvalue())


def _image_size(data: bytes) -> tuple[int, int]:
    from PIL import Image

    with Image.open(io.BytesIO(data)) as img:
        return img.size


@dataclass(frozen=True)
class Catalogue:
    """The catalogue page and the thumbnails it shows (paths relative to the output folder)."""

    html: bytes
    assets: tuple[Asset, ...]
    leaflets: int


def make_catalogue(
    out_dir: str | Path, style: Any, *, title: str = "Patient information leaflets"
) -> Catalogue:
    """The catalogue of the leaflets recorded in ``out_dir/manifest.json``. Writes nothing.

    Thumbnails already in ``out_dir/thumbs/`` for the same PDF (by digest) are reused.
    Raises a usage error when the folder has no manifest (nothing has been built there).
    """
    out = Path(out_dir)
    if not (out / MANIFEST_NAME).is_file():
        raise LeafwrightError.single(
            f"no {MANIFEST_NAME} in {out}: nothing has been built there",
            exit_code=EXIT_USAGE,
            hint=f"build first: leafwright build --variant standard,html --out {out}",
        )
    entries = [e for e in read_manifest(out).values() if _listed(e)]
    by_id: dict[str, list[ManifestEntry]] = {}
    for e in entries:
        by_id.setdefault(e.leaflet_id, []).append(e)
    listings: list[Listing] = []
    assets: dict[str, Asset] = {}
    for lid, group in by_id.items():
        group.sort(key=lambda e: (_edition(e) or (99,))[0])
        first = group[0]
        item = Listing(lid, first.title, first.language, first.version, first.published, first.review_by)
        item.summary, status = _source_facts(out, first)
        if status in HIDDEN_STATUSES:  # a draft or a withdrawn leaflet is not published
            continue
        for e in group:
            _order, label, media_type = _edition(e)  # type: ignore[misc]
            item.editions.append(
                {"label": label, "href": e.path, "media_type": media_type, "details": _details(e)}
            )
            if media_type == "text/html":
                item.page = e.path
        pdf = next((e for e in group if e.path.endswith(".pdf")), None)
        if pdf is not None:
            name = f"{THUMB_DIR}/{lid}-{pdf.sha256[:8]}.png"
            existing = out / name
            data = (
                existing.read_bytes()
                if existing.is_file()
                else thumbnail(out / pdf.path, pdf.sha256, lid).data
            )
            assets[name] = Asset(name, data)
            w, h = _image_size(data)
            item.thumbnail = {"src": name, "width": w // 2, "height": h // 2}
        listings.append(item)
    listings.sort(key=lambda x: (x.title.casefold(), x.id))
    chars = frozenset("".join(x.title + x.summary for x in listings) + title)
    faces = font_faces(style, chars)
    for f in faces:
        assets[f.asset.name] = f.asset
    from .edition import _sizes

    css = stylesheet(style, faces) + environment().get_template("catalogue.css.j2").render(size=_sizes(style))
    page = (
        environment()
        .get_template("catalogue.html.j2")
        .render(
            title=title,
            leaflets=listings,
            # each language by its own name ("Cymraeg"), as a reader of it looks for it
            languages=[(code, language_name(code)) for code in sorted({x.language for x in listings})],
            css=Markup(css),
            band=style.spec.title_band,
            version=__version__,
            manifest=MANIFEST_NAME,
        )
    )
    return Catalogue(page.encode("utf-8"), tuple(assets[k] for k in sorted(assets)), len(listings))
