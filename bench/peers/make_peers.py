"""Write the OI bisphosphonate factsheet for the peer tools: Typst markup and HTML.

Run once (``python bench/peers/make_peers.py``); its outputs, ``oi-bisphosphonates.typ``
and ``oi-bisphosphonates.html``, are kept in the repository so every benchmark run
measures the same sources. Both use the same text, the same font (Atkinson
Hyperlegible), type sizes, A4 and margins of leafwright's default style (read from it).
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import yaml

from leafwright.render import load_leaflet
from leafwright.style import StyleSpec

HERE = Path(__file__).resolve().parent
LEAFLET = HERE.parents[1] / "leaflets" / "oi-bisphosphonates.yaml"
SPEC = StyleSpec.model_validate(
    yaml.safe_load((HERE.parents[1] / "styles" / "default.yaml").read_text(encoding="utf-8"))
)
T = SPEC.type
M = SPEC.page.margins


def _typ_inline(text: str) -> str:
    text = re.sub(r"([#$\\<>@`_*\[\]~])", r"\\\1", text)
    text = re.sub(r"\\\*\\\*(.+?)\\\*\\\*", r"*\1*", text)  # **bold** back to Typst *strong*
    return text


def to_typst(lf) -> str:
    out = [
        '#set document(title: "%s")' % lf.title.replace('"', '\\"'),
        '#set text(font: "Atkinson Hyperlegible", size: %gpt, lang: "en", region: "GB")' % T.body,
        '#set page(paper: "a4", margin: (top: %gmm, right: %gmm, bottom: %gmm, left: %gmm),'
        % (M.top, M.right, M.bottom, M.left),
        "  footer: context [#text(size: 12pt)[%s · Version %s · Page #counter(page).display()]])"
        % (_typ_inline(lf.publisher.name), lf.version),
        "#set par(leading: 0.65em, justify: false)",
        '#show heading.where(level: 1): set text(size: %gpt, fill: rgb("#1d4f91"))' % T.h1,
        '#show heading.where(level: 2): set text(size: %gpt, fill: rgb("#1d4f91"))' % T.h2,
        "#show heading.where(level: 3): set text(size: %gpt)" % T.h3,
        "",
        f"= {_typ_inline(lf.title)}",
        "",
    ]
    if lf.key_points:
        out.append('#block(fill: rgb("#eaf1fa"), inset: 10pt, width: 100%)[')
        out.append(f"*{_typ_inline(lf.key_points.title)}*\n")
        out += [f"- {_typ_inline(i)}" for i in lf.key_points.items]
        out.append("]\n")

    def section(sec, level):
        out.append("=" * level + " " + _typ_inline(sec.heading) + "\n")
        for b in sec.blocks:
            # one model per block type: the other types' keys are simply absent
            paragraph, bullets, numbered, faq, callout = (
                getattr(b, k, None) for k in ("paragraph", "bullets", "numbered", "faq", "callout")
            )
            if paragraph:
                out.append(_typ_inline(paragraph) + "\n")
            for items, mark in ((bullets, "-"), (numbered, "+")):
                for it in items or []:
                    t = it if isinstance(it, str) else " ".join(x for x in (it.lead, it.text) if x)
                    out.append(f"{mark} {_typ_inline(t)}")
                if items:
                    out.append("")
            for q in faq or []:
                out.append(f"=== {_typ_inline(q.question)}\n\n{_typ_inline(q.answer)}\n")
            if callout:
                out.append('#block(fill: rgb("#e8f1fb"), inset: 10pt, width: 100%)[')
                if callout.title:
                    out.append(f"*{_typ_inline(callout.title)}*\n")
                out.append(_typ_inline(callout.text) + "\n]\n")
        for sub in sec.sections:
            section(sub, level + 1)

    for sec in lf.sections:
        section(sec, 2)
    return "\n".join(out) + "\n"


def _html_inline(text: str) -> str:
    text = html.escape(text)
    return re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", text)


def to_html(lf) -> str:
    out = [
        "<!DOCTYPE html>",
        '<html lang="en-GB"><head><meta charset="utf-8">',
        f"<title>{html.escape(lf.title)}</title>",
        "<style>",
        "@page { size: A4; margin: %gmm %gmm %gmm %gmm;" % (M.top, M.right, M.bottom, M.left),
        "  @bottom-left { content: '%s · Version %s · Page ' counter(page); font-size: 12pt; } }"
        % (lf.publisher.name.replace("'", ""), lf.version),
        "body { font-family: 'Atkinson Hyperlegible'; font-size: %gpt; line-height: %g; }"
        % (T.body, T.leading),
        "h1 { font-size: %gpt; color: #1d4f91; } h2 { font-size: %gpt; color: #1d4f91; }" % (T.h1, T.h2),
        "h3 { font-size: %gpt; } .box { background: #eaf1fa; padding: 10pt; }" % T.h3,
        ".callout { background: #e8f1fb; padding: 10pt; }",
        "</style></head><body>",
        f"<h1>{_html_inline(lf.title)}</h1>",
    ]
    if lf.key_points:
        out.append(f'<div class="box"><p><strong>{_html_inline(lf.key_points.title)}</strong></p><ul>')
        out += [f"<li>{_html_inline(i)}</li>" for i in lf.key_points.items]
        out.append("</ul></div>")

    def section(sec, level):
        out.append(f"<h{level}>{_html_inline(sec.heading)}</h{level}>")
        for b in sec.blocks:
            paragraph, bullets, numbered, faq, callout = (
                getattr(b, k, None) for k in ("paragraph", "bullets", "numbered", "faq", "callout")
            )
            if paragraph:
                out.append(f"<p>{_html_inline(paragraph)}</p>")
            for items, tag in ((bullets, "ul"), (numbered, "ol")):
                if items:
                    out.append(f"<{tag}>")
                    for it in items:
                        t = it if isinstance(it, str) else " ".join(x for x in (it.lead, it.text) if x)
                        out.append(f"<li>{_html_inline(t)}</li>")
                    out.append(f"</{tag}>")
            for q in faq or []:
                out.append(f"<h3>{_html_inline(q.question)}</h3><p>{_html_inline(q.answer)}</p>")
            if callout:
                title = f"<p><strong>{_html_inline(callout.title)}</strong></p>" if callout.title else ""
                out.append(f'<div class="callout">{title}<p>{_html_inline(callout.text)}</p></div>')
        for sub in sec.sections:
            section(sub, min(level + 1, 6))

    for sec in lf.sections:
        section(sec, 2)
    out.append("</body></html>")
    return "\n".join(out) + "\n"


def main() -> None:
    """Write both peer sources next to this script."""
    lf = load_leaflet(LEAFLET).leaflet
    (HERE / "oi-bisphosphonates.typ").write_text(to_typst(lf), encoding="utf-8")
    (HERE / "oi-bisphosphonates.html").write_text(to_html(lf), encoding="utf-8")


if __name__ == "__main__":
    main()
