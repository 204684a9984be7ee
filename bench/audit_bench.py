"""Measure `leafwright audit`: agreement with veraPDF's PDF/UA-1 corpus, and PDFs from other tools.

    python bench/audit_bench.py --corpus PATH/TO/veraPDF-corpus/PDF_UA-1 [--write]
    python bench/audit_bench.py --peers [--write]

``--corpus``: every PDF in the folder is audited; its expected verdict is in its name
(``…-pass-….pdf`` compliant, ``…-fail-….pdf`` not). Prints the agreement, every file
that disagrees, and the time per file. The corpus is not part of this repository: get it
from https://github.com/veraPDF/veraPDF-corpus (the PDF_UA-1 folder, 296 files).

``--peers``: the OI factsheet (bench/peers/) made by leafwright, Typst (PDF/UA-1),
WeasyPrint (PDF/UA-1), LibreOffice (tagged PDF export, when ``soffice`` is installed)
and plain ReportLab (untagged); for each, the verdict, what each of the audit's own
checks finds, and the time to audit it.

``--write`` puts the figures in bench/RESULTS.md between this script's markers.
Needs the bench extra: ``pip install -e ".[bench]"``.
"""

from __future__ import annotations

import argparse
import logging
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PEERS = ROOT / "bench" / "peers"
RESULTS = ROOT / "bench" / "RESULTS.md"
BEGIN, END = "<!-- audit-bench:begin -->", "<!-- audit-bench:end -->"
CHECKS = [
    "unread-content",
    "glued-words",
    "script-without-lang",
    "column-jump",
    "skipped-heading",
    "bare-url-link",
    "alt-text-file-name",
]


def _audit(path: Path):
    from leafwright.audit import audit_pdf

    start = time.perf_counter()
    result = audit_pdf(path)
    return result, time.perf_counter() - start


def corpus(folder: Path) -> tuple[str, bool]:
    """Audit every PDF under ``folder``; the report, and whether every verdict agreed."""
    files = sorted(folder.rglob("*.pdf"))
    agree, times, wrong = 0, [], []
    for f in files:
        expected = "-pass-" in f.name
        try:
            result, secs = _audit(f)
            got = result.compliant
        except Exception as exc:  # unreadable: counts as "not compliant"
            got, secs = False, 0.0
            print(f"unreadable: {f.name}: {exc}", file=sys.stderr)
        times.append(secs)
        if got == expected:
            agree += 1
        else:
            wrong.append(f"{f.relative_to(folder)} (expected {'pass' if expected else 'fail'})")
    times.sort()
    lines = [
        "### veraPDF PDF/UA-1 corpus",
        "",
        f"- files: {len(files)} ({sum('-pass-' in f.name for f in files)} expected to pass, "
        f"{sum('-fail-' in f.name for f in files)} to fail)",
        f"- `leafwright audit` agrees with the expected verdict on **{agree}/{len(files)}**",
        f"- time per file: median {statistics.median(times) * 1000:.0f} ms, "
        f"90th percentile {times[int(len(times) * 0.9)] * 1000:.0f} ms, "
        f"slowest {times[-1] * 1000:.0f} ms (whole audit: reading the structure tree and content "
        "streams, the rule checks, the audit's own checks)",
    ]
    lines += [f"- disagrees: {w}" for w in wrong] or []
    return "\n".join(lines) + "\n", agree == len(files)


def _peer_pdfs(tmp: Path) -> dict[str, Path]:
    import fontpkg

    out: dict[str, Path] = {}
    from leafwright.render import load_leaflet, render
    from leafwright.style import resolve_style

    oi = ROOT / "leaflets" / "oi-bisphosphonates.yaml"
    p = tmp / "leafwright.pdf"
    p.write_bytes(render(load_leaflet(oi), resolve_style("default")))
    out["leafwright 0.1 (PDF/UA-1)"] = p

    fam = fontpkg.family("Atkinson Hyperlegible").files
    font_dir = str(Path(fam[0].path).parent)
    try:
        import typst

        p = tmp / "typst.pdf"
        p.write_bytes(
            typst.compile(
                str(PEERS / "oi-bisphosphonates.typ"), font_paths=[font_dir], pdf_standards=["ua-1"]
            )
        )
        out[f"Typst {_version('typst')} (PDF/UA-1)"] = p
    except ImportError:
        print("typst not installed: pip install -e '.[bench]'", file=sys.stderr)
    try:
        import weasyprint
        from weasyprint.text.fonts import FontConfiguration

        faces = "".join(
            "@font-face{font-family:'Atkinson Hyperlegible';src:url('%s');font-weight:%d;"
            "font-style:%s}" % (Path(f.path).as_uri(), f.weight or 400, f.style)
            for f in fam
        )
        fc = FontConfiguration()
        css = weasyprint.CSS(string=faces, font_config=fc)
        html = (PEERS / "oi-bisphosphonates.html").read_text(encoding="utf-8")
        p = tmp / "weasyprint.pdf"
        p.write_bytes(
            weasyprint.HTML(string=html, base_url=str(PEERS)).write_pdf(
                stylesheets=[css], font_config=fc, pdf_variant="pdf/ua-1"
            )
        )
        out[f"WeasyPrint {_version('weasyprint')} (PDF/UA-1)"] = p
    except ImportError:
        print("weasyprint not installed: pip install -e '.[bench]'", file=sys.stderr)
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice:
        src = tmp / "libreoffice.html"
        src.write_text((PEERS / "oi-bisphosphonates.html").read_text(encoding="utf-8"), encoding="utf-8")
        flt = 'pdf:writer_web_pdf_Export:{"UseTaggedPDF":{"type":"boolean","value":"true"}}'
        subprocess.run(
            [soffice, "--headless", "--convert-to", flt, "--outdir", str(tmp), str(src)],
            check=False,
            capture_output=True,
            timeout=180,
        )
        if (tmp / "libreoffice.pdf").exists():
            ver = subprocess.run([soffice, "--version"], capture_output=True, text=True).stdout.split()
            out[f"LibreOffice {ver[1] if len(ver) > 1 else ''} (tagged export)"] = tmp / "libreoffice.pdf"
    else:
        print("LibreOffice not installed (apt-get install libreoffice-writer-nogui)", file=sys.stderr)
    p = tmp / "reportlab.pdf"
    _reportlab_untagged(p)
    out[f"ReportLab {_version('reportlab')} (untagged)"] = p
    return out


def _reportlab_untagged(path: Path) -> None:
    """The factsheet's text set with plain ReportLab platypus: no tags at all."""
    import re

    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    html = (PEERS / "oi-bisphosphonates.html").read_text(encoding="utf-8")
    ss = getSampleStyleSheet()
    story = []
    for tag, text in re.findall(r"<(h1|h2|h3|p|li)[^>]*>(.*?)</\1>", html, re.S):
        text = re.sub(r"<(?!/?(b|i)\b)[^>]+>", "", text)
        story.append(
            Paragraph(text, ss[{"h1": "Title", "h2": "Heading2", "h3": "Heading3"}.get(tag, "BodyText")])
        )
    SimpleDocTemplate(str(path), title="Bisphosphonate treatment of osteogenesis imperfecta").build(story)


def _version(name: str) -> str:
    from importlib.metadata import version

    try:
        return version(name)
    except Exception:
        return "?"


def peers() -> str:
    """What the audit says about the same factsheet made by each tool."""
    lines = [
        "### The OI factsheet made by other tools",
        "",
        "Rule problems are page-validation's failed PDF/UA-1 rules (distinct rules, and findings);",
        "the other columns count the audit's own warnings. Time: the whole audit of that file.",
        "",
        "| made by | pages | PDF/UA-1 | rules failed (findings) | " + " | ".join(CHECKS) + " | audit ms |",
        "| --- | --- | --- | --- | " + " | ".join("---" for _ in CHECKS) + " | --- |",
    ]
    examples: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, path in _peer_pdfs(Path(tmp)).items():
            _audit(path)  # warm: the first call imports and parses more than later ones
            times = []
            for _ in range(3):
                result, secs = _audit(path)
                times.append(secs)
            counts = Counter(f.code for f in result.warnings)
            rules = {f.code for f in result.errors}
            lines.append(
                f"| {name} | {result.pages} | {'compliant' if result.compliant else 'not compliant'} | "
                f"{len(rules)} ({len(result.errors)}) | "
                + " | ".join(str(counts.get(c, 0)) for c in CHECKS)
                + f" | {statistics.median(times) * 1000:.0f} |"
            )
            for code in CHECKS:
                first = next((f for f in result.warnings if f.code == code), None)
                if first is not None:
                    where = f"page {first.page}, " if first.page else ""
                    examples.append(
                        f"- {name}, `{code}`: {where}{first.element or ''} "
                        f"\u201c{(first.excerpt or '')[:70]}\u201d: {first.message}"
                    )
            if rules:
                examples.append(f"- {name}, rules failed: " + ", ".join(sorted(rules)))
    return "\n".join(lines + ["", "One example of each finding:", ""] + examples) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, help="veraPDF-corpus's PDF_UA-1 folder")
    ap.add_argument("--peers", action="store_true", help="audit the factsheet made by other tools")
    ap.add_argument("--write", action="store_true", help="write the figures into bench/RESULTS.md")
    args = ap.parse_args()
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    sys.path.insert(0, str(ROOT / "src"))
    parts = [BEGIN, "## `leafwright audit` (`python bench/audit_bench.py`)", ""]
    ok = True
    if args.corpus:
        text, ok = corpus(args.corpus)
        parts.append(text)
    if args.peers:
        parts.append(peers())
    parts.append(END)
    text = "\n".join(parts)
    print(text)
    if args.write:
        old = RESULTS.read_text(encoding="utf-8")
        if BEGIN in old and END in old:
            new = old[: old.index(BEGIN)] + text + old[old.index(END) + len(END) :]
        else:
            new = old.rstrip("\n") + "\n\n" + text + "\n"
        RESULTS.write_text(new, encoding="utf-8")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
