"""The base of every schema class, and the field checks leaflets and blocks share.

Kept apart from :mod:`leafwright.model` so that :mod:`leafwright.blocks` (the block
types) and :mod:`leafwright.model` (the leaflet around them) can both build on it
without importing each other.
"""

from __future__ import annotations

import ast
import functools
import inspect
import re
import sys
from typing import Any

from pydantic import BaseModel, ConfigDict

LINK_SCHEMES = ("http", "https", "mailto", "tel")
_BCP47 = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")


class Model(BaseModel):
    """Base for every schema class: unknown keys are refused, docstrings describe fields.

    A field's docstring is read when it is asked for (:func:`field_description`, and the
    JSON Schemas through :func:`json_schema_of`), not when the class is made: pydantic's
    ``use_attribute_docstrings`` reads each class's source at import, ~45 ms of every cold
    start. Validators are built at first use (``defer_build``): a command that validates
    no leaflet builds none, and one that does builds each schema once, nested models inline.
    """

    model_config = ConfigDict(extra="forbid", defer_build=True, frozen=True, str_strip_whitespace=False)


@functools.cache
def _module_classes(module: str) -> dict[str, ast.ClassDef]:
    """The classes a module's source defines, by qualified name (the last definition wins)."""
    try:
        tree = ast.parse(inspect.getsource(sys.modules[module]))
    except (OSError, TypeError, KeyError, SyntaxError):  # no source (frozen, REPL)
        return {}
    out: dict[str, ast.ClassDef] = {}

    def visit(body: list[ast.stmt], prefix: str) -> None:
        for node in body:
            if isinstance(node, ast.ClassDef):
                out[prefix + node.name] = node
                visit(node.body, prefix + node.name + ".")

    visit(tree.body, "")
    return out


@functools.cache
def _class_docstrings(cls: type) -> dict[str, str]:
    """{attribute: docstring} for the annotated attributes a class's own body documents:
    a string statement straight after ``name: type [= default]`` (as pydantic reads them)."""
    node = _module_classes(cls.__module__).get(cls.__qualname__)
    docs: dict[str, str] = {}
    if node is None:
        return docs
    for prev, stmt in zip(node.body, node.body[1:]):
        if (
            isinstance(prev, ast.AnnAssign)
            and isinstance(prev.target, ast.Name)
            and isinstance(stmt, ast.Expr)
            and isinstance(stmt.value, ast.Constant)
            and isinstance(stmt.value.value, str)
        ):
            docs[prev.target.id] = inspect.cleandoc(stmt.value.value)
    return docs


def field_description(model: type[BaseModel], name: str) -> str | None:
    """A field's description: ``Field(description=...)``, else the docstring under it in the
    class that declares it (the most derived one annotating it)."""
    info = model.model_fields.get(name)
    if info is not None and info.description is not None:
        return info.description
    for klass in model.__mro__:
        if name in inspect.get_annotations(klass):
            return _class_docstrings(klass).get(name)
    return None


def json_schema_of(model: type[BaseModel]) -> dict[str, Any]:
    """A model's JSON Schema, each field of a :class:`Model` described by its docstring."""
    from pydantic.json_schema import GenerateJsonSchema  # ~8 ms: only when a schema is asked for

    class DocumentedSchema(GenerateJsonSchema):
        def model_schema(self, schema: Any) -> Any:
            json_schema = super().model_schema(schema)
            cls = schema.get("cls")
            props = json_schema.get("properties") if isinstance(json_schema, dict) else None
            if isinstance(cls, type) and issubclass(cls, BaseModel) and props:
                for name, info in cls.model_fields.items():
                    key = info.alias or name
                    if key in props and info.description is None:
                        desc = field_description(cls, name)
                        if desc is not None:
                            props[key] = self.handle_ref_overrides({**props[key], "description": desc})
            return json_schema

    return model.model_json_schema(schema_generator=DocumentedSchema)


#: The longest link accepted: browsers and QR codes cope with far less in practice.
MAX_URL = 2000


def check_url(url: str) -> str:
    """Accept only http(s), mailto and tel links."""
    if len(url) > MAX_URL:
        raise ValueError(
            f"link '{url[:40]}…' is {len(url):,} characters long; a link may be at most {MAX_URL:,}"
        )
    scheme = url.split(":", 1)[0].lower() if ":" in url else ""
    if scheme not in LINK_SCHEMES:
        raise ValueError(f"link '{url}' must start with http://, https://, mailto: or tel:")
    if scheme in ("http", "https") and not re.match(r"^https?://[^\s/]+", url, re.I):
        raise ValueError(f"link '{url}' is not a complete web address")
    if any(c.isspace() for c in url):
        raise ValueError(f"link '{url}' contains spaces")
    return url


def check_lang(v: str) -> str:
    """Validate a BCP 47 language tag."""
    if not _BCP47.match(v):
        raise ValueError(f"'{v}' is not a BCP 47 language tag (e.g. en-GB, cy, fr)")
    return v
