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
from typing import Any, Iterator, Literal, get_args, get_origin

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
from .load import Document, PathKey
from .schema import LINK_SCHEMES, Model, check_lang, check_url  # noqa: F401 -- re-exported

_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")


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
    def _current_in_contents(self) -> "Booklet":
        if self.current not in self.contents:
            raise ValueError(f"@current: current section '{self.current}' is not one of the contents")
        return self


class KeyPoints(Model):
    """A summary box of key points shown at the top of the leaflet."""

    title: str = "Key points"
    """The box's heading."""
    items: list[str]
    """The points, one short sentence each (inline markup allowed)."""


class Section(Model):
    """A section: a heading, its blocks, and optional sub-sections."""

    heading: str
    """The section's heading."""
    blocks: list[Block] = []
    """The section's content, in reading order."""
    sections: list["Section"] = []
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
    """The role or team that owns the leaflet, e.g. 'Patient information team' or 'Lead nurse, bone clinic'."""
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
    version: str
    """The leaflet's version, as text: write "1.0" in quotes."""
    published: _dt.date
    """The date this version was published or last checked (YYYY-MM-DD)."""
    review_by: _dt.date
    """The date by which the content must be reviewed (YYYY-MM-DD)."""
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
    publisher: Publisher
    """The organisation that publishes the leaflet."""
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
    other_formats: str | None = (
        "This information is available in other formats, including large print, on request."
    )
    """The 'available in other formats on request' notice, printed large at the end."""
    keywords: list[str] = []
    """Keywords for the PDF's metadata and search."""
    checks: LeafletChecks | None = None
    """Checks this leaflet is excused from (each with a reason); see docs/checks.md."""

    @field_validator("id")
    @classmethod
    def _id(cls, v: str) -> str:
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
    def _dates(self) -> "Leaflet":
        if self.review_by <= self.published:
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
        if self.withdrawn_on is not None and self.withdrawn_on < self.published:
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
        if isinstance(node, dict) and part in node:
            out.append(part)
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
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
    for err in exc.errors(include_url=False):
        loc = _clean_loc(err["loc"], doc.data)
        etype = err["type"]
        msg = err["msg"]
        hint = _TYPE_HINTS.get(etype)
        key = False
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
            fields = [f for f in (model.model_fields if model else {})]
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
                desc = model.model_fields[loc[-1]].description
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
        elif etype == "literal_error":
            msg = f"'{err.get('input')}' is not allowed"
            hint = msg_expected(err)
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
    try:
        return root.model_validate(doc.data)
    except ValidationError as exc:
        raise SchemaError(translate_errors(exc, doc, root)) from None


def validate_leaflet(doc: Document) -> Leaflet:
    """Validate a loaded leaflet file into a :class:`Leaflet`."""
    return validate_model(doc, Leaflet, "leaflet")


def leaflet_json_schema() -> dict:
    """The JSON Schema of a leaflet file, for editors."""
    schema = Leaflet.model_json_schema()
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
NOT_PRINTED = ("owner", "status")


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
