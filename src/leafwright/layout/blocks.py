"""The PDF layout of each block type, declared with :func:`leafwright.blocks.renders`.

Each builder takes the build context, the block, the structure element it goes
under, its section's heading level and its YAML path, and returns flowables; the
roles each type is tagged with are listed in :data:`leafwright.blocks.BLOCKS`.
"""

from __future__ import annotations

from dataclasses import dataclass
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


#: The label key of each callout kind (its words: :mod:`leafwright.i18n`, in the leaflet's language).
CALLOUT_LABELS = {"info": "callout_info", "warning": "callout_warning", "note": "callout_note"}


@renders("layout", "callout")
def build_callout(ctx: BuildContext, block: Any, parent: StructElem, level: int, path: tuple) -> list:
    # An Aside (role-mapped to Sect) titled like the HTML edition's <aside aria-label>;
    # a titled callout's title is a heading one level below its section, so it is
    # announced and can be reached by heading (and has a bookmark, like every heading).
    c = block.callout
    lb = ctx.labels
    key = CALLOUT_LABELS[c.kind]
    head = f"{lb.field(key)} {plain_text(c.title)}" if c.title else lb(key)
    aside = parent.add("Aside", lang=block.lang, title=head)
    label = lb.md_field(key) if c.title else lb.md(key)
    if block.lang and block.lang.lower() != ctx.leaflet.language.lower():
        # the label is in the leaflet's language, the callout in another: say which is which
        label = f"[{label}]{{lang={ctx.leaflet.language}}}"
    if c.title:
        title = ctx.heading(f"{label} {c.title}", level + 1, aside)
        title.style = ctx.styles.box_heading
    else:
        title = ctx.para(label, ctx.styles.box_heading, aside)
    # the title may hold emphasis and language runs, like any heading (links are refused)
    content = [title]
    content += [ctx.para(p, ctx.styles.body, aside) for p in paragraphs(c.text)]
    colours = ctx.style.colours
    bar = colours.accent if c.kind == "warning" else colours.primary
    return [boxed(ctx, content, getattr(colours, c.kind), bar, lang=block.lang)]


# A table column narrower than this many times its text size is too narrow to read
# (about a dozen characters a line).
MIN_COLUMN_EMS = 6.0
_CELL_PADDING = 2.5 * MM  # left and right, inside every table cell


def _cell_commands(ctx: BuildContext) -> list:
    """What every cell of a table shares, grid or stacked: font, top alignment, padding
    (the same ``_CELL_PADDING`` that :func:`column_widths` measures with)."""
    return [
        ("FONTNAME", (0, 0), (-1, -1), ctx.style.fonts.regular),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), _CELL_PADDING),
        ("RIGHTPADDING", (0, 0), (-1, -1), _CELL_PADDING),
        ("TOPPADDING", (0, 0), (-1, -1), 1.8 * MM),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.2 * MM),
    ]


@dataclass
class ColumnPlan:
    """How a table's columns share the width: each at least its longest word, the rest
    shared by how much text each holds."""

    widths: list[float]
    fits: bool  # every word fits its column at full size, every column readable
    too_wide: list[tuple[str, int]]  # (word, column) of words wider than any column can be
    readable: bool  # the page can give every column MIN_COLUMN_EMS at least


def column_widths(ctx: BuildContext, tb: Any) -> ColumnPlan:
    """Column widths for ``tb`` in ``ctx.width``: never splitting a word if that can be helped.

    A column needs its widest word (and never less than :data:`MIN_COLUMN_EMS`); the
    space left is shared in proportion to the text each column holds beyond that. When
    the needs add up to more than the width, words would have to break: ``fits`` is
    False and ``too_wide`` names the words that are wider than an equal share.
    """
    from reportlab.pdfbase.pdfmetrics import stringWidth

    ncols = len(tb.header)
    cell, head = ctx.styles.cell, ctx.styles.head_cell
    min_col = MIN_COLUMN_EMS * cell.fontSize + 2 * _CELL_PADDING
    need, text = [], []
    widest: list[tuple[float, str]] = []
    for j in range(ncols):
        texts = [(tb.header[j], head)] + [(row[j], cell) for row in tb.rows if j < len(row)]
        words = [
            (stringWidth(w, st.fontName, st.fontSize), w) for t, st in texts for w in plain_text(t).split()
        ]
        top = max(words, default=(0.0, ""))
        widest.append(top)
        need.append(max(top[0] + 2 * _CELL_PADDING + 0.5, min_col))
        text.append(sum(stringWidth(plain_text(t), st.fontName, st.fontSize) for t, st in texts))
    readable = ncols * min_col <= ctx.width + 0.01
    if sum(need) <= ctx.width:
        spare = ctx.width - sum(need)
        total = sum(text) or 1.0
        widths = [n + spare * t / total for n, t in zip(need, text)]
        return ColumnPlan(widths, True, [], readable)
    share = ctx.width / ncols
    too_wide = [(w, j) for j, (wd, w) in enumerate(widest) if wd + 2 * _CELL_PADDING > share]
    if not too_wide:  # no single word is the trouble: the words together need more room
        too_wide = [(w, j) for j, (wd, w) in enumerate(widest) if wd + 2 * _CELL_PADDING > min_col]
    return ColumnPlan([share] * ncols, False, too_wide, readable)


@renders("layout", "table")
def build_table(ctx: BuildContext, block: Any, parent: StructElem, level: int, path: tuple) -> list:
    tb = block.table
    plan = column_widths(ctx, tb)
    where = path + ("table",)
    words = ", ".join(f"\u201c{w}\u201d" for w, _ in plan.too_wide[:3])
    if not plan.fits and (ctx.style.spec.large_print or not plan.readable):
        why = (
            f"its {len(tb.header)} columns do not fit across the page at {ctx.styles.cell.fontSize:g}pt"
            if not plan.readable
            else f"its columns are too narrow at {ctx.styles.cell.fontSize:g}pt for {words}"
        )
        edition = "large print" if ctx.style.spec.large_print else "this edition"
        ctx.note(
            where,
            f"table stacked in {edition}: {why}; each row is printed as 'heading: value' lines "
            "and still read as a table",
            "fewer columns, or shorter words in them, keep the grid",
        )
        return _stacked_table(ctx, block, parent)
    if not plan.fits:
        ctx.note(
            where,
            f"{words} {'is' if len(plan.too_wide) == 1 else 'are'} wider than its column "
            f"and will be split across lines",
            "use a shorter word, a hyphen or a space (the grid is kept: only large print stacks tables)",
        )
    table = parent.add("Table", lang=block.lang)
    out: list = []
    if tb.caption:
        out.append(ctx.para(tb.caption, ctx.styles.caption, table, "Caption"))
    thead = table.add("THead")
    tr = thead.add("TR")
    header = []
    col_ids = []
    for h in tb.header:
        p = ctx.para(h, ctx.styles.head_cell, tr, "TH")
        p.lw_elem.ident = ctx.new_id("th")
        p.lw_elem.attrs = {**(p.lw_elem.attrs or {}), "O": "Table", "Scope": "Column"}
        p.lw_elem.keep = True
        col_ids.append(p.lw_elem.ident)
        header.append(p)
    tbody = table.add("TBody")
    rows = []
    for row in tb.rows:
        tr = tbody.add("TR")
        cells = []
        row_id = None
        for j, value in enumerate(row):
            if j == 0 and tb.row_headers:  # bold, in the text colour on the column's tint
                p = ctx.para(value, ctx.styles.head_cell_stacked, tr, "TH")
                row_id = p.lw_elem.ident = ctx.new_id("th")
                p.lw_elem.attrs = {
                    **(p.lw_elem.attrs or {}),
                    "O": "Table",
                    "Scope": "Row",
                    "Headers": [col_ids[0]],
                }
            else:
                p = ctx.para(value, ctx.styles.cell, tr, "TD")
                heads = [col_ids[j]] + ([row_id] if row_id else [])
                p.lw_elem.attrs = {**(p.lw_elem.attrs or {}), "O": "Table", "Headers": heads}
            p.lw_elem.keep = True  # an empty cell keeps its place in the row (§14.8.4.3.4)
            cells.append(p)
        rows.append(cells)
    grid, widths = [header] + rows, plan.widths
    rtl = ctx.rtl(block.lang)
    if rtl:  # right to left: the first column on the right (the tags keep the reading order)
        grid, widths = [r[::-1] for r in grid], widths[::-1]
    t = _data_table(grid, widths, repeatRows=1)
    colours = ctx.style.colours
    commands = _cell_commands(ctx) + [
        ("BACKGROUND", (0, 0), (-1, 0), HexColor(colours.table_header)),
        ("LINEBELOW", (0, 0), (-1, -1), 0.75, HexColor(colours.rule)),
        ("BOX", (0, 0), (-1, -1), 0.75, HexColor(colours.rule)),
    ]
    if tb.row_headers:
        first = -1 if rtl else 0
        commands.append(("BACKGROUND", (first, 1), (first, -1), HexColor(colours.tint)))
    t.setStyle(TableStyle(commands))
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
    """A table too wide for its page, stacked: each row a block of "heading: value" lines.

    Still tagged as a table, so a screen reader says it is one: each body row is a TR
    holding, per column, a TH (the heading printed beside the value, with an /ID) and
    the TD whose /Headers names it (and the row's header, with ``row_headers``). The
    grid on the page is two columns (headings, values) with a band per row. An empty
    cell prints nothing (no bare heading) but keeps its two empty cells in the tags, so
    every row has as many cells as the others.
    """
    tb = block.table
    table = parent.add("Table", lang=block.lang)
    out: list = []
    if tb.caption:
        out.append(ctx.para(tb.caption, ctx.styles.caption, table, "Caption"))
    tbody = table.add("TBody")
    lines: list[list] = []
    bands: list[tuple[int, int]] = []  # first and last line of each body row
    for row in tb.rows:
        tr = tbody.add("TR")
        first = len(lines)
        row_id = None
        for j, (head, value) in enumerate(zip(tb.header, row)):
            empty = not plain_text(value).strip()
            heading = "" if empty else ctx.labels.md("field", mark=False, label=head)  # 'Dose:'
            th = ctx.para(heading, ctx.styles.head_cell_stacked, tr, "TH")
            th.lw_elem.ident = ctx.new_id("th")
            th.lw_elem.keep = True
            if j == 0 and tb.row_headers:
                td = ctx.para(value, ctx.styles.head_cell_stacked, tr, "TH")
                row_id = td.lw_elem.ident = ctx.new_id("th")
                td.lw_elem.attrs = {
                    **(td.lw_elem.attrs or {}),
                    "O": "Table",
                    "Scope": "Row",
                    "Headers": [th.lw_elem.ident],
                }
            else:
                td = ctx.para(value, ctx.styles.cell, tr, "TD")
                td.lw_elem.attrs = {
                    **(td.lw_elem.attrs or {}),
                    "O": "Table",
                    "Headers": [th.lw_elem.ident] + ([row_id] if row_id else []),
                }
            td.lw_elem.keep = True
            if not empty:
                lines.append([th, td])
        if len(lines) > first:
            bands.append((first, len(lines) - 1))
    colours = ctx.style.colours
    label_w = ctx.width * 0.4
    grid, widths = lines or [["", ""]], [label_w, ctx.width - label_w]
    if ctx.rtl(block.lang):  # right to left: the headings on the right, their values to their left
        grid, widths = [r[::-1] for r in grid], widths[::-1]
    t = _data_table(grid, widths)
    commands = _cell_commands(ctx)
    for n, (a, b) in enumerate(bands):
        fill = colours.tint if n % 2 == 0 else colours.background
        commands += [
            ("BACKGROUND", (0, a), (-1, b), HexColor(fill)),
            ("LINEABOVE", (0, a), (-1, a), 0.75, HexColor(colours.rule)),
        ]
        if a < b:  # lines of one row sit closer than rows do
            commands += [
                ("BOTTOMPADDING", (0, a), (-1, b - 1), 0.6 * MM),
                ("TOPPADDING", (0, a + 1), (-1, b), 0.6 * MM),
            ]
    commands.append(("LINEBELOW", (0, -1), (-1, -1), 0.75, HexColor(colours.rule)))
    t.setStyle(TableStyle(commands))
    t.spaceAfter = 4 * MM
    out.append(t)
    return out


@renders("layout", "image")
def build_image(ctx: BuildContext, block: Any, parent: StructElem, level: int, path: tuple) -> list:
    from reportlab.lib.utils import ImageReader

    img = block.image
    file = ctx.image_paths[path]
    # a picture and its caption read as one unit: Div > (Figure, Caption), as Typst does; a
    # decorative picture is an artifact and its caption an ordinary paragraph
    group = parent.add("Div", lang=block.lang) if img.caption and not img.decorative else parent
    fig = (
        None
        if img.decorative
        else group.add(
            "Figure", alt=plain_text(img.alt or ""), lang=None if group is not parent else block.lang
        )
    )
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
        # a caption comes after its picture and is kept with it (KeepTogether below), not
        # with the next block: the caption style's keepWithNext is for table captions, which
        # come first -- or a large-print caption could leave its picture for the next one
        after = ParagraphStyle("image-caption", parent=ctx.styles.caption, keepWithNext=0)
        out.append(ctx.para(img.caption, after, group, "Caption" if fig is not None else "P"))
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
