"""Fonts: find them (fontpkg-* packages or TTF files), register them once per process,
and make sure every character of a leaflet can be drawn.

Characters the main font lacks are drawn in the first fallback font that has
them; a character no configured font has is an error naming the character, its
code point and where it is -- never a blank box.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import struct
import tempfile
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics, ttfonts

from . import reportlab_internals as rl
from .errors import Diagnostic, MissingGlyphError, StyleError
from .model import did_you_mean
from .reportlab_internals import glyph_text, install_subset_tags, install_to_unicode_cmap

if TYPE_CHECKING:
    from .style import Fonts


def _to_unicode_cmap(fontname: str, subset: list[int]) -> str:
    """ToUnicode CMap for one subset, leaving out codes that map to nothing.

    ReportLab maps code 0 (.notdef) and every unused code below 32 to U+0000,
    which PDF/UA-1 (ISO 14289-1 §7.21.7) rejects; codes that are never drawn need
    no entry at all (PDF 32000-1 §9.10.3).
    """
    pairs = [(i, _unicode_of(fontname, v)) for i, v in enumerate(subset) if v]
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
        lines.extend("<%02X> <%s>" % (i, v.encode("utf-16-be").hex().upper()) for i, v in chunk)
        lines.append("endbfchar")
    lines += ["endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"]
    return "\n".join(lines)


def _unicode_of(fontname: str, code: int) -> str:
    """The text a subset's code stands for: its character, or for a shaped glyph drawn by a
    private-use code (a ligature, a joining form) the characters it was shaped from."""
    if code >= GLYPH_CODES:
        return glyph_text(fontname, code) or "\ufffd"
    return chr(code)


#: Codes from here up draw shaped glyphs (see leafwright.text.shape.GLYPH_BASE).
GLYPH_CODES = 0xF0000


def _subset_tag(font_name: bytes, subset: list[int]) -> bytes:
    """Six capitals from a hash of the font and the characters in the subset (§9.6.4):
    each subset its own tag, the same from build to build."""
    digest = hashlib.sha256(font_name + b"\0" + ",".join(map(str, subset)).encode("ascii")).digest()
    return bytes(65 + b % 26 for b in digest[:6])


install_to_unicode_cmap(_to_unicode_cmap)
install_subset_tags(_subset_tag)
rl.install_fast_format()

_REGISTERED: dict[str, ttfonts.TTFont] = {}


def _font_name(path: Path) -> str:
    """The ReportLab name a font file is registered under (known before it is read)."""
    digest = hashlib.sha1(str(path.resolve()).encode()).hexdigest()[:6]
    return f"LW{digest}-{path.resolve().stem.replace(' ', '')}"[:60]


_PENDING: dict[str, Callable[[], object]] = {}
"""Fonts a style names but no text has needed yet (a script's font), by the name they will
have: registered (read, and a bold cut) the first time a character asks for them."""


def ensure_registered(name: str) -> bool:
    """Register a font named by a style but not read yet; whether the name is a registered font.

    A style's script fonts (fonts.scripts) are read only when a text has a letter of their
    script, so an English leaflet does not pay for reading Arabic and Devanagari fonts.
    """
    if name in _REGISTERED:
        return True
    thunk = _PENDING.pop(name, None)
    if thunk is not None:
        thunk()
    return name in _REGISTERED


def _register(path: Path, style_file: Path | str | None = None, *, name: str | None = None) -> str:
    """Register a TTF once per process; returns its ReportLab font name.

    ``name`` names a font cut from another (a bold instance) after its source, not
    after the cache file it was written to, so the PDF is the same on every machine.
    """
    path = path.resolve()
    if name is None:
        name = _font_name(path)
    if name not in _REGISTERED:
        if has_cff_outlines(path):  # ReportLab embeds TrueType outlines only
            path = truetype_copy(path)
        try:
            font = _load_font(name, path)
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


#: Bump when what :func:`_load_font` stores changes.
_FACE_CACHE_FORMAT = 1


def _load_font(name: str, path: Path) -> ttfonts.TTFont:
    """``TTFont(name, path)``, its parsed face kept between runs in the cache folder.

    ReportLab reads a font's tables (cmap, widths, glyph offsets) in Python each time it
    opens it: ~3-11 ms a file, about 25 ms for the default style's six faces at every cold
    start. The parsed face is stored as plain data (``marshal``: nothing runs on loading),
    named by a hash of the file's bytes, its path and the ReportLab and Python versions,
    so a changed font, or an upgrade, parses afresh. The font is the same either way (its
    subsets, widths and names: ``tests/test_reportlab_internals.py``).
    """
    import marshal
    import sys

    import reportlab

    data = path.read_bytes()
    key = hashlib.sha256(
        data + f"\0{path}\0reportlab={reportlab.Version}\0{sys.version}\0{_FACE_CACHE_FORMAT}".encode()
    ).hexdigest()[:24]
    stem = "".join(c for c in path.stem if c.isalnum() or c in "-_")[:40]
    target = _cache_dir() / f"{stem}-{key}.face"
    try:
        state = marshal.loads(target.read_bytes())
        return rl.font_from_state(name, str(path), data, state, 1)
    except (OSError, EOFError, ValueError, TypeError, KeyError, AttributeError):
        pass  # not cached yet, or unreadable: parse it
    font = ttfonts.TTFont(name, str(path), asciiReadable=1)
    tmp = None
    try:
        blob = marshal.dumps(rl.face_state(font))
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, suffix=".part")
        with os.fdopen(fd, "wb") as fh:
            fh.write(blob)
        os.replace(tmp, target)  # atomic: another process may be writing the same one
        tmp = None
    except (OSError, ValueError):
        pass  # no cache folder we can write to: parsed again next time
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
    return font


# --- CFF (PostScript) outlines -----------------------------------------------------------


def _tables(path: Path) -> set[bytes]:
    """The tags in a font file's table directory (OpenType spec, "Organization of an OpenType font")."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(12)
            if len(head) < 12:
                return set()
            (count,) = struct.unpack(">H", head[4:6])
            records = fh.read(16 * min(count, 512))
    except OSError:
        return set()
    return {records[i : i + 4] for i in range(0, len(records), 16)}


def has_cff_outlines(path: Path) -> bool:
    """Whether an OpenType font has CFF (PostScript) outlines, which ReportLab cannot embed."""
    return bool(_tables(path) & {b"CFF ", b"CFF2"})


def truetype_copy(path: Path) -> Path:
    """A TrueType-outline copy of a CFF font, converted with fontTools and cached by the
    font's hash (``$XDG_CACHE_HOME/leafwright/fonts``): a brand's .otf works as it is."""
    data = path.read_bytes()
    import fontTools

    digest = hashlib.sha256(data + f"cff2glyf;fonttools={fontTools.version}".encode()).hexdigest()
    stem = "".join(c for c in path.stem if c.isalnum() or c in "-_")[:40]
    target = _cache_dir() / f"{stem}-{digest[:20]}-tt.ttf"
    if target.is_file():
        return target
    try:
        converted = _cff_to_glyf(data)
    except Exception as exc:  # fontTools raises many kinds on a damaged font
        raise StyleError.single(
            f"cannot convert the PostScript (CFF) outlines of {path.name} to TrueType: {exc}",
            hint="ask for the font as TTF, or convert it with a font editor (FontForge)",
            exit_code=2,
        ) from None
    return _store(target, converted)


def _cff_to_glyf(data: bytes) -> bytes:
    """CFF cubic outlines as TrueType quadratic ones (cu2qu, 1 unit tolerance)."""
    import io

    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import TTFont, newTable

    font = TTFont(io.BytesIO(data))
    order = font.getGlyphOrder()
    glyphs = font.getGlyphSet()
    glyf = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = {}
    for name in order:
        pen = TTGlyphPen(glyphs)
        # PostScript contours run counter-clockwise, TrueType's clockwise
        glyphs[name].draw(Cu2QuPen(pen, max_err=1.0, reverse_direction=True))
        glyf.glyphs[name] = pen.glyph()
    for tag in ("CFF ", "CFF2", "VORG"):
        if tag in font:
            del font[tag]
    font["glyf"] = glyf
    font["loca"] = newTable("loca")
    maxp = font["maxp"]
    maxp.tableVersion = 0x00010000
    for attr in (
        "maxZones",
        "maxTwilightPoints",
        "maxStorage",
        "maxFunctionDefs",
        "maxInstructionDefs",
        "maxStackElements",
        "maxSizeOfInstructions",
        "maxComponentElements",
        "maxComponentDepth",
        "maxPoints",
        "maxContours",
        "maxCompositePoints",
        "maxCompositeContours",
    ):
        setattr(maxp, attr, 0)
    maxp.maxZones = 1
    font["head"].glyphDataFormat = 0
    post = font["post"]
    post.formatType = 2.0
    post.extraNames = []
    post.mapping = {}
    post.glyphOrder = order
    font.sfntVersion = "\x00\x01\x00\x00"
    out = io.BytesIO()
    font.save(out)  # recalculates maxp, loca and the bounding boxes
    return out.getvalue()


# --- bold from a variable font ------------------------------------------------------------

BOLD_WEIGHT = 700


def is_variable(path: Path) -> bool:
    """Whether a TrueType/OpenType file is a variable font (has an ``fvar`` table).

    Read from the table directory (OpenType spec, "Organization of an OpenType font"),
    so deciding costs no font parsing.
    """
    try:
        with open(path, "rb") as fh:
            head = fh.read(12)
            if len(head) < 12:
                return False
            (count,) = struct.unpack(">H", head[4:6])
            records = fh.read(16 * min(count, 512))
    except OSError:
        return False
    return any(records[i : i + 4] == b"fvar" for i in range(0, len(records), 16))


_NO_HOME_CACHE: Path | None = None


def _cache_dir() -> Path:
    """Where cut font instances are kept between runs ($XDG_CACHE_HOME/leafwright/fonts).

    No XDG_CACHE_HOME and no home folder (HOME unset, a user id with no account: a container
    run as ``--user 1234``): a folder of this process's own, removed when it ends, so fonts
    load, parsed afresh each run, rather than the build stopping with a traceback."""
    global _NO_HOME_CACHE
    base = os.environ.get("XDG_CACHE_HOME")
    if not base:
        try:
            base = str(Path.home() / ".cache")
        except RuntimeError:  # "Could not determine home directory."
            if _NO_HOME_CACHE is None:
                import atexit
                import shutil

                _NO_HOME_CACHE = Path(tempfile.mkdtemp(prefix="leafwright-cache-"))
                atexit.register(shutil.rmtree, _NO_HOME_CACHE, ignore_errors=True)
            return _NO_HOME_CACHE / "leafwright" / "fonts"
    return Path(base) / "leafwright" / "fonts"


_BOLD_CUTS: dict[str, Path | None] = {}


def bold_instance(path: Path) -> Path | None:
    """A static bold (wght 700) cut from a variable font; None if its weight axis cannot reach bold.

    Cutting one with fontTools' instancer takes seconds for a large font (Noto Sans: ~10 s),
    so the result is kept on disk, named by a hash of the variable font's bytes (a changed
    font gets a new cut), and once per process in memory. No cache folder we can write to:
    the cut goes to a temporary file for this process only.
    """
    key = str(path.resolve())
    if key in _BOLD_CUTS:
        return _BOLD_CUTS[key]
    data = path.read_bytes()
    import fontTools

    digest = hashlib.sha256(data + f"wght={BOLD_WEIGHT};fonttools={fontTools.version}".encode()).hexdigest()
    stem = "".join(c for c in path.stem if c.isalnum() or c in "-_")[:40]
    target = _cache_dir() / f"{stem}-{digest[:20]}-bold.ttf"
    if not target.is_file():
        cut = _cut_bold(data)
        if cut is None:
            _BOLD_CUTS[key] = None
            return None
        target = _store(target, cut)
    _BOLD_CUTS[key] = target
    return target


def _cut_bold(data: bytes) -> bytes | None:
    import io

    from fontTools.ttLib import TTFont
    from fontTools.varLib import instancer

    font = TTFont(io.BytesIO(data))
    axes = {a.axisTag: a for a in font["fvar"].axes}
    wght = axes.get("wght")
    if wght is None or wght.maxValue < 600:  # 600 (semibold) is the least that reads as bold
        return None
    # every other axis (width, optical size) at its default: the regular face's shape
    limits = {tag: a.defaultValue for tag, a in axes.items()}
    limits["wght"] = min(float(BOLD_WEIGHT), wght.maxValue)
    static = instancer.instantiateVariableFont(font, limits, updateFontNames=True)
    out = io.BytesIO()
    static.save(out)
    return out.getvalue()


def _store(target: Path, data: bytes) -> Path:
    """Write a cut atomically into the cache (another process may be writing the same one)."""
    for folder in (target.parent, Path(tempfile.gettempdir())):
        try:
            folder.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=folder, suffix=".part")
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.chmod(tmp, 0o644)  # a cache others on the machine may read
            final = folder / target.name
            os.replace(tmp, final)
            return final
        except OSError:
            continue
    raise StyleError.single(f"cannot write a bold font instance to {target.parent}", exit_code=2)


def _bold_face(path: Path, regular_name: str, what: str, style_file: Path | None) -> str:
    """Register a variable font's bold instance, named after the font it was cut from."""
    cut = bold_instance(path)
    if cut is None:
        raise StyleError.single(
            f"{what} {path.name} is a variable font whose weight axis does not reach bold",
            file=style_file,
            hint="give a static bold font file, or a variable font with a 'wght' axis up to 700",
            exit_code=2,
        )
    return _register(cut, name=(regular_name[:54] + "-Bold"))


@functools.lru_cache(maxsize=1)
def system_families() -> dict[str, list[tuple[str, int, int]]]:
    """Font families installed on the system, from fontconfig's `fc-list` (empty without it):
    {family: [(file, fontconfig weight, slant), …]}, TrueType and OpenType files only."""
    import shutil
    import subprocess

    found: dict[str, list[tuple[str, int, int]]] = {}
    exe = shutil.which("fc-list")
    if exe:
        try:
            out = subprocess.run(
                [exe, "--format", "%{family[0]}\t%{weight}\t%{slant}\t%{file}\n"],
                capture_output=True,
                text=True,
                timeout=20,
                check=False,
            ).stdout
        except (OSError, subprocess.SubprocessError):
            out = ""
        for line in out.splitlines():
            parts = line.split("\t")
            if len(parts) != 4 or not parts[3].lower().endswith((".ttf", ".otf")):
                continue
            fam, weight, slant, file = parts
            try:
                found.setdefault(fam, []).append((file, int(float(weight)), int(float(slant))))
            except ValueError:
                continue
    return found


_FONT_DIRS: tuple[str, ...] = ()


def set_font_dirs(dirs) -> None:
    """Folders of TTF/OTF files to look for families in (``--font-path``), before the system."""
    global _FONT_DIRS
    _FONT_DIRS = tuple(str(d) for d in dirs)


def font_dirs() -> list[Path]:
    """The folders searched for families: ``--font-path`` ones, then ``LEAFWRIGHT_FONT_PATH``'s."""
    env = [d for d in os.environ.get("LEAFWRIGHT_FONT_PATH", "").split(os.pathsep) if d]
    out: list[Path] = []
    for d in (*_FONT_DIRS, *env):
        if Path(d) not in out:
            out.append(Path(d))
    return out


def folder_families() -> dict[str, list[tuple[str, int, int]]]:
    """Families in the :func:`font_dirs` folders, as :func:`system_families` gives them
    (fontconfig weights: 80 regular, 200 bold; slant 100 italic). The first folder wins."""
    return _scan_dirs(tuple(str(d) for d in font_dirs()))


@functools.lru_cache(maxsize=8)
def _scan_dirs(dirs: tuple[str, ...]) -> dict[str, list[tuple[str, int, int]]]:
    found: dict[str, list[tuple[str, int, int]]] = {}
    for d in dirs:
        here: dict[str, list[tuple[str, int, int]]] = {}
        folder = Path(d)
        files = sorted(folder.rglob("*")) if folder.is_dir() else []
        for f in files:
            if f.suffix.lower() not in (".ttf", ".otf") or not f.is_file():
                continue
            from fontTools.ttLib import TTFont  # ~20 ms: only when there are folders to read

            try:
                with TTFont(str(f), lazy=True, fontNumber=0) as font:
                    name = font["name"]
                    fam = name.getDebugName(16) or name.getDebugName(1)
                    os2 = font.get("OS/2")
                    weight = os2.usWeightClass if os2 is not None else 400
                    italic = bool(os2.fsSelection & 1) if os2 is not None else False
                    italic = italic or bool(font["head"].macStyle & 2)
            except Exception:  # an unreadable file adds no family
                continue
            if fam:
                w = 200 if weight >= 600 else 80
                here.setdefault(fam, []).append((str(f), w, 100 if italic else 0))
        for fam, faces in here.items():
            found.setdefault(fam, faces)
    return found


def _system_face(files: list[tuple[str, int, int]], weight: int, style: str) -> Path | None:
    """The system font file for a weight (400/700) and style: fontconfig weights 80 and 200."""
    want_w = 200 if weight >= 700 else 80
    want_s = 100 if style == "italic" else 0
    for file, w, s in sorted(files):
        if w == want_w and (s > 0) == (want_s > 0):
            return Path(file)
    return None


def installed_families() -> list[str]:
    """Names of the font families installed from fontpkg-* packages."""
    import fontpkg

    return sorted(f.name for f in fontpkg.families().values())


def _family_path(family: str, weight: int, style: str) -> Path | None:
    import fontpkg

    folders = folder_families()
    if family in folders:  # a folder given with --font-path wins over packages and the system
        return _system_face(folders[family], weight, style)
    try:
        fam = fontpkg.family(family)
    except fontpkg.FamilyNotInstalled:
        system = system_families()
        if family in system:
            return _system_face(system[family], weight, style)
        names = installed_families()
        guess = did_you_mean(family, names + sorted(folders) + sorted(system))
        dirs = font_dirs()
        raise StyleError.single(
            f"unknown font family '{family}'",
            # every package named here exists (PyPI: fontpkg-noto-sans; Debian: fonts-dejavu-core)
            hint=(f"did you mean '{guess}'? " if guess else "")
            + "from fontpkg packages: "
            + ", ".join(names)
            + ("; on this system: " + ", ".join(sorted(system)) if system else "")
            + (
                "; folders searched (--font-path): " + ", ".join(str(d) for d in dirs)
                if dirs
                else "; no font folder given (--font-path DIR or LEAFWRIGHT_FONT_PATH)"
            )
            + "; `leafwright fonts` lists them all. Give a folder of the brand's TTF/OTF files "
            "with --font-path DIR, or its files with fonts: files: regular: …, or install a family "
            "(pip install fontpkg-noto-sans; apt-get install fonts-dejavu-core)",
            exit_code=2,
        ) from None
    for f in fam.files:
        if f.style == style and (f.weight == weight or (f.variable and weight == 400)):
            return Path(f.path)
    return None


@dataclass(frozen=True)
class FontSet:
    """ReportLab font names for the four faces, plus fallbacks for missing glyphs.

    ``fallbacks`` are every other font, in the order a character the main font lacks
    looks for one: the style's ``fallback:`` list, then its ``scripts:`` fonts. ``scripts``
    says which of them draws each script named in the style (ISO 15924 code -> font name).
    """

    regular: str
    bold: str
    italic: str
    bold_italic: str
    fallbacks: tuple[str, ...]
    family: str
    fallback_names: tuple[str, ...] = ()
    fallbacks_bold: tuple[str, ...] = ()
    """The bold face of each fallback (the fallback itself when it has none)."""
    scripts: tuple[tuple[str, str], ...] = ()
    """(ISO 15924 script code, font name) for each script the style names a font for."""
    fallback_files: tuple[str, ...] = ()
    """The regular file of each fallback (the web edition ships them)."""
    fallback_keys: tuple[tuple[str, ...], ...] = ()
    """Where each fallback is set in the style: ('fonts', 'fallback') or ('fonts', 'scripts', 'arabic')."""
    fallback_bold_files: tuple[str, ...] = ()
    """The static bold file of each fallback family that has one ('' for a variable font, cut
    to bold, or a font with no bold)."""

    def fallback_bold(self, name: str) -> str:
        """The bold face of a fallback font (or of the main regular font: the main bold)."""
        if name == self.regular:
            return self.bold
        if name in self.fallbacks and self.fallbacks_bold:
            return self.fallbacks_bold[self.fallbacks.index(name)]
        return name

    def script_font(self, code: str) -> str | None:
        """The font the style names for a script (an ISO 15924 code, 'Arab'), if any."""
        for sc, name in self.scripts:
            if sc == code:
                return name
        return None

    def names(self) -> list[str]:
        """The style's fonts as a message names them: the family, then each fallback once."""
        out = [self.family]
        for n in self.fallback_names:
            if n not in out:
                out.append(n)
        return out


def _fallback_face(
    fb: str, style_file: Path | None, what: str, *, lazy: bool = False
) -> tuple[str, str, Path, Path | None]:
    """A fallback font (a family or a TTF/OTF path) and its bold: (regular name, bold name,
    file, static bold file if the family has one).

    Registered now, or with ``lazy`` the first time a character asks for it
    (:func:`ensure_registered`); the file is found now either way, so a misspelt family
    is reported when the style is read.
    """
    bold_path: Path | None = None
    if fb.endswith((".ttf", ".otf")):
        p = Path(fb)
        if not p.is_file():
            raise StyleError.single(f"{what} font file not found: {fb}", file=style_file, exit_code=2)
    else:
        found = _family_path(fb, 400, "normal")
        if found is None:
            raise StyleError.single(f"{what} family '{fb}' has no regular face", exit_code=2)
        p = found
        static_bold = _family_path(fb, 700, "normal")
        if static_bold is not None and not is_variable(static_bold):
            bold_path = static_bold
    name = _font_name(p)
    # Bold text in a fallback font (Greek, Cyrillic in a Latin-only brand font) needs a
    # bold face of its own, or headings and **bold** come out regular in those letters.
    if bold_path is not None:
        bold_name = _font_name(bold_path)
    elif is_variable(p):
        bold_name = name[:54] + "-Bold"
    else:  # a static fallback file with no bold: the checks warn (LW209)
        bold_name = name

    def register() -> None:
        _PENDING.pop(name, None)
        _PENDING.pop(bold_name, None)
        _register(p, style_file)
        if bold_path is not None:
            _register(bold_path, style_file)
        elif bold_name != name:
            _bold_face(p, name, f"{what} font", style_file)
        addMapping(name, 0, 0, name)
        addMapping(name, 0, 1, name)  # clear print: no italic, in any font
        addMapping(name, 1, 0, bold_name)
        addMapping(name, 1, 1, bold_name)

    if lazy and name not in _REGISTERED:
        _PENDING[name] = register
        if bold_name != name:
            _PENDING[bold_name] = register
    else:
        register()
    return name, bold_name, p, bold_path


def register_fonts(spec: Fonts, *, style_file: Path | None = None) -> FontSet:
    """Register a style's fonts with ReportLab and return a :class:`FontSet`."""
    from .scripts import script_code

    faces: dict[str, Path | None] = {}
    files = spec.files or (spec if spec.regular else None)  # `files:`, or the faces given directly
    if files is not None and files.regular:
        for face in ("regular", "bold", "italic", "bold_italic"):
            value = getattr(files, face)
            faces[face] = Path(value) if value else None
        family = Path(files.regular).stem
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
    regular_path = faces["regular"]
    assert regular_path is not None  # checked above: a family without it is refused
    regular = _register(regular_path, style_file)

    def face_name(key: str, default: str) -> str:
        p = faces.get(key)
        if p is None:
            return default
        name = _register(p, style_file)
        # a variable font given (or installed) as a bold face draws its default instance,
        # which is regular: cut its bold instead
        if "bold" in key and is_variable(p):
            return _bold_face(p, name, f"fonts.{key}", style_file)
        return name

    # A family without a bold face: a variable regular gives its bold cut; otherwise
    # the regular one is used (no faux bold)
    bold_default = regular
    if spec.family and faces.get("bold") is None and is_variable(regular_path):
        bold_default = _bold_face(regular_path, regular, "the regular face of", style_file)
    bold = face_name("bold", bold_default)
    italic = face_name("italic", regular)
    bold_italic = face_name("bold_italic", bold)
    addMapping(regular, 0, 0, regular)
    addMapping(regular, 1, 0, bold)
    addMapping(regular, 0, 1, italic)
    addMapping(regular, 1, 1, bold_italic)
    fallbacks: list[str] = []
    fallbacks_bold: list[str] = []
    names: list[str] = []
    paths: list[str] = []
    keys: list[tuple[str, ...]] = []
    bold_files: list[str] = []

    def label(fb: str) -> str:
        return Path(fb).stem if fb.endswith((".ttf", ".otf")) else fb

    for fb in spec.fallback:
        name, bold_name, p, bold_path = _fallback_face(fb, style_file, "fallback")
        fallbacks.append(name)
        fallbacks_bold.append(bold_name)
        names.append(label(fb))
        paths.append(str(p))
        keys.append(("fonts", "fallback"))
        bold_files.append(str(bold_path or ""))
    scripts: list[tuple[str, str]] = []
    for script, fb in spec.scripts.items():
        name, bold_name, p, bold_path = _fallback_face(fb, style_file, f"fonts.scripts.{script}", lazy=True)
        scripts.append((script_code(script), name))
        if name not in fallbacks:
            fallbacks.append(name)
            fallbacks_bold.append(bold_name)
            names.append(label(fb))
            paths.append(str(p))
            keys.append(("fonts", "scripts", script))
            bold_files.append(str(bold_path or ""))
    return FontSet(
        regular,
        bold,
        italic,
        bold_italic,
        tuple(fallbacks),
        family,
        tuple(names),
        tuple(fallbacks_bold),
        tuple(scripts),
        tuple(paths),
        tuple(keys),
        tuple(bold_files),
    )


def has_glyph(fontname: str, ch: str) -> bool:
    """Whether a registered font has a glyph for a character."""
    font = _REGISTERED.get(fontname)
    if font is None:
        if not ensure_registered(fontname):
            return True  # not a font of ours (a standard PDF font): ReportLab's own
        font = _REGISTERED[fontname]
    return ord(ch) in font.face.charToGlyph


_IGNORABLE = {"\n", "\r", "\t", "\u00ad", "\u200b", "\u200c", "\u200d", "\ufeff"}
# directional marks and isolates: no glyph, they only steer the bidirectional algorithm
_IGNORABLE |= {"\u200e", "\u200f", "\u061c"} | {chr(c) for c in range(0x202A, 0x202F)}
_IGNORABLE |= {chr(c) for c in range(0x2066, 0x206A)}


def font_for(ch: str, fonts: FontSet, script: str | None = None) -> str | None:
    """The font that draws a character; None if none of the style's fonts has it.

    A letter of a script the style names a font for (``fonts.scripts``) is drawn in that
    font; any other character in the main font if it has it, else in the first fallback
    that does. ``script`` is the script of the run the character is in (an ISO 15924 code,
    'Arab'): a shared character (a space, a digit, the Arabic comma, the danda) then
    takes that script's font, so it matches the letters round it.
    """
    from .scripts import scripts_of

    if ch in _IGNORABLE:
        return fonts.regular
    if fonts.scripts:
        own = scripts_of(ch)
        if script is not None and (not own or script in own):
            own = (script,)
        for sc in own:
            name = fonts.script_font(sc)
            if name is not None and has_glyph(name, ch):
                return name
    if has_glyph(fonts.regular, ch):
        return fonts.regular
    for fb in fonts.fallbacks:
        if has_glyph(fb, ch):
            return fb
    return None


def run_scripts(text: str) -> list[str | None]:
    """The script of each character of a text, in context (ISO 15924 codes).

    A letter has its own script; a character shared by scripts (a space, a digit, the
    danda of Hindi and Bengali, a combining mark) takes the script of the letter before
    it, else of the one after it (UAX #24's advice), or None in a text of shared
    characters only.
    """
    from .scripts import scripts_of

    own = [scripts_of(ch) for ch in text]
    out: list[str | None] = [None] * len(text)
    last: str | None = None
    for i, sc in enumerate(own):
        if len(sc) == 1:
            last = sc[0]
            out[i] = last
        elif last is not None and (not sc or last in sc):
            out[i] = last
    nxt: str | None = None
    for i in range(len(text) - 1, -1, -1):
        sc = own[i]
        if len(sc) == 1:
            nxt = sc[0]
        elif out[i] is None and nxt is not None and (not sc or nxt in sc):
            out[i] = nxt
    return out


def fonts_for_text(text: str, fonts: FontSet) -> list[str | None]:
    """The font of each character of a text (None where no font has it), each shared
    character drawn in the font of the script round it (:func:`run_scripts`)."""
    if not fonts.scripts:
        return [font_for(ch, fonts) for ch in text]
    return [font_for(ch, fonts, sc) for ch, sc in zip(text, run_scripts(text))]


@dataclass
class ScriptGap:
    """The characters of one script that none of a style's fonts has, and where they are."""

    script: str
    """ISO 15924 code ('Guru'), or 'Zyyy' for symbols shared by scripts (emoji, signs)."""
    chars: list[str]
    places: list[tuple[tuple, str, int]]
    """(yaml path, text, offset of the first such character) per text it is in, in leaflet order."""


_COVERED: dict[int, tuple[FontSet, dict[str, bool]]] = {}


def _covered(fonts: FontSet) -> dict[str, bool]:
    """Which characters some font of ``fonts`` has, as found so far (kept per font set: the
    checks and the render both ask, for every leaflet built in the style)."""
    hit = _COVERED.get(id(fonts))
    if hit is None or hit[0] is not fonts:  # (the font set is kept: its id is not reused)
        if len(_COVERED) >= 64:
            del _COVERED[next(iter(_COVERED))]
        hit = _COVERED[id(fonts)] = (fonts, {})
    return hit[1]


def _cover(cache: dict[str, bool], ch: str, fonts: FontSet) -> bool:
    ok = cache[ch] = font_for(ch, fonts) is not None
    return ok


def missing_scripts(texts, fonts: FontSet) -> list[ScriptGap]:
    """The characters of the texts no configured font has, one :class:`ScriptGap` per script.

    ``texts`` is a list of (yaml path, text).
    """
    from .scripts import COMMON, scripts_of

    gaps: dict[str, ScriptGap] = {}
    cache = _covered(fonts)
    for path, text in texts:
        if all(cache[ch] if ch in cache else _cover(cache, ch, fonts) for ch in set(text)):
            continue  # every character has a font (most texts): nothing to place
        seen_here: set[str] = set()
        for i, ch in enumerate(text):
            ok = cache.get(ch)
            if ok is None:
                ok = cache[ch] = font_for(ch, fonts) is not None
            if ok:
                continue
            own = scripts_of(ch)
            script = own[0] if len(own) == 1 else COMMON
            gap = gaps.get(script)
            if gap is None:
                gap = gaps[script] = ScriptGap(script, [], [])
            if ch not in gap.chars:
                gap.chars.append(ch)
            if script not in seen_here:
                seen_here.add(script)
                gap.places.append((path, text, i))
    return list(gaps.values())


#: how many characters and places a message names before it says "and N more"
_SHOW = 3


def _char(ch: str) -> str:
    return f"'{ch}' (U+{ord(ch):04X} {unicodedata.name(ch, 'unnamed character')})"


def _more(items: list[str], total: int) -> str:
    """'a, b and c', or 'a, b, c and 4 more' when ``total`` is more than the items shown."""
    if total > len(items):
        return ", ".join(items) + f" and {total - len(items)} more"
    return ", ".join(items[:-1]) + " and " + items[-1] if len(items) > 1 else items[0]


def gap_message(gap: ScriptGap, fonts: FontSet) -> tuple[str, str]:
    """What is wrong and what to do, for one script none of the style's fonts has."""
    from .scripts import FONT_SOURCES, is_neutral, script_name, script_title

    now = ", ".join(fonts.names())
    n = len(gap.chars)
    if is_neutral(gap.script):
        what = (
            f"the character {_char(gap.chars[0])} is"
            if n == 1
            else f"{n} symbols ({_more([_char(c) for c in gap.chars[:_SHOW]], n)}) are"
        )
        message = f"{what} in none of the style's fonts (now: {now})"
        them = "it" if n == 1 else "them"
        hint = f"replace {them}, or add a font that has {them} to fonts.fallback in the style"
    else:
        title = script_title(gap.script)
        sample = _char(gap.chars[0]) if n == 1 else _more([f"'{c}'" for c in gap.chars[:_SHOW]], n)
        message = (
            f"the {title} script ({'the character ' if n == 1 else f'{n} characters: '}{sample}) "
            f"is in none of the style's fonts (now: {now})"
        )
        key = script_name(gap.script)
        source = FONT_SOURCES.get(gap.script)
        family = source.family if source else f"a font family that has {title}"
        hint = (f"install a font for it ({source.install}), and " if source else "install ") + (
            f"name it in the style: fonts: {{scripts: {{{key}: {family}}}}}"
        )
    return message, hint


def glyph_diagnostics(texts, fonts: FontSet, doc=None, *, code: str | None = None) -> list[Diagnostic]:
    """One located error per script (or for symbols) that none of the style's fonts has.

    Each is placed at the first character of that script in the leaflet, names the
    script, the characters, the other lines they are on, and the package and style line
    that would cover it. ``doc`` (a loaded Document) locates them; ``code`` is a rule id.
    """
    out: list[Diagnostic] = []
    for gap in missing_scripts(texts, fonts):
        located: list[tuple[int | None, int | None]] = []
        for path, text, i in gap.places:
            located.append(doc.text_position(path, text, i) if doc is not None else (None, None))
        # the other lines it is on (the first place is where the message points)
        others = sorted({ln for ln, _ in located if ln is not None} - {located[0][0]})
        message, hint = gap_message(gap, fonts)
        if others:
            message += f"; also on line{'s' if len(others) > 1 else ''} " + _more(
                [str(n) for n in others[:_SHOW]], len(others)
            )
        path, _text, _i = gap.places[0]
        if doc is not None:
            d = doc.diagnostic(path, message, hint=hint)
            line, col = located[0]
            if line is not None:
                d = replace(d, line=line, column=col, source_line=doc.source_line(line))
        else:
            d = Diagnostic(message, hint=hint)
        out.append(replace(d, code=code) if code else d)
    out.sort(key=lambda d: (d.line or 0, d.column or 0))
    return out


def check_glyphs(texts, fonts: FontSet, doc=None) -> None:
    """Raise :class:`MissingGlyphError` when a script (or symbol) is in none of the style's fonts:
    one located error per script, not one per character (see :func:`glyph_diagnostics`)."""
    diags = glyph_diagnostics(texts, fonts, doc)
    if diags:
        raise MissingGlyphError(diags)


# --- what can be seen: `leafwright fonts` ----------------------------------------------------

#: a script and letters that show a font covers it (a letter or two, not a whole block)
SCRIPTS: tuple[tuple[str, str], ...] = (
    ("Latin", "Aaé"),
    ("Latin Extended (Welsh, Polish, Turkish)", "ŵŁğ"),
    ("Greek", "ΩΒ"),
    ("Cyrillic", "ЖЯ"),
    ("Arabic", "بع"),
    ("Hebrew", "אש"),
    ("Devanagari", "कम"),
    ("Bengali", "কম"),
    ("Tamil", "கம"),
    ("Thai", "กม"),
    ("Chinese/Japanese (Han)", "中文"),
)


def scripts_covered(path: Path) -> list[str]:
    """The scripts of :data:`SCRIPTS` whose sample letters a font file has."""
    from fontTools.ttLib import TTFont

    try:
        with TTFont(str(path), lazy=True, fontNumber=0) as font:
            cmap = font.getBestCmap() or {}
    except Exception:  # an unreadable file covers nothing
        return []
    return [name for name, letters in SCRIPTS if all(ord(c) in cmap for c in letters)]


def visible_families() -> list[tuple[str, str, Path]]:
    """(family, where from, regular face) of every family a style can name, sorted by name."""
    out: dict[str, tuple[str, str, Path]] = {}
    for family, files in system_families().items():
        face = _system_face(files, 400, "normal") or Path(sorted(files)[0][0])
        out[family] = (family, "system (fontconfig)", face)
    for family in installed_families():
        packaged = _family_path(family, 400, "normal")
        if packaged is not None:
            out[family] = (family, "fontpkg package", packaged)
    for family, files in folder_families().items():
        face = _system_face(files, 400, "normal") or Path(sorted(files)[0][0])
        out[family] = (family, f"folder {Path(face).parent}", face)
    return [out[k] for k in sorted(out, key=str.lower)]
