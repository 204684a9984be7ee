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


_IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg")


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
            target = (source.base_dir / name).resolve()
            if not any(target == a or a in target.parents for a in allowed):
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
                        fpath, f"image '{name}' is not a PNG or JPEG file", "save the picture as .png or .jpg"
                    )
                )
                continue
            if not target.is_file():
                diags.append(locate(fpath, f"image file not found: {name}", f"looked for {target}"))
                continue
            try:
                from reportlab.lib.utils import ImageReader

                ImageReader(str(target)).getSize()
            except Exception:
                diags.append(
                    locate(
                        fpath, f"image '{name}' cannot be read", "check that it is a real PNG or JPEG file"
                    )
                )
                continue
            out[bpath] = target
    if diags:
        unsafe = [d for d in diags if "outside" in d.message]
        raise (UnsafePathError if unsafe else ContentError)(diags)
    return out


def check_links(texts: list, source: LeafletSource) -> None:
    """Refuse inline links other than http(s), mailto and tel, located in the YAML."""
    from .inline import bad_links

    diags = []
    for path, text in texts:
        for url in bad_links(text):
            msg = f"link '{url}' must start with http://, https://, mailto: or tel:"
            hint = "write the whole web address, e.g. [our website](https://example.org)"
            diags.append(
                source.doc.diagnostic(path, msg, hint=hint)
                if source.doc
                else Diagnostic(msg, file=source.file, hint=hint)
            )
    if diags:
        raise ContentError(diags)
