"""The words leafwright itself prints around a leaflet's text, in the leaflet's language.

Every fixed label a reader sees -- "Contact", "About this information", "Sources",
"Page 1 of 9", the footer, the draft watermark, the web edition's links -- and every
date. One module owns them:

* :func:`labels_for` gives the :class:`Labels` of a language: the shipped catalogue
  (gettext ``.po`` files beside this module, ``leafwright.pot`` the English template),
  under the overrides a style and the project settings give (``labels:``);
* :func:`format_date` gives a date in a language (CLDR's long form, through Babel;
  English keeps the UK form "31 January 2015");
* :func:`check_overrides` validates a ``labels:`` mapping (style or leafwright.yaml).

Languages are BCP 47 tags: ``pt-BR`` uses ``pt``'s labels, ``zh`` and ``zh-CN`` use
``zh-Hans``. A language with no catalogue falls back to English; :attr:`Labels.missing`
says which labels did (the checks turn that into one warning, LW801).

Why gettext catalogues: PO files are what translators' tools read (Poedit, Weblate,
Pontoon, memoQ, Trados); each entry carries its English source text (``msgid``) beside
the translation, the label's key as its context (``msgctxt``) and a note for the
translator, so a translator never works from a bare key. Babel reads them (and gives
the CLDR dates), so there is no parser of our own.
"""

from __future__ import annotations

import datetime as _dt
import re
import string
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import resources
from typing import Any

#: The catalogue files' folder (package data).
CATALOGUE = resources.files(__name__)

#: The English template: every label's key (msgctxt) and its English text (msgid).
TEMPLATE = "leafwright.pot"

#: Labels whose value must keep these placeholders (the text would lose something without them).
REQUIRED: dict[str, tuple[str, ...]] = {
    "field": ("label",),
    "booklet_this_section": ("entry",),
    "page_of": ("page", "total"),
}

#: Placeholders a label may use besides its English text's.
ALSO_ALLOWED: dict[str, tuple[str, ...]] = {"footer": ("title",)}

#: Labels that must end with a placeholder: the page count is drawn last, when it is known.
ENDS_WITH: dict[str, str] = {"page_of": "total"}


def _read_po(name: str) -> dict[str, tuple[str, str]]:
    """{key: (English source, text)} of one catalogue file (the template: text = source).
    Babel reads it (imported here only: an English leaflet reads no catalogue)."""
    from babel.messages.pofile import read_po

    with CATALOGUE.joinpath(name).open("rb") as f:
        catalog = read_po(f, ignore_obsolete=True)
    out: dict[str, tuple[str, str]] = {}
    for message in catalog:
        if not message.id or message.context is None:
            continue  # the header
        source = str(message.id)
        text = str(message.string) if message.string else ""
        out[message.context] = (source, text if name != TEMPLATE else source)
    return out


@lru_cache(maxsize=1)
def english() -> dict[str, str]:
    """Every label's key and English text (:data:`.english_labels.ENGLISH`, which the template
    ``leafwright.pot`` is written from)."""
    from .english_labels import ENGLISH

    return {k: v[0] for k, v in ENGLISH.items()}


def _po_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def template_text() -> str:
    """The text of ``leafwright.pot``: every label's key (msgctxt), English (msgid) and note."""
    from .english_labels import ENGLISH

    lines = [
        "# The English labels of leafwright: the template every language's catalogue follows.",
        "# msgctxt is the label's key, msgid its English text. Keep every {placeholder}.",
        "# Written from src/leafwright/i18n/english_labels.py by `python -m leafwright.i18n`: edit that,",
        "# then add the new label to every <language>.po (the tests check).",
        'msgid ""',
        'msgstr ""',
        '"Project-Id-Version: leafwright\\n"',
        '"Language: en\\n"',
        '"MIME-Version: 1.0\\n"',
        '"Content-Type: text/plain; charset=UTF-8\\n"',
        '"Content-Transfer-Encoding: 8bit\\n"',
    ]
    for key, (text, note) in ENGLISH.items():
        lines += ["", f"#. {note}"]
        if "{" in text:
            lines.append("#, python-brace-format")
        lines += [f"msgctxt {_po_string(key)}", f"msgid {_po_string(text)}", 'msgstr ""']
    return "\n".join(lines) + "\n"


def label_keys() -> tuple[str, ...]:
    """Every label's key."""
    return tuple(english())


@lru_cache(maxsize=1)
def catalogue_languages() -> tuple[str, ...]:
    """The languages with a shipped catalogue (their BCP 47 tags), English first."""
    found = sorted(p.name[:-3] for p in CATALOGUE.iterdir() if p.name.endswith(".po"))
    return ("en", *found)


@cache
def catalogue(lang: str) -> dict[str, str]:
    """The shipped labels of one catalogue language (translated entries only)."""
    if lang == "en":
        return english()
    return {k: text for k, (_source, text) in _read_po(f"{lang}.po").items() if text}


# --- language tags -----------------------------------------------------------------------


def _subtags(tag: str) -> list[str]:
    return [p for p in re.split(r"[-_]", tag.strip()) if p]


def is_english(lang: str) -> bool:
    return (_subtags(lang) or ["en"])[0].lower() == "en"


def _canonical(tag: str) -> str:
    """``zh-hans-cn`` -> ``zh-Hans-CN`` (language lower, script title, region upper)."""
    parts = _subtags(tag)
    out = [parts[0].lower()] if parts else []
    for p in parts[1:]:
        if len(p) == 4 and p.isalpha():
            out.append(p.title())
        elif len(p) == 2 or (len(p) == 3 and p.isdigit()):
            out.append(p.upper())
        else:
            out.append(p.lower())
    return "-".join(out)


def candidates(lang: str) -> list[str]:
    """The tags to look a language's labels up under, most specific first.

    ``pt-BR`` -> ``pt-BR``, ``pt``; ``zh-Hans-CN`` -> ``zh-Hans-CN``, ``zh-Hans``, ``zh``;
    Chinese with no script takes the script its region writes (``zh``, ``zh-CN``:
    ``zh-Hans``; ``zh-TW``, ``zh-HK``: ``zh-Hant``).
    """
    parts = _canonical(lang).split("-")
    if parts[0] == "zh" and not (len(parts) > 1 and len(parts[1]) == 4):
        script = "Hant" if len(parts) > 1 and parts[1] in ("TW", "HK", "MO") else "Hans"
        parts = [parts[0], script, *parts[1:]]
    return ["-".join(parts[:n]) for n in range(len(parts), 0, -1)]


def catalogue_language(lang: str) -> str | None:
    """The shipped catalogue a language uses (``pt-BR`` -> ``pt``), or None."""
    if is_english(lang):
        return "en"
    shipped = {c.lower(): c for c in catalogue_languages()}
    for c in candidates(lang):
        if c.lower() in shipped:
            return shipped[c.lower()]
    return None


def language_name(lang: str, in_lang: str = "en") -> str:
    """A language's name, e.g. 'Somali' (from CLDR), or the tag itself when unknown."""
    from babel import Locale, UnknownLocaleError

    try:
        return Locale.parse(in_lang.replace("-", "_")).languages.get(_subtags(lang)[0].lower(), lang)
    except (UnknownLocaleError, ValueError):
        return lang


# --- dates -------------------------------------------------------------------------------


def english_date(d: _dt.date) -> str:
    """'31 January 2015' (the form UK leaflets use)."""
    return f"{d.day} {d.strftime('%B')} {d.year}"


@cache
def _locale(lang: str) -> Any:
    """Babel's locale for a tag (the most specific CLDR knows), or None."""
    from babel import Locale, UnknownLocaleError

    for c in candidates(lang):
        try:
            return Locale.parse(c.replace("-", "_"))
        except (UnknownLocaleError, ValueError):
            continue
    return None


def format_date(d: _dt.date, lang: str = "en") -> str:
    """A date as a reader of ``lang`` writes it: CLDR's long form ("31 Ionawr 2015",
    "31 stycznia 2015", "2015年1月31日"), through Babel; English (and a language CLDR
    does not know) keeps the UK form, "31 January 2015"."""
    if is_english(lang):
        return english_date(d)
    loc = _locale(lang)
    if loc is None:
        return english_date(d)
    from babel.dates import format_date as babel_date

    return babel_date(d, format="long", locale=loc)


# --- overrides ---------------------------------------------------------------------------

_TAG = re.compile(r"^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*$")


def placeholders(text: str) -> list[str]:
    """The ``{names}`` in a label's text (ValueError if a brace is unbalanced)."""
    return [name for _, name, _, _ in string.Formatter().parse(text) if name is not None]


def check_text(key: str, text: str) -> str | None:
    """What is wrong with ``text`` as the label ``key`` (None: nothing)."""
    allowed = placeholders(english()[key]) + list(ALSO_ALLOWED.get(key, ()))
    try:
        used = placeholders(text)
    except ValueError:
        return (
            f"the label '{key}' has an unmatched brace: write placeholders as "
            + (", ".join("{" + p + "}" for p in allowed) or "none (this label has none)")
            + "; a brace itself as {{ or }}"
        )
    for name in used:
        if name not in allowed:
            from ..model import did_you_mean

            guess = did_you_mean(name, allowed)
            return (
                f"the label '{key}' has an unknown placeholder {{{name}}}"
                + (f" (did you mean {{{guess}}}?)" if guess else "")
                + "; it may use "
                + (", ".join("{" + p + "}" for p in allowed) or "none")
            )
    for name in REQUIRED.get(key, ()):
        if name not in used:
            return f"the label '{key}' must keep the placeholder {{{name}}}, e.g. '{english()[key]}'"
    last = ENDS_WITH.get(key)
    if last and not text.rstrip().endswith("{" + last + "}"):
        return f"the label '{key}' must end with {{{last}}} (it is filled in last), e.g. '{english()[key]}'"
    return None


def _unknown_key(name: str, where: str) -> str:
    from ..model import did_you_mean

    keys = label_keys()
    guess = did_you_mean(name, keys)
    if guess:
        return f"@{where}: unknown label '{name}' (did you mean '{guess}'?)"
    return (
        f"@{where}: unknown label '{name}'; labels: "
        + ", ".join(keys)
        + "; or a language tag (e.g. cy, pt-BR) with labels under it"
    )


def check_overrides(value: Mapping[str, Any]) -> dict[str, Any]:
    """Validate a ``labels:`` mapping; a ValueError (``@key: message``, located by the
    schema's error translation) for an unknown label, a bad placeholder or a bad tag.

    Two forms, mixed freely: ``{contact: 'Get in touch'}`` (every language) and
    ``{cy: {contact: 'Cysylltwch â ni'}}`` (one language, and the languages under it).
    """
    keys = set(label_keys())
    out: dict[str, Any] = {}
    for name, v in value.items():
        if name in keys:
            out[name] = _checked_label(name, v, str(name))
        elif isinstance(v, Mapping) and _TAG.match(name):
            inner: dict[str, str] = {}
            for k, text in v.items():
                if k not in keys:
                    raise ValueError(_unknown_key(str(k), f"{name}.{k}"))
                inner[k] = _checked_label(k, text, f"{name}.{k}")
            out[name] = inner
        else:
            raise ValueError(_unknown_key(str(name), str(name)))
    return out


def _checked_label(key: str, text: Any, where: str) -> str:
    """A label's text, checked (text, its placeholders); a located ValueError if not."""
    if not isinstance(text, str):
        raise ValueError(f"@{where}: the label '{key}' should be text")
    problem = check_text(key, text)
    if problem:
        raise ValueError(f"@{where}: {problem}")
    return text


def _layer(overrides: Mapping[str, Any], lang: str) -> dict[str, str]:
    """One ``labels:`` mapping's texts for ``lang``: its language's (most specific tag
    first), then the ones for every language."""
    out: dict[str, str] = {}
    by_tag = {k.replace("_", "-").lower(): v for k, v in overrides.items() if isinstance(v, Mapping)}
    for c in candidates(lang):
        for k, text in by_tag.get(c.lower(), {}).items():
            out.setdefault(k, text)
    for k, text in overrides.items():
        if isinstance(text, str):
            out.setdefault(k, text)
    return out


# --- the labels of one leaflet ------------------------------------------------------------


@dataclass(frozen=True)
class Labels:
    """The fixed labels of one leaflet, in its language, overrides applied.

    ``labels("contact", organisation="Brittle Bone Society")`` fills one in;
    ``labels["contact"]`` is its pattern; :meth:`md` gives it as inline markup;
    :meth:`date` formats a date in the same language.
    """

    lang: str
    texts: Mapping[str, str]
    missing: tuple[str, ...] = ()
    """Labels printed in English because nothing supplied them in ``lang`` (the catalogue,
    the style or the project): empty for English and for a fully covered language."""
    catalogue: str | None = None
    """The shipped catalogue used (``pt`` for ``pt-BR``), None when there is none."""
    _english: frozenset[str] = field(default=frozenset(), repr=False)

    def __getitem__(self, key: str) -> str:
        return self.texts[key]

    def __call__(self, key: str, **values: Any) -> str:
        """The label ``key`` with its placeholders filled in (as plain text)."""
        text = self.texts[key]
        return text.format(**values) if values or "{" in text else text

    def md(self, key: str, *, mark: bool = True, **values: str) -> str:
        """The label as inline markup: its own words escaped, ``values`` (markup already)
        put in; a label shown in English in a leaflet in another language is marked as
        English (``[Sources]{lang=en}``), so a screen reader says it in English
        (``mark=False``: not marked)."""
        text = _md_escape(self.texts[key]).format(**values)
        if mark and key in self._english:
            text = f"[{text}]{{lang=en}}"
        return text

    def field(self, key: str) -> str:
        """A label introducing a value, with the language's punctuation ('Version:')."""
        return self("field", label=self(key))

    def md_field(self, key: str) -> str:
        """:meth:`field` as inline markup; a label shown in English is marked with its
        punctuation ('[Telephone:]{lang=en}'), so it stays whole in a right-to-left line."""
        if key in self._english:
            return f"[{self.md('field', mark=False, label=self.md(key, mark=False))}]{{lang=en}}"
        return self.md("field", mark=False, label=self.md(key))

    def english(self, key: str) -> bool:
        """Whether the label is shown in English in a leaflet in another language."""
        return key in self._english

    def printed_texts(self) -> list[tuple[tuple[str], str]]:
        """The labels that are not the English ones, as (YAML path, text) for the glyph
        check: a font must have their characters too (found at the leaflet's language:)."""
        base = english()
        return [(("language",), t) for k, t in self.texts.items() if t != base[k]]

    def date(self, d: _dt.date) -> str:
        """A date in this language (:func:`format_date`)."""
        return format_date(d, self.lang)


def _md_escape(text: str) -> str:
    """Plain text as inline markup that reads back as exactly that text."""
    return text.replace("\\", "\\\\").replace("*", "\\*").replace("[", "\\[")


def label_glyph_problems(
    labels: Labels, fonts: Any, doc: Any = None, *, code: str | None = None
) -> list[Any]:
    """The scripts of a leaflet's labels that none of the style's fonts has (English text
    with ``language: zh-Hans``): one located error per script, at the ``language:`` line,
    saying it is the labels (the text's own are found first, by the same check)."""
    from dataclasses import replace

    from ..fonts import glyph_diagnostics

    texts = labels.printed_texts()
    if not texts:
        return []
    name = language_name(labels.lang)
    called = f"{name} ({labels.lang})" if name != labels.lang else f"'{labels.lang}'"
    return [
        replace(d, message=f"the labels in {called} cannot be printed: {d.message}")
        for d in glyph_diagnostics(texts, fonts, doc, code=code)
    ]


def labels_for(lang: str, overrides: Sequence[Mapping[str, Any]] = ()) -> Labels:
    """The labels of ``lang``: the catalogue's, under ``overrides`` (each a validated
    ``labels:`` mapping, lowest precedence first: the style's, then the project's).

    In each override, a language's own labels win over those for every language. What
    nothing supplies is English, listed in :attr:`Labels.missing` (unless ``lang`` is
    English). Precedence: project > style > catalogue > English.
    """
    return _labels_for(lang, tuple(_frozen(o) for o in overrides))


def _frozen(o: Mapping[str, Any]) -> tuple:
    return tuple(sorted((k, _frozen(v) if isinstance(v, Mapping) else v) for k, v in o.items()))


def _thawed(o: tuple) -> dict[str, Any]:
    return {k: (_thawed(v) if isinstance(v, tuple) else v) for k, v in o}


@lru_cache(maxsize=256)
def _labels_for(lang: str, overrides: tuple) -> Labels:
    base = english()
    cat_lang = catalogue_language(lang)
    texts: dict[str, str] = {}
    for layer in reversed([_thawed(o) for o in overrides]):  # the project's first
        for k, text in _layer(layer, lang).items():
            texts.setdefault(k, text)
    if cat_lang is not None:
        for k, text in catalogue(cat_lang).items():
            texts.setdefault(k, text)
    fell_back = [k for k in base if k not in texts]
    for k in fell_back:
        texts[k] = base[k]
    english_lang = is_english(lang)
    return Labels(
        lang=lang,
        texts={k: texts[k] for k in base},
        missing=() if english_lang else tuple(fell_back),
        catalogue=cat_lang,
        _english=frozenset() if english_lang else frozenset(fell_back),
    )


def leaflet_labels(leaflet: Any, style: Any = None, project: Mapping[str, Any] | None = None) -> Labels:
    """The labels of a leaflet: its language, its style's ``labels:``, the project's."""
    layers: list[Mapping[str, Any]] = []
    spec = getattr(style, "spec", style)
    if spec is not None:
        footer = getattr(getattr(spec, "footer", None), "text", None)
        if footer:  # a style's own footer text: its words in every language
            layers.append({"footer": footer})
        if getattr(spec, "labels", None):
            layers.append(spec.labels)
    if project:
        layers.append(project)
    return labels_for(getattr(leaflet, "language", "en") or "en", layers)


__all__ = [
    "Labels",
    "catalogue_language",
    "catalogue_languages",
    "check_overrides",
    "english",
    "format_date",
    "label_keys",
    "labels_for",
    "language_name",
    "leaflet_labels",
]
