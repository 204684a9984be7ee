"""Structure: heading depth, empty sections, links, the contact panel, duplicate ids."""

from __future__ import annotations

import re

from ..blocks import adds_headings
from ..errors import Diagnostic
from ..inline import link_targets, plain_text
from ..model import check_url, iter_texts, walk_section_paths
from ..style import MM
from .base import Context, leaflet_diagnostic, prose

MAX_LEVEL = 6  # PDF/UA and HTML have H1-H6; deeper headings would be flattened to H6


def link_problem(url: str) -> str | None:
    """Why a link target is not usable, or None if it is."""
    try:
        check_url(url)
    except ValueError as exc:
        return str(exc)
    scheme, _, rest = url.partition(":")
    scheme = scheme.lower()
    if scheme in ("http", "https"):
        host = re.sub(r"^//", "", rest).split("/", 1)[0].split(":", 1)[0]
        if "." not in host or host.startswith(".") or host.endswith("."):
            return f"link '{url}' has no complete host name (e.g. www.example.org)"
    elif scheme == "mailto":
        if not re.match(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", rest.split("?", 1)[0]):
            return f"link '{url}' is not an email address"
    elif scheme == "tel" and not re.fullmatch(r"\+?[0-9][0-9 ()\-]{2,}", rest):
        return f"link '{url}' is not a telephone number (digits, spaces and a leading + only)"
    return None


def check(ctx: Context) -> None:
    """LW401, LW402, LW404-LW407."""
    lf = ctx.leaflet
    too_deep: list[tuple] = []  # sections reported: their sub-sections are not, again
    for sec, path, level in walk_section_paths(lf.sections):
        if any(path[: len(p)] == p for p in too_deep):
            pass
        elif level > MAX_LEVEL:
            too_deep.append(path)
            ctx.report(
                "LW401",
                path + ("heading",),
                f"'{sec.heading}' needs heading level {level}; the deepest is {MAX_LEVEL}",
                "move this section up a level: readers lose their place "
                "in deep nesting, and levels below 6 are flattened",
            )
        else:
            for j, block in enumerate(sec.blocks):
                if level + 1 > MAX_LEVEL and adds_headings(block):
                    # name the block whose headings need the level, not its section
                    what = (
                        "the questions of this FAQ"
                        if block.kind == "faq"
                        else f"this {block.kind} block's title"
                    )
                    ctx.report(
                        "LW401",
                        path + ("blocks", j, block.kind),
                        f"{what} would need heading level {level + 1} (in '{sec.heading}'); "
                        f"the deepest is {MAX_LEVEL}",
                        "move this section up a level, or put the block in a section one level up",
                    )
        if not sec.blocks and not sec.sections:
            ctx.report(
                "LW402",
                path + ("heading",),
                f"section '{sec.heading}' has no content",
                "add blocks under it, or remove the section",
            )
    for path, text in prose(lf):
        for url in link_targets(text):
            problem = link_problem(url)
            if problem:
                ctx.report(
                    "LW404",
                    path,
                    problem,
                    "links may be https://, http://, mailto: or tel:; write the full address",
                )
    # every address the schema holds (online_url, publisher.web, each link's url, also in
    # blocks inside an FAQ answer), in file order
    urls = [
        (path, text)
        for path, text in iter_texts(lf)
        if path in (("online_url",), ("publisher", "web")) or path[-1] == "url"
    ]
    for path, url in urls:
        problem = link_problem(url) if url else None
        if problem:
            ctx.report("LW404", path, problem, "write the full address, e.g. https://www.example.org")
    _long_addresses(ctx)
    pub = lf.publisher
    if pub is None:
        return  # no contact panel at all: LW504 says so
    if not (pub.phone or pub.helpline):
        ctx.report(
            "LW405",
            ("publisher",),
            "the contact panel has no telephone number",
            "add publisher.phone or publisher.helpline: many readers prefer to call",
        )
    if not (pub.web or lf.online_url):
        ctx.report(
            "LW406",
            ("publisher",),
            "the contact panel has no web address",
            "add publisher.web (or online_url) so readers can find more, and newer, information",
        )


_ADDRESS_WORD = re.compile(r"\S*(?:://|www\.|@)\S*")


def _long_addresses(ctx: Context) -> None:
    """LW407: a web (or e-mail) address printed in the text that is wider than a line.

    The build breaks it over lines (after '/', '?', '&', '-'), so it still fits, but a
    reader must type it from pieces; link text ('[our leaflet](https://...)') reads better."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    body = ctx.styles.body
    column = ctx.frame_width
    for path, text in prose(ctx.leaflet):
        for word in _ADDRESS_WORD.findall(plain_text(text)):
            word = word.rstrip(".,;:!)")
            width = stringWidth(word, body.fontName, body.fontSize)
            if width > column:
                ctx.report(
                    "LW407",
                    path,
                    f"the address '{word[:40]}...' is wider than a line ({width / MM:.0f} mm at "
                    f"{body.fontSize:g}pt; the column is {column / MM:.0f} mm): "
                    "it is printed broken over lines",
                    "make it a link with short text, e.g. [our leaflet on bisphosphonates](https://...), "
                    "or give a shorter address",
                )


def duplicate_ids(sources: list) -> list[Diagnostic]:
    """LW403: every leaflet after the first that reuses an id (it would overwrite the PDF)."""
    first: dict[str, str] = {}
    out: list[Diagnostic] = []
    for src in sources:
        lid = src.leaflet.id
        if lid in first:
            msg = f"duplicate leaflet id '{lid}' (already used by {first[lid]})"
            out.append(
                leaflet_diagnostic(
                    src, "LW403", ("id",), msg, "give each leaflet its own id: it names the output file"
                )
            )
        else:
            first[lid] = src.file
    return out
