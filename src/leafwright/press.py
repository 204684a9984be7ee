"""The print variant's pages: the press sheet (bleed, crop marks, trim and bleed boxes,
CMYK), its pre-flight check of the style's margins and its after-check of picture
resolution. :class:`PressSheet` is the ``page`` of the ``print`` entry in
:data:`leafwright.variants.VARIANTS`; :func:`leafwright.render.render_document` asks
it how to set each page and knows nothing of print itself.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import Diagnostic
from .pages import OnPage, ReadingPage

if TYPE_CHECKING:  # imported when used: `leafwright --help` lists the variants without them
    from .source import LeafletSource
    from .style import ResolvedStyle

MM = 72.0 / 25.4
"""One millimetre in points (as :data:`leafwright.style.MM`)."""

# The print file (see FACTS.md, "Print"): 3 mm bleed past the trim on every edge, text at
# least 5 mm inside the trim, images 300 dpi at printed size. Crop marks start 1 mm
# outside the bleed (so trimming never leaves a mark on the page) and are 5 mm long; the
# media has 10 mm of room round the trim for them.
BLEED = 3 * MM


SAFE_TEXT = 5 * MM


MARK_GAP = BLEED + 1 * MM


MARK_LENGTH = 5 * MM


SLUG = 10 * MM


PRINT_DPI = 300


class PressSheet(ReadingPage):
    """The press file's sheet: the trim (the style's page) sits :data:`SLUG` in from the
    media's edges, the title band runs :data:`BLEED` past the trim, crop marks are drawn
    outside the bleed, TrimBox and BleedBox are set on every page and every colour is
    CMYK (see :func:`cmyk_colours`)."""

    bleed = BLEED
    offset = SLUG

    def media(self, trim: tuple[float, float]) -> tuple[float, float]:
        w, h = trim
        return (w + 2 * SLUG, h + 2 * SLUG)

    def wrap_on_page(self, on_page: OnPage, trim: tuple[float, float]) -> OnPage:
        return _print_page(on_page, trim)

    def doc_options(
        self, style: ResolvedStyle, trim: tuple[float, float]
    ) -> tuple[dict[str, Any], list[Diagnostic]]:
        w, h = trim
        warnings: list[Diagnostic] = []
        # PDF 32000-1 §14.11.2: TrimBox is the finished page, BleedBox the trim plus
        # bleed; both in default user space, i.e. in the MediaBox's coordinates.
        boxes: dict[str, Any] = {
            "trimBox": _box(SLUG, SLUG, w, h),
            "bleedBox": _box(SLUG - BLEED, SLUG - BLEED, w + 2 * BLEED, h + 2 * BLEED),
        }
        convert, guessed = cmyk_colours(style)
        boxes["enforceColorSpace"] = convert
        if guessed:
            warnings.append(
                Diagnostic(
                    "print file: brand colours converted from RGB to CMYK with a plain formula "
                    "(no colour profile): " + ", ".join(guessed) + "; give their press values "
                    "under 'cmyk:' in the style",
                    file=str(style.chain.files[-1]),
                    hint="give the exact press values under 'cmyk:' in the style, e.g. "
                    f"cmyk: {{{guessed[0]}: {{c: 100, m: 70, y: 0, k: 10}}}}",
                    severity="warning",
                )
            )
        return boxes, warnings

    def after(self, source: LeafletSource, images: dict[tuple, Path], canv: Any) -> list[Diagnostic]:
        return _low_resolution_images(source, images, canv)


def _box(x: float, y: float, w: float, h: float) -> tuple[float, float, float, float]:
    """A page box [llx lly urx ury], rounded so the file is the same on every machine."""
    return (round(x, 3), round(y, 3), round(x + w, 3), round(y + h, 3))


def _print_page(on_page: Any, trim: tuple[float, float]) -> Any:
    """Wrap a page callback for the print file: crop marks, then draw in trim coordinates."""

    def print_page(canv: Any, doc: Any) -> None:
        draw_crop_marks(canv, SLUG, SLUG, *trim)
        canv.saveState()
        canv.translate(SLUG, SLUG)  # the footer is placed as on the trimmed page
        on_page(canv, doc)
        canv.restoreState()

    return print_page


def draw_crop_marks(canv: Any, x: float, y: float, w: float, h: float) -> None:
    """Crop marks at the trim's four corners, outside the bleed, as a layout artifact.

    Each corner gets a horizontal and a vertical hairline on the trim lines, from
    :data:`MARK_GAP` to :data:`MARK_GAP` + :data:`MARK_LENGTH` past the trim, in
    registration colour (all four inks) so they show on every plate.
    """
    from reportlab.lib.colors import CMYKColor

    with canv.artifact("Layout"):
        canv.saveState()
        canv.setStrokeColor(CMYKColor(1, 1, 1, 1))
        canv.setLineWidth(0.25)
        near, far = MARK_GAP, MARK_GAP + MARK_LENGTH
        for cx, sx in ((x, -1), (x + w, 1)):
            for cy, sy in ((y, -1), (y + h, 1)):
                canv.line(cx + sx * near, cy, cx + sx * far, cy)  # on the horizontal trim line
                canv.line(cx, cy + sy * near, cx, cy + sy * far)  # on the vertical trim line
        canv.restoreState()


def check_print_margins(style: ResolvedStyle) -> None:
    """Refuse a print file whose text would come within :data:`SAFE_TEXT` of the trim.

    The trim can wander by a millimetre or two; text closer than 5 mm may be cut.
    The error points at the margin in the style file that sets it.
    """
    from .errors import StyleError
    from .style import setting_diagnostic

    names = ("top", "right", "bottom", "left")
    diags = []
    for side, value in zip(names, style.margins):
        if value >= SAFE_TEXT - 1e-6:
            continue
        msg = (
            f"page.margins.{side} is {value / MM:g} mm: the print file keeps text at "
            f"least {SAFE_TEXT / MM:g} mm inside the trim"
        )
        hint = f"set page.margins.{side} to {SAFE_TEXT / MM:g} or more in the style"
        diags.append(setting_diagnostic(style, ("page", "margins", side), msg, hint=hint))
    if diags:
        raise StyleError(diags, exit_code=2)  # like every style error: the build cannot start


def _hex(rgb: tuple[float, float, float]) -> str:
    return "#" + "".join(f"{round(v * 255):02x}" for v in rgb)


def rgb_to_cmyk(rgb: tuple[float, float, float]) -> tuple[float, float, float, float]:
    """The plain (profile-free) conversion: grey goes to black ink only."""
    r, g, b = rgb
    k = 1 - max(r, g, b)
    if k >= 1 - 1e-9:
        return (0.0, 0.0, 0.0, 1.0)
    return tuple(
        round(v, 4) for v in ((1 - r - k) / (1 - k), (1 - g - k) / (1 - k), (1 - b - k) / (1 - k), k)
    )  # type: ignore[return-value]


def cmyk_colours(style: ResolvedStyle) -> tuple[Any, list[str]]:
    """A colour converter for ReportLab's ``enforceColorSpace``, and the colours it guessed.

    A brand colour with values under ``cmyk:`` in the style is printed with exactly
    those; others (and any colour not in the style) are converted with
    :func:`rgb_to_cmyk`. The names of converted brand colours that are not neutral
    greys (which convert exactly, to black ink) are returned for a warning.
    """
    from reportlab.lib.colors import CMYKColor, Color, toColor

    given: dict[str, CMYKColor] = {}
    for name, v in style.spec.cmyk.items():
        given[getattr(style.colours, name)] = CMYKColor(v.c / 100, v.m / 100, v.y / 100, v.k / 100)
    guessed = []
    for name in type(style.colours).model_fields:
        hexv = getattr(style.colours, name)
        r, g, b = (int(hexv[i : i + 2], 16) for i in (1, 3, 5))
        if hexv not in given and not r == g == b:
            guessed.append(name)

    def convert(colour: Any) -> Any:
        c = toColor(colour)
        if isinstance(c, CMYKColor):
            return c
        if not isinstance(c, Color):
            raise ValueError(f"cannot print colour {colour!r}")
        rgb = (c.red, c.green, c.blue)
        hit = given.get(_hex(rgb))
        out = hit.clone() if hit is not None else CMYKColor(*rgb_to_cmyk(rgb))
        out.alpha = c.alpha
        return out

    return convert, guessed


def _low_resolution_images(source: LeafletSource, images: dict[tuple, Path], canv: Any) -> list[Diagnostic]:
    """Warnings for pictures below :data:`PRINT_DPI` at the size they are printed."""
    from reportlab.lib.utils import ImageReader

    where = {file: path for path, file in images.items()}
    out = []
    seen = set()
    for file, w, h in getattr(canv, "lw_images", []):
        if file in seen:
            continue
        seen.add(file)
        px, _ = ImageReader(str(file)).getSize()
        dpi = px / (w / 72.0)
        if dpi >= PRINT_DPI - 0.5:
            continue
        msg = (
            f"print file: image '{file.name}' is {dpi:.0f} dpi at its printed size "
            f"({w / MM:.0f} x {h / MM:.0f} mm); print needs {PRINT_DPI} dpi"
        )
        hint = f"use a picture at least {round(PRINT_DPI * w / 72)} pixels wide, or print it smaller"
        bpath = where.get(file)
        if bpath is not None and source.doc is not None:
            out.append(source.doc.diagnostic(bpath + ("image", "file"), msg, hint=hint, severity="warning"))
        else:  # the style's logo
            out.append(Diagnostic(msg, file=str(file), hint=hint, severity="warning"))
    return out
