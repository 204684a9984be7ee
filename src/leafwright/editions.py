"""A leaflet's language editions: the original and its translations (``translation_of``).

A translation names the leaflet it translates (``translation_of: <id>``) and the version
of it that it translates (``source_version``). The leaflets of one library (the files of
a build or check, and the other leaflets in a translation's folder) make families: an
original and every leaflet that is a translation of it.

The coordinator finds the families from each file's top-level fields, read without
loading the leaflet (:func:`scan_header`: a build of thousands of leaflets pays a
tenth of a millisecond a file, not a full load), and gives each job its
:class:`Editions`: the other editions to link to, and for a translation what its source
states. The job then says what is wrong (:func:`translation_errors`) or out of date
(:func:`translation_findings`, rules LW703/LW704) with the loaded leaflet in hand, so
every message is located.
"""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .errors import Diagnostic

#: the top-level fields a family needs, each on one line ("key: value")
_FIELDS = ("id", "title", "language", "version", "status", "translation_of", "source_version")
_HEADER = re.compile(r"^(" + "|".join(_FIELDS) + r"):[ \t]*(.*?)[ \t]*$", re.M)


@dataclass(frozen=True)
class Header:
    """A leaflet file's top-level fields, as far as they are stated."""

    file: str
    id: str
    title: str = ""
    language: str = "en-GB"
    version: str | None = None
    status: str = "approved"
    translation_of: str | None = None
    source_version: str | None = None


#: characters a YAML plain scalar cannot start with
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`~ \t")
#: plain scalars YAML reads as something other than text (numbers, booleans, null, dates)
_NOT_TEXT = re.compile(
    r"[-+]?[\d._]+([eE][-+]?\d+)?|0x[\da-fA-F]+|0o[0-7]+|\.(inf|Inf|INF|nan|NaN|NAN)"
    r"|(?i:y|n|yes|no|on|off|true|false|null)|\d{4}-\d\d?-\d\d?.*"
)
_QUOTED = re.compile(r'"([^"\\]*)"|\'([^\']*)\'')


def _plain_scalar(raw: str) -> str | None:
    """A one-line value read without YAML when it is a plain string or a simply quoted one
    (``oi-bisphosphonates``, ``"2.1"``, ``en-GB``); None when YAML must read it (a number,
    a comment after it, an escape)."""
    m = _QUOTED.fullmatch(raw)
    if m:
        return m.group(1) if m.group(1) is not None else m.group(2)
    if (
        raw[0] not in _INDICATORS
        and ": " not in raw
        and " #" not in raw
        and not raw.endswith(":")
        and not _NOT_TEXT.fullmatch(raw)
    ):
        return raw
    return None


def scan_header(path: str | Path) -> Header | None:
    """The fields of a leaflet file a family needs, or None when it has no id we can read.

    Top-level ``key: value`` lines are read as YAML scalars; a file where one of them is
    not a one-line scalar (a folded title) is parsed whole. A file that does not parse is
    left out: its own build reports why.
    """
    import yaml

    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    values: dict[str, object] = {}
    whole = False
    for key, raw in _HEADER.findall(text):
        if key in values:
            continue
        if not raw or raw[0] in "|>&*!{[" or raw.startswith("#"):
            whole = True
            break
        plain = _plain_scalar(raw)
        if plain is not None:
            values[key] = plain
            continue
        try:
            values[key] = yaml.safe_load(raw)
        except yaml.YAMLError:
            whole = True
            break
    if whole:
        try:
            data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        except yaml.YAMLError:
            return None
        if not isinstance(data, dict):
            return None
        values = {k: data.get(k) for k in _FIELDS if k in data}
    if not isinstance(values.get("id"), str):
        return None

    def text_of(key: str) -> str | None:
        v = values.get(key)
        return None if v is None or isinstance(v, (dict, list)) else str(v)

    return Header(
        file=str(path),
        id=str(values["id"]),
        title=text_of("title") or "",
        language=text_of("language") or "en-GB",
        version=text_of("version"),
        status=text_of("status") or "approved",
        translation_of=text_of("translation_of"),
        source_version=text_of("source_version"),
    )


@dataclass(frozen=True)
class Edition:
    """Another language edition of a leaflet: its language, id and title."""

    language: str
    leaflet_id: str
    title: str = ""

    @property
    def name(self) -> str:
        """The language's name in that language ("Cymraeg", "Polski", "العربية")."""
        return language_name(self.language)


@dataclass(frozen=True)
class Editions:
    """What a job knows of its leaflet's family, worked out by the coordinator.

    ``others``: the family's other editions (original and translations), to link to.
    For a translation: ``source_found`` whether ``translation_of`` names a leaflet of the
    library; if so its ``source_language`` and ``source_version`` (None when it states
    none) and whether it is itself a translation (``source_translation_of``); if not,
    ``guess``, the library's id most like it.
    """

    others: tuple[Edition, ...] = ()
    source_found: bool = True
    source_language: str | None = None
    source_version: str | None = None
    source_translation_of: str | None = None
    guess: str | None = None
    same_language: tuple[str, ...] = ()
    """The ids of the other translations of the same source into this leaflet's language."""


def language_editions(files: Iterable[str | Path], *, draft: bool = False) -> dict[str, Editions]:
    """Each file's :class:`Editions` among the library: ``files`` and the other leaflets in
    their folders (a leaflet built on its own still links to its translations beside it,
    and a translation finds its original there).

    Withdrawn leaflets are never linked to; drafts only from a draft build (``draft``).
    """
    headers: dict[str, Header] = {}
    for f in dict.fromkeys(str(f) for f in files):
        h = scan_header(f)
        if h is not None:
            headers[f] = h
    by_id: dict[str, Header] = {}
    for h in headers.values():
        by_id.setdefault(h.id, h)
    given = {os.path.abspath(f) for f in headers}
    for folder in sorted({os.path.dirname(f) for f in given}):
        try:
            names = sorted(os.listdir(folder))
        except OSError:
            continue
        for name in names:
            sibling = os.path.join(folder, name)
            if not name.endswith((".yaml", ".yml")) or name.startswith(".") or sibling in given:
                continue
            sh = scan_header(sibling)
            if sh is not None:
                by_id.setdefault(sh.id, sh)
    linkable = {i: h for i, h in by_id.items() if h.status != "withdrawn" and (draft or h.status != "draft")}
    families: dict[str, list[Header]] = {}
    for h in linkable.values():
        root = h.translation_of if h.translation_of in by_id else h.id
        families.setdefault(root or h.id, []).append(h)
    out: dict[str, Editions] = {}
    for f, h in headers.items():
        root = h.translation_of if h.translation_of in by_id else h.id
        others = tuple(
            sorted(
                (Edition(m.language, m.id, m.title) for m in families.get(root or h.id, []) if m.id != h.id),
                key=lambda e: (e.language.lower(), e.leaflet_id),
            )
        )
        if not h.translation_of:
            out[f] = Editions(others)
            continue
        src = by_id.get(h.translation_of)
        if src is None:
            out[f] = Editions(others, source_found=False, guess=_guess(h.translation_of, by_id, h.id))
            continue
        twins: tuple[str, ...] = ()
        if h.id in linkable and h.status != "draft":  # a draft may sit beside the one it replaces
            twins = tuple(
                sorted(
                    m.id
                    for m in families.get(root or h.id, [])
                    if m.id != h.id
                    and m.status != "draft"
                    and m.translation_of == h.translation_of
                    and m.language.lower() == h.language.lower()
                )
            )
        out[f] = Editions(
            others,
            source_language=src.language,
            source_version=src.version,
            source_translation_of=src.translation_of,
            same_language=twins,
        )
    return out


def _guess(word: str, ids: Iterable[str], own: str) -> str | None:
    match = difflib.get_close_matches(word, [i for i in ids if i != own], n=1, cutoff=0.6)
    return match[0] if match else None


@lru_cache(maxsize=256)
def language_name(tag: str) -> str:
    """A language's name in that language, for a list of editions: "Cymraeg", "Polski".

    From Babel's CLDR data (``Locale(...).display_name``): the language and its script,
    not the country (an English edition is "English", not "English (United Kingdom)").
    Capitalised as a menu of languages is ("Polski", though mid-sentence Polish writes
    "polski"). A tag Babel does not know is given as it is written.
    """
    from babel import Locale, UnknownLocaleError

    try:
        loc = Locale.parse(tag, sep="-")
        name = Locale(loc.language, script=loc.script).display_name or tag
    except (UnknownLocaleError, ValueError, TypeError):
        return tag
    return name[:1].upper() + name[1:]


# --- what a translation's job says -------------------------------------------------------


def translation_errors(source, editions: Editions | None) -> list[Diagnostic]:
    """Errors in a translation's link to its source (``translation_of``), located.

    ``editions`` is what the coordinator found of the library (None: not worked out, as
    when a leaflet is rendered on its own: nothing is said).
    """
    lf = source.leaflet
    if lf.translation_of is None or editions is None:
        return []
    doc = source.doc

    def at(key: str, message: str, hint: str) -> Diagnostic:
        if doc is not None:
            return doc.diagnostic((key,), message, hint=hint)
        return Diagnostic(message, file=source.file, hint=hint)

    if lf.translation_of == lf.id:
        return [
            at(
                "translation_of",
                f"'{lf.id}' names itself as the leaflet it translates",
                "write the id of the leaflet this one is translated from",
            )
        ]
    if not editions.source_found:
        return [
            at(
                "translation_of",
                f"no leaflet with the id '{lf.translation_of}' is in this library",
                (f"did you mean '{editions.guess}'? " if editions.guess else "")
                + "write the id of the leaflet this one is translated from, and build or check them "
                "together (or keep them in one folder)",
            )
        ]
    errors = []
    if editions.source_translation_of:
        errors.append(
            at(
                "translation_of",
                f"'{lf.translation_of}' is itself a translation (of '{editions.source_translation_of}')",
                f"name the original: translation_of: {editions.source_translation_of}, with "
                "source_version the version of it you translated",
            )
        )
    if editions.source_language and editions.source_language.lower() == lf.language.lower():
        errors.append(
            at(
                "language",
                f"this translation's language ({lf.language}) is the language of "
                f"'{lf.translation_of}', the leaflet it translates",
                "write the language this leaflet is in, e.g. language: cy for Welsh",
            )
        )
    for other in editions.same_language:
        errors.append(
            at(
                "language",
                f"'{other}' also translates '{lf.translation_of}' into {lf.language} "
                f"({language_name(lf.language)}): readers would be offered both",
                f"keep one {lf.language} edition: mark the other 'status: withdrawn' (with "
                "withdrawn_on:), or 'status: draft' while it is being made",
            )
        )
    return errors


def _numbers(version: str) -> tuple[int, ...] | None:
    parts = version.strip().lstrip("vV").split(".")
    return tuple(int(p) for p in parts) if all(p.isdigit() for p in parts) else None


def translation_findings(
    source, editions: Editions | None, ignored: frozenset[str] = frozenset()
) -> list[Diagnostic]:
    """LW703 (the source has moved past the version translated) and LW704 (the source states
    no version), for a translation whose source is in the library."""
    from .checks.base import leaflet_diagnostic

    lf = source.leaflet
    if lf.translation_of is None or editions is None or not editions.source_found:
        return []
    if lf.translation_of == lf.id or editions.source_translation_of:
        return []  # an error already says what to fix
    skip = set(ignored) | {i.rule for i in (lf.checks.ignore if lf.checks else [])}
    src, have, now = lf.translation_of, lf.source_version or "", editions.source_version
    if now is None:
        if "LW704" in skip:
            return []
        return [
            leaflet_diagnostic(
                source,
                "LW704",
                ("source_version",),
                f"'{src}' states no version, so whether this translation of it is up to date cannot be told",
                f"give '{src}' a version, then set source_version here to it once this "
                "translation matches it",
            )
        ]
    if now == have or "LW703" in skip:
        return []
    a, b = _numbers(have), _numbers(now)
    if a is not None and b is not None and a > b:
        message = (
            f"this translation says it translates version {have} of '{src}', but '{src}' is at version {now}"
        )
        hint = f"set source_version to the version of '{src}' that was translated"
    else:
        message = (
            f"out of date: this translation is of version {have} of '{src}', which is now at version {now}"
        )
        hint = f"update the translation from version {now} of {src}, then set source_version: {now}"
    return [leaflet_diagnostic(source, "LW703", ("source_version",), message, hint)]


@lru_cache(maxsize=256)
def english_language_name(tag: str) -> str:
    """A language's name in English ("Arabic"): for fonts that cannot draw its own name."""
    from babel import Locale, UnknownLocaleError

    try:
        loc = Locale.parse(tag, sep="-")
        return Locale(loc.language, script=loc.script).get_display_name("en") or tag
    except (UnknownLocaleError, ValueError, TypeError):
        return tag
