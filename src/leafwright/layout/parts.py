"""The fixed parts of every leaflet around its sections: the title band, the booklet's
contents, the key points, the contact panel with its QR code, 'About this information'
and the other-formats notice; and the sections themselves."""

from __future__ import annotations

from typing import Any

from reportlab.lib.colors import HexColor
from reportlab.platypus import TableStyle
from reportlab.platypus.flowables import KeepTogether

from ..inline import plain_text, unbroken
from ..model import Section
from ..style import MM
from ..tag import StructElem
from .blocks import build_block
from .context import (
    BuildContext,
    boxed,
    contact_lines,
    label_style,
    list_items,
    md_escape,
    paragraphs,
    short_url,
)
from .flowables import BoxTable, QRCode, SvgImage, TaggedImage, TitleBand


def build_section(ctx: BuildContext, sec: Section, level: int, parent: StructElem, path: tuple) -> list:
    sect = parent.add("Sect")
    out: list = [ctx.heading(sec.heading, level, sect)]
    for i, block in enumerate(sec.blocks):
        made = build_block(ctx, block, sect, level, path + ("blocks", i))
        for f in made:  # where it came from, for a located error if it cannot fit a page
            f.lw_path = path + ("blocks", i)
        out.extend(made)
    for i, sub in enumerate(sec.sections):
        out.extend(build_section(ctx, sub, level + 1, sect, path + ("sections", i)))
    return out


#: The most of the title band's width a logo takes; the title has the rest.
LOGO_SHARE = 0.4


def build_title(ctx: BuildContext, doc: StructElem, bleed: float = 0.0) -> list:
    lf = ctx.leaflet
    st = ctx.style
    logo = None
    if st.logo is not None:
        # 18 mm tall, unless that would make it wider than the band's share for a logo (a
        # wide banner): then it is as wide as that share and shorter
        h = 18 * MM
        max_w = ctx.width * LOGO_SHARE
        owner = lf.publisher.name if lf.publisher else st.spec.name
        lb = ctx.labels
        fig = doc.add(
            "Figure",
            alt=st.spec.logo_alt or (lb("logo_alt", organisation=owner) if owner else lb("logo_alt_unnamed")),
        )
        if st.logo.suffix.lower() == ".svg":
            from ..style import load_svg

            drawing = load_svg(st.logo)
            logo = SvgImage(drawing, min(max_w, h * drawing.width / drawing.height), fig, st.fonts.regular)
        else:
            from reportlab.lib.utils import ImageReader

            iw, ih = ImageReader(str(st.logo)).getSize()
            w = min(max_w, h * iw / ih)
            logo = TaggedImage(st.logo, w, w * ih / iw, fig)
    # the title may hold emphasis and language runs (a link in it is refused by validation)
    title = ctx.para(lf.title, ctx.styles.h1, doc, "H1")
    key = "lwh_title"
    title.lw_bookmark = (0, key, plain_text(lf.title))
    subtitle = ctx.para(lf.subtitle, ctx.styles.subtitle, doc) if lf.subtitle else None
    band_type = MirroredTitleBand if ctx.rtl() else TitleBand
    band = band_type(title, subtitle, logo, st, st.spec.title_band, bleed)
    band.spaceAfter = 6 * MM
    return [band]


class _Shifted:
    """A flowable drawn ``dx`` points to the right of where it is asked to be."""

    def __init__(self, flowable: Any, dx: float):
        self.flowable = flowable
        self.dx = dx

    def drawOn(self, canv: Any, x: float, y: float, _sW: float = 0) -> None:
        self.flowable.drawOn(canv, x + self.dx, y, _sW)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.flowable, name)


class MirroredTitleBand(TitleBand):
    """The title band of a right-to-left leaflet: the logo at the left, the title and
    subtitle beside it at the right (each aligned by its own paragraph style)."""

    def draw(self) -> None:
        logo, title, subtitle = self.logo, self.title, self.subtitle
        shift = self.width - self.text_w  # the room the logo takes, now at the left
        self.logo = None
        self.title = _Shifted(title, shift)
        self.subtitle = _Shifted(subtitle, shift) if subtitle is not None else None
        try:
            super().draw()  # the band, the title and the subtitle
        finally:
            self.logo, self.title, self.subtitle = logo, title, subtitle
        if logo is not None:
            lw, lh = logo.wrap(self.width, self.height)
            logo.drawOn(self.canv, 0, self.height - lh)


def build_key_points(ctx: BuildContext, doc: StructElem) -> list:
    kp = ctx.leaflet.key_points
    if kp is None:
        return []
    sect = doc.add("Sect")
    content = [ctx.heading(kp.title or ctx.labels.md("key_points"), 2, sect)]
    content[0].style = ctx.styles.box_heading
    content += list_items(ctx, kp.items, sect, False, None)
    return [boxed(ctx, content, ctx.style.colours.tint, ctx.style.colours.accent)]


def build_booklet(ctx: BuildContext, doc: StructElem) -> list:
    bk = ctx.leaflet.booklet
    if bk is None:
        return []
    sect = doc.add("Sect")
    lb = ctx.labels
    content: list = [ctx.heading(lb.md("booklet_from", title=bk.title), 2, sect)]
    content[0].style = ctx.styles.box_heading
    if bk.series:
        content.append(ctx.para(md_escape(bk.series), ctx.styles.body, sect))
    content.append(ctx.para(lb.md("booklet_contents"), ctx.styles.body, sect))
    toc = sect.add("TOC")
    item_style = label_style(ctx, ctx.styles.item, f"{len(bk.contents)}.")
    colour = HexColor(ctx.style.colours.muted)
    for n, entry in enumerate(bk.contents, 1):
        toci = toc.add("TOCI")
        text = md_escape(entry)
        if entry == bk.current:
            text = f"**{lb.md('booklet_this_section', entry=text)}**"
        lbl = toci.add("Lbl", text=f"{n}.")  # the label reads before the entry's text
        p = ctx.para(text, item_style, toci)
        p.lw_label = (f"{n}.", lbl, ctx.style.fonts.regular, item_style.fontSize, colour)
        content.append(p)
    return [boxed(ctx, content, ctx.style.colours.tint, ctx.style.colours.primary, split=True)]


def build_about(ctx: BuildContext, doc: StructElem) -> list:
    lf = ctx.leaflet
    lb = ctx.labels
    sect = doc.add("Sect")
    out: list = [ctx.heading(lb.md("about"), 2, sect)]
    # only what the leaflet states: an unknown version or date is left out, never guessed
    facts = [
        f"**{lb.md_field(key)}** " + unbroken(value)
        for key, value in (
            ("version", md_escape(lf.version) if lf.version else None),
            ("published", md_escape(lb.date(lf.published)) if lf.published else None),
            ("review_due", md_escape(lb.date(lf.review_by)) if lf.review_by else None),
        )
        if value
    ]
    if facts:
        out.append(ctx.para("\n".join(facts), ctx.styles.body, sect))
    if lf.change_note:
        out.append(
            ctx.para(f"**{lb.md_field('change_note')}** {md_escape(lf.change_note)}", ctx.styles.body, sect)
        )
    if lf.authors:
        out.append(ctx.para(f"**{lb.md_field('written_by')}** " + _people(lf.authors), ctx.styles.body, sect))
    if lf.reviewers:
        out.append(
            ctx.para(f"**{lb.md_field('reviewed_by')}** " + _people(lf.reviewers), ctx.styles.body, sect)
        )
    if lf.acknowledgements:
        out.append(ctx.heading(lb.md("acknowledgements"), 3, sect))
        out.extend(ctx.para(p, ctx.styles.body, sect) for p in paragraphs(lf.acknowledgements))
    if lf.references:
        out.append(ctx.heading(lb.md("sources"), 3, sect))
        out.extend(list_items(ctx, lf.references, sect, True, None))
    if lf.feedback:
        out.append(ctx.heading(lb.md("feedback"), 3, sect))
        out.extend(ctx.para(p, ctx.styles.body, sect) for p in paragraphs(lf.feedback))
    if lf.disclaimer:
        out.append(ctx.heading(lb.md("disclaimer"), 3, sect))
        out.extend(ctx.para(p, ctx.styles.body, sect) for p in paragraphs(lf.disclaimer))
    if len(out) == 1:  # nothing is known about it: no section with a heading alone
        doc.kids.remove(sect)
        return []
    return out


def _people(people: list) -> str:
    return "; ".join(md_escape(p.name) + (f" ({md_escape(p.role)})" if p.role else "") for p in people)


def build_contact(ctx: BuildContext, doc: StructElem) -> list:
    lf = ctx.leaflet
    pub = lf.publisher
    if pub is None:  # no publisher named: no contact panel
        return []
    sect = doc.add("Sect")
    lb = ctx.labels
    content: list = [ctx.heading(lb.md("contact", organisation=md_escape(pub.name)), 2, sect)]
    content[0].style = ctx.styles.box_heading
    body = ctx.styles.body
    lines = contact_lines(pub, lb)
    content += [ctx.para(line, body, sect) for line in lines]
    out: list = []
    if lines:  # a publisher with only a name gets no empty contact box
        out.append(boxed(ctx, content, ctx.style.colours.tint, ctx.style.colours.primary))
    else:
        doc.kids.remove(sect)
    if lf.online_url:
        online = doc.add("Sect")
        qr_size = 30 * MM
        fig = online.add("Figure", alt=lb("qr_alt", url=lf.online_url))
        qr = QRCode(lf.online_url, qr_size, HexColor(ctx.style.colours.text), fig)
        text = ctx.para(
            f"**{lb.md_field('read_online')}** [{md_escape(short_url(lf.online_url))}]({lf.online_url})",
            body,
            online,
        )
        cells, widths = [qr, text], [qr_size + 5 * MM, ctx.width - qr_size - 5 * MM]
        if ctx.rtl():  # the code at the right, the words to its left
            cells, widths = cells[::-1], widths[::-1]
        t = BoxTable([cells], colWidths=widths)
        t.setStyle(
            TableStyle(
                [
                    ("FONTNAME", (0, 0), (-1, -1), ctx.style.fonts.regular),
                    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                    ("RIGHTPADDING" if ctx.rtl() else "LEFTPADDING", (0, 0), (-1, -1), 0),
                ]
            )
        )
        out.append(KeepTogether([t]))
    return out


def build_editions(ctx: BuildContext, doc: StructElem) -> list:
    """ "This leaflet in: Cymraeg · Polski · العربية": the leaflet's other language editions,
    each name in its own language (tagged with it) and a link to that edition's PDF beside
    this one. A name the style's fonts cannot draw is given in English ("Arabic")."""
    from ..editions import english_language_name
    from ..fonts import font_for

    if not ctx.editions:
        return []
    names = []
    for lang, name, file in ctx.editions:
        if not all(font_for(ch, ctx.style.fonts) for ch in name if not ch.isspace()):
            name, lang = english_language_name(lang), "en"
        names.append(f"[[{md_escape(name)}]{{lang={lang}}}]({file})")
    text = f"**{ctx.labels.md('this_leaflet_in')}** " + " · ".join(names)
    # the links to the other PDFs are made while the document is drawn (render_document
    # allows these file names then: leafwright.inline.local_files)
    return [ctx.para(text, ctx.styles.body, doc)]


def build_notice(ctx: BuildContext, doc: StructElem) -> list:
    if not ctx.leaflet.other_formats:
        return []
    return [ctx.para(ctx.leaflet.other_formats, ctx.styles.notice, doc)]
