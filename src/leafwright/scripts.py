"""Writing systems: which script a character belongs to, what a style calls a script,
which languages are written right to left, and where a font for a script can be had.

The one place that answers "is this language right to left?" (:func:`is_rtl`): the
page furniture, the tables and boxes, the paragraphs and the web edition all ask here.
Scripts are Unicode's (UAX #24), read from fontTools' copy of the Unicode Character
Database (``fontTools.unicodedata``), which leafwright already needs for its fonts:
Python's own ``unicodedata`` has no script property.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from fontTools import unicodedata as _ucd

#: ISO 15924 codes of characters shared by scripts (spaces, digits, punctuation) and of
#: combining marks that take their base letter's script.
COMMON = "Zyyy"
INHERITED = "Zinh"
UNKNOWN = "Zzzz"
_NEUTRAL = frozenset({COMMON, INHERITED, UNKNOWN})


@functools.lru_cache(maxsize=8192)
def script_of(ch: str) -> str:
    """The ISO 15924 code of a character's script ('Latn', 'Arab', 'Deva', 'Zyyy' for common)."""
    return str(_ucd.script(ch))


@functools.lru_cache(maxsize=4096)
def scripts_of(ch: str) -> tuple[str, ...]:
    """The scripts a character is written in: its own, or for a shared character (the
    Arabic comma, the Devanagari danda, a combining mark) the scripts that use it
    (Unicode's Script_Extensions); () for one every script uses (a space, a digit)."""
    sc = script_of(ch)
    if sc not in _NEUTRAL:
        return (sc,)
    return tuple(sorted(s for s in _ucd.script_extension(ch) if s not in _NEUTRAL))


def is_neutral(code: str) -> bool:
    """Whether a script code stands for characters shared by scripts, not one script."""
    return code in _NEUTRAL


# --- what a style calls a script -----------------------------------------------------------


def _key(name: str) -> str:
    return name.strip().lower().replace("_", " ").replace("-", " ")


@functools.lru_cache(maxsize=1)
def _names() -> dict[str, str]:
    """Every script name a style may write, normalised, to its ISO 15924 code: Unicode's
    names ('arabic', 'old italic', 'canadian aboriginal') and the four-letter codes ('arab')."""
    out: dict[str, str] = {}
    for code, name in _ucd.Scripts.NAMES.items():
        if code in _NEUTRAL:
            continue
        out[_key(name)] = code
        out[code.lower()] = code
    return out


def script_name(code: str) -> str:
    """A script's name as a style writes it: 'arabic', 'devanagari', 'han'."""
    return _key(str(_ucd.script_name(code, default=code)))


def script_title(code: str) -> str:
    """A script's name as a message prints it: 'Arabic', 'Devanagari', 'Han (Chinese characters)'."""
    base = str(_ucd.script_name(code, default=code)).replace("_", " ")
    return base + (f" ({_NOTES[code]})" if code in _NOTES else "")


_NOTES = {
    "Hani": "Chinese characters",
    "Hira": "Japanese",
    "Kana": "Japanese",
    "Hang": "Korean",
}

#: Languages a comms officer may write where a script is meant, and the script(s) they use.
LANGUAGE_SCRIPTS: dict[str, tuple[str, ...]] = {
    "urdu": ("arabic",),
    "farsi": ("arabic",),
    "persian": ("arabic",),
    "pashto": ("arabic",),
    "dari": ("arabic",),
    "kurdish": ("arabic", "latin"),
    "sorani": ("arabic",),
    "yiddish": ("hebrew",),
    "hindi": ("devanagari",),
    "marathi": ("devanagari",),
    "nepali": ("devanagari",),
    "bangla": ("bengali",),
    "assamese": ("bengali",),
    "sylheti": ("bengali",),
    "punjabi": ("gurmukhi", "arabic"),
    "panjabi": ("gurmukhi", "arabic"),
    "chinese": ("han",),
    "mandarin": ("han",),
    "cantonese": ("han",),
    "japanese": ("han", "hiragana", "katakana"),
    "korean": ("hangul",),
    "russian": ("cyrillic",),
    "ukrainian": ("cyrillic",),
    "bulgarian": ("cyrillic",),
    "amharic": ("ethiopic",),
    "tigrinya": ("ethiopic",),
    "vietnamese": ("latin",),
    "polish": ("latin",),
    "welsh": ("latin",),
}


class UnknownScript(ValueError):
    """A style names a script that is not one (the message says what to write)."""


def script_code(name: str) -> str:
    """The ISO 15924 code for a script as a style names it ('arabic', 'Arabic', 'Arab').

    Raises :class:`UnknownScript` with a did-you-mean for anything else (a language's
    name gets the script it is written in).
    """
    from .model import did_you_mean

    key = _key(str(name))
    code = _names().get(key)
    if code is not None:
        return code
    if key in LANGUAGE_SCRIPTS:
        scripts = LANGUAGE_SCRIPTS[key]
        said = " or ".join(f"'{s}'" for s in scripts)
        raise UnknownScript(
            f"'{name}' is a language, not a script: {name.strip().capitalize()} is written in the "
            f"{said} script{'s' if len(scripts) > 1 else ''}; write {scripts[0]}: <font family>"
        )
    common = sorted({script_name(c) for c in FONT_SOURCES} | {"latin", "greek", "cyrillic"})
    guess = did_you_mean(key, sorted(k for k in _names() if len(k) > 4) + list(LANGUAGE_SCRIPTS))
    raise UnknownScript(
        f"'{name}' is not a script"
        + (f" (did you mean '{guess}'?)" if guess else "")
        + "; scripts are named as Unicode names them, e.g. "
        + ", ".join(common)
    )


# --- right to left -----------------------------------------------------------------------

#: Languages written right to left when their tag names no script (BCP 47 primary subtags):
#: Arabic, Persian, Urdu, Hebrew (and its old code iw), Yiddish, Pashto, Sindhi, Uyghur,
#: Dhivehi, Central Kurdish (Sorani), Dari (prs), Balochi, Southern Kurdish.
RTL_LANGUAGES = frozenset(
    {"ar", "fa", "ur", "he", "iw", "yi", "ji", "ps", "sd", "ug", "dv", "ckb", "prs", "bal", "sdh"}
)
#: Scripts written right to left (ISO 15924), for tags that name their script ('pa-Arab').
RTL_SCRIPTS = frozenset(
    {"Arab", "Hebr", "Syrc", "Thaa", "Nkoo", "Adlm", "Rohg", "Mand", "Samr", "Yezi", "Mend"}
)


@functools.lru_cache(maxsize=256)
def is_rtl(lang: str | None) -> bool:
    """Whether a language (a BCP 47 tag: 'ar', 'ur-PK', 'pa-Arab', 'he') is written right to left.

    A tag's script subtag decides when it has one ('pa-Arab' is, 'pa-Guru' is not; 'az-Arab'
    is); otherwise its language (Arabic, Persian, Urdu, Hebrew, Yiddish, Pashto, Sindhi,
    Uyghur, Dhivehi, Sorani Kurdish).
    """
    if not lang:
        return False
    parts = lang.replace("_", "-").split("-")
    for part in parts[1:]:
        if len(part) == 4 and part.isalpha():
            return part.title() in RTL_SCRIPTS
    return parts[0].lower() in RTL_LANGUAGES


def direction(lang: str | None) -> str:
    """'rtl' or 'ltr': the writing direction of a language (HTML's ``dir``)."""
    return "rtl" if is_rtl(lang) else "ltr"


# --- where to get a font for a script -----------------------------------------------------


@dataclass(frozen=True)
class FontSource:
    """A font family that covers a script, and how to install it."""

    family: str
    install: str
    """The command that installs it (a PyPI fontpkg-* package, else a Debian package)."""


def _pip(family: str) -> FontSource:
    return FontSource(family, "pip install fontpkg-" + family.lower().replace(" ", "-"))


def _apt(family: str, package: str) -> FontSource:
    return FontSource(family, f"apt-get install {package}")


#: A family that draws each script, packaged where leafwright can read it: PyPI's fontpkg-*
#: packages first, else Debian's (fonts-noto-core ships static TrueType files; Chinese,
#: Japanese and Korean come from Droid Sans Fallback, a TrueType file, because
#: fonts-noto-cjk ships CFF font collections (.ttc) that ReportLab cannot embed).
FONT_SOURCES: dict[str, FontSource] = {
    "Latn": _pip("Noto Sans"),
    "Grek": _pip("Noto Sans"),
    "Cyrl": _pip("Noto Sans"),
    "Arab": _pip("Noto Sans Arabic"),
    "Deva": _pip("Noto Sans Devanagari"),
    "Hebr": _pip("Heebo"),
    "Beng": _pip("Hind Siliguri"),
    "Taml": _pip("Noto Sans Tamil"),
    "Telu": _pip("Noto Sans Telugu"),
    "Thai": _pip("Noto Sans Thai"),
    "Khmr": _pip("Noto Sans Khmer"),
    "Guru": _apt("Noto Sans Gurmukhi", "fonts-noto-core"),
    "Gujr": _apt("Noto Sans Gujarati", "fonts-noto-core"),
    "Knda": _apt("Noto Sans Kannada", "fonts-noto-core"),
    "Mlym": _apt("Noto Sans Malayalam", "fonts-noto-core"),
    "Orya": _apt("Noto Sans Oriya", "fonts-noto-core"),
    "Sinh": _apt("Noto Sans Sinhala", "fonts-noto-core"),
    "Ethi": _apt("Noto Sans Ethiopic", "fonts-noto-core"),
    "Armn": _apt("Noto Sans Armenian", "fonts-noto-core"),
    "Geor": _apt("Noto Sans Georgian", "fonts-noto-core"),
    "Mymr": _apt("Noto Sans Myanmar", "fonts-noto-core"),
    "Laoo": _apt("Noto Sans Lao", "fonts-noto-core"),
    "Thaa": _apt("Noto Sans Thaana", "fonts-noto-core"),
    "Hani": _apt("Droid Sans Fallback", "fonts-droid-fallback"),
    "Hira": _apt("Droid Sans Fallback", "fonts-droid-fallback"),
    "Kana": _apt("Droid Sans Fallback", "fonts-droid-fallback"),
    "Hang": _apt("Droid Sans Fallback", "fonts-droid-fallback"),
}
