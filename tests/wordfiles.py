"""Word documents made in the tests with python-docx: every construct `leafwright import` reads.

Each builder writes a .docx and returns its path; the expected leaflet content for each
is kept as data in tests/data/import/<name>.yaml.
"""

from __future__ import annotations

import io
from pathlib import Path

from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm


def _png(colour: str, size: tuple[int, int] = (600, 300)) -> io.BytesIO:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", size, colour).save(buf, format="PNG")
    buf.seek(0)
    return buf


def _link(paragraph, text: str, url: str) -> None:
    """A real Word hyperlink (w:hyperlink with an external relationship)."""
    part = paragraph.part
    rid = part.relate_to(
        url, "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink", is_external=True
    )
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), rid)
    run = OxmlElement("w:r")
    t = OxmlElement("w:t")
    t.text = text
    run.append(t)
    link.append(run)
    paragraph._p.append(link)


def _shade(paragraph, fill: str = "E8F0FA") -> None:
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    paragraph._p.get_or_add_pPr().append(shd)


def _border(paragraph) -> None:
    bdr = OxmlElement("w:pBdr")
    for side in ("top", "left", "bottom", "right"):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:val"), "single")
        el.set(qn("w:sz"), "8")
        el.set(qn("w:space"), "4")
        el.set(qn("w:color"), "auto")
        bdr.append(el)
    paragraph._p.get_or_add_pPr().append(bdr)


def _picture(doc, colour: str, alt: str | None) -> None:
    doc.add_picture(_png(colour), width=Mm(50))
    if alt is not None:
        doc.inline_shapes[-1]._inline.docPr.set("descr", alt)


def _header_row(table) -> None:
    """Mark a table's first row as its header row (repeats on each page in Word)."""
    trpr = table.rows[0]._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    trpr.append(el)


def constructs(folder: Path) -> Path:
    """Every construct: title, headings, emphasis, links, lists, tables, pictures, Q&A, boxes."""
    d = Document()
    d.core_properties.title = "Living with brittle bones"
    d.add_heading("Living with brittle bones", 0)
    p = d.add_paragraph("This leaflet is for ")
    p.add_run("adults").bold = True
    p.add_run(" with ")
    p.add_run("osteogenesis imperfecta").italic = True
    p.add_run(". Read more on ")
    _link(p, "our website", "https://example.org/oi")
    p.add_run(" or email ")
    _link(p, "info@example.org", "mailto:info@example.org")
    p.add_run(".")

    d.add_heading("What is brittle bone disease?", 1)
    d.add_paragraph("Bones break easily. It runs in families [sometimes] and costs *nothing* to test.")
    for text in ("Bones that break easily", "Loose joints", "Hearing loss"):
        d.add_paragraph(text, style="List Bullet")
    p = d.add_paragraph(style="List Bullet")
    p.add_run("Tiredness:").bold = True
    p.add_run(" common in adults")
    d.add_heading("How it is treated", 2)
    for text in ("See your GP", "Ask for a referral", "Start treatment"):
        d.add_paragraph(text, style="List Number")
    t = d.add_table(rows=3, cols=3)
    for r, row in enumerate(
        [
            ("Medicine", "How often", "How given"),
            ("Zoledronate", "Once a year", "Drip"),
            ("Risedronate", "Weekly", "Tablet"),
        ]
    ):
        for c, text in enumerate(row):
            t.rows[r].cells[c].text = text
    _header_row(t)
    _picture(d, "navy", "A nurse giving an injection in the upper arm")
    _picture(d, "teal", None)

    d.add_heading("Questions people ask", 1)
    d.add_paragraph("Q: Can I exercise?")
    d.add_paragraph("A: Yes. Swimming is good.")
    d.add_paragraph("Walking is good too.")
    d.add_paragraph("Q: Will my children have it?")
    d.add_paragraph("A: Ask for genetic counselling.")
    d.add_heading("Is it painful?", 2)
    d.add_paragraph("It can be. Tell your nurse.")
    d.add_heading("Can I fly?", 2)
    d.add_paragraph("Yes, with care:")
    d.add_paragraph("Carry your letter", style="List Bullet")

    d.add_heading("Important", 1)
    p = d.add_paragraph("Warning: do not stop your treatment without advice.")
    _shade(p)
    p = d.add_paragraph("Remember to bring your medicines list.")
    _border(p)
    d.add_paragraph("A plain paragraph after the boxes.")
    box = d.add_table(rows=1, cols=1)
    box.rows[0].cells[0].text = "Our helpline is open every weekday."
    path = folder / "Living with brittle bones.docx"
    d.save(path)
    return path


def _tracked(paragraph, inserted: str, deleted: str) -> None:
    """A tracked insertion and a tracked deletion, as Word writes them with Track Changes on."""
    ins = OxmlElement("w:ins")
    ins.set(qn("w:id"), "1")
    ins.set(qn("w:author"), "Editor")
    r = OxmlElement("w:r")
    t = OxmlElement("w:t")
    t.text = inserted
    t.set(qn("xml:space"), "preserve")
    r.append(t)
    ins.append(r)
    paragraph._p.append(ins)
    dele = OxmlElement("w:del")
    dele.set(qn("w:id"), "2")
    dele.set(qn("w:author"), "Editor")
    r = OxmlElement("w:r")
    t = OxmlElement("w:delText")
    t.text = deleted
    r.append(t)
    dele.append(r)
    paragraph._p.append(dele)


def messy(folder: Path) -> Path:
    """What real Word leaflets hold: empty paragraphs, hand numbering, tabs, soft returns, tracked changes."""
    d = Document()
    d.add_paragraph("Hip fracture: going home", style="Title")
    d.add_paragraph("")
    d.add_paragraph("   ")
    p = d.add_paragraph("You are going home. ")
    _tracked(p, "Please read this leaflet.", "Throw this leaflet away.")
    d.add_paragraph("")
    d.add_heading("Before you leave", 1)
    d.add_paragraph("1.\tCollect your medicines")
    d.add_paragraph("2.\tBook your follow-up")
    d.add_paragraph("3) Arrange transport")
    d.add_paragraph("")
    d.add_paragraph("•\tWear flat shoes")
    d.add_paragraph("•\tKeep a phone near you")
    p = d.add_paragraph("Ward 7\tTelephone 01234 567890")
    p = d.add_paragraph("Ward address:")
    p.add_run().add_break()
    p.add_run("Ward 7, Example Hospital")
    p.add_run().add_break()
    p.add_run("Exampletown")
    d.add_heading("", 1)
    d.add_heading("At home", 1)
    d.add_paragraph("Move about\t\tevery hour.")
    d.add_heading("Empty heading", 2)
    path = folder / "messy.docx"
    d.save(path)
    return path
