"""Leaflets as living documents: owner and status, the archive of published versions,
content changed without a new version, `diff`, `review` and each leaflet's history."""

from __future__ import annotations

import re
from pathlib import Path

import pypdf

from conftest import style
from leafwright.render import load_leaflet, render

LIVING = Path(__file__).resolve().parent / "data" / "living"
V1 = LIVING / "zoledronate-v1.yaml"
V2 = LIVING / "zoledronate-v2.yaml"


def pdf_text(path: Path) -> str:
    """A PDF's text with whitespace folded (wrapped lines compare with the YAML's text)."""
    return re.sub(r"\s+", " ", " ".join(p.extract_text() for p in pypdf.PdfReader(path).pages))


def test_change_note_printed_in_about_block_owner_not(tmp_path):
    src = load_leaflet(V2)
    assert src.leaflet.owner is not None and src.leaflet.status == "approved"
    out = tmp_path / "z.pdf"
    out.write_bytes(render(src, style()))
    text = pdf_text(out)
    about = text[text.index("About this information") :]
    assert "What changed in this version: New dosing interval; feeling sick removed" in about
    # the owner is for governance, not for readers
    assert "bone.clinic@example.org" not in text
