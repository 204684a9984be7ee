"""The base of every schema class, and the field checks leaflets and blocks share.

Kept apart from :mod:`leafwright.model` so that :mod:`leafwright.blocks` (the block
types) and :mod:`leafwright.model` (the leaflet around them) can both build on it
without importing each other.
"""

from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict

LINK_SCHEMES = ("http", "https", "mailto", "tel")
_BCP47 = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")


class Model(BaseModel):
    """Base for every schema class: unknown keys are refused, docstrings describe fields."""

    model_config = ConfigDict(
        extra="forbid", use_attribute_docstrings=True, frozen=True, str_strip_whitespace=False
    )


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
