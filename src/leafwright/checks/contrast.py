"""Contrast (WCAG 2.2): every text and background colour pair the style produces.

The pairs follow what layout and render draw: body text and headings on the
page, the title on its band, callout text on its tint, the key-points and
contact boxes, the table header, captions, the footer and page numbers, the
other-formats notice; list bullets and the QR code as graphics (3:1).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..palette import nearest_passing
from .base import Context

AA_TEXT = 4.5
AA_LARGE = 3.0  # text of 18pt and up, or 14pt bold and up; graphics (SC 1.4.11)


def _channel(c8: int) -> float:
    # WCAG 2.2 relative luminance; sRGB linearisation (threshold 0.04045, IEC 61966-2-1)
    c = c8 / 255.0
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def luminance(hex_colour: str) -> float:
    """The WCAG relative luminance of ``#rrggbb``: 0 for black, 1 for white."""
    h = hex_colour.lstrip("#")
    r, g, b = (int(h[i : i + 2], 16) for i in (0, 2, 4))
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast_ratio(fg: str, bg: str) -> float:
    """(L1 + 0.05) / (L2 + 0.05), lighter over darker: 1 to 21."""
    a, b = luminance(fg), luminance(bg)
    hi, lo = max(a, b), min(a, b)
    return (hi + 0.05) / (lo + 0.05)


def format_ratio(ratio: float, threshold: float) -> str:
    """The ratio to two places, never rounded up to the threshold it fails (4.499 is not 4.50)."""
    text = f"{ratio:.2f}"
    if ratio < threshold and float(text) >= threshold:
        text = f"{int(ratio * 1000) / 1000:.3f}"
    return text


def is_large(size: float, bold: bool) -> bool:
    """WCAG's 'large scale' text: 18pt, or 14pt bold (16pt regular large print is not)."""
    return size >= 18 or (bold and size >= 14)


@dataclass(frozen=True)
class Pair:
    """Something drawn in one colour on another: what it is, the colour keys, its size."""

    what: str
    fg: str  # a Colours field name
    bg: str
    size: float
    bold: bool
    graphic: bool = False

    @property
    def threshold(self) -> float:
        return AA_LARGE if self.graphic or is_large(self.size, self.bold) else AA_TEXT


def colour_pairs(ctx: Context) -> list[Pair]:
    """Every foreground/background pair the style can produce, as layout and render draw them."""
    s = ctx.styles
    bold_fonts = {ctx.style.fonts.bold, ctx.style.fonts.bold_italic}

    def p(what: str, fg: str, bg: str, ps, *, bold: bool | None = None) -> Pair:
        b = ps.fontName in bold_fonts if bold is None else bold
        return Pair(what, fg, bg, ps.fontSize, b)

    page = "background"
    pairs = [
        p("body text", "text", page, s.body),
        p("section headings", "primary", page, s.h2),
        p("sub-section headings", "primary", page, s.h3),
        p("questions", "primary", page, s.question),
        p("level 4 headings", "primary", page, s.h4),
        p("level 5 headings", "primary", page, s.h5),
        p("level 6 headings", "text", page, s.h6),
        p("links", "link", page, s.body),
        p("list numbers", "primary", page, s.item, bold=True),
        p("table cells", "text", page, s.cell),
        p("captions", "text", page, s.caption),
        p("the other-formats notice", "text", page, s.notice),
        p("footer text", "muted", page, s.footer),
        p("page numbers", "muted", page, s.footer),
        Pair("list bullets", "accent", page, s.item.fontSize, False, graphic=True),
        Pair("the QR code", "text", page, 0, False, graphic=True),
        p("table header text", "table_header_text", "table_header", s.head_cell),
    ]
    if ctx.style.spec.title_band:
        pairs += [
            p("the title on the title band", "band_text", "primary", s.h1),
            p("the subtitle on the title band", "band_text", "primary", s.subtitle),
        ]
    else:
        pairs += [p("the title", "primary", page, s.h1), p("the subtitle", "text", page, s.subtitle)]
    for box in ("tint", "info", "warning", "note"):
        where = {"tint": "in the key-points and contact boxes"}.get(box, f"in {box} callouts")
        pairs += [
            p(f"text {where}", "text", box, s.body),
            p(f"box headings {where}", "primary", box, s.box_heading),
            p(f"links {where}", "link", box, s.body),
        ]
    pairs += [
        p("list numbers in the key-points box", "primary", "tint", s.item, bold=True),
        p("booklet contents numbers", "muted", "tint", s.item, bold=False),
        Pair("list bullets in the key-points box", "accent", "tint", s.item.fontSize, False, graphic=True),
    ]
    return pairs


def _given(ctx: Context) -> set[str]:
    """The colour keys the style chain sets itself (the rest are derived)."""
    out: set[str] = set()
    for f in ctx.style.chain.files:
        from ..load import load_file

        data = load_file(f).data
        if isinstance(data, dict) and isinstance(data.get("colours"), dict):
            out.update(data["colours"])
    return out


def check(ctx: Context) -> None:
    """LW101 (text) and LW102 (graphics): one finding per failing colour pair; LW103 a moved brand colour."""
    for moved in ctx.style.chain.moved:
        ctx.report_style(
            "LW103",
            ("colours", moved.key),
            f"brand colour {moved.key} {moved.given} falls short of {moved.ratio:g}:1 on "
            f"{moved.against}: {moved.used}, the nearest shade that passes, is used instead",
            f'write colours.{moved.key}: "{moved.used}" to make it your own (or ask your designer '
            "for a darker brand shade for print)",
        )
    colours = ctx.style.colours
    failing: dict[tuple[str, str, float, bool], list[Pair]] = {}
    for pair in colour_pairs(ctx):
        fg, bg = getattr(colours, pair.fg), getattr(colours, pair.bg)
        if contrast_ratio(fg, bg) < pair.threshold:
            failing.setdefault((pair.fg, pair.bg, pair.threshold, pair.graphic), []).append(pair)
    for (fg_key, bg_key, threshold, graphic), pairs in failing.items():
        fg, bg = getattr(colours, fg_key), getattr(colours, bg_key)
        ratio = contrast_ratio(fg, bg)
        whats = ", ".join(dict.fromkeys(x.what for x in pairs))
        rule = "LW102" if graphic else "LW101"
        near = nearest_passing(fg, [bg], threshold)
        given = fg_key in _given(ctx)
        hint = (
            f'the nearest colour that passes is colours.{fg_key}: "{near}" '
            f"({format_ratio(contrast_ratio(near, bg), threshold)}:1 on {bg})"
            + ("" if given else f" (colours.{fg_key} is derived from the brand colours: set it)")
            + f"; or change colours.{bg_key}"
        )
        ctx.report_style(
            rule,
            ("colours", fg_key),
            f"contrast {format_ratio(ratio, threshold)}:1 < {threshold:g}:1 ({fg} on {bg}): {whats}",
            hint,
        )
