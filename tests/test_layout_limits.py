"""Layout at its limits: bold in every script, pictures and logos larger than the page,
long web addresses, dates that must not break, pages that must not go empty, and
builds that say when an output fails its own PDF/UA check (issue 9, layout side)."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pypdf
import pytest

from conftest import ROOT, style
from leafwright.render import load_leaflet, render, render_document

HEAD = """\
id: {id}
title: {title}
version: "1.0"
published: 2024-01-01
review_by: 2027-01-01
publisher:
  name: Example Charity
  address: [1 High Street, Dundee]
authors: [{{name: A Writer}}]
references: [Sources are available on request.]
disclaimer: This leaflet does not replace your doctor's advice.
feedback: Email us to tell us what you think.
"""


def leaflet(folder: Path, body: str, *, lid: str = "limits", title: str = "Test", extra: str = "") -> Path:
    """A leaflet file with everything the build's checks require, and ``body`` (its sections)."""
    path = folder / f"{lid}.yaml"
    path.write_text(HEAD.format(id=lid, title=title) + extra + body, encoding="utf-8")
    return path


def runs(pdf: bytes, page: int = 0) -> list[tuple[str, str]]:
    """(font name without subset prefix, text) of every text run drawn on a page."""
    out: list[tuple[str, str]] = []

    def visit(text, cm, tm, font, size):
        if text.strip() and font:
            out.append((str(font.get("/BaseFont", "")).split("+")[-1], text.strip()))

    pypdf.PdfReader(io.BytesIO(pdf)).pages[page].extract_text(visitor_text=visit)
    return out


# --- item 12: bold in Greek, Cyrillic and Vietnamese --------------------------------------


def test_bold_stays_bold_in_greek_cyrillic_and_vietnamese(tmp_path):
    path = leaflet(
        tmp_path,
        """\
sections:
  - heading: Τι είναι η οστεοπόρωση;
    blocks:
      - paragraph: "Η **Οστεοπόρωση** είναι πάθηση. Το **Остеопороз** και **Loãng xương** επίσης."
""",
    )
    drawn = runs(render(load_leaflet(path), style()))
    greek_heading = [f for f, t in drawn if t in ("Τι", "η", "οστεο")]  # the heading's words
    assert greek_heading and all(f == "NotoSans-Bold" for f in greek_heading), drawn
    # inside **bold**: the fallback's letters bold, like the main font's
    assert ("NotoSans-Bold", "Остеопороз") in drawn
    assert ("NotoSans-Bold", "Οστεο") in drawn
    # and regular text stays regular
    assert ("NotoSans-Regular", "πάθηση") in drawn or ("NotoSans-Regular", "άθηση") in drawn


def test_a_variable_font_given_as_the_bold_file_gives_bold(tmp_path):
    import fontpkg

    variable = next(f.path for f in fontpkg.family("Noto Sans").files if f.style == "normal")
    brand = tmp_path / "brand.yaml"
    brand.write_text(
        f"extends: default\nfonts: {{regular: '{variable}', bold: '{variable}', fallback: []}}\n",
        encoding="utf-8",
    )
    from leafwright.style import resolve_style

    st = resolve_style(str(brand), [ROOT / "styles"])
    path = leaflet(
        tmp_path,
        "sections:\n  - heading: Heading\n    blocks:\n      - paragraph: Plain and **bold** words.\n",
    )
    drawn = runs(render(load_leaflet(path), st))
    assert ("NotoSans-Bold", "Heading") in drawn
    assert ("NotoSans-Bold", "bold") in drawn
    assert any(f == "NotoSans-Regular" and "Plain" in t for f, t in drawn)
