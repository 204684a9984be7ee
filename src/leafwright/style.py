"""Stage 3: brand styles, loaded, merged along ``extends:`` and resolved.

A style is a YAML file in a ``styles/`` folder. ``resolve_style(name_or_path)``
finds it, merges it key by key over its parent (``extends: default``), checks
it against :class:`StyleSpec`, registers its fonts with ReportLab and returns a
:class:`ResolvedStyle`: everything layout needs, with no further file access.
Resolved styles are cached per process (keyed by the files' contents), so a
batch resolves each style once.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, Field, WithJsonSchema, field_validator
from pydantic_core import PydanticCustomError

from .errors import Diagnostic, StyleError, display_path
from .fonts import FontSet, register_fonts
from .i18n.overrides import LabelOverrides
from .load import Document, load_file
from .model import Model, did_you_mean, validate_model

_HEX = re.compile(r"^#[0-9a-fA-F]{6}$")
PAGE_SIZES_MM = {"A4": (210.0, 297.0), "A5": (148.0, 210.0), "Letter": (215.9, 279.4)}


def _colour(v: str) -> str:
    if not isinstance(v, str) or not _HEX.match(v):
        raise ValueError(f"'{v}' is not a colour: write it as #rrggbb, e.g. \"#1d4f91\" (in quotes)")
    return v.lower()


class Margins(Model):
    """Page margins in millimetres."""

    top: float = 18
    """Top margin (mm)."""
    right: float = 18
    """Right margin (mm)."""
    bottom: float = 24
    """Bottom margin (mm); the footer sits inside it."""
    left: float = 18
    """Left margin (mm)."""


class Page(Model):
    """Page size and margins."""

    size: Literal["A4", "A5", "Letter"] = "A4"
    """A4, A5 or Letter, portrait."""
    margins: Margins = Margins()
    """Margins in millimetres."""


class Colours(Model):
    """Brand colours, each written as "#rrggbb". Give `primary` and `accent`; every colour
    not given is derived from them so that it meets WCAG contrast (see README, 'Brand
    colours')."""

    primary: str = "#1d4f91"
    """Headings, the title band and rules; darkened (or lightened) to 4.5:1 on the page and
    tints if need be."""
    accent: str = "#b3541e"
    """Small highlights (bullets, the key-points bar); moved to 3:1 on the page if need be."""
    text: str = "#1a1a1a"
    """Body text."""
    background: str = "#ffffff"
    """The page."""
    band_text: str = "#ffffff"
    """Text on the title band (drawn on `primary`)."""
    link: str = "#1d4f91"
    """Link text (links are also underlined)."""
    muted: str = "#4a4a4a"
    """Footer text and captions."""
    tint: str = "#eaf1fa"
    """The key-points box and the contact panel background."""
    info: str = "#e8f1fb"
    """Background of 'info' callouts."""
    warning: str = "#fdf0e2"
    """Background of 'warning' callouts."""
    note: str = "#eef5ea"
    """Background of 'note' callouts."""
    table_header: str = "#1d4f91"
    """Table header row fill."""
    table_header_text: str = "#ffffff"
    """Table header row text."""
    rule: str = "#8a9bb5"
    """Thin rules and box borders."""

    @field_validator("*")
    @classmethod
    def _hex(cls, v: str) -> str:
        return _colour(v)


class FontFiles(Model):
    """A brand's own font files (TTF or OTF, TrueType or CFF outlines), relative to the style file."""

    regular: str
    """The regular face, e.g. fonts/Brand-Regular.otf."""
    bold: str | None = None
    """The bold face (the regular one is used when missing: no faux bold)."""
    italic: str | None = None
    """The italic face."""
    bold_italic: str | None = None
    """The bold italic face."""


def _script_key(name: str) -> str:
    """A script as a style names it, written the one way (lower case, Unicode's name)."""
    from .scripts import UnknownScript, script_code, script_name

    try:
        return script_name(script_code(name))
    except UnknownScript as exc:
        raise PydanticCustomError("script_name", str(exc)) from None


ScriptKey = Annotated[str, AfterValidator(_script_key)]
"""A script's name ('arabic', 'Arabic' or its ISO 15924 code 'Arab'), kept as 'arabic'."""


class Fonts(Model):
    """The fonts: a font family (a fontpkg-* package, or installed on the system) or font files."""

    family: str | None = "Atkinson Hyperlegible"
    """A font family: from a fontpkg-* package (e.g. 'Atkinson Hyperlegible'), else one
    installed on the system (fontconfig, `fc-list`)."""
    files: FontFiles | None = None
    """The brand's font files (TTF or OTF); overrides `family`."""
    regular: str | None = None
    """Path to a regular TTF (relative to the style file); overrides `family`."""
    bold: str | None = None
    """Path to a bold TTF."""
    italic: str | None = None
    """Path to an italic TTF."""
    bold_italic: str | None = None
    """Path to a bold italic TTF."""
    fallback: list[str] = ["Noto Sans"]
    """Families (or TTF paths) used, in order, for characters the main font lacks."""
    scripts: dict[ScriptKey, str] = {}
    """A font family (or TTF path) for each writing system, e.g. arabic: Noto Sans Arabic,
    hebrew: Heebo. A letter of that script is drawn in its font even where the main font
    has it; scripts are named as Unicode names them (arabic, devanagari, bengali,
    gurmukhi, han, hebrew, cyrillic, ...)."""


class TypeScale(Model):
    """Type sizes in points."""

    body: float = 12.5
    """Body text size (clear print: 12pt minimum, 14pt better; large print 16pt minimum)."""
    leading: float = 1.4
    """Line spacing as a multiple of the size."""
    h1: float = 26
    """The title."""
    h2: float = 18
    """Section headings."""
    h3: float = 15
    """Sub-section headings and FAQ questions."""
    small: float = 12
    """Footer, captions and labels; never below the clear-print minimum."""


class Footer(Model):
    """The footer on every page."""

    text: str | None = None
    """Footer text, the same words in every language; {organisation}, {version}, {published},
    {review_by}, {title} are filled in. Unset: the 'footer' label, in the leaflet's language
    (give it per language under labels:, e.g. labels: {en: {footer: ...}})."""
    page_numbers: bool = True
    """Print 'Page X of Y' on every page."""


class CMYK(Model):
    """A brand colour's exact press values, in percent (0-100) of each ink."""

    c: float
    """Cyan (%)."""
    m: float
    """Magenta (%)."""
    y: float
    """Yellow (%)."""
    k: float
    """Black (%)."""

    @field_validator("*")
    @classmethod
    def _percent(cls, v: float) -> float:
        if not 0 <= v <= 100:
            raise ValueError(f"{v} is not a percentage: give 0 to 100")
        return v


def _known_variant(name: str) -> str:
    """A variant name declared in :data:`leafwright.variants.VARIANTS` (looked up late:
    the registry refers to this module's style transforms)."""
    from .variants import VARIANTS

    if name not in VARIANTS:
        names = [f"'{n}'" for n in VARIANTS]
        raise PydanticCustomError(
            "literal_error",
            "Input should be {expected}",
            {"expected": ", ".join(names[:-1]) + " or " + names[-1]},
        )
    return name


def _variant_names_schema(schema: dict[str, Any]) -> None:
    """List the declared variants in the JSON Schema of ``variants:`` (an array of names)."""
    from .variants import VARIANTS

    items = schema["items"]
    assert isinstance(items, dict)
    items["enum"] = list(VARIANTS)


VariantName = Annotated[str, AfterValidator(_known_variant), WithJsonSchema({"type": "string"})]
"""The name of a declared variant (the JSON Schema lists them: see StyleSpec)."""


class StyleSpec(Model):
    """A brand style."""

    name: str | None = None
    """A display name for the style."""
    description: str | None = None
    """What the style is for."""
    extends: str | None = None
    """The parent style whose keys this one overrides, e.g. 'default'."""
    page: Page = Page()
    """Page size and margins."""
    colours: Colours = Colours()
    """Brand colours."""
    fonts: Fonts = Fonts()
    """Fonts."""
    type: TypeScale = TypeScale()
    """Type sizes."""
    logo: str | None = None
    """A PNG, JPEG or SVG logo (relative to the style file), shown on the title band."""
    logo_alt: str | None = None
    """The logo's alt text (default: the organisation's name)."""
    footer: Footer = Footer()
    """The page footer."""
    large_print: bool = False
    """A large-print style: checks require 16pt body and more."""
    title_band: bool = True
    """Draw the title on a full-width band of the primary colour."""
    cmyk: dict[str, CMYK] = {}
    """Exact CMYK values for brand colours in the print file, e.g. primary: {c: 100, m: 70, y: 0, k: 10}."""
    variants: list[VariantName] = Field(default=["standard"], json_schema_extra=_variant_names_schema)
    """The editions `leafwright build` makes when no --variant is given."""
    labels: LabelOverrides = {}
    """The fixed labels ('Contact', 'Sources', 'Page 1 of 9'...) in your words: {contact: ...} for
    every language, {cy: {contact: ...}} for one; over the shipped catalogue, under the
    project's (leafwright.yaml). Keys: see the README's Languages section."""

    @field_validator("cmyk")
    @classmethod
    def _cmyk_names(cls, v: dict[str, CMYK]) -> dict[str, CMYK]:
        known = list(Colours.model_fields)
        for name in v:
            if name not in known:
                guess = did_you_mean(name, known)
                raise ValueError(
                    f"'{name}' is not a brand colour"
                    + (f" (did you mean '{guess}'?)" if guess else "")
                    + "; colours: "
                    + ", ".join(known)
                )
        return v


# --- finding and merging ----------------------------------------------------------------

BUILTIN_STYLES = Path(__file__).resolve().parent / "styles"


def style_dirs(extra: list[Path] | None = None) -> list[Path]:
    """Folders searched for style names: any given, then ./styles, then the built-in styles."""
    dirs = list(extra or [])
    dirs.append(Path.cwd() / "styles")
    dirs.append(BUILTIN_STYLES)
    out: list[Path] = []
    for d in dirs:
        d = d.resolve()
        if d not in out:
            out.append(d)
    return out


def available_styles(dirs: list[Path]) -> list[str]:
    """Names of the styles in the search folders."""
    names: set[str] = set()
    for d in dirs:
        if d.is_dir():
            names.update(p.stem for p in d.glob("*.yaml"))
    return sorted(names)


def find_style(name_or_path: str, dirs: list[Path]) -> Path:
    """The file for a style name (or a path to a style file)."""
    p = Path(name_or_path)
    if p.suffix in (".yaml", ".yml") or "/" in name_or_path:
        if p.is_file():
            return p.resolve()
        raise StyleError.single(f"style file not found: {name_or_path}", exit_code=2)
    for d in dirs:
        cand = d / f"{name_or_path}.yaml"
        if cand.is_file():
            return cand.resolve()
    names = available_styles(dirs)
    guess = did_you_mean(name_or_path, names)
    hint = (f"did you mean '{guess}'? " if guess else "") + (
        "styles available: " + ", ".join(names)
        if names
        else "no styles found; looked in " + ", ".join(str(d) for d in dirs)
    )
    raise StyleError.single(f"unknown style '{name_or_path}'", hint=hint, exit_code=2)


def _merge(base: dict, over: dict) -> dict:
    out = dict(base)
    for k, v in over.items():
        if isinstance(v, dict) and isinstance(out.get(k), dict):
            out[k] = _merge(out[k], v)
        else:
            out[k] = v
    return out


@dataclass(frozen=True)
class StyleChain:
    """A style's files from the root parent down to the style itself, with merged data."""

    files: tuple[Path, ...]
    data: dict
    spec: StyleSpec
    moved: tuple[Any, ...] = ()
    """Brand colours that had to change to meet contrast (:class:`~leafwright.palette.Moved`)."""

    def content_hash(self) -> str:
        """A hash of every file in the chain (for incremental builds)."""
        h = hashlib.sha256()
        for f in self.files:
            h.update(str(f.name).encode())
            h.update(f.read_bytes())
        return h.hexdigest()


_STYLE_FILES: dict[tuple[str, int, int], Document] = {}


def _load_style_file(path: Path) -> Document:
    """A style file, loaded and validated on its own (located errors), once per version.

    A batch resolves the style for every job; the file is only read again when it
    changed (its modification time or size).
    """
    st = path.stat()
    key = (str(path), st.st_mtime_ns, st.st_size)
    doc = _STYLE_FILES.get(key)
    if doc is None:
        doc = load_file(path)
        validate_model(doc, StyleSpec, "style")
        _STYLE_FILES[key] = doc
    return doc


def load_style_chain(name_or_path: str, dirs: list[Path] | None = None) -> StyleChain:
    """Load a style and its parents, validating each file and merging them."""
    dirs = style_dirs(dirs)
    files: list[Path] = []
    docs: list[Document] = []
    current: str | None = name_or_path
    search = list(dirs)
    while current is not None:
        path = find_style(current, search)
        if path in files:
            raise StyleError.single(
                f"style '{current}' extends itself through " + " -> ".join(f.stem for f in files + [path]),
                file=path,
                exit_code=2,
            )
        files.append(path)
        doc = _load_style_file(path)
        docs.append(doc)
        current = doc.data.get("extends")
        search = [path.parent] + dirs
    merged: dict = {}
    for doc in reversed(docs):
        data = dict(doc.data)
        # paths in a style are relative to the file that names them
        base = Path(doc.file).parent
        for key in ("logo",):
            if isinstance(data.get(key), str):
                data[key] = str(base / data[key])
        if isinstance(data.get("fonts"), dict):
            fonts = dict(data["fonts"])
            for key in ("regular", "bold", "italic", "bold_italic"):
                if isinstance(fonts.get(key), str):
                    fonts[key] = str(base / fonts[key])
            if isinstance(fonts.get("files"), dict):
                fonts["files"] = {
                    k: str(base / v) if isinstance(v, str) else v for k, v in fonts["files"].items()
                }
            if isinstance(fonts.get("fallback"), list):
                fonts["fallback"] = [
                    str(base / f) if f.endswith((".ttf", ".otf")) else f
                    for f in fonts["fallback"]
                    if isinstance(f, str)
                ]
            if isinstance(fonts.get("scripts"), dict):
                fonts["scripts"] = {
                    k: str(base / v) if isinstance(v, str) and v.endswith((".ttf", ".otf")) else v
                    for k, v in fonts["scripts"].items()
                }
            data["fonts"] = fonts
        merged = _merge(merged, data)
    merged, moved = _with_palette(merged)
    spec = StyleSpec.model_validate(merged)
    return StyleChain(tuple(reversed(files)), merged, spec, tuple(moved))


def _with_palette(merged: dict) -> tuple[dict, list]:
    """The merged style with every colour it does not set derived from its brand colours."""
    from .palette import derive_palette

    given = merged.get("colours") or {}
    if not isinstance(given, dict):
        return merged, []
    defaults = {k: f.default for k, f in Colours.model_fields.items()}
    colours, moved = derive_palette({k: str(v).lower() for k, v in given.items()}, defaults)
    return {**merged, "colours": colours}, moved


# --- resolved style ---------------------------------------------------------------------


@dataclass(frozen=True)
class ResolvedStyle:
    """A style ready for layout: sizes in points, colours as hex, fonts registered."""

    name: str
    spec: StyleSpec
    chain: StyleChain
    fonts: FontSet
    page_width: float
    page_height: float
    margins: tuple[float, float, float, float]  # top, right, bottom, left in points
    logo: Path | None

    @property
    def colours(self) -> Colours:
        return self.spec.colours

    @property
    def type(self) -> TypeScale:
        return self.spec.type

    @property
    def frame_width(self) -> float:
        """The text column's width in points (the page less its side margins)."""
        return self.page_width - self.margins[1] - self.margins[3]


MM = 72.0 / 25.4


def resolve_style(
    name_or_path: str = "default",
    dirs: list[Path] | None = None,
    *,
    large_print: bool = False,
    variant: str = "standard",
) -> ResolvedStyle:
    """Find, merge, validate and resolve a style (fonts registered, sizes in points).

    ``variant`` picks the edition's form of the style: ``large-print`` (see
    :func:`make_large_print`), ``booklet`` (see :func:`make_booklet`); ``standard`` and
    ``print`` and ``html`` use the style as written (the print file adds its bleed when it renders).
    ``large_print=True`` is the same as ``variant="large-print"``.
    """
    from .variants import VARIANTS

    if variant not in VARIANTS:
        raise ValueError(f"unknown variant '{variant}'")
    if large_print:
        variant = "large-print"
    chain = load_style_chain(name_or_path, dirs)
    key = (tuple(str(f) for f in chain.files), chain.content_hash(), variant)
    return _resolve_cached(key, chain, name_or_path, variant)


_CACHE: dict[tuple, ResolvedStyle] = {}


def _resolve_cached(key: tuple, chain: StyleChain, name: str, variant: str) -> ResolvedStyle:
    hit = _CACHE.get(key)
    if hit is not None:
        return hit
    from .variants import VARIANTS

    spec = chain.spec
    transform = VARIANTS[variant].style_transform
    if transform is not None:
        spec = transform(spec)
    fonts = register_fonts(spec.fonts, style_file=chain.files[-1])
    w_mm, h_mm = PAGE_SIZES_MM[spec.page.size]
    m = spec.page.margins
    logo = None
    if spec.logo:
        logo = Path(spec.logo)
        if not logo.is_file():
            raise StyleError.single(
                f"logo file not found: {spec.logo}",
                file=chain.files[-1],
                hint="give a path relative to the style file",
                exit_code=2,
            )
        if logo.suffix.lower() not in (".png", ".jpg", ".jpeg", ".svg"):
            raise StyleError.single(
                f"logo must be a PNG, JPEG or SVG file: {spec.logo}", file=chain.files[-1], exit_code=2
            )
        if logo.suffix.lower() == ".svg":
            load_svg(logo, style_file=chain.files[-1])  # fail now, not in the middle of a batch
    resolved = ResolvedStyle(
        name=Path(chain.files[-1]).stem if name.endswith((".yaml", ".yml")) else name,
        spec=spec,
        chain=chain,
        fonts=fonts,
        page_width=w_mm * MM,
        page_height=h_mm * MM,
        margins=(m.top * MM, m.right * MM, m.bottom * MM, m.left * MM),
        logo=logo,
    )
    _CACHE[key] = resolved
    return resolved


_SVG_CACHE: dict[str, Any] = {}


def load_svg(path: Path, *, style_file: Path | None = None) -> Any:
    """An SVG file as a ReportLab drawing (svglib), refusing text, which would need fonts."""
    key = str(path)
    if key in _SVG_CACHE:
        return _SVG_CACHE[key]
    from reportlab.graphics.shapes import Group, String
    from svglib.svglib import svg2rlg

    try:
        drawing = svg2rlg(str(path))
    except Exception as exc:  # svglib raises lxml and its own errors
        drawing = None
        reason = str(exc)
    else:
        reason = "no drawing in it"
    if drawing is None or not drawing.width or not drawing.height:
        raise StyleError.single(f"cannot read the SVG logo {path}: {reason}", file=style_file, exit_code=2)

    def has_text(node: Any) -> bool:
        if isinstance(node, String):
            return True
        return isinstance(node, Group) and any(has_text(c) for c in node.contents)

    if has_text(drawing):
        raise StyleError.single(
            f"the SVG logo {path} contains text",
            file=style_file,
            exit_code=2,
            hint="convert the logo's text to outlines (paths) in your drawing program: "
            "text in a logo would need fonts the PDF cannot embed from an SVG",
        )
    _SVG_CACHE[key] = drawing
    return drawing


def make_large_print(spec: StyleSpec) -> StyleSpec:
    """The large-print edition of a style: 18pt body, larger headings, A4, generous space."""
    t = spec.type
    body = max(t.body, 18.0)
    scale = body / t.body
    new_type = TypeScale(
        body=body,
        leading=max(t.leading, 1.45),
        h1=max(t.h1 * scale, 32),
        h2=max(t.h2 * scale, 24),
        h3=max(t.h3 * scale, 20),
        small=body,
    )
    page = Page(size="A4", margins=spec.page.margins)
    return spec.model_copy(
        update={
            "type": new_type,
            "page": page,
            "large_print": True,
            "name": (spec.name or "style") + " (large print)",
        }
    )


def make_booklet(spec: StyleSpec) -> StyleSpec:
    """The A5 booklet edition of a style: A5 pages, margins narrowed to suit the smaller page.

    Type sizes stay as the brand has them (clear print holds on A5 too); the side
    margins shrink so a line still holds about 45-55 characters.
    """
    m = spec.page.margins
    margins = Margins(
        top=min(m.top, 14), right=min(m.right, 14), bottom=min(m.bottom, 22), left=min(m.left, 14)
    )
    return spec.model_copy(
        update={"page": Page(size="A5", margins=margins), "name": (spec.name or "style") + " (A5 booklet)"}
    )


def setting_diagnostic(
    style: ResolvedStyle, key: tuple, message: str, *, hint: str | None = None, severity: str = "error"
) -> Diagnostic:
    """A diagnostic at the line of the style file that sets ``key`` (e.g. ('colours', 'muted')).

    The style itself is looked at first, then the parents it ``extends``; a setting no
    file writes is the built-in default, reported at the top of the style itself.
    """
    from .load import format_path

    for f in reversed(style.chain.files):
        doc = _setting_doc(Path(f))
        if key in doc.positions:
            return doc.diagnostic(key, message, hint=hint, severity=severity)
    file = Path(style.chain.files[-1])
    return Diagnostic(
        message,
        file=display_path(file),
        line=1,
        column=1,
        path=format_path(key) + " (default)",
        hint=hint,
        severity=severity,
    )


_SETTING_DOCS: dict[tuple[str, float], Document] = {}


def _setting_doc(path: Path) -> Document:
    """A style file loaded with positions, once per version of the file."""
    key = (str(path), path.stat().st_mtime)
    if key not in _SETTING_DOCS:
        _SETTING_DOCS[key] = load_file(path, display=display_path(path))
    return _SETTING_DOCS[key]


def style_json_schema() -> dict[str, Any]:
    """The JSON Schema of a style file, for editors."""
    from .schema import json_schema_of

    return json_schema_of(StyleSpec)
