"""Remake the README walkthrough's pictures from real leafwright output.

    python docs/walkthrough/make.py

In a temporary folder it runs the walkthrough's commands (a Word leaflet made with
python-docx, `leafwright import`, `style new`, `build --draft`, `build --variant
booklet`) and renders the pages the README shows to small PNGs (60 dpi) in this folder.
Needs the test extras (python-docx, pypdfium2).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
DPI = 60


def run(*args: str, cwd: Path) -> None:
    subprocess.run([sys.executable, "-m", "leafwright.cli", *args], cwd=cwd, check=True)


def png(pdf: Path, page: int, name: str) -> None:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(pdf))
    image = doc[page].render(scale=DPI / 72).to_pil()
    image.save(HERE / name, optimize=True)
    print("wrote", (HERE / name).relative_to(ROOT))


def main() -> None:
    sys.path.insert(0, str(ROOT / "tests"))
    import wordfiles

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        os.environ["SOURCE_DATE_EPOCH"] = "1764633600"  # the pictures do not change with the day
        doc = wordfiles.constructs(work)
        run("import", str(doc), cwd=work)
        run("build", "leaflets", cwd=work)  # a draft: out/drafts/
        png(work / "out" / "drafts" / "living-with-brittle-bones.pdf", 0, "1-imported-draft.png")
        run("style", "new", "my-charity", "--primary", "#6a1b4d", "--accent", "#8a3b00", cwd=work)
        png(work / "styles" / "my-charity-swatch.pdf", 0, "2-swatch.png")
        leaflet = work / "leaflets" / "living-with-brittle-bones.yaml"
        text = leaflet.read_text(encoding="utf-8")
        # what the comms officer fills in before approval (the TODOs the import listed)
        text = text.replace("status: draft ", "status: approved")
        text = text.replace(
            '# version: "1.0"',
            'version: "1.0"\npublished: 2026-12-01\nreview_by: 2029-12-01\n'
            'publisher: {name: Example Bone Charity, web: "https://example.org", phone: 0800 000 0000}\n'
            "authors: [{name: Sam Jones, role: Specialist nurse}]\n"
            "references: [The sources we used are available on request.]\n"
            "feedback: Tell us what you think at info@example.org.\n"
            "disclaimer: This leaflet does not replace advice from your own doctor.\n"
            'other_formats: "Ask us for this leaflet in large print: call 0800 000 0000."',
        )
        text = text.replace(
            "alt: 'TODO: say what this picture shows'", "alt: A teal square, standing in for a photograph"
        )
        leaflet.write_text(text, encoding="utf-8")
        run("build", "leaflets", "--style", "my-charity", "--variant", "standard,booklet", cwd=work)
        png(work / "out" / "living-with-brittle-bones.pdf", 0, "3-branded.png")
        png(work / "out" / "living-with-brittle-bones.booklet-a5.imposed.pdf", 0, "4-booklet-sheet.png")


if __name__ == "__main__":
    main()
