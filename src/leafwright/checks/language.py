"""Language: the fixed labels a leaflet prints, in its language (LW801); numbers in groups
that a right-to-left paragraph would lay out backwards (LW802)."""

from __future__ import annotations

import re

from ..i18n import catalogue_languages, label_glyph_problems, language_name, leaflet_labels
from ..text.bidi import first_strong_is_rtl
from .base import Context, prose

#: digits in groups separated by spaces (a phone number): in a right-to-left paragraph each
#: space takes the paragraph's direction, so the groups are laid out right to left
_GROUPS = re.compile(r"(?<![\d.,])\d+(?:[ \u00a0]\d+)+(?![\d.,])")
_LINK = re.compile(r"\[[^\]]*\]\([^)]*\)")


def check_numbers(ctx: Context) -> None:
    """LW802: a number in space-separated groups in a right-to-left paragraph, not in a link."""
    for path, text in prose(ctx.leaflet):
        if not text or not first_strong_is_rtl(text):
            continue
        for m in _GROUPS.finditer(_LINK.sub(lambda k: " " * len(k.group()), text)):
            number = m.group()
            ctx.report(
                "LW802",
                path,
                f"'{number}' will read backwards in this right-to-left text (its groups are laid out "
                f"right to left: '{' '.join(reversed(number.split()))}'), so a reader would dial or "
                "copy the wrong number",
                f"make it a link, which keeps it whole in the PDF and the web page: "
                f"[{number}](tel:{''.join(number.split())}) (hyphens do not help in Arabic script)",
            )


def check(ctx: Context) -> None:
    """LW801: labels nothing supplies in the leaflet's language (no catalogue, no override)
    print in English: one warning per leaflet naming the language and those labels. And
    LW210 for a script only the labels use (no font has it), as the build says it."""
    lf = ctx.leaflet
    labels = leaflet_labels(lf, ctx.style, ctx.config.labels)
    if not any(d.code == "LW210" for d in ctx.found):  # as the build: the text's own first
        ctx.found.extend(label_glyph_problems(labels, ctx.style.fonts, ctx.source.doc, code="LW210"))
    if not labels.missing:
        return
    lang = lf.language
    name = language_name(lang)
    called = f"{name} ({lang})" if name != lang else f"'{lang}'"
    shipped = ", ".join(catalogue_languages())
    if labels.catalogue is None:
        what = f"leafwright has no labels in {called}"
    else:
        what = f"some labels have no text in {called}"
    missing = labels.missing
    first = next(iter(missing))
    ctx.report(
        "LW801",
        ("language",),
        f"{what}: {len(missing)} "
        + ("label prints" if len(missing) == 1 else "labels print")
        + " in English: "
        + ", ".join(missing),
        f"give them in {lang} under 'labels:' in leafwright.yaml (every leaflet) or in the style, "
        f"e.g. labels: {{{lang}: {{{first}: ...}}}}; every label's English text is in "
        f"docs/labels.md. Languages shipped: {shipped}",
    )
