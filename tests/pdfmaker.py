"""Hand-made tagged PDFs for audit tests: each shows one defect other tools produce.

Written object by object (PDF 32000-1 §7.5) so a test controls exactly what the
structure tree and the content stream say: words glued at a line break, columns
read across, marked content no element claims, skipped heading levels. Text uses
the standard Helvetica font (not embedded: these files are not meant to pass
PDF/UA-1, only to carry the defect the audit's own checks look for).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Block:
    """One structure element and the lines of text drawn for it (x, y, text)."""

    role: str
    lines: list[tuple[float, float, str]] = field(default_factory=list)
    alt: str | None = None
    claimed: bool = True  # False: drawn as marked content that no element refers to
    figure_box: tuple[float, float, float, float] | None = None  # a filled rectangle inside it


def _esc(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def make_pdf(path: Path, blocks: list[Block], *, lang: str = "en", title: str = "Test") -> Path:
    """A one-page tagged PDF: a Document element holding one element per claimed block."""
    ops: list[str] = []
    mcid = 0
    kids: list[tuple[Block, int]] = []
    for b in blocks:
        ops.append(f"/{b.role if b.role != 'Figure' else 'Figure'} <</MCID {mcid}>> BDC")
        if b.figure_box:
            x, y, w, h = b.figure_box
            ops.append(f"0.5 g {x} {y} {w} {h} re f")
        for x, y, text in b.lines:
            ops.append(f"BT /F1 12 Tf 1 0 0 1 {x} {y} Tm ({_esc(text)}) Tj ET")
        ops.append("EMC")
        if b.claimed:
            kids.append((b, mcid))
        mcid += 1
    content = "\n".join(ops).encode("latin-1")
    objs: dict[int, bytes] = {}
    # 1 catalog, 2 pages, 3 page, 4 content, 5 font, 6 struct tree root, 7 Document, 8 parent tree
    first_elem = 9
    elem_refs = []
    for i, (b, m) in enumerate(kids):
        n = first_elem + i
        elem_refs.append(n)
        alt = f" /Alt ({_esc(b.alt)})" if b.alt is not None else ""
        objs[n] = f"<< /Type /StructElem /S /{b.role} /P 7 0 R /Pg 3 0 R /K {m}{alt} >>".encode()
    objs[1] = (
        f"<< /Type /Catalog /Pages 2 0 R /StructTreeRoot 6 0 R /MarkInfo << /Marked true >> "
        f"/Lang ({lang}) /ViewerPreferences << /DisplayDocTitle true >> >>"
    ).encode()
    objs[2] = b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"
    objs[3] = (
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> /StructParents 0 /Tabs /S >>"
    )
    objs[4] = b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream"
    objs[5] = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
    objs[6] = b"<< /Type /StructTreeRoot /K 7 0 R /ParentTree 8 0 R /ParentTreeNextKey 1 >>"
    objs[7] = (
        "<< /Type /StructElem /S /Document /P 6 0 R /K [%s] >>" % " ".join(f"{n} 0 R" for n in elem_refs)
    ).encode()
    parents = ["null"] * mcid
    for (_b, m), n in zip(kids, elem_refs):
        parents[m] = f"{n} 0 R"
    objs[8] = ("<< /Nums [0 [%s]] >>" % " ".join(parents)).encode()
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for n in sorted(objs):
        offsets[n] = len(out)
        out += b"%d 0 obj\n" % n + objs[n] + b"\nendobj\n"
    xref = len(out)
    count = max(objs) + 1
    out += b"xref\n0 %d\n0000000000 65535 f \n" % count
    for n in range(1, count):
        out += b"%010d 00000 n \n" % offsets[n]
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info << /Title (%s) >> >>\nstartxref\n%d\n%%%%EOF\n" % (
        count,
        _esc(title).encode("latin-1"),
        xref,
    )
    path.write_bytes(bytes(out))
    return path
