"""Word (.docx) → HTML with mammoth, which reads the document by paragraph style.

mammoth already gives what a leaflet needs: headings, lists, tables, bold and italics,
links, pictures with their alt text, soft returns as ``<br>``, tracked changes as
accepted (insertions kept, deletions dropped). Two things it does not see are added
here: the document's Title property (docProps/core.xml), and paragraphs drawn in a
box or on a shade by direct formatting (``w:pBdr``/``w:shd``), which become callouts.
"""

from __future__ import annotations

import io
import re
import zipfile
from xml.etree import ElementTree as ET

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_SHADE_STYLE = "Leafwright Shaded"
_BORDER_STYLE = "Leafwright Boxed"

#: Word paragraph styles with a meaning in a leaflet, as mammoth style-map lines
STYLE_MAP = "\n".join(
    [
        "p[style-name='Title'] => h1:fresh",
        "p[style-name='Subtitle'] => p:fresh",
        # each kind of box its own element, so a shaded and a boxed paragraph stay two callouts
        f"p[style-name='{_SHADE_STYLE}'] => aside.shaded > p:fresh",
        f"p[style-name='{_BORDER_STYLE}'] => aside.boxed > p:fresh",
        "p[style-name='Intense Quote'] => aside.quote > p:fresh",
        "p[style-name='Quote'] => blockquote > p:fresh",
        "p[style-name='Caption'] => p:fresh",
    ]
)


class DocxError(ValueError):
    """The file is not a Word document mammoth can read."""


def _text(el: ET.Element) -> str:
    return "".join(t.text or "" for t in el.iter(_W + "t"))


def _boxed_texts(docx: bytes) -> dict[str, str]:
    """Texts of paragraphs with a shade or a border of their own → the style that marks them."""
    with zipfile.ZipFile(io.BytesIO(docx)) as z:
        root = ET.fromstring(z.read("word/document.xml"))
    out: dict[str, str] = {}
    for p in root.iter(_W + "p"):
        ppr = p.find(_W + "pPr")
        if ppr is None:
            continue
        shd = ppr.find(_W + "shd")
        fill = (shd.get(_W + "fill") or "").lower() if shd is not None else ""
        shaded = fill not in ("", "auto", "ffffff")
        if shaded or ppr.find(_W + "pBdr") is not None:
            text = re.sub(r"\s+", " ", _text(p)).strip()
            if text:
                out[text] = _SHADE_STYLE if shaded else _BORDER_STYLE
    return out


def core_title(docx: bytes) -> str | None:
    """The document's Title property, if it has one."""
    try:
        with zipfile.ZipFile(io.BytesIO(docx)) as z:
            root = ET.fromstring(z.read("docProps/core.xml"))
    except (KeyError, ET.ParseError):
        return None
    el = root.find("{http://purl.org/dc/elements/1.1/}title")
    title = re.sub(r"\s+", " ", el.text or "").strip() if el is not None else ""
    return title or None


def docx_to_html(docx: bytes, images: list[tuple[bytes, str, str | None]]) -> tuple[str, list[str]]:
    """The document as HTML, and mammoth's messages; pictures are appended to ``images``.

    Each ``<img>`` has ``src="lw-image:N"`` naming ``images[N]`` (bytes, content type, alt).
    """
    import mammoth
    import mammoth.transforms

    try:
        boxed = _boxed_texts(docx)
    except (zipfile.BadZipFile, KeyError, ET.ParseError) as exc:
        raise DocxError(f"not a Word .docx document ({exc})") from None

    def mark_boxed(paragraph):  # mammoth's document model: a paragraph and its runs
        if paragraph.style_name is None and boxed:
            text = re.sub(r"\s+", " ", _paragraph_text(paragraph)).strip()
            if text in boxed:
                return paragraph.copy(style_name=boxed[text], style_id=None)
        return paragraph

    def convert_image(image):
        with image.open() as f:
            data = f.read()
        images.append((data, image.content_type or "", image.alt_text))
        return {"src": f"lw-image:{len(images) - 1}"}

    try:
        result = mammoth.convert_to_html(
            io.BytesIO(docx),
            style_map=STYLE_MAP,
            transform_document=mammoth.transforms.paragraph(mark_boxed),
            convert_image=mammoth.images.img_element(convert_image),
        )
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise DocxError(f"not a Word .docx document ({exc})") from None
    messages = [m.message for m in result.messages if m.type != "info"]
    return result.value, messages


def _paragraph_text(node) -> str:
    value = getattr(node, "value", None)
    if isinstance(value, str):
        return value
    return "".join(_paragraph_text(c) for c in getattr(node, "children", []) or [])
