"""Pictures in leaflets: WebP, SVG (drawn as vectors, one Figure), and a shared images/ folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import style
from leafwright.errors import LeafwrightError
from leafwright.pdfread import inspect_pdf
from leafwright.render import load_leaflet, render

SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="100" viewBox="0 0 200 100">'
    '<rect x="5" y="5" width="190" height="90" fill="#ddeeff" stroke="#1d4f91" stroke-width="4"/>'
    '<circle cx="60" cy="50" r="30" fill="#a84a14"/></svg>'
)

LEAFLET = """\
id: pics
title: Pictures
sections:
  - heading: Pictures
    blocks:
      - paragraph: Three kinds of picture.
      - image: {{file: {webp}, alt: A yellow sun on green, width: 60}}
      - image: {{file: {svg}, alt: A circle in a box, caption: Drawn as vectors}}
      - image: {{file: {png}, decorative: true, width: 40}}
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    from PIL import Image

    (tmp_path / "leaflets").mkdir()
    (tmp_path / "images").mkdir()
    Image.new("RGB", (900, 450), (40, 120, 90)).save(tmp_path / "leaflets" / "sun.webp")
    Image.new("RGB", (600, 300), (200, 40, 40)).save(tmp_path / "images" / "shared.png")
    (tmp_path / "images" / "diagram.svg").write_text(SVG, encoding="utf-8")
    return tmp_path


def _leaflet(project: Path, **files: str) -> Path:
    names = {"webp": "sun.webp", "svg": "diagram.svg", "png": "shared.png", **files}
    path = project / "leaflets" / "pics.yaml"
    path.write_text(LEAFLET.format(**names), encoding="utf-8")
    return path


def test_webp_svg_and_shared_pictures_build_tagged(project, tmp_path):
    import page
    from pypdf import PdfReader

    pdf = render(load_leaflet(_leaflet(project)), style())
    out = tmp_path / "pics.pdf"
    out.write_bytes(pdf)
    report = inspect_pdf(pdf)
    figures = report.tree.find("Figure")
    # the decorative picture is an artifact; the SVG is one Figure, however many shapes it has
    assert [f.alt for f in figures] == ["A yellow sun on green", "A circle in a box"]
    assert all("BBox" in f.attrs for f in figures)
    # the WebP and the PNG are raster images; the SVG is drawn as vectors (no image for it)
    images = [
        name
        for p in PdfReader(out).pages
        for name, obj in (p["/Resources"].get("/XObject") or {}).items()
        if obj.get_object()["/Subtype"] == "/Image"
    ]
    assert len(images) == 2
    assert page.validate_pdf(str(out), profile="ua1").is_compliant


def test_the_shared_images_folder_does_not_open_other_folders(project):
    (project / "secret.png").write_bytes((project / "images" / "shared.png").read_bytes())
    with pytest.raises(LeafwrightError) as exc:
        render(load_leaflet(_leaflet(project, png="../secret.png")), style())
    assert "points outside the leaflet's folder" in exc.value.format()


def test_an_svg_with_text_is_a_located_error(project):
    (project / "leaflets" / "words.svg").write_text(
        SVG.replace("</svg>", '<text x="10" y="20">Hi</text></svg>'), encoding="utf-8"
    )
    with pytest.raises(LeafwrightError) as exc:
        render(load_leaflet(_leaflet(project, svg="words.svg")), style())
    text = exc.value.format()
    assert "pics.yaml:8:" in text
    assert "image 'words.svg' cannot be drawn: it contains text" in text
    assert "text converted to outlines" in text


def test_webp_svg_and_shared_pictures_in_the_web_edition(project):
    from lxml import html as lxml_html

    from leafwright.web import render_web

    web = render_web(load_leaflet(_leaflet(project)), style())
    tree = lxml_html.fromstring(web.html)
    imgs = tree.xpath("//main//img")
    assert [(i.get("src").rsplit(".", 1)[1], i.get("alt")) for i in imgs] == [
        ("webp", "A yellow sun on green"),
        ("svg", "A circle in a box"),
        ("png", ""),  # decorative
    ]
    assets = {a.name: a.data for a in web.assets}
    assert all(i.get("src") in assets for i in imgs)
    assert assets[imgs[1].get("src")] == SVG.encode()  # the drawing itself, still vectors
    assert (
        tree.xpath("//figure[img[@alt='A circle in a box']]/figcaption")[0].text_content()
        == "Drawn as vectors"
    )
