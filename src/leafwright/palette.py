"""A brand kit in two lines: every colour of a style derived from `primary` and `accent`.

A charity's brand guide gives two colours; a leaflet needs fourteen (headings, links,
the title band and its text, table headers, box and callout tints, rules, muted text).
:func:`derive_palette` fills in every colour a style does not set, by these rules:

* ``text`` #1a1a1a and ``background`` #ffffff unless given;
* ``tint`` (key points, contact panel) is 10% ``primary`` on the background; ``info``
  callouts 8% ``primary``, ``warning`` 12% ``accent``, ``note`` 8% of the two mixed;
* ``primary`` is text (headings, list numbers, box headings) on the page and on every
  tint: it must reach 4.5:1 on each. ``accent`` is drawn as graphics only (bullets, box
  bars): 3:1 (WCAG 2.2 SC 1.4.11). A brand colour that falls short is darkened (or, on a
  dark page, lightened) in small steps of lightness, keeping its hue, to the nearest
  colour that passes; the style then says so (check LW103), with both colours;
* ``link`` and ``table_header`` are ``primary``; ``band_text`` and
  ``table_header_text`` are white or ``text``, whichever contrasts more with the fill
  they are on;
* ``muted`` (footer, contents numbers) is ``text`` softened 25% toward the background,
  kept at 4.5:1 on the page and the tint;
* ``rule`` (thin borders, decorative) is ``primary`` 45% on the background.

A colour the style does set is used as written; the contrast checks (LW101, LW102) then
judge it and name the nearest colour that would pass.
"""

from __future__ import annotations

import colorsys
from dataclasses import dataclass

TEXT_RATIO = 4.5
GRAPHIC_RATIO = 3.0
_STEP = 0.0025  # lightness steps: fine enough that the result is the nearest passing shade


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    h = hex_colour.lstrip("#")
    return int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16)


def _hex(rgb: tuple[float, float, float]) -> str:
    return "#" + "".join(f"{max(0, min(255, round(c))):02x}" for c in rgb)


def _channel(c8: float) -> float:
    c = c8 / 255.0
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def luminance(hex_colour: str) -> float:
    """WCAG 2.2 relative luminance of ``#rrggbb`` (0 black, 1 white)."""
    r, g, b = _rgb(hex_colour)
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast_ratio(a: str, b: str) -> float:
    """WCAG contrast ratio of two colours: 1 to 21."""
    la, lb = luminance(a), luminance(b)
    return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)


def mix(colour: str, background: str, amount: float) -> str:
    """``amount`` of ``colour`` laid on ``background`` (0: the background, 1: the colour)."""
    c, b = _rgb(colour), _rgb(background)
    return _hex(tuple(b[i] + (c[i] - b[i]) * amount for i in range(3)))  # type: ignore[arg-type]


def nearest_passing(colour: str, backgrounds: list[str], ratio: float) -> str:
    """The colour of the same hue and saturation, nearest in lightness, with ``ratio`` on every background.

    ``colour`` itself when it already passes. Black or white as a last resort (one of
    them always reaches 4.5:1 on a single background).
    """
    if all(contrast_ratio(colour, bg) >= ratio for bg in backgrounds):
        return colour
    r, g, b = (c / 255 for c in _rgb(colour))
    h, lightness, s = colorsys.rgb_to_hls(r, g, b)
    best: str | None = None
    for k in range(1, int(1 / _STEP) + 1):
        for sign in (-1, 1):  # darker first: pages are light far more often than dark
            lt = lightness + sign * k * _STEP
            if not 0 <= lt <= 1:
                continue
            cand = _hex(tuple(c * 255 for c in colorsys.hls_to_rgb(h, lt, s)))  # type: ignore[arg-type]
            if all(contrast_ratio(cand, bg) >= ratio for bg in backgrounds):
                best = cand
                break
        if best:
            return best
    black_or_white = max(
        ("#000000", "#ffffff"), key=lambda c: min(contrast_ratio(c, bg) for bg in backgrounds)
    )
    return black_or_white


@dataclass(frozen=True)
class Moved:
    """A brand colour that had to change to meet contrast."""

    key: str
    given: str
    used: str
    ratio: float
    against: str


def derive_palette(given: dict[str, str], defaults: dict[str, str]) -> tuple[dict[str, str], list[Moved]]:
    """Every colour, from those ``given`` (lower-case #rrggbb) and the schema's ``defaults``.

    Returns the full palette and the brand colours that had to move (see the module's rules).
    """
    out = dict(given)
    moved: list[Moved] = []
    text = out.setdefault("text", "#1a1a1a")
    bg = out.setdefault("background", "#ffffff")
    brand_primary = given.get("primary", defaults["primary"])
    brand_accent = given.get("accent", defaults["accent"])

    # tints from the brand colours as given, so they keep the brand's hue
    out.setdefault("tint", mix(brand_primary, bg, 0.10))
    out.setdefault("info", mix(brand_primary, bg, 0.08))
    out.setdefault("warning", mix(brand_accent, bg, 0.12))
    out.setdefault("note", mix(mix(brand_primary, brand_accent, 0.5), bg, 0.08))
    boxes = [out["tint"], out["info"], out["warning"], out["note"]]

    primary = nearest_passing(brand_primary, [bg, *boxes], TEXT_RATIO)
    accent = nearest_passing(brand_accent, [bg, out["tint"]], GRAPHIC_RATIO)
    for key, brand, used, ratio, against in (
        ("primary", brand_primary, primary, TEXT_RATIO, "the page and the box tints"),
        ("accent", brand_accent, accent, GRAPHIC_RATIO, "the page and the key-points box"),
    ):
        if used != brand:
            moved.append(Moved(key, brand, used, ratio, against))
    out["primary"], out["accent"] = primary, accent

    out.setdefault("link", primary)
    out.setdefault("table_header", primary)
    on_primary = max(("#ffffff", text), key=lambda c: contrast_ratio(c, primary))
    out.setdefault("band_text", on_primary)
    out.setdefault(
        "table_header_text", max(("#ffffff", text), key=lambda c: contrast_ratio(c, out["table_header"]))
    )
    out.setdefault("muted", nearest_passing(mix(text, bg, 0.75), [bg, out["tint"]], TEXT_RATIO))
    out.setdefault("rule", mix(primary, bg, 0.45))
    return out, moved


@dataclass(frozen=True)
class Use:
    """What a colour is for, what it is seen against, and the contrast it needs there."""

    what: str
    against: str | None
    """The colour key it is drawn on (None: the other way round, see ``on``)."""
    ratio: float | None
    """The WCAG minimum (None: decorative, no minimum)."""
    on: bool = False
    """True when the colour is a fill and ``against`` is drawn on it."""


#: Every colour of a style, in the order a swatch shows them.
USES: dict[str, Use] = {
    "primary": Use("headings, list numbers, the title band", "background", TEXT_RATIO),
    "accent": Use("bullets and box bars (graphics)", "background", GRAPHIC_RATIO),
    "text": Use("body text", "background", TEXT_RATIO),
    "background": Use("the page", "text", TEXT_RATIO, on=True),
    "link": Use("links (also underlined)", "background", TEXT_RATIO),
    "muted": Use("footer and page numbers", "background", TEXT_RATIO),
    "band_text": Use("text on the title band", "primary", TEXT_RATIO),
    "table_header": Use("table header row", "table_header_text", TEXT_RATIO, on=True),
    "table_header_text": Use("table header text", "table_header", TEXT_RATIO),
    "tint": Use("key-points box, contact panel", "text", TEXT_RATIO, on=True),
    "info": Use("info callouts", "text", TEXT_RATIO, on=True),
    "warning": Use("warning callouts", "text", TEXT_RATIO, on=True),
    "note": Use("note callouts", "text", TEXT_RATIO, on=True),
    "rule": Use("thin rules and borders (decorative)", "background", None),
}
