"""Stage 2: the leaflet model, validated, with errors pointing into the YAML.

The schema is these classes; every field's docstring becomes its description in
the JSON Schema that ``leafwright schema`` prints for editors.

``validate_leaflet(doc)`` turns a loaded :class:`~leafwright.load.Document` into
a :class:`Leaflet`, or raises :class:`~leafwright.errors.SchemaError` holding
every problem in the file, each with ``file:line:col``, the YAML path, a message
and a hint (did-you-mean for unknown keys and block types).
"""

from __future__ import annotations

import datetime as _dt
import difflib
import re
import types
from collections.abc import Iterator
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError, field_validator, model_validator

from .blocks import (  # noqa: F401 -- the block types, re-exported for the model's users
    BLOCK_TYPES,
    BLOCKS,
    Block,
    BlockModel,
    BlockShape,
    Callout,
    FAQEntry,
    Image,
    Link,
    Links,
    ListItem,
    Table,
    TextOrItem,
)
from .errors import Diagnostic, SchemaError
from .load import Document, PathKey, format_path
from .schema import (  # noqa: F401 -- LINK_SCHEMES, check_lang and check_url re-exported
    LINK_SCHEMES,
    Model,
    check_lang,
    check_url,
    field_description,
    json_schema_of,
)

_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
#: The longest id: it names the output files, and file systems allow 255 bytes a name.
MAX_ID = 100


# --- people, organisation -------------------------------------------------------------


class Person(Model):
    """A named person with an optional role."""

    name: str
    """The person's name as printed."""
    role: str | None = None
    """What they did, e.g. 'Consultant paediatrician' or 'proof-reader'."""


class Social(Model):
    """A social media account."""

    network: str
    """The network's name, e.g. 'Facebook', 'X', 'Instagram'."""
    handle: str
    """The account name or address as printed, e.g. '@brittlebone'."""


class Phone(Model):
    """A telephone line with its label."""

    number: str
    """The number as printed, e.g. '0808 800 1234'. It is never split across lines."""
    label: str | None = None
    """What the line is for, e.g. 'Freephone helpline'."""
    hours: str | None = None
    """When the line is open, e.g. 'Monday to Friday, 9am to 5pm'."""


class Publisher(Model):
    """The organisation that publishes the leaflet; printed in the contact panel."""

    name: str
    """The organisation's name; also printed in every page footer."""
    address: list[str] = []
    """Postal address, one line per item."""
    phone: str | None = None
    """Main telephone number."""
    helpline: Phone | None = None
    """A (freephone) helpline, with its label and opening hours."""
    email: str | None = None
    """Contact email address."""
    web: str | None = None
    """Website address (http or https)."""
    social: list[Social] = []
    """Social media accounts."""
    charity_number: str | None = None
    """Registered charity number(s), as printed, e.g. 'Registered charity no. 1234567'."""

    @field_validator("web")
    @classmethod
    def _web(cls, v: str | None) -> str | None:
        return check_url(v) if v is not None else v

    @field_validator("email")
    @classmethod
    def _email(cls, v: str | None) -> str | None:
        if v is not None and not re.match(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", v):
            raise ValueError(f"'{v}' is not an email address")
        return v


# --- booklet context, key points ------------------------------------------------------


class Booklet(Model):
    """The larger booklet this leaflet is one section of."""

    title: str
    """The booklet's title, e.g. 'Understanding secondary cancer in the bone'."""
    series: str | None = None
    """The series it belongs to, e.g. 'From the CancerBACUP booklet series'."""
    contents: list[str]
    """The booklet's whole table of contents, in order."""
    current: str
    """The entry of `contents` that this leaflet is (it is marked as 'this section')."""

    @model_validator(mode="after")
    def _current_in_contents(self) -> Booklet:
        if self.current not in self.contents:
            raise ValueError(f"@current: current section '{self.current}' is not one of the contents")
        return self


class KeyPoints(Model):
    """A summary box of key points shown at the top of the leaflet."""

    title: str | None = None
    """The box's heading (default: 'Key points' in the leaflet's language)."""
    items: list[str]
    """The points, one short sentence each (inline markup allowed)."""


class Section(Model):
    """A section: a heading, its blocks, and optional sub-sections."""

    heading: str
    """The section's heading."""
    blocks: list[Block] = []
    """The section's content, in reading order."""
    sections: list[Section] = []
    """Sub-sections (one heading level down), after the blocks."""


# --- checks ---------------------------------------------------------------------------


class IgnoredRule(Model):
    """A check this leaflet is excused from, and why."""

    rule: str
    """The rule's id, e.g. LW507 (see docs/checks.md)."""
    reason: str
    """Why the rule does not apply to this leaflet; kept with the leaflet for the next reviewer."""

    @field_validator("rule")
    @classmethod
    def _rule(cls, v: str) -> str:
        if not re.match(r"^LW\d{3}$", v):
            raise ValueError(f"'{v}' is not a rule id: write it as LW followed by three digits, e.g. LW507")
        return v

    @field_validator("reason")
    @classmethod
    def _reason(cls, v: str) -> str:
        if not v.strip():
            raise ValueError("say why the rule is ignored: the reason is kept for reviewers")
        return v


class LeafletChecks(Model):
    """How `leafwright check` treats this leaflet."""

    ignore: list[IgnoredRule] = []
    """Rules this leaflet is excused from, each with its reason."""


# --- ownership and status -------------------------------------------------------------

#: a leaflet's place in its life: being written, in circulation, or taken out of circulation
STATUSES = ("draft", "approved", "withdrawn")


class Owner(Model):
    """Who is responsible for keeping the leaflet right: a role or team, and how to reach them."""

    name: str
    """The role or team that owns the leaflet, e.g. 'Patient information team' or
    'Lead nurse, bone clinic'."""
    contact: str
    """How to reach the owner: an email address, a telephone number or a web address."""

    @field_validator("name", "contact")
    @classmethod
    def _not_blank(cls, v: str) -> str:
        if not v.strip():
            raise ValueError("write who owns the leaflet and how to reach them; it cannot be blank")
        return v


# --- the leaflet ----------------------------------------------------------------------


class Leaflet(Model):
    """A patient information leaflet."""

    id: str
    """A stable identifier: lower-case letters, digits and hyphens; used as the output file name."""
    title: str
    """The leaflet's title (the document title read by screen readers)."""
    subtitle: str | None = None
    """A line under the title."""
    language: str = "en-GB"
    """The leaflet's language as a BCP 47 tag."""
    version: str | None = None
    """The leaflet's version, as text: write "1.0" in quotes. Leave it out when the source
    does not say: nothing is printed for it (never a guess), and a warning says so."""
    published: _dt.date | None = None
    """The date this version was published or last checked (YYYY-MM-DD); leave it out when
    not known (nothing is printed, a warning says so)."""
    review_by: _dt.date | None = None
    """The date by which the content must be reviewed (YYYY-MM-DD); leave it out when not
    known (nothing is printed, a warning says so)."""
    status: Literal["draft", "approved", "withdrawn"] = "approved"
    """draft (being written, not for readers), approved (published, the default) or withdrawn
    (taken out of circulation: its files move to the archive, see withdrawn_on)."""
    withdrawn_on: _dt.date | None = None
    """The date the leaflet was withdrawn (YYYY-MM-DD); required with status: withdrawn."""
    owner: Owner | None = None
    """Who is responsible for the leaflet and its reviews: a role or team, and a contact."""
    change_note: str | None = None
    """One line saying what changed in this version; printed in the About block as
    'What changed in this version' and kept in the manifest's history of the leaflet."""
    authors: list[Person] = []
    """Who wrote it."""
    reviewers: list[Person] = []
    """Who checked it (clinical or editorial review)."""
    online_url: str | None = None
    """Where the leaflet lives online; printed as a link and a QR code."""
    publisher: Publisher | None = None
    """The organisation that publishes the leaflet; leave it out when the source names none
    (no contact panel and no name in the footer are printed, and the checks say so)."""
    booklet: Booklet | None = None
    """The booklet this leaflet is one section of, with its contents."""
    key_points: KeyPoints | None = None
    """A key-points box at the top."""
    sections: list[Section]
    """The leaflet's sections, in order."""
    acknowledgements: str | None = None
    """Thanks to contributors."""
    references: list[str] = []
    """Sources and references, one per item."""
    disclaimer: str | None = None
    """The disclaimer printed at the end."""
    feedback: str | None = None
    """How readers can tell the publisher what they think of the leaflet."""
    other_formats: str | None = None
    """The 'available in other formats on request' notice, printed large at the end: only
    when the publisher offers other formats, saying which and how to ask for them."""
    keywords: list[str] = []
    """Keywords for the PDF's metadata and search."""
    translation_of: str | None = None
    """The id of the leaflet this one is a translation of (in the same library); the editions
    of a leaflet and its translations link to each other ("This leaflet in: Cymraeg ·
    Polski"). Needs source_version."""
    source_version: str | None = None
    """For a translation: the version of the leaflet it translates (its translation_of), in
    quotes: "2.1". When that leaflet's version moves on, the checks say this translation is
    out of date (LW703)."""
    checks: LeafletChecks | None = None
    """Checks this leaflet is excused from (each with a reason); see docs/checks.md."""

    @field_validator("translation_of")
    @classmethod
    def _translation_of(cls, v: str | None) -> str | None:
        if v is not None and not _ID.match(v):
            raise ValueError(f"'{v}' is not a leaflet id: use lower-case letters, digits and hyphens")
        return v

    @field_validator("source_version")
    @classmethod
    def _source_version(cls, v: str | None) -> str | None:
        if v is not None and not v.strip():
            raise ValueError('write the version of the leaflet this one translates, e.g. "2.1"')
        return v

    @field_validator("id")
    @classmethod
    def _id(cls, v: str) -> str:
        if len(v) > MAX_ID:
            raise ValueError(f"the id is {len(v)} characters long; an id may be at most {MAX_ID}")
        if not _ID.match(v):
            raise ValueError(f"'{v}' is not a valid id: use lower-case letters, digits and hyphens")
        return v

    @field_validator("language")
    @classmethod
    def _language(cls, v: str) -> str:
        return check_lang(v)

    @field_validator("online_url")
    @classmethod
    def _online(cls, v: str | None) -> str | None:
        if v is not None and not v.lower().startswith(("http://", "https://")):
            raise ValueError("online_url must be a web address starting with https://")
        return check_url(v) if v else v

    @field_validator("change_note")
    @classmethod
    def _change_note(cls, v: str | None) -> str | None:
        if v is not None:
            if not v.strip():
                raise ValueError("say in a line what changed in this version, or leave change_note out")
            if "\n" in v.strip():
                raise ValueError("a change note is one line: keep the details in your own records")
        return v

    @model_validator(mode="after")
    def _dates(self) -> Leaflet:
        if self.translation_of is not None and self.source_version is None:
            raise ValueError(
                f"@translation_of: a translation needs 'source_version: \"...\"', the version of "
                f"'{self.translation_of}' it translates"
            )
        if self.source_version is not None and self.translation_of is None:
            raise ValueError(
                "@source_version: source_version is for a translation: add 'translation_of: <id>' "
                "(the leaflet it translates), or remove source_version"
            )
        if self.review_by is not None and self.published is not None and self.review_by <= self.published:
            raise ValueError(
                f"@review_by: review_by ({self.review_by}) must be after published ({self.published})"
            )
        if self.status == "withdrawn" and self.withdrawn_on is None:
            raise ValueError(
                "@status: a withdrawn leaflet needs 'withdrawn_on: YYYY-MM-DD', the date it was withdrawn"
            )
        if self.withdrawn_on is not None and self.status != "withdrawn":
            raise ValueError(
                f"@withdrawn_on: withdrawn_on is only for a withdrawn leaflet (its status is {self.status}); "
                "add 'status: withdrawn' or remove withdrawn_on"
            )
        if (
            self.withdrawn_on is not None
            and self.published is not None
            and self.withdrawn_on < self.published
        ):
            raise ValueError(
                f"@withdrawn_on: withdrawn_on ({self.withdrawn_on}) is before published ({self.published})"
            )
        return self


# --- validation with positions --------------------------------------------------------

_TYPE_HINTS = {
    "string_type": 'write it as text; put numbers and dates in quotes, e.g. "1.0"',
    "list_type": "write a list, one item per line starting with '- '",
    "dict_type": "write a mapping of 'key: value' lines, indented under this key",
    "model_type": "write a mapping of 'key: value' lines, indented under this key",
    "date_type": "write the date as YYYY-MM-DD, e.g. 2025-03-01",
    "date_from_datetime_parsing": "write the date as YYYY-MM-DD, e.g. 2025-03-01",
    "date_parsing": "write the date as YYYY-MM-DD, e.g. 2025-03-01",
    "bool_type": "write true or false",
    "float_type": "write a number",
    "float_parsing": "write a number",
}


def _unwrap(tp: Any) -> list[Any]:
    """The model classes a type annotation may hold (through list, Optional, Union)."""
    origin = get_origin(tp)
    if origin is None:
        return [tp]
    out: list[Any] = []
    for arg in get_args(tp):
        out.extend(_unwrap(arg))
    return out


def _model_at(root: type[BaseModel], loc: tuple) -> type[BaseModel] | None:
    """The model class whose field list applies at ``loc`` (skipping list indices)."""
    current: list[Any] = [root]
    for part in loc:
        if isinstance(part, int):
            continue
        nxt: list[Any] = []
        for m in current:
            if isinstance(m, type) and issubclass(m, BaseModel) and part in m.model_fields:
                nxt.extend(_unwrap(m.model_fields[part].annotation))
        current = [c for c in nxt if isinstance(c, type)]
        if not current:
            return None
    for m in current:
        if isinstance(m, type) and issubclass(m, BaseModel):
            return m
    return None


def did_you_mean(word: str, options: list[str] | tuple[str, ...]) -> str | None:
    """The closest option to a misspelt word, or None."""
    match = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return match[0] if match else None


def _clean_loc(loc: tuple, data: Any) -> tuple:
    """Drop pydantic's union-branch names (e.g. 'str', 'ListItem') from an error location."""
    out: list[Any] = []
    node = data
    for part in loc:
        if (isinstance(node, dict) and part in node) or (
            isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)
        ):
            out.append(part)
            node = node[part]
        elif (
            isinstance(node, dict)
            and isinstance(part, str)
            and not part[:1].isupper()
            and part not in ("str", "function-after", "function-before", "list", "union")
        ):
            out.append(part)  # a missing or extra key
            node = None
        else:
            continue
    return tuple(out)


def translate_errors(exc: ValidationError, doc: Document, root: type[BaseModel]) -> list[Diagnostic]:
    """Pydantic's errors as located, user-facing diagnostics (deduplicated, in file order)."""
    diags: dict[tuple, Diagnostic] = {}
    union_seen: set[tuple] = set()
    colons: set[tuple] = set()
    for err in exc.errors(include_url=False):
        loc = _clean_loc(err["loc"], doc.data)
        etype = err["type"]
        msg = err["msg"]
        hint = _TYPE_HINTS.get(etype)
        key = False
        item = _colon_item(loc, doc.data)
        if item is not None:
            # '- Note: the helpline is free' is a mapping {Note: ...} to YAML: say so, once
            if item not in colons:
                colons.add(item)
                word = next(iter(_at(doc.data, item)))
                d = doc.diagnostic(
                    item,
                    f"this reads as a key '{word}' with a value, because of the ': ' after '{word}'",
                    hint=f'put the text in quotes: - "{_colon_text(doc, item)}"',
                )
                diags.setdefault((item, "colon"), d)
            continue
        if _is_union_item(root, loc) and etype in ("string_type", "model_type"):
            # A list item is text or a {lead, text} mapping: pydantic reports both branches.
            if isinstance(err.get("input"), dict) or loc in union_seen:
                continue
            union_seen.add(loc)
            msg = (
                f"expected text, or a mapping with 'text' (and optional 'lead'), found "
                f"{_describe(err.get('input'))}"
            )
            hint = "write '- some text', or '- lead: ...' with 'text: ...' under it; put numbers in quotes"
        elif etype == "extra_forbidden":
            name = str(loc[-1])
            model = _model_at(root, loc[:-1])
            fields = list(model.model_fields if model else {})
            if model is not None and issubclass(model, (BlockModel, BlockShape)):
                msg = f"unknown block '{name}'"
                choices = list(BLOCK_TYPES)
            else:
                msg = f"unknown key '{name}'"
                choices = fields
            guess = did_you_mean(name, choices)
            hint = (f"did you mean '{guess}'? " if guess else "") + "valid: " + ", ".join(choices)
            key = True
        elif etype == "missing":
            msg = f"missing required key '{loc[-1]}'"
            model = _model_at(root, loc[:-1])
            if model is not None and loc[-1] in model.model_fields:
                desc = field_description(model, str(loc[-1]))
                hint = f"add '{loc[-1]}:' here ({desc})" if desc else None
            loc_for_pos = loc[:-1]
            line, col = doc.position(loc_for_pos)
            d = Diagnostic(
                msg,
                file=doc.file,
                line=line,
                column=col,
                path=_fmt(loc),
                hint=hint,
                source_line=doc.source_line(line),
            )
            diags.setdefault((loc, etype), d)
            continue
        elif etype == "value_error":
            msg = msg.removeprefix("Value error, ")
            if msg.startswith("@"):
                # a cross-field check names the key it is about: "@review_by: ..."
                target, _, msg = msg[1:].partition(": ")
                loc = loc + tuple(int(p) if p.isdigit() else p for p in target.split("."))
        elif etype.startswith(("date", "datetime")):
            msg, hint = _date_problem(err.get("input"), str(loc[-1]) if loc else "date")
        elif etype == "literal_error":
            msg = f"'{err.get('input')}' is not allowed"
            hint = msg_expected(dict(err))
        elif etype in ("string_type",) and isinstance(err.get("input"), (int, float)):
            msg = f"expected text, found the number {err.get('input')!r}"
        elif etype in ("string_type", "model_type", "list_type", "dict_type"):
            # Union branches (str | ListItem) give one error per branch; report the item once.
            item_loc = loc
            if item_loc in union_seen:
                continue
            union_seen.add(item_loc)
            found = _describe(err.get("input"))
            want = {
                "string_type": "text",
                "model_type": "a mapping",
                "list_type": "a list",
                "dict_type": "a mapping",
            }[etype]
            msg = f"expected {want}, found {found}"
        if msg and msg[0].isupper() and etype not in ("value_error",):
            msg = msg[0].lower() + msg[1:]
        diags.setdefault((loc, msg), doc.diagnostic(loc, msg, hint=hint, key=key))
    return sorted(diags.values(), key=lambda d: (d.line or 0, d.column or 0))


_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
_DATE_HINT = "write the date as YYYY-MM-DD, e.g. 2025-03-01"


def _date_problem(value: Any, field: str) -> tuple[str, str]:
    """Why a value is not a date, in words a reader checks against a calendar."""
    import calendar

    if isinstance(value, _dt.datetime):
        return f"{value} has a time of day; {field} is a date", _DATE_HINT + " (no time)"
    text = str(value).strip() if value is not None else ""
    m = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text)
    if not m:
        shown = _describe(value) if not isinstance(value, str) else f"'{text}'"
        uk = re.fullmatch(r"(\d{1,2})[/.](\d{1,2})[/.](\d{4})", text)
        if uk:  # 31/01/2024, as dates are written in the UK
            try:
                iso = _dt.date(int(uk[3]), int(uk[2]), int(uk[1])).isoformat()
                return f"{shown} is not a date written as YYYY-MM-DD", f"write {iso}"
            except ValueError:
                pass
        return f"{shown} is not a date written as YYYY-MM-DD", _DATE_HINT
    year, month, day = (int(g) for g in m.groups())
    if not 1 <= month <= 12:
        return f"{text} is not a date: there is no month {month}", _DATE_HINT + " (month 01 to 12)"
    last = calendar.monthrange(year, month)[1]
    name = _MONTHS[month - 1]
    if day < 1 or day > last:
        return (
            f"{day} {name} {year} is not a date",
            f"{name} {year} has {last} days; " + _DATE_HINT,
        )
    return f"'{text}' is not a date", _DATE_HINT  # pragma: no cover - a valid date is accepted


def _at(data: Any, loc: tuple) -> Any:
    for part in loc:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data


#: lists whose items are text (or a {lead, text} mapping)
_TEXT_LISTS = {
    "bullets",
    "numbered",
    "items",
    "address",
    "references",
    "contents",
    "keywords",
    "header",
    "rows",
}


def _colon_item(loc: tuple, data: Any) -> tuple | None:
    """The list item at (or above) ``loc`` that is text YAML read as a one-key mapping
    (``- Note: free``), where the schema expects text or a {lead, text} mapping."""
    for n in range(len(loc), 0, -1):
        if not isinstance(loc[n - 1], int):
            continue
        value = _at(data, loc[:n])
        parent = loc[n - 2] if n >= 2 else None
        if (
            (parent in _TEXT_LISTS or isinstance(parent, int))
            and isinstance(value, dict)
            and len(value) == 1
            and not ({"text", "lead", "question", "answer", "name", "url"} & set(value))
            and isinstance(next(iter(value.values())), (str, int, float, type(None)))
        ):
            return loc[:n]
        return None
    return None


def _colon_text(doc: Document, item: tuple) -> str:
    """The item's text as written on its line (for the hint)."""
    line, _col = doc.position(item)
    src = (doc.source_line(line) or "").strip()
    return src[2:].strip() if src.startswith("- ") else src


def _fmt(loc: tuple) -> str | None:
    from .load import format_path

    return format_path(loc) or None


def msg_expected(err: dict) -> str | None:
    """'use one of: a, b, c' for a literal error."""
    expected = (err.get("ctx") or {}).get("expected")
    return f"use one of: {expected}" if expected else None


def _describe(value: Any) -> str:
    if value is None:
        return "nothing (an empty value)"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, bool):
        return f"'{str(value).lower()}'"
    if isinstance(value, (_dt.date,)):
        return f"the date {value}"
    if isinstance(value, (int, float)):
        return f"the number {value!r}"
    return f"'{value}'"


def _is_union_item(root: type[BaseModel], loc: tuple) -> bool:
    return len(loc) >= 2 and isinstance(loc[-1], int) and loc[-2] in ("bullets", "numbered")


_MEMBERS: dict[int, tuple[Any, list[Any]]] = {}


def _members(tp: Any) -> list[Any]:
    """The members of a Union/Optional annotation (the annotation itself otherwise)."""
    hit = _MEMBERS.get(id(tp))
    if hit is not None and hit[0] is tp:  # worked out once per annotation (they live as long
        return hit[1]  # as their classes; the annotation is kept, so its id is not reused)
    origin = get_origin(tp)
    if origin in (Union, types.UnionType):
        out = [m for arg in get_args(tp) for m in _members(arg)]
    elif origin is Annotated:  # a tagged union member, a constrained number
        out = _members(get_args(tp)[0])
    else:
        out = [tp]
    if len(_MEMBERS) < 4096:
        _MEMBERS[id(tp)] = (tp, out)
    return out


def _accepts(tp: Any, value: Any) -> bool:
    """Whether a plain scalar of this Python type fits the annotation as it is."""
    for m in _members(tp):
        if m is Any:
            return True
        if m is bool and isinstance(value, bool):
            return True
        if m in (int, float) and isinstance(value, (int, float)) and not isinstance(value, bool):
            return True
        if m is _dt.date and isinstance(value, _dt.date) and not isinstance(value, _dt.datetime):
            return True
        if m is type(None) and value is None:
            return True
    return False


def _wants_text(tp: Any) -> bool:
    return any(m is str or get_origin(m) is Literal for m in _members(tp))


def as_written(
    value: Any, tp: Any, path: PathKey, written: dict[PathKey, str], _leads: set[PathKey] | None = None
) -> Any:
    """The data with each plain scalar YAML converted (``no``, ``1.10``, ``1:30``, a date)
    given back as the text the user wrote, wherever the schema expects text there.

    PyYAML reads ``title: no`` as false and ``version: 1.10`` as 1.1; where a field is
    text, the characters in the file are what the user meant.
    """
    if _leads is None:  # the paths that lead to a converted scalar: the rest is left as it is
        _leads = {p[:i] for p in written for i in range(len(p) + 1)}
    if path not in _leads:
        return value
    if isinstance(value, dict):
        models = [m for m in _members(tp) if isinstance(m, type) and issubclass(m, BaseModel)]
        if not models:
            return value
        # of a union's models (a block's types), the one whose fields the mapping uses
        model = max(models, key=lambda m: len(set(value) & set(m.model_fields)))
        fields = model.model_fields
        return {
            k: as_written(v, fields[k].annotation, path + (k,), written, _leads) if k in fields else v
            for k, v in value.items()
        }
    if isinstance(value, list):
        items = [get_args(m)[0] for m in _members(tp) if get_origin(m) is list and get_args(m)]
        if not items:
            return value
        return [as_written(v, items[0], path + (i,), written, _leads) for i, v in enumerate(value)]
    if isinstance(value, str) or path not in written or _accepts(tp, value):
        return value
    return written[path] if _wants_text(tp) else value


def validate_model(doc: Document, root: type[BaseModel], what: str = "leaflet") -> Any:
    """Validate loaded YAML against ``root``; every problem in one :class:`SchemaError`."""
    if not isinstance(doc.data, dict):
        raise SchemaError(
            [
                doc.diagnostic(
                    (),
                    f"a {what} file must be a mapping of keys "
                    f"(e.g. 'title: ...'), found {_describe(doc.data)}",
                )
            ]
        )
    if doc.written:
        doc.data = as_written(doc.data, root, (), doc.written)
    try:
        return root.model_validate(doc.data)
    except ValidationError as exc:
        raise SchemaError(translate_errors(exc, doc, root)) from None


def validate_leaflet(doc: Document) -> Leaflet:
    """Validate a loaded leaflet file into a :class:`Leaflet`, inline markup included."""
    leaflet = validate_model(doc, Leaflet, "leaflet")
    problems = markup_diagnostics(leaflet, doc)
    if problems:
        raise SchemaError(problems)
    return leaflet


#: Fields printed exactly as typed: inline markup in them would show its brackets.
PLAIN_FIELDS = frozenset(
    {"id", "version", "name", "role", "network", "handle", "number", "label", "hours", "address"}
    | {"charity_number", "series", "contents", "current", "keywords", "alt", "rule", "reason"}
    | {"owner", "change_note"}
)
#: Fields that are addresses, file names or codes: checked by their own validators.
_NOT_TEXT = frozenset({"url", "web", "online_url", "email", "file", "language", "lang", "kind", "status"})
#: Fields that may hold emphasis and language runs but not links (they are not read as
#: running text, or are links themselves): the title, a callout's title, a link's words.
NO_LINK_FIELDS = frozenset({"title", "subtitle"})
#: Texts that make an element of their own: empty, they would be a silent heading or paragraph.
_NOT_BLANK = frozenset(
    {"title", "subtitle", "heading", "question", "answer", "paragraph", "text", "caption"}
    | {"bullets", "numbered", "items", "lead", "name"}
)


def _field_of(path: PathKey) -> str:
    return next((p for p in reversed(path) if isinstance(p, str)), "")


def markup_diagnostics(leaflet: Leaflet, doc: Document | None, file: str | None = None) -> list[Diagnostic]:
    """Located errors for inline markup that would print as typed, in every text of the leaflet.

    Links and language runs are allowed where the README says; elsewhere, and wherever
    the markup is malformed, the text would show its brackets: that is an error.
    """
    from .inline import markup_problems, parse_inline, plain_text

    out: list[Diagnostic] = []

    def report(path: PathKey, text: str, offset: int, msg: str, hint: str) -> None:
        if doc is None:
            out.append(Diagnostic(msg, file=file, path=format_path(path) or None, hint=hint))
            return
        line, col = doc.text_position(path, text, offset)
        out.append(
            Diagnostic(
                msg,
                file=doc.file,
                line=line,
                column=col,
                path=format_path(path) or None,
                hint=hint,
                source_line=doc.source_line(line),
            )
        )

    for path, text in iter_texts(leaflet):
        name = _field_of(path)
        if name in _NOT_BLANK and not plain_text(text).strip():
            # an empty title or heading still makes a (silent) element a reader lands on
            report(path, text, 0, f"'{name}' is empty", "write the text, or remove the key")
            continue
        if name in _NOT_TEXT or "[" not in text:
            continue
        if name == "text" and len(path) >= 3 and path[-3] == "items" and "links" in path:
            name = "title"  # a link's own words: a link cannot hold another
        if name in PLAIN_FIELDS:
            if re.search(r"\]\(|\]\{", text):
                report(
                    path,
                    text,
                    text.index("]"),
                    f"'{name}' is printed as typed: the link or language markup would show its brackets",
                    "remove the markup; links and [words]{lang=..} go in the leaflet's text",
                )
            continue
        for p in markup_problems(text):
            report(path, text, p.offset, p.message, p.hint)
        if name in NO_LINK_FIELDS or (name == "title" and "callout" in path):
            links = [s for s in parse_inline(text) if s.url is not None]
            if links:
                report(
                    path,
                    text,
                    text.find("[" + links[0].text) if ("[" + links[0].text) in text else 0,
                    f"a {name} cannot hold a link ('{links[0].url}')",
                    "put the link in the text below it; a language run [words]{lang=cy} is fine here",
                )
    return sorted(out, key=lambda d: (d.line or 0, d.column or 0))


def leaflet_json_schema() -> dict:
    """The JSON Schema of a leaflet file, for editors."""
    schema = json_schema_of(Leaflet)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "leafwright leaflet"
    return schema


def walk_section_paths(
    sections: list[Section], prefix: PathKey = ("sections",), level: int = 2
) -> Iterator[tuple[Section, PathKey, int]]:
    """Yield (section, YAML path, heading level) depth-first, in reading order."""
    for i, sec in enumerate(sections):
        path = prefix + (i,)
        yield sec, path, level
        yield from walk_section_paths(sec.sections, path + ("sections",), level + 1)


def walk_sections(sections: list[Section], level: int = 2) -> Iterator[tuple[Section, int]]:
    """Yield (section, heading level) depth-first, in reading order."""
    for sec, _path, lvl in walk_section_paths(sections, level=level):
        yield sec, lvl


#: fields kept for governance, never printed (a glyph the fonts lack does not matter in them)
NOT_PRINTED = ("owner", "status", "translation_of", "source_version")


def iter_texts(leaflet: Leaflet) -> list[tuple[PathKey, str]]:
    """Every piece of printed user text in the leaflet with its YAML path (for glyph checks)."""
    out: list[tuple[PathKey, str]] = []

    def add(path: PathKey, value: Any) -> None:
        if len(path) == 1 and path[0] in NOT_PRINTED:
            return
        if isinstance(value, str):
            out.append((path, value))
        elif isinstance(value, BaseModel):
            for name in type(value).model_fields:
                add(path + (name,), getattr(value, name))
        elif isinstance(value, (list, tuple)):
            for i, v in enumerate(value):
                add(path + (i,), v)

    add((), leaflet)
    return out
