"""Clear print (RNIB, UKAAF): type sizes, alignment, italics, capitals, line length.

Sizes come from the resolved style through the paragraph styles layout makes,
so a derived size (a caption, the footer, a table cell) is checked at the size
it is printed, not the size written in the style.
"""

from __future__ import annotations

import re

from reportlab.lib.enums import TA_JUSTIFY
from reportlab.pdfbase.pdfmetrics import stringWidth

from ..inline import parse_inline, plain_text
from .base import Context, prose

BODY_MIN = 12.0
LARGE_MIN = 16.0
LARGE_BETTER = 18.0
NOTICE_MIN = 16.0
LINE_MIN, LINE_MAX = 50, 80

# Plain-English leaflet prose: its average character width (spaces and punctuation
# included) stands for the text a line holds better than the alphabet does.
SAMPLE = (
    "Bisphosphonates are medicines that help to keep your bones strong. Your doctor "
    "or nurse will tell you how often to take them, and what to do if you forget a "
    "dose. Most people have few side effects, but tell your dentist before you start."
)

#: Which style key sets each derived paragraph size, for locating a finding.
_SIZE_KEY = {"caption": "small", "footer": "small", "cell": "small", "head_cell": "small"}
_NAMES = {
    "body": "body text",
    "item": "list items",
    "cell": "table cells",
    "head_cell": "table header cells",
    "caption": "captions",
    "footer": "footers and page numbers",
    "subtitle": "the subtitle",
    "question": "questions",
    "h4": "level 4 headings",
    "h5": "level 5 headings",
    "h6": "level 6 headings",
    "box_heading": "box headings",
    "notice": "the other-formats notice",
    "h1": "the title",
    "h2": "section headings",
    "h3": "sub-section headings",
}


def chars_per_line(font: str, size: float, width: float) -> float:
    """How many characters of ordinary prose fit in ``width`` points, by the font's real metrics."""
    avg = stringWidth(SAMPLE, font, size) / len(SAMPLE)
    return width / avg


def check_style(ctx: Context) -> None:
    """LW201-LW204, LW207-LW209: what the style prints, at the sizes it prints them."""
    spec = ctx.style.spec
    body = ctx.style.type.body
    large = spec.large_print
    minimum = LARGE_MIN if large else BODY_MIN
    kind = "large print" if large else "clear print"
    if body < minimum:
        ctx.report_style(
            "LW201",
            ("type", "body"),
            f"body text {body:g}pt is below the {kind} minimum of {minimum:g}pt",
            f"set type.body to {minimum:g} or more" + ("" if large else " (14 is better)"),
        )
    elif large and body < LARGE_BETTER:
        ctx.report_style(
            "LW202",
            ("type", "body"),
            f"large-print body text {body:g}pt is below the recommended {LARGE_BETTER:g}pt",
            "set type.body to 18",
        )
    small = []
    for name, ps in vars(ctx.styles).items():
        if name != "body" and ps.fontSize < minimum:  # the body's size is LW201's
            small.append((name, ps.fontSize))
        if ps.alignment == TA_JUSTIFY:
            ctx.report_style(
                "LW204",
                ("type",),
                f"{_NAMES.get(name, name)} is justified",
                "clear print is left-aligned with a ragged right edge",
            )
    for name, size in small:
        key = _SIZE_KEY.get(name, "body")
        ctx.report_style(
            "LW203",
            ("type", key),
            f"{_NAMES.get(name, name)} {size:g}pt is smaller than the {kind} minimum of {minimum:g}pt",
            f"set type.{key} to {minimum:g} or more: labels, captions and page "
            "numbers are read by the same readers as the body",
        )
    if ctx.styles.notice.fontSize < NOTICE_MIN:
        ctx.report_style(
            "LW208",
            ("type", "body"),
            f"the other-formats notice is {ctx.styles.notice.fontSize:g}pt, below {NOTICE_MIN:g}pt",
            "readers who need large print must be able to read the offer of it",
        )
    cpl = chars_per_line(ctx.styles.body.fontName, body, ctx.frame_width)
    if not LINE_MIN <= cpl <= LINE_MAX:
        side = "long" if cpl > LINE_MAX else "short"
        fix = (
            "widen the margins (page.margins) or raise type.body"
            if side == "long"
            else "narrow the margins (page.margins) or lower type.body"
        )
        ctx.report_style(
            "LW207",
            ("page", "margins") if side == "long" else ("type", "body"),
            f"lines are about {cpl:.0f} characters, too {side} "
            f"(aim for {LINE_MIN}-{LINE_MAX}, ideally 60-70)",
            fix,
        )
    check_fallback_bold(ctx)


def check_fallback_bold(ctx: Context) -> None:
    """LW209: a fallback font with no bold face (a single static file): headings and bold
    text print regular in the characters it draws (Greek, Cyrillic in a Latin brand font)."""
    fonts = ctx.style.fonts
    for i, (name, bold) in enumerate(zip(fonts.fallbacks, fonts.fallbacks_bold)):
        if name == bold:
            label = fonts.fallback_names[i] if i < len(fonts.fallback_names) else name
            key = fonts.fallback_keys[i] if i < len(fonts.fallback_keys) else ("fonts", "fallback")
            ctx.report_style(
                "LW209",
                key,
                f"fallback font '{label}' has no bold face: headings and bold text print regular "
                "in the characters it draws",
                "use an installed family (e.g. Noto Sans, cut to bold automatically) or a variable font file",
            )


_CAPS_WORD = re.compile(r"[A-Za-z][A-Za-z'’]*")
_THREE_CAPS = re.compile(r"[A-Z]{3}")


def caps_runs(text: str) -> list[str]:
    """Runs of four or more words in capitals that read as shouting, not initials.

    A list of initials ("CC, CH, JW, ZM") is not a block of capitals: a run
    counts when its words average three letters or more.
    """
    out: list[str] = []
    if not _THREE_CAPS.search(text):
        return out  # four words averaging three capitals need one of three or more
    run: list[re.Match] = []

    def close() -> None:
        letters = sum(len(m.group()) for m in run)
        if len(run) >= 4 and letters / len(run) >= 3:
            out.append(text[run[0].start() : run[-1].end()])
        run.clear()

    for m in _CAPS_WORD.finditer(text):
        if m.group().isupper():
            if run and re.search(r"[.!?;:]", text[run[-1].end() : m.start()]):
                close()  # a new sentence starts a new run
            run.append(m)
        else:
            close()
    close()
    return out


def check_scripts(ctx: Context) -> None:
    """LW210: a script (or a symbol) in the leaflet that none of the style's fonts has; one
    finding per script, the same the build stops with (:func:`leafwright.fonts.glyph_diagnostics`)."""
    from ..fonts import glyph_diagnostics
    from ..model import iter_texts

    texts = iter_texts(ctx.leaflet)
    ctx.found.extend(glyph_diagnostics(texts, ctx.style.fonts, ctx.source.doc, code="LW210"))


def check_text(ctx: Context) -> None:
    """LW205 (italics) and LW206 (capitals) in the leaflet's text; LW210 (scripts with no font)."""
    check_scripts(ctx)
    for path, text in prose(ctx.leaflet):
        italic = [s.text for s in parse_inline(text) if s.italic and s.text.strip()]
        if italic:
            shown = italic[0] if len(italic[0]) <= 40 else italic[0][:37] + "..."
            ctx.report(
                "LW205",
                path,
                f"italic text: '{shown}'",
                "italics are hard to read for many readers: use **bold** for emphasis",
            )
        for run in caps_runs(plain_text(text)):
            shown = run if len(run) <= 40 else run[:37] + "..."
            ctx.report(
                "LW206",
                path,
                f"words in capitals: '{shown}'",
                "capitals are harder to read: write in sentence case and use **bold** for emphasis",
            )
