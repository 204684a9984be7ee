"""The block types: each one declared once, with everything that consumes it.

A leaflet's sections hold blocks, written in YAML as a one-key mapping::

    - paragraph: Some text.
    - bullets: [one, two]
    - callout: {kind: warning, text: ...}

Each block type is a :class:`BlockType` in :data:`BLOCKS`: its schema class (one
pydantic model per type, e.g. :class:`ParagraphBlock`), the texts the checks read
(:attr:`BlockType.texts`), what it means for headings and readability, and the
renderers that draw it. A renderer lives with its edition (the PDF layout in
:mod:`leafwright.layout.blocks`; the web page's in the module named in
:data:`RENDERER_MODULES`) and is attached with :func:`renders`::

    @renders("layout", "paragraph")
    def build_paragraph(ctx, block, parent, level, path): ...

Adding a block type: write its model and declaration here, and one renderer per
module in :data:`RENDERER_MODULES`. ``tests/test_blocks.py`` runs every declared
type through validation, the checks, layout and the tag tree, and fails for a type
that any consumer lacks.
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Annotated, Any, ClassVar, Literal, Union

from pydantic import Discriminator, Field, Tag, field_validator, model_validator
from pydantic.json_schema import SkipJsonSchema

from .load import PathKey
from .schema import Model, check_lang, check_url

Texts = Iterator[tuple[PathKey, str]]

#: The modules holding each edition's block renderers (consumer name -> module). A
#: module that does not exist yet (an edition not written) is skipped by the
#: completeness test; once it exists, every block type needs a renderer in it.
RENDERER_MODULES: dict[str, str] = {
    "layout": "leafwright.layout.blocks",
    "html": "leafwright.web.blocks",
}


# --- what blocks are made of -----------------------------------------------------------


class ListItem(Model):
    """A list item with an optional bold lead-in, e.g. 'Common side effects: ...'."""

    text: str
    """The item's text (inline markup allowed)."""
    lead: str | None = None
    """A bold lead-in printed before the text."""


TextOrItem = str | ListItem


class FAQEntry(Model):
    """One question and its answer."""

    question: str
    """The question, as the reader would ask it."""
    answer: str | list[Block]
    """The answer: text (a blank line starts a new paragraph), or a list of blocks when it
    needs a list, a table or a callout (not images or further questions)."""

    @field_validator("answer")
    @classmethod
    def _answer_blocks(cls, v: Any) -> Any:
        if isinstance(v, list):
            nested = sorted({b.kind for b in v if not BLOCKS[b.kind].in_answers})
            if nested:
                raise ValueError(
                    f"an answer's blocks cannot be {' or '.join(nested)}: put "
                    "pictures and further questions after the answer"
                )
            if not v:
                raise ValueError("an answer needs some text or at least one block")
        return v


class Callout(Model):
    """A boxed note on a pale tint."""

    text: str
    """The callout's text; a blank line starts a new paragraph."""
    kind: Literal["info", "warning", "note"] = "info"
    """info, warning or note: sets the colour and the label read out."""
    title: str | None = None
    """An optional heading inside the box."""


class Table(Model):
    """A table with a header row."""

    header: list[str]
    """The header row: one label per column."""
    rows: list[list[str]]
    """The body rows; each has as many cells as the header."""
    caption: str | None = None
    """A caption printed above the table and read as its title."""
    row_headers: bool = False
    """true when each row's first cell names the row (a medicine, a day): it is then a
    header a screen reader says with every other cell of that row."""

    @model_validator(mode="after")
    def _row_lengths(self) -> Table:
        for i, row in enumerate(self.rows):
            if len(row) != len(self.header):
                raise ValueError(
                    f"@rows.{i}: row {i + 1} has {len(row)} cells but the header has {len(self.header)}"
                )
        return self


class Image(Model):
    """A picture from a file in the leaflet's folder."""

    file: str
    """A PNG, JPEG, WebP or SVG (drawn as vectors), relative to the leaflet's file and inside
    its folder, or in the project's shared images/ folder beside the leaflets' folder."""
    alt: str | None = None
    """What the image shows, read out by screen readers. Required unless decorative."""
    caption: str | None = None
    """A caption printed under the image."""
    decorative: bool = False
    """true when the image adds nothing to the text; it is then skipped by screen readers."""
    width: Annotated[float, Field(gt=0, le=1000, allow_inf_nan=False)] | None = None
    """Printed width in millimetres (default: the column width, or the image's own size if smaller)."""

    @model_validator(mode="after")
    def _alt(self) -> Image:
        if not self.decorative and not (self.alt and self.alt.strip()):
            raise ValueError("an image needs 'alt' text describing it, or 'decorative: true'")
        return self


class Link(Model):
    """A related link."""

    text: str
    """The link's text, saying where it goes."""
    url: str
    """The address: http(s), mailto: or tel:."""
    description: str | None = None
    """A short line after the link."""

    @field_validator("url")
    @classmethod
    def _url(cls, v: str) -> str:
        return check_url(v)


class Links(Model):
    """A list of related links ('See also')."""

    items: list[Link]
    """The links."""
    title: str | None = None
    """An optional heading, e.g. 'See also'."""


# --- one model per block type ----------------------------------------------------------


class BlockModel(Model):
    """What every block has: its type's name (``kind``), its content (``value``), a language."""

    kind: ClassVar[str]
    lang: str | None = None

    @property
    def value(self) -> Any:
        """The block's content (the value under its one key)."""
        return getattr(self, self.kind)

    @field_validator("lang")
    @classmethod
    def _lang(cls, v: str | None) -> str | None:
        return check_lang(v) if v is not None else v


class ParagraphBlock(BlockModel):
    """A paragraph of text."""

    kind: ClassVar[str] = "paragraph"
    paragraph: str
    """A paragraph of text (inline markup: **bold**, *emphasis*, [text](url))."""
    lang: str | None = None
    """The language of this block when it differs from the leaflet's (BCP 47, e.g. 'cy' for Welsh)."""


class BulletsBlock(BlockModel):
    """A bulleted list."""

    kind: ClassVar[str] = "bullets"
    bullets: list[TextOrItem]
    """A bulleted list; each item is text, or a mapping with lead and text."""
    lang: str | None = None
    """The language of this block when it differs from the leaflet's (BCP 47, e.g. 'cy' for Welsh)."""


class NumberedBlock(BlockModel):
    """A numbered list."""

    kind: ClassVar[str] = "numbered"
    numbered: list[TextOrItem]
    """A numbered list; each item is text, or a mapping with lead and text."""
    lang: str | None = None
    """The language of this block when it differs from the leaflet's (BCP 47, e.g. 'cy' for Welsh)."""


class FAQBlock(BlockModel):
    """Questions and answers."""

    kind: ClassVar[str] = "faq"
    faq: list[FAQEntry]
    """Questions and answers."""
    lang: str | None = None
    """The language of this block when it differs from the leaflet's (BCP 47, e.g. 'cy' for Welsh)."""


class CalloutBlock(BlockModel):
    """A boxed note."""

    kind: ClassVar[str] = "callout"
    callout: Callout
    """A boxed note: info, warning or note."""
    lang: str | None = None
    """The language of this block when it differs from the leaflet's (BCP 47, e.g. 'cy' for Welsh)."""


class TableBlock(BlockModel):
    """A table."""

    kind: ClassVar[str] = "table"
    table: Table
    """A table: a header row, the body rows and an optional caption."""
    lang: str | None = None
    """The language of this block when it differs from the leaflet's (BCP 47, e.g. 'cy' for Welsh)."""


class ImageBlock(BlockModel):
    """A picture."""

    kind: ClassVar[str] = "image"
    image: Image
    """A picture with alt text and caption, or a decorative one."""
    lang: str | None = None
    """The language of this block when it differs from the leaflet's (BCP 47, e.g. 'cy' for Welsh)."""


class LinksBlock(BlockModel):
    """Related links."""

    kind: ClassVar[str] = "links"
    links: Links
    """Related links ('See also')."""
    lang: str | None = None
    """The language of this block when it differs from the leaflet's (BCP 47, e.g. 'cy' for Welsh)."""


# --- the texts each type holds (what the checks read) ---------------------------------


def _paragraph_texts(value: str, path: PathKey) -> Texts:
    yield path, value


def _list_texts(value: list[TextOrItem], path: PathKey) -> Texts:
    for i, item in enumerate(value):
        if isinstance(item, str):
            yield path + (i,), item
        else:
            if item.lead:
                yield path + (i, "lead"), item.lead
            yield path + (i, "text"), item.text


def _faq_texts(value: list[FAQEntry], path: PathKey) -> Texts:
    for i, entry in enumerate(value):
        yield path + (i, "question"), entry.question
        if isinstance(entry.answer, str):
            yield path + (i, "answer"), entry.answer
        else:
            for j, b in enumerate(entry.answer):
                yield from block_texts(b, path + (i, "answer", j))


def _callout_texts(value: Callout, path: PathKey) -> Texts:
    if value.title:
        yield path + ("title",), value.title
    yield path + ("text",), value.text


def _table_texts(value: Table, path: PathKey) -> Texts:
    if value.caption:
        yield path + ("caption",), value.caption
    for i, h in enumerate(value.header):
        yield path + ("header", i), h
    for r, row in enumerate(value.rows):
        for c, cell in enumerate(row):
            yield path + ("rows", r, c), cell


def _image_texts(value: Image, path: PathKey) -> Texts:
    if value.caption:
        yield path + ("caption",), value.caption


def _links_texts(value: Links, path: PathKey) -> Texts:
    if value.title:
        yield path + ("title",), value.title
    for i, link in enumerate(value.items):
        yield path + ("items", i, "text"), link.text
        if link.description:
            yield path + ("items", i, "description"), link.description


# --- the registry -----------------------------------------------------------------------


@dataclass(eq=False)
class BlockType:
    """One block type: its schema class and everything that reads or draws it."""

    name: str
    """The YAML key, e.g. 'paragraph'."""
    model: type[BlockModel]
    """The block's schema class (``model.kind == name``)."""
    texts: Callable[[Any, PathKey], Texts]
    """The texts in a block's value with their YAML paths (the value's own path given)."""
    roles: str
    """The PDF structure roles it is tagged with (documentation; the layout builder tags)."""
    example: Any
    """A small valid value for its key, as YAML would give it (the docs and the block tests
    use it; an image's example names ``example.png`` beside the leaflet)."""
    prose: bool = True
    """Whether its texts are running prose, scored for readability (not tables, captions, links)."""
    in_answers: bool = True
    """Whether it may be one of an FAQ answer's blocks."""
    headings: Callable[[Any], bool] = lambda value: False
    """Whether it adds headings one level below its section's (FAQ questions, a links title)."""
    renderers: dict[str, Callable[..., Any]] = field(default_factory=dict)
    """Filled by :func:`renders`: one renderer per edition (``layout``, ``html``)."""

    def renderer(self, consumer: str) -> Callable[..., Any]:
        """This type's renderer for ``consumer`` (importing the module that declares it)."""
        if consumer not in self.renderers:
            importlib.import_module(RENDERER_MODULES[consumer])
        try:
            return self.renderers[consumer]
        except KeyError:
            raise LookupError(
                f"block type '{self.name}' has no {consumer} renderer: add one to "
                f"{RENDERER_MODULES[consumer]} with @renders({consumer!r}, {self.name!r})"
            ) from None


#: Every block type, in the order the schema lists them.
BLOCKS: dict[str, BlockType] = {
    bt.name: bt
    for bt in (
        BlockType(
            "paragraph", ParagraphBlock, _paragraph_texts, "P", "Drink a glass of water with each tablet."
        ),
        BlockType(
            "bullets",
            BulletsBlock,
            _list_texts,
            "L > LI > (Lbl, LBody > P)",
            ["Stay upright", {"lead": "Eat:", "text": "wait half an hour"}],
        ),
        BlockType(
            "numbered",
            NumberedBlock,
            _list_texts,
            "L > LI > (Lbl, LBody > P)",
            ["Swallow the tablet", "Sit for an hour"],
        ),
        BlockType(
            "faq",
            FAQBlock,
            _faq_texts,
            "H(n+1) question, then P answer(s)",
            [{"question": "Can I drive afterwards?", "answer": "Yes, once you feel well."}],
            in_answers=False,
            headings=lambda value: True,
        ),
        BlockType(
            "callout",
            CalloutBlock,
            _callout_texts,
            "Aside (role-mapped to Div) > P",
            {"kind": "warning", "title": "Jaw pain", "text": "Tell your dentist at once."},
        ),
        BlockType(
            "table",
            TableBlock,
            _table_texts,
            "Table > Caption, THead > TR > TH (ID), TBody > TR > TD (Headers); stacked: TR > (TH, TD) pairs",
            {"caption": "Doses by weight", "header": ["Weight", "Dose"], "rows": [["Under 20 kg", "5 mg"]]},
            prose=False,
        ),
        BlockType(
            "image",
            ImageBlock,
            _image_texts,
            "Figure with /Alt, or an artifact when decorative",
            {"file": "example.png", "alt": "A blue tablet", "caption": "The tablet, actual size"},
            prose=False,
            in_answers=False,
        ),
        BlockType(
            "links",
            LinksBlock,
            _links_texts,
            "L > LI > LBody > P > Link",
            {"title": "See also", "items": [{"text": "Our helpline", "url": "tel:08088001234"}]},
            prose=False,
            headings=lambda value: bool(value.title),
        ),
    )
}

BLOCK_TYPES: tuple[str, ...] = tuple(BLOCKS)


def renders(consumer: str, name: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Declare ``fn`` as block type ``name``'s renderer for ``consumer`` (e.g. 'layout')."""
    if consumer not in RENDERER_MODULES:
        raise ValueError(f"unknown block consumer '{consumer}'; add it to RENDERER_MODULES")

    def register(fn: Callable[..., Any]) -> Callable[..., Any]:
        BLOCKS[name].renderers[consumer] = fn
        return fn

    return register


def renderer_modules() -> dict[str, str]:
    """The renderer modules that exist (an edition not yet written has none)."""
    out = {}
    for consumer, module in RENDERER_MODULES.items():
        try:
            found = importlib.util.find_spec(module) is not None
        except ModuleNotFoundError:  # its package does not exist either
            found = False
        if found:
            out[consumer] = module
    return out


def block_texts(block: BlockModel, bpath: PathKey) -> Texts:
    """The texts in one block (at YAML path ``bpath``), with their paths."""
    yield from BLOCKS[block.kind].texts(block.value, bpath + (block.kind,))


def adds_headings(block: BlockModel) -> bool:
    """Whether a block puts headings one level below its section's."""
    return BLOCKS[block.kind].headings(block.value)


# --- the union the schema validates against ----------------------------------------------


class BlockShape(Model):
    """A mapping that is not one block: no type, several types, or an unknown one.

    Validation sends every such mapping here, so its errors read as before the types
    were split: 'a block has one type', 'unknown block', 'a block needs one of'.
    """

    lang: Any = None

    @model_validator(mode="before")
    @classmethod
    def _one_type(cls, data: Any) -> Any:
        if isinstance(data, dict):
            found = [k for k in BLOCK_TYPES if k in data]
            if len(found) > 1:
                raise ValueError(
                    f"a block has one type, this one has {len(found)}: "
                    f"{', '.join(found)}; start each with its own '- '"
                )
            unknown = [k for k in data if k not in BLOCK_TYPES and k != "lang"]
            if not found and not unknown:
                raise ValueError("a block needs one of: " + ", ".join(BLOCK_TYPES))
        return data


_SHAPE_TAG = "BlockShape"


def _block_tag(data: Any) -> str:
    """Which model validates ``data``: the one named by its single block key."""
    if isinstance(data, BlockModel):
        return type(data).__name__
    if isinstance(data, dict):
        found = [k for k in BLOCK_TYPES if k in data]
        if len(found) == 1:
            return BLOCKS[found[0]].model.__name__
    return _SHAPE_TAG


if TYPE_CHECKING:
    Block = BlockModel
else:
    # Tags are class names (capitalised), which error locations leave out (model._clean_loc).
    Block = Annotated[
        Union[  # noqa: UP007 -- built from the registry at run time: no `|` spelling
            tuple(Annotated[bt.model, Tag(bt.model.__name__)] for bt in BLOCKS.values())
            + (Annotated[SkipJsonSchema[BlockShape], Tag(_SHAPE_TAG)],)
        ],
        Discriminator(_block_tag),
    ]
"""One block of content: exactly one of the block types."""

FAQEntry.model_rebuild()  # its answer may hold Blocks, defined after it
