"""The files a web page uses beside it: the style's fonts as WOFF2, and its pictures.

Fonts are the style's own (the same ``fontpkg`` families or TTF files as the PDF),
converted to WOFF2 with fontTools (Brotli-compressed, about 45% of the TTF). Faces
of the main family are converted whole; a fallback font is cut down to the
characters of this leaflet that the main font lacks (a fallback such as Noto Sans
is 2 MB and takes seconds to compress whole). Every file is named by a hash of its
bytes (``fonts/AtkinsonHyperlegible-Regular-1a2b3c4d.woff2``), so pages built in
different styles can share a folder, and a changed font never hides behind a
cached old one. Conversions are cached per process: a ``watch`` or ``preview``
session pays for them once.
"""

from __future__ import annotations

import functools
import hashlib
import io
from dataclasses import dataclass
from pathlib import Path

FONT_DIR = "fonts"
IMAGE_DIR = "images"

FACES = (
    ("regular", 400, "normal"),
    ("bold", 700, "normal"),
    ("italic", 400, "italic"),
    ("bold_italic", 700, "italic"),
)


@dataclass(frozen=True)
class Asset:
    """A file written beside the page: its path relative to the page's folder, and its bytes."""

    name: str
    data: bytes


@dataclass(frozen=True)
class FontFace:
    """One ``@font-face``: the CSS family, weight and style, and the WOFF2 file."""

    family: str
    weight: int | str
    """400, 700, or a variable font's range of weights ('100 900')."""
    style: str
    asset: Asset
    unicode_range: str | None = None


def hashed_name(folder: str, stem: str, data: bytes, suffix: str) -> str:
    """``folder/stem-<8 hex digits of the bytes' SHA-256>suffix``."""
    import re

    safe = re.sub(r"[^A-Za-z0-9_-]+", "-", stem).strip("-") or "file"  # a user's file name, made URL-safe
    return f"{folder}/{safe}-{hashlib.sha256(data).hexdigest()[:8]}{suffix}"


def _stat_key(path: Path) -> tuple[str, int, int]:
    st = path.stat()
    return (str(path.resolve()), st.st_mtime_ns, st.st_size)


@functools.lru_cache(maxsize=32)
def _woff2_whole(key: tuple[str, int, int]) -> bytes:
    from fontTools.ttLib import TTFont

    # recalcTimestamp=False: fontTools would stamp head.modified with the time of saving
    font = TTFont(key[0], recalcTimestamp=False)
    font.flavor = "woff2"
    buf = io.BytesIO()
    font.save(buf)
    return buf.getvalue()


@functools.lru_cache(maxsize=64)
def _woff2_subset(key: tuple[str, int, int], chars: str) -> bytes:
    from fontTools import subset
    from fontTools.ttLib import TTFont

    font = TTFont(key[0], recalcTimestamp=False)
    options = subset.Options()
    options.flavor = "woff2"
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    sub = subset.Subsetter(options)
    sub.populate(unicodes=[ord(c) for c in chars])
    sub.subset(font)
    buf = io.BytesIO()
    font.flavor = "woff2"
    font.save(buf)
    return buf.getvalue()


def font_files(spec) -> dict[str, Path | None]:
    """The TTF behind each face of a style's main font (``None`` where the family has none)."""
    from ..fonts import _family_path

    if spec.regular:
        return {face: Path(getattr(spec, face)) if getattr(spec, face) else None for face, _, _ in FACES}
    return {face: _family_path(spec.family, weight, style) for face, weight, style in FACES}


def font_faces(style, chars: frozenset[str], texts: tuple[str, ...] = ()) -> list[FontFace]:
    """The ``@font-face`` rules a page in ``style`` needs for the characters ``chars``.

    The main family's faces whole (a face the family lacks borrows the regular or bold,
    as in the PDF); then, for characters the main font lacks, each fallback font cut
    down to those it has, in the style's order. ``texts`` (the page's texts) place a
    character shared by scripts in the font of the letters round it (a Hindi danda in
    the Devanagari font, not the Bengali one), as the PDF does.
    """
    from ..fonts import font_for, fonts_for_text

    files = font_files(style.spec.fonts)
    faces: list[FontFace] = []
    for face, weight, css_style in FACES:
        # a face the family lacks borrows the bold (for bold italic) or the regular, as in the PDF
        path = files.get(face) or (files.get("bold") if face == "bold_italic" else None) or files["regular"]
        if path is None:  # no regular face: register_fonts has refused the style already
            continue
        data = _woff2_whole(_stat_key(path))
        faces.append(
            FontFace(
                "lw-body", weight, css_style, Asset(hashed_name(FONT_DIR, path.stem, data, ".woff2"), data)
            )
        )
    fonts = style.fonts
    found: dict[str, set[str]] = {}
    placed: set[str] = set()
    for text in texts:
        for ch, f in zip(text, fonts_for_text(text, fonts)):
            found.setdefault(f or "", set()).add(ch)
        placed.update(text)
    for ch in chars - placed:
        found.setdefault(font_for(ch, fonts) or "", set()).add(ch)
    wanted = {f: sorted(cs) for f, cs in found.items() if f != fonts.regular and f in fonts.fallbacks}
    bold_files = fonts.fallback_bold_files or ("",) * len(fonts.fallbacks)
    for i, (name, file, bold_file) in enumerate(zip(fonts.fallbacks, fonts.fallback_files, bold_files)):
        need = wanted.get(name)
        if not need:
            continue
        path = Path(file)
        ranges = ",".join(f"U+{ord(c):04X}" for c in need)
        # a variable font is shipped as one: its weights are real (a heading's bold too)
        weights: int | str = _weight_range(_stat_key(path)) or 400
        cuts = [(path, weights)] + ([(Path(bold_file), 700)] if bold_file else [])
        for cut, w in cuts:
            data = _woff2_subset(_stat_key(cut), "".join(need))
            stem = cut.stem.split("[")[0]  # NotoSans[wdth,wght] -> NotoSans
            asset = Asset(hashed_name(FONT_DIR, stem, data, ".woff2"), data)
            faces.append(FontFace(f"lw-fallback-{i}", w, "normal", asset, ranges))
    return faces


@functools.lru_cache(maxsize=32)
def _weight_range(key: tuple[str, int, int]) -> str | None:
    """A variable font's weights as CSS gives them ('100 900'); None for a static font."""
    from fontTools.ttLib import TTFont

    with TTFont(key[0], lazy=True) as font:
        if "fvar" not in font:
            return None
        for axis in font["fvar"].axes:
            if axis.axisTag == "wght":
                return f"{round(axis.minValue)} {round(axis.maxValue)}"
    return None


@dataclass(frozen=True)
class Picture:
    """A picture copied beside the page: its file, and its size in pixels."""

    asset: Asset
    width: int
    height: int


@functools.lru_cache(maxsize=128)
def _picture(key: tuple[str, int, int]) -> Picture:
    path = Path(key[0])
    data = path.read_bytes()
    suffix = path.suffix.lower()
    if suffix == ".svg":
        from ..style import load_svg

        drawing = load_svg(path)
        w, h = round(drawing.width), round(drawing.height)
    else:
        from PIL import Image

        with Image.open(io.BytesIO(data)) as img:
            w, h = img.size
    suffix = ".jpg" if suffix == ".jpeg" else suffix
    return Picture(Asset(hashed_name(IMAGE_DIR, path.stem, data, suffix), data), w, h)


def picture(path: Path) -> Picture:
    """A picture's bytes under a content-hashed name, and its pixel size (cached per version)."""
    return _picture(_stat_key(path))
