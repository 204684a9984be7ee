"""The PDF layout of each block type, declared with :func:`leafwright.blocks.renders`.

Each builder takes the build context, the block, the structure element it goes
under, its section's heading level and its YAML path, and returns flowables; the
roles each type is tagged with are listed in :data:`leafwright.blocks.BLOCKS`.
"""

from __future__ import annotations

from typing import Any

from reportlab.lib.colors import HexColor
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import TableStyle
from reportlab.platypus.flowables import KeepTogether

from ..blocks import BLOCKS, BlockModel, renders
from ..inline import plain_text
from ..style import MM
from ..tag import StructElem
from .context import BuildContext, boxed, image_size, list_items, paragraphs
from .flowables import BoxTable, SvgImage, TaggedImage


def build_block(ctx: BuildContext, block: BlockModel, parent: StructElem, level: int, path: tuple) -> list:
    """One block's flowables, by its type's declared layout builder."""
    return BLOCKS[block.kind].renderer("layout")(ctx, block, parent, level, path)


@renders("layout", "paragraph")
def build_paragraph(ctx: BuildContext, block: Any, parent: StructElem, level: int, path: tuple) -> list:
    return [ctx.para(p, ctx.styles.body, parent, lang=block.lang) for p in paragraphs(block.paragraph)]


@renders("layout", "bullets")
def build_bullets(ctx: BuildContext, block: Any, parent: StructElem, level: int, path: tuple) -> list:
    return list_items(ctx, block.bullets, parent, False, block.lang)


@renders("layout", "numbered")
def build_numbered(ctx: BuildContext, block: Any, parent: StructElem, level: int, path: tuple) -> list:
    return list_items(ctx, block.numbered, parent, True, block.lang)


@renders("layout", "faq")
def build_faq(ctx: BuildContext, block: Any, parent: StructElem, level: int, path: tuple) -> list:
    # Each question is a heading one level below its section, so screen-reader users can
    # jump question to question, and its answer follows it as paragraphs.
    out: list = []
    for i, entry in enumerate(block.faq):
        q = ctx.heading(entry.question, level + 1, parent)
        q.style = ctx.styles.question
        out.append(q)
        if isinstance(entry.answer, str):
            out.extend(
                ctx.para(p, ctx.styles.body, parent, lang=block.lang) for p in paragraphs(entry.answer)
            )
            continue
        for j, b in enumerate(entry.answer):  # an answer with a list, a table or a callout
            out.extend(build_block(ctx, b, parent, level + 1, path + ("faq", i, "answer", j)))
    return out


CALLOUT_LABELS = {"info": "Information", "warning": "Warning", "note": "Note"}


@renders("layout", "callout")
def build_callout(ctx: BuildContext, block: Any, parent: StructElem, level: int, path: tuple) -> list:
    c = block.callout
    aside = parent.add("Aside", lang=block.lang)
    label = CALLOUT_LABELS[c.kind]
    head = f"{label}: {c.title}" if c.title else label
    # the title may hold emphasis and language runs, like a heading (links are refused)
    content = [ctx.para(head, ctx.styles.box_heading, aside)]
    content += [ctx.para(p, ctx.styles.body, aside) for p in paragraphs(c.text)]
    colours = ctx.style.colours
    return [
        boxed(
            ctx, content, getattr(colours, c.kind), colours.accent if c.kind == "warning" else colours.primary
        )
    ]


# A table column narrower than this many times its text size is too narrow to read
# (about a dozen characters a line): the table is stacked instead.
MIN_COLUMN_EMS = 6.0
_CELL_PADDING = 2.5 * MM  # left and right, inside every table cell


def _cell_commands(ctx: BuildContext) -> list:
    """What every cell of a table shares, grid or stacked: font, top alignment, padding
    (the same ``_CELL_PADDING`` that :func:`_table_fits` measures with)."""
    return [
        ("FONTNAME", (0, 0), (-1, -1), ctx.style.fonts.regular),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), _CELL_PADDING),
        ("RIGHTPADDING", (0, 0), (-1, -1), _CELL_PADDING),
        ("TOPPADDING", (0, 0), (-1, -1), 1.8 * MM),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.2 * MM),
    ]


def _table_fits(ctx: BuildContext, tb: Any) -> bool:
    """Whether a table's columns are wide enough for every word at full size.

    ReportLab would otherwise split long words across lines (or cut them), which
    is unreadable; shrinking the text instead would break the size minimum.
    """
    from reportlab.pdfbase.pdfmetrics import stringWidth

    ncols = len(tb.header)
    inner = ctx.width / ncols - 2 * _CELL_PADDING
    cell, head = ctx.styles.cell, ctx.styles.head_cell
    if inner < MIN_COLUMN_EMS * cell.fontSize:
        return False
    for j in range(ncols):
        texts = [(tb.header[j], head)] + [(row[j], cell) for row in tb.rows if j < len(row)]
        for text, st in texts:
            for word in plain_text(text).split():
                if stringWidth(word, st.fontName, st.fontSize) > inner:
                    return False
    return True


@renders("layout", "table")
def build_table(ctx: BuildContext, block: Any, parent: StructElem, level: int, path: tuple) -> list:
    tb = block.table
    if not _table_fits(ctx, tb):
        return _stacked_table(ctx, block, parent)
    table = parent.add("Table", lang=block.lang)
    out: list = []
    if tb.caption:
        out.append(ctx.para(tb.caption, ctx.styles.caption, table, "Caption"))
    thead = table.add("THead")
    tr = thead.add("TR")
    header = []
    for h in tb.header:
        header.append(ctx.para(h, ctx.styles.head_cell, tr, "TH"))
        header[-1].lw_elem.attrs = dict(header[-1].lw_elem.attrs or {}, O="Table", Scope="Column")
    tbody = table.add("TBody")
    rows = []
    for row in tb.rows:
        tr = tbody.add("TR")
        rows.append([ctx.para(cell, ctx.styles.cell, tr, "TD") for cell in row])
    ncols = len(tb.header)
    t = _data_table([header] + rows, [ctx.width / ncols] * ncols, repeatRows=1)
    colours = ctx.style.colours
    t.setStyle(
        TableStyle(
            _cell_commands(ctx)
            + [
                ("BACKGROUND", (0, 0), (-1, 0), HexColor(colours.table_header)),
                ("LINEBELOW", (0, 0), (-1, -1), 0.75, HexColor(colours.rule)),
                ("BOX", (0, 0), (-1, -1), 0.75, HexColor(colours.rule)),
            ]
        )
    )
    t.spaceAfter = 4 * MM
    out.append(t)
    return out


def _data_table(rows: list, widths: list[float], **kw: Any) -> BoxTable:
    """A table of rows that move to the next page whole, except a row too tall for any page
    (a cell of a hundred words in large print or on A5), which breaks inside when it must
    rather than stop the build."""
    t = BoxTable(rows, colWidths=widths, splitInRow=1, **kw)
    t.lw_split_anywhere = False
    t.lw_long_box = False
    return t


def _stacked_table(ctx: BuildContext, block: Any, parent: StructElem) -> list:
    """A table too wide for its page, stacked: each row a block of "Header: value" lines.

    Tagged as a list (L > LI > LBody > P, the caption as the list's Caption), not as
    Table/TR/TH/TD: what is drawn is a sequence of labelled rows, and each line already
    names its column, so a screen reader hears exactly what a sighted reader sees. Keeping
    Table semantics would claim a grid (a row of headers, cells under them) that is no
    longer on the page, and interleaved TH/TD in one TR would mis-associate headers.
    """
    tb = block.table
    lst = parent.add("L", lang=block.lang)  # ListNumbering defaults to None (§14.8.5.5)
    out: list = []
    if tb.caption:
        out.append(ctx.para(tb.caption, ctx.styles.caption, lst, "Caption"))
    rows = []
    for row in tb.rows:
        body = lst.add("LI").add("LBody")
        rows.append(
            [[ctx.para(f"**{head}:** {value}", ctx.styles.cell, body) for head, value in zip(tb.header, row)]]
        )
    colours = ctx.style.colours
    t = _data_table(rows, [ctx.width])
    t.setStyle(
        TableStyle(
            _cell_commands(ctx)
            + [
                ("ROWBACKGROUNDS", (0, 0), (-1, -1), [HexColor(colours.tint), HexColor(colours.background)]),
                ("LINEABOVE", (0, 0), (-1, -1), 0.75, HexColor(colours.rule)),
                ("LINEBELOW", (0, -1), (-1, -1), 0.75, HexColor(colours.rule)),
            ]
        )
    )
    t.spaceAfter = 4 * MM
    out.append(t)
    return out


@renders("layout", "image")
def build_image(ctx: BuildContext, block: Any, parent: StructElem, level: int, path: tuple) -> list:
    from reportlab.lib.utils import ImageReader

    img = block.image
    file = ctx.image_paths[path]
    fig = None if img.decorative else parent.add("Figure", alt=plain_text(img.alt or ""), lang=block.lang)
    out: list = []
    if file.suffix.lower() == ".svg":
        # drawn as vectors, one Figure (or one artifact): sharp at any size, in print too
        from ..style import load_svg

        drawing = load_svg(file)
        width = min(ctx.width, img.width * MM) if img.width else min(ctx.width, drawing.width)
        out.append(SvgImage(drawing, width, fig, ctx.style.fonts.regular))
    else:
        iw, ih = ImageReader(str(file)).getSize()
        width, height = image_size(img, iw, ih, ctx.width, ctx.height, ctx.styles)
        out.append(TaggedImage(file, width, height, fig))
    if img.caption:
        # a picture's caption comes after it: kept with the picture (KeepTogether below), not
        # with the next block (the caption style's keepWithNext is for table captions, which
        # come first) -- or a large-print caption could leave its picture for the next one
        after = ParagraphStyle("image-caption", parent=ctx.styles.caption, keepWithNext=0)
        out.append(ctx.para(img.caption, after, parent, "P"))
    if len(out) > 1:
        return [KeepTogether(out)]
    return out


@renders("layout", "links")
def build_links(ctx: BuildContext, block: Any, parent: StructElem, level: int, path: tuple) -> list:
    lk = block.links
    out: list = []
    if lk.title:
        out.append(ctx.heading(lk.title, level + 1, parent))
    items = []
    for link in lk.items:
        # the link's words may hold a language run: [[Gwefan]{lang=cy}](https://...)
        text = f"[{link.text}]({link.url})"
        if link.description:
            text += " \u2013 " + link.description
        items.append(text)
    out.extend(list_items(ctx, items, parent, False, block.lang))
    return out
