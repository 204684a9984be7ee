"""Fonts: find them (fontpkg-* packages or TTF files), register them once per process,
and make sure every character of a leaflet can be drawn.

Characters the main font lacks are drawn in the first fallback font that has
them; a character no configured font has is an error naming the character, its
code point and where it is -- never a blank box.
"""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics, ttfonts

from .errors import Diagnostic, MissingGlyphError, StyleError
from .model import did_you_mean
from .reportlab_internals import install_to_unicode_cmap

if TYPE_CHECKING:
    from .style import Fonts


def _to_unicode_cmap(fontname: str, subset: list[int]) -> str:
    """ToUnicode CMap for one subset, leaving out codes that map to nothing.

    ReportLab maps code 0 (.notdef) and every unused code below 32 to U+0000,
    which PDF/UA-1 (ISO 14289-1 §7.21.7) rejects; codes that are never drawn need
    no entry at all (PDF 32000-1 §9.10.3).
    """
    pairs = [(i, v) for i, v in enumerate(subset) if v]
    lines = [
        "/CIDInit /ProcSet findresource begin",
        "12 dict begin",
        "begincmap",
        "/CIDSystemInfo",
        f"<< /Registry ({fontname})",
        f"/Ordering ({fontname})",
        "/Supplement 0",
        ">> def",
        f"/CMapName /{fontname} def",
        "/CMapType 2 def",
        "1 begincodespacerange",
        "<00> <%02X>" % (len(subset) - 1),
        "endcodespacerange",
    ]
    # a bfchar block holds at most 100 entries (PDF 32000-1 §9.10.3)
    for start in range(0, len(pairs), 100):
        chunk = pairs[start : start + 100]
        lines.append(f"{len(chunk)} beginbfchar")
        lines.extend("<%02X> <%s>" % (i, _utf16(v)) for i, v in chunk)
        lines.append("endbfchar")
    lines += ["endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"]
    return "\n".join(lines)


def _utf16(cp: int) -> str:
    return chr(cp).encode("utf-16-be").hex().upper()


install_to_unicode_cmap(_to_unicode_cmap)

_REGISTERED: dict[str, ttfonts.TTFont] = {}


def _register(path: Path, style_file: Path | str | None = None) -> str:
    """Register a TTF once per process; returns its ReportLab font name."""
    path = path.resolve()
    key = str(path)
    digest = hashlib.sha1(key.encode()).hexdigest()[:6]
    name = f"LW{digest}-{path.stem.replace(' ', '')}"[:60]
    if name not in _REGISTERED:
        try:
            font = ttfonts.TTFont(name, str(path), asciiReadable=1)
        except Exception as exc:  # ReportLab raises TTFError and assorted errors
            from .errors import display_path

            raise StyleError.single(
                f"cannot read font file {display_path(path)}: it is not a font ReportLab can use ({exc})",
                file=style_file,
                hint="give a TrueType font file (.ttf), e.g. from a fontpkg-* package",
                exit_code=2,
            ) from None
        pdfmetrics.registerFont(font)
        _REGISTERED[name] = font
    return name


def installed_families() -> list[str]:
    """Names of the font families installed from fontpkg-* packages."""
    import fontpkg

    return sorted(f.name for f in fontpkg.families().values())


def _family_path(family: str, weight: int, style: str) -> Path | None:
    import fontpkg

    try:
        fam = fontpkg.family(family)
    except fontpkg.FamilyNotInstalled:
        names = installed_families()
        guess = did_you_mean(family, names)
        raise StyleError.single(
            f"unknown font family '{family}'",
            hint=(f"did you mean '{guess}'? " if guess else "")
            + "installed: "
            + ", ".join(names)
            + f"; install another with: pip install fontpkg-{fontpkg.slugify(family)}",
            exit_code=2,
        ) from None
    for f in fam.files:
        if f.style == style and (f.weight == weight or (f.variable and weight == 400)):
            return Path(f.path)
    return None


@dataclass(frozen=True)
class FontSet:
    """ReportLab font names for the four faces, plus fallbacks for missing glyphs."""

    regular: str
    bold: str
    italic: str
    bold_italic: str
    fallbacks: tuple[str, ...]
    family: str
    fallback_names: tuple[str, ...] = ()


def register_fonts(spec: Fonts, *, style_file: Path | None = None) -> FontSet:
    """Register a style's fonts with ReportLab and return a :class:`FontSet`."""
    faces: dict[str, Path | None] = {}
    if spec.regular:
        for face in ("regular", "bold", "italic", "bold_italic"):
            value = getattr(spec, face)
            faces[face] = Path(value) if value else None
        family = Path(spec.regular).stem
    elif spec.family:
        family = spec.family
        faces = {
            "regular": _family_path(spec.family, 400, "normal"),
            "bold": _family_path(spec.family, 700, "normal"),
            "italic": _family_path(spec.family, 400, "italic"),
            "bold_italic": _family_path(spec.family, 700, "italic"),
        }
        if faces["regular"] is None:
            raise StyleError.single(f"font family '{spec.family}' has no regular face", exit_code=2)
    else:
        raise StyleError.single("a style needs fonts.family or fonts.regular", file=style_file, exit_code=2)
    for face, p in faces.items():
        if p is not None and not p.is_file():
            raise StyleError.single(
                f"font file for {face} not found: {p}",
                file=style_file,
                hint="give a path relative to the style file",
                exit_code=2,
            )
    regular_path, bold_path = faces["regular"], faces.get("bold")
    italic_path, bold_italic_path = faces.get("italic"), faces.get("bold_italic")
    assert regular_path is not None  # checked above: a family without it is refused
    regular = _register(regular_path, style_file)
    # a family without a bold or italic face uses the regular one (no faux styles)
    bold = _register(bold_path, style_file) if bold_path else regular
    italic = _register(italic_path, style_file) if italic_path else regular
    bold_italic = _register(bold_italic_path, style_file) if bold_italic_path else bold
    addMapping(regular, 0, 0, regular)
    addMapping(regular, 1, 0, bold)
    addMapping(regular, 0, 1, italic)
    addMapping(regular, 1, 1, bold_italic)
    fallbacks: list[str] = []
    for fb in spec.fallback:
        if fb.endswith((".ttf", ".otf")):
            p = Path(fb)
            if not p.is_file():
                raise StyleError.single(f"fallback font file not found: {fb}", file=style_file, exit_code=2)
        else:
            p = _family_path(fb, 400, "normal")
            if p is None:
                raise StyleError.single(f"fallback family '{fb}' has no regular face", exit_code=2)
        name = _register(p, style_file)
        for b in (0, 1):
            for i in (0, 1):
                addMapping(name, b, i, name)
        fallbacks.append(name)
    return FontSet(
        regular,
        bold,
        italic,
        bold_italic,
        tuple(fallbacks),
        family,
        tuple(Path(fb).stem if fb.endswith((".ttf", ".otf")) else fb for fb in spec.fallback),
    )


def has_glyph(fontname: str, ch: str) -> bool:
    """Whether a registered font has a glyph for a character."""
    font = _REGISTERED.get(fontname)
    if font is None:
        return True
    return ord(ch) in font.face.charToGlyph


_IGNORABLE = {"\n", "\r", "\t", "\u00ad", "\u200b", "\u200c", "\u200d", "\ufeff"}


def font_for(ch: str, fonts) -> str | None:
    """The font (main first, then fallbacks) that draws a character; None if none does."""
    if ch in _IGNORABLE:
        return fonts.regular
    if has_glyph(fonts.regular, ch):
        return fonts.regular
    for fb in fonts.fallbacks:
        if has_glyph(fb, ch):
            return fb
    return None


def check_glyphs(texts, fonts, doc=None) -> None:
    """Raise :class:`MissingGlyphError` for every character no configured font has.

    ``texts`` is a list of (yaml path, text); ``doc`` (a loaded Document) locates them.
    """
    diags: list[Diagnostic] = []
    seen: set[tuple] = set()
    cache: dict[str, bool] = {}
    for path, text in texts:
        for ch in set(text):
            ok = cache.get(ch)
            if ok is None:
                ok = cache[ch] = font_for(ch, fonts) is not None
            if ok or (path, ch) in seen:
                continue
            seen.add((path, ch))
            name = unicodedata.name(ch, "unnamed character")
            msg = f"character '{ch}' (U+{ord(ch):04X} {name}) is in none of the style's fonts"
            hint = (
                "add a font that has it to fonts.fallback in the style "
                f"(now: {', '.join([fonts.family] + list(fonts.fallback_names))}), "
                "or replace the character"
            )
            if doc is not None:
                d = doc.diagnostic(path, msg, hint=hint)
                col_in = text.index(ch)
                line_off = text[:col_in].count("\n")
                if (
                    line_off == 0
                    and d.line is not None
                    and d.source_line
                    and text.split("\n")[0] in d.source_line
                ):
                    start = d.source_line.index(text.split("\n")[0])
                    d = Diagnostic(
                        d.message,
                        d.file,
                        d.line,
                        start + col_in + 1,
                        d.path,
                        d.hint,
                        d.severity,
                        d.source_line,
                    )
                diags.append(d)
            else:
                diags.append(Diagnostic(msg, hint=hint))
    if diags:
        diags.sort(key=lambda d: (d.line or 0, d.column or 0))
        raise MissingGlyphError(diags)
