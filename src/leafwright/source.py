"""Stages 1-2 for the core: a leaflet file loaded and validated, with the folder its
pictures live in, and the checks that must pass before anything is drawn (every
picture safe and readable, every inline link an allowed kind)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .errors import ContentError, Diagnostic, UnsafePathError
from .load import Document, load_file
from .model import Leaflet, validate_leaflet
from .style import ResolvedStyle


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


_IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".webp", ".svg")
#: The most pixels a picture may have: 50 million is a 300 dpi picture 60 cm wide. A
#: 20000 x 20000 image would need 1.6 GB of memory to draw.
MAX_PIXELS = 50_000_000


#: the project's shared pictures: ``images/`` beside the leaflets' folder (``leaflets/``)
IMAGES_FOLDER = "images"


def project_images(base_dir: Path) -> Path:
    """The ``images/`` folder a project's leaflets share: beside their folder."""
    return (Path(base_dir).resolve().parent / IMAGES_FOLDER).resolve()


def image_inside(base_dir: Path, name: str, allowed: list[Path] | None = None) -> Path | None:
    """The resolved file of an image named in a leaflet, or None when it points outside
    the leaflet's folder, the project's shared ``images/`` folder (and ``allowed``
    folders): such a file is never opened.

    A name is looked for beside the leaflet first, then in the shared ``images/`` folder,
    so ``file: logo-strip.png`` finds ``images/logo-strip.png`` for every leaflet.
    """
    base = Path(base_dir).resolve()
    shared = project_images(base)
    folders = [base, shared, *(allowed or [])]
    target = (base / name).resolve()
    if not target.exists() and shared.is_dir():
        in_shared = (shared / name).resolve()
        if in_shared.exists():
            target = in_shared
    return target if any(target == a or a in target.parents for a in folders) else None


def image_size(path: Path) -> tuple[int, int]:
    """A picture's size in pixels, read from its header (nothing is decoded).

    Raises ``OSError`` or ``ValueError`` when the file is not a picture Pillow reads.
    """
    import warnings

    from PIL import Image

    limit, Image.MAX_IMAGE_PIXELS = Image.MAX_IMAGE_PIXELS, None  # we refuse big ones ourselves
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with Image.open(path) as im:  # lazy: reads the header only
                return im.size
    finally:
        Image.MAX_IMAGE_PIXELS = limit


SVG_HINT = "export it from your drawing program as plain SVG with text converted to outlines, or as PNG"


def svg_problem(path: Path) -> str | None:
    """Why an SVG picture cannot be drawn as vectors (None when it can)."""
    from .errors import StyleError
    from .style import load_svg

    try:
        load_svg(path)
    except StyleError as exc:
        message = exc.diagnostics[0].message
        if "contains text" in message:
            return "it contains text, which would need fonts an SVG cannot embed"
        return message.split(": ", 1)[-1]
    return None


def _sized(path: Path) -> tuple[int, int]:
    """The picture's size, and that ReportLab can read it (it draws it later)."""
    w, h = image_size(path)
    if w * h <= MAX_PIXELS:
        from reportlab.lib.utils import ImageReader

        ImageReader(str(path)).getSize()
    return w, h


def resolve_images(source: LeafletSource, style: ResolvedStyle) -> dict[tuple, Path]:
    """Every image's file, checked: inside the leaflet's (or style's) folder, present, PNG/JPEG."""
    from .blocks import ImageBlock
    from .model import walk_section_paths

    allowed = [source.base_dir.resolve(), Path(style.chain.files[-1]).parent.resolve()]
    out: dict[tuple, Path] = {}
    diags: list[Diagnostic] = []

    def locate(path: tuple, msg: str, hint: str | None) -> Diagnostic:
        if source.doc is not None:
            return source.doc.diagnostic(path, msg, hint=hint)
        return Diagnostic(msg, file=source.file, hint=hint)

    for sec, spath, _level in walk_section_paths(source.leaflet.sections):
        for j, block in enumerate(sec.blocks):
            if not isinstance(block, ImageBlock):
                continue
            bpath = spath + ("blocks", j)
            fpath = bpath + ("image", "file")
            name = block.image.file
            target = image_inside(source.base_dir, name, allowed)
            if target is None:
                diags.append(
                    locate(
                        fpath,
                        f"image path '{name}' points outside the leaflet's folder",
                        "put the image in the leaflet's folder (or a folder "
                        "inside it) and give a relative path",
                    )
                )
                continue
            if target.suffix.lower() not in _IMAGE_SUFFIXES:
                diags.append(
                    locate(
                        fpath,
                        f"image '{name}' is not a PNG, JPEG, WebP or SVG file",
                        "save the picture as .png, .jpg, .webp or .svg",
                    )
                )
                continue
            if target.is_dir():
                diags.append(
                    locate(fpath, f"image '{name}' is a folder, not a picture", "name the picture's file")
                )
                continue
            if not target.is_file():
                diags.append(locate(fpath, f"image file not found: {name}", f"looked for {target}"))
                continue
            if target.suffix.lower() == ".svg":
                problem = svg_problem(target)
                if problem:
                    diags.append(locate(fpath, f"image '{name}' cannot be drawn: {problem}", SVG_HINT))
                else:
                    out[bpath] = target
                continue
            try:
                w, h = _sized(target)
            except Exception:
                diags.append(
                    locate(
                        fpath, f"image '{name}' cannot be read", "check that it is a real PNG or JPEG file"
                    )
                )
                continue
            if w * h > MAX_PIXELS:
                diags.append(
                    locate(
                        fpath,
                        f"image '{name}' is {w} × {h} pixels; a picture may have at most "
                        f"{MAX_PIXELS // 1_000_000} million",
                        "scale it down: 300 pixels for every inch it is printed is enough",
                    )
                )
                continue
            out[bpath] = target
    if diags:
        unsafe = [d for d in diags if "outside" in d.message]
        raise (UnsafePathError if unsafe else ContentError)(diags)
    return out


def check_links(texts: list, source: LeafletSource) -> None:
    """Refuse inline markup that would print as typed, and links other than http(s),
    mailto and tel, located in the YAML (validation does the same; a leaflet given to
    :func:`render` directly is held to it too)."""
    from .model import markup_diagnostics

    diags = markup_diagnostics(source.leaflet, source.doc, source.file)
    if diags:
        raise ContentError(diags)
