"""Language: the fixed labels a leaflet prints, in its language (LW801)."""

from __future__ import annotations

from ..i18n import catalogue_languages, label_glyph_problems, language_name, leaflet_labels
from .base import Context


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
