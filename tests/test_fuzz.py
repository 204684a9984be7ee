"""A fuzzer over the sample leaflets: their YAML text is mutated line by line (lines
deleted, duplicated, swapped, re-indented; values replaced by text from every Unicode
plane, numbers, dates, lists, markup fragments) and each result is validated, checked and
built. The property: located errors, or a PDF that passes PDF/UA-1 and shows no raw
markup -- never a traceback.

In CI it runs 300 examples, derandomized (the same examples every run). For a longer hunt:
``LEAFWRIGHT_FUZZ_EXAMPLES=5000 pytest tests/test_fuzz.py`` (random, not derandomized).
Every failing example found becomes a regular test case (``test_found_by_the_fuzzer``).
"""

from __future__ import annotations

import datetime as dt
import os
import re
import tempfile
from pathlib import Path

import pypdf
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import LEAFLETS, style
from leafwright.checks import CheckConfig, check_source
from leafwright.errors import LeafwrightError
from leafwright.load import load_yaml
from leafwright.model import validate_leaflet
from leafwright.render import render
from leafwright.source import LeafletSource

SAMPLES = {p.name: p.read_text(encoding="utf-8") for p in LEAFLETS}
LONG_RUN = int(os.environ.get("LEAFWRIGHT_FUZZ_EXAMPLES", "0"))
FUZZ = settings(
    max_examples=LONG_RUN or 300,
    derandomize=not LONG_RUN,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
)

# Characters from every plane and the awkward classes: emoji (astral plane), combining
# marks, right-to-left scripts, zero-width and other format characters, CJK, controls.
AWKWARD = st.sampled_from(
    list("é\u0301\u0308\u200b\u200c\u200d\u200e\u200f\u2066\ufeff\u00ad\ufe0f\u2028\u2029")
    + list("שלום مرحبا")
    + ["😀", "👩\u200d⚕️", "🇬🇧", "𝔘", "𠀀", "漢", "\U000e0001", "\U0010fffd", "\x07", "\x85"]
    + list("[](){}*\\_<>&#:-|>'\"%@!`~")
)
PLAIN = st.characters(min_codepoint=0x20, max_codepoint=0x2FFFF, blacklist_categories=("Cs",))
fuzz_text = st.lists(st.one_of(PLAIN, AWKWARD, AWKWARD), max_size=40).map("".join)
markup = st.sampled_from(
    [
        "[x](",
        "[x](https://example.org",
        "]{lang=",
        "[a]{lang=cy}",
        "[[a]{lang=cy}](https://example.org)",
        "**[b](https://example.org/a_(b))**",
        "[ ](https://example.org)",
        "[x](https://example.org/a b)",
        "[x]{lang=xx_YY}",
        "[x](javascript:alert(1))",
        "\\[x\\](y)",
        "*",
        "**",
    ]
)
scalar = st.one_of(
    fuzz_text,
    st.builds(lambda a, m, b: f"{a}{m}{b}", fuzz_text, markup, fuzz_text),
    st.integers(-(10**20), 10**20).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.sampled_from(
        [".inf", "-.inf", ".nan", "1e3", "0x1F", "0o17", "1:30", "1_000", "no", "yes", "~", "null"]
    ),
    st.dates(dt.date(1, 1, 1), dt.date(9999, 12, 31)).map(str),
    st.sampled_from(["2026-02-30", "2025-13-45", "2025-1-1", "2025-01-01 10:00", "31/01/2025", "0000-00-00"]),
    st.sampled_from(
        ["[]", "{}", "[a, b]", "{a: 1}", "- x", "&a x", "*a", "!!python/name:os.system", "|", ">"]
    ),
    st.text(st.sampled_from("x "), min_size=150, max_size=400),
)


@st.composite
def mutated(draw) -> tuple[str, str]:
    """(sample name, its YAML text after one to four mutations)."""
    name = draw(st.sampled_from(sorted(SAMPLES)))
    lines = SAMPLES[name].splitlines()
    for _ in range(draw(st.integers(1, 4))):
        if not lines:
            break
        i = draw(st.integers(0, len(lines) - 1))
        op = draw(st.sampled_from(["value", "value", "value", "delete", "duplicate", "swap", "indent"]))
        if op == "delete":
            del lines[i]
        elif op == "duplicate":
            lines.insert(i, lines[i])
        elif op == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif op == "indent":
            delta = draw(st.sampled_from([-4, -2, -1, 1, 2, 4, "\t"]))
            if delta == "\t":
                lines[i] = "\t" + lines[i]
            elif delta < 0:
                lines[i] = lines[i][min(-delta, len(lines[i]) - len(lines[i].lstrip(" "))) :]
            else:
                lines[i] = " " * delta + lines[i]
        else:
            m = re.match(r"^(\s*(?:- )?(?:[\w-]+: )?)(.*)$", lines[i])
            value = draw(scalar)
            quoted = draw(st.booleans())
            if quoted:
                value = '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
            lines[i] = (m.group(1) if m else "") + value
    return name, "\n".join(lines) + "\n"


RAW_MARKUP = ("](", "]{lang")


def run_all(name: str, text: str) -> None:
    """Validate, check and build one leaflet text; only located leafwright errors may stop it."""
    try:
        doc = load_yaml(text, name)
        leaflet = validate_leaflet(doc)
    except LeafwrightError as exc:
        assert_located(exc)
        return
    source = LeafletSource(leaflet, doc, LEAFLETS[0].parent)
    found = check_source(source, style(), CheckConfig(), today=dt.date(2025, 6, 1))
    assert all(d.file == name and d.line for d in found if d.severity == "error" and d.code != "LW207")
    try:
        pdf = render(source, style())
    except LeafwrightError as exc:
        assert_located(exc)
        return
    assert_good_pdf(pdf)


def assert_located(exc: LeafwrightError) -> None:
    assert exc.diagnostics
    for d in exc.diagnostics:
        assert d.file and d.line, f"not located: {d.format(caret=False)}"
    assert "Traceback" not in exc.format()


def assert_good_pdf(pdf: bytes) -> None:
    import page

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "f.pdf"
        path.write_bytes(pdf)
        text = " ".join(p.extract_text() for p in pypdf.PdfReader(path).pages)
        for raw in RAW_MARKUP:
            assert raw not in text, f"raw markup {raw!r} printed"
        result = page.validate_pdf(str(path), profile="ua1")
        assert result.is_compliant, [(f.rule_id, f.message) for f in result.failures]


@FUZZ
@given(case=mutated())
def test_mutated_samples_never_crash(case: tuple[str, str]) -> None:
    run_all(*case)


# Examples the fuzzer found, kept as regular cases: (sample, the line that starts with
# this text -- "" for the first line, replacement for that line).
FOUND: list[tuple[str, str, str]] = [
    # a control character: PyYAML's reader refused it with no line or column
    ("antiresorptive-medications.yaml", "", "\x7f"),
    # an empty title: it was read as '' and built a PDF with an empty H1 (PDF/UA failed)
    ("antiresorptive-medications.yaml", "title:", "title:"),
    ("antiresorptive-medications.yaml", "title:", 'title: ""'),
]


@pytest.mark.parametrize("sample, start, replacement", FOUND)
def test_found_by_the_fuzzer(sample: str, start: str, replacement: str) -> None:
    lines = SAMPLES[sample].splitlines()
    i = next(n for n, line in enumerate(lines) if line.startswith(start))
    lines[i] = replacement
    run_all(sample, "\n".join(lines) + "\n")
