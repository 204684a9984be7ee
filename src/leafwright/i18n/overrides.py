"""The ``labels:`` key of a style and of the project settings, as a schema type."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import AfterValidator

from . import check_overrides

_TAG_PATTERN = r"^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*$"


class _LabelsSchema:
    """The JSON Schema of ``labels:``: every label's key (with its English text), and
    language tags with labels under them. Built from the catalogue when asked for."""

    @classmethod
    def __get_pydantic_json_schema__(cls, core_schema: Any, handler: Any) -> dict[str, Any]:
        from . import english

        props = {
            k: {"type": "string", "description": f"Default (English): '{v}'"} for k, v in english().items()
        }
        return {
            "type": "object",
            "properties": props,
            "patternProperties": {
                _TAG_PATTERN: {"type": "object", "properties": props, "additionalProperties": False}
            },
            "additionalProperties": False,
        }


LabelOverrides = Annotated[dict[str, str | dict[str, str]], AfterValidator(check_overrides), _LabelsSchema]
"""A ``labels:`` mapping: ``{contact: ...}`` (every language), ``{cy: {contact: ...}}`` (one)."""
