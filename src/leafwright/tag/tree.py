"""The structure tree as plain data: elements, the content and annotations they hold,
and what the document says about itself. Nothing here draws or writes PDF."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

# Non-standard roles we use, mapped to the standard PDF 1.7 types (§14.8.4) they act as.
# A callout is an Aside (PDF 2.0's name, the HTML edition's <aside>) read as a Sect, titled
# with /T, its title a heading: PDF 1.7 has no announced "aside", and a Div says nothing.
# Only the entries a document uses are written (an unused entry is noise to a checker).
ROLE_MAP = {"Aside": "Sect"}


@dataclass(eq=False)
class MCR:
    """A marked-content reference: content with ``mcid`` on page ``page`` (0-based)."""

    page: int
    mcid: int


@dataclass(eq=False)
class OBJR:
    """An object reference: an annotation on page ``page``."""

    page: int
    ref: Any  # the annotation's PDF object reference
    struct_parent: int


@dataclass(eq=False)
class StructElem:
    """A structure element: a role (P, H2, LI, ...), its kids, and its attributes."""

    role: str
    parent: StructElem | None = None
    kids: list[Any] = field(default_factory=list)
    alt: str | None = None
    lang: str | None = None
    title: str | None = None
    actual_text: str | None = None
    attrs: dict[str, Any] | None = None
    # the text this element stands for, for tests and the audit outline
    text: str | None = None
    ident: str | None = None  # /ID (§14.7.2): a table header that data cells' /Headers name
    keep: bool = False  # written even when nothing is drawn in it (an empty table cell)

    def add(self, role: str, **kw: Any) -> StructElem:
        """Create a child element at the end of this one's kids."""
        child = StructElem(role, parent=self, **kw)
        self.kids.append(child)
        return child

    def walk(self) -> Iterator[StructElem]:
        """This element and its descendants, depth first."""
        yield self
        for k in self.kids:
            if isinstance(k, StructElem):
                yield from k.walk()

    def has_content(self) -> bool:
        """Whether any content (or annotation) landed in this element or below it
        (an element that must be kept, like an empty table cell, counts as content)."""
        return self.keep or any(
            isinstance(k, (MCR, OBJR)) or (isinstance(k, StructElem) and k.has_content()) for k in self.kids
        )


class TagTree:
    """The document's structure tree, rooted at a ``Document`` element."""

    def __init__(self, lang: str):
        self.root = StructElem("Document", lang=None)
        self.lang = lang


@dataclass
class DocMeta:
    """What the catalog, Info dictionary and XMP packet say about the document."""

    title: str
    lang: str
    author: str = ""
    subject: str = ""
    keywords: str = ""
    creator: str = "leafwright"
    date: _dt.date | None = None
    producer: str = "ReportLab (leafwright)"  # the same in the Info dictionary and the XMP
