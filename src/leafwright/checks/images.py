"""Images: useful alt text, and enough resolution at the size they are printed.

A non-decorative image without alt text is already refused by the schema
(``leafwright validate``); these rules look at what the alt text says.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..blocks import ImageBlock
from ..layout import image_size, image_width
from ..model import walk_section_paths
from ..style import MM
from .base import Context

MIN_DPI = 300
MAX_ALT = 250
_FILENAME = re.compile(r"^\S+\.(png|jpe?g|gif|svg|tiff?|bmp|webp|heic)$", re.I)
_CAMERA = re.compile(r"^(img|dsc|dscn|image|photo|pic|screenshot)[-_ ]?\d+$", re.I)
_REDUNDANT = re.compile(
    r"^(an? |the )?(image|picture|photo|photograph|graphic|illustration|pic)"
    r"\s+(of|showing)\b",
    re.I,
)


def check(ctx: Context) -> None:
    """LW301-LW305 for every image block."""
    base = Path(ctx.source.base_dir)
    for sec, path, _level in walk_section_paths(ctx.leaflet.sections):
        for j, block in enumerate(sec.blocks):
            if not isinstance(block, ImageBlock):
                continue
            img = block.image
            ipath = path + ("blocks", j, "image")
            alt = (img.alt or "").strip()
            if not img.decorative and alt:
                name = Path(img.file).name
                if _FILENAME.match(alt) or _CAMERA.match(alt) or alt in (img.file, name):
                    ctx.report(
                        "LW301",
                        ipath + ("alt",),
                        f"alt text '{alt}' is a file name",
                        "say what the picture shows and why it is there, e.g. "
                        "'A nurse giving an injection in the upper arm'",
                    )
                elif redundant := _REDUNDANT.match(alt):
                    ctx.report(
                        "LW302",
                        ipath + ("alt",),
                        f"alt text starts with '{redundant.group()}'",
                        "screen readers already say it is an image: start with what it shows",
                    )
                if len(alt) > MAX_ALT:
                    ctx.report(
                        "LW303",
                        ipath + ("alt",),
                        f"alt text is {len(alt)} characters (keep it under {MAX_ALT})",
                        "describe the picture briefly; put longer explanations in the text or the caption",
                    )
            _check_dpi(ctx, base, img, ipath)


def _check_dpi(ctx: Context, base: Path, img, ipath) -> None:
    from ..source import image_inside
    from ..source import image_size as pixel_size

    target = image_inside(base, img.file)
    if target is None or not target.is_file():
        return  # outside the folder (never opened) or missing: the build reports it
    if target.suffix.lower() == ".svg":
        return  # vectors: sharp at any size
    try:
        iw, ih = pixel_size(target)
    except Exception:
        return  # unreadable: the build reports it
    from ..render import body_frame_height

    wanted = image_width(img, iw, ctx.frame_width)
    width_pt, height_pt = image_size(
        img, iw, ih, ctx.frame_width, body_frame_height(ctx.style, ctx.leaflet), ctx.styles
    )
    if width_pt < wanted - 0.5:
        ctx.report(
            "LW305",
            ipath + ("file",),
            f"image '{img.file}' is too tall for the page at {wanted / MM:.0f} mm wide "
            f"({wanted * ih / iw / MM:.0f} mm tall): it is printed at {width_pt / MM:.0f} x "
            f"{height_pt / MM:.0f} mm to fit",
            f"crop the picture, or give 'width: {width_pt / MM:.0f}' (mm) to say the size yourself",
        )
    dpi = iw / (width_pt / 72.0)
    if dpi < MIN_DPI - 0.5:
        need = round(MIN_DPI * width_pt / 72.0)
        ctx.report(
            "LW304",
            ipath + ("file",),
            f"image '{img.file}' prints at {dpi:.0f} dpi ({iw} pixels across "
            f"{width_pt / MM:.0f} mm); print needs {MIN_DPI} dpi",
            f"use a picture at least {need} pixels wide, or print it smaller with "
            f"'width:' (at most {iw / MIN_DPI * 25.4:.0f} mm)",
        )
