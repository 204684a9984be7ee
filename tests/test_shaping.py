"""Right to left and complex shaping on the paragraph path (issue 12): Arabic, Hebrew and
Hindi (Devanagari) paragraphs, and Arabic with a drug name and a phone number in Latin
letters and digits. The structure tree gives every line's logical text (what a screen
reader reads and copy-paste gives); the glyphs drawn are the ones HarfBuzz gives for the
same text; right-to-left lines are right-aligned with their first word on the right."""

from __future__ import annotations

import io
import itertools
from pathlib import Path
from typing import Any, NamedTuple

import pytest

from leafwright.inline import plain_text
from leafwright.pdfread import LINE_BREAK, inspect_pdf
from leafwright.render import load_leaflet, render
from leafwright.style import resolve_style

#: lang -> (font file stem of its script's font, one-line paragraph, a long paragraph)
TEXTS = {
    "ar": (
        "NotoSansArabic",
        "يقوي هذا الدواء العظام",
        "تناول قرصاً واحداً كل أسبوع مع كوب كامل من الماء، وابقَ واقفاً أو جالساً لمدة ثلاثين "
        "دقيقة بعد تناوله. لا تأكل ولا تشرب أي شيء آخر قبل مرور هذا الوقت، ولا تستلقِ. "
        "إذا نسيت جرعة فتناولها في صباح اليوم التالي ثم عد إلى يومك المعتاد.",
    ),
    "he": (
        "Heebo",
        "התרופה מחזקת את העצמות",
        "קחו טבליה אחת פעם בשבוע עם כוס מלאה של מים, והישארו בעמידה או בישיבה במשך שלושים "
        "דקות לאחר מכן. אל תאכלו ואל תשתו דבר אחר לפני שעבר הזמן הזה, ואל תשכבו. "
        "אם שכחתם מנה, קחו אותה בבוקר שלמחרת וחזרו ליום הרגיל שלכם.",
    ),
    "hi": (
        "NotoSansDevanagari",
        "यह दवा हड्डियों को मज़बूत करती है",
        "सप्ताह में एक बार पानी के पूरे गिलास के साथ एक गोली लें, और उसके बाद तीस मिनट तक खड़े "
        "या बैठे रहें। इस समय के बीतने से पहले कुछ और न खाएँ और न पिएँ, और लेटें नहीं। "
        "अगर आप कोई खुराक भूल जाएँ तो उसे अगली सुबह लें और फिर अपने सामान्य दिन पर लौट आएँ।",
    ),
}

#: A drug name and a phone number (a link) in Latin letters and digits inside Arabic.
MIXED = (
    "تناول دواء Alendronic acid 70 mg مرة واحدة في الأسبوع، "
    "واتصل على [0300 123 4567](tel:03001234567) إذا شعرت بألم في الفك."
)
LAM_ALEF = "الكلام"  # lam-alef ligature in the middle
#: English in an Arabic leaflet: a right-to-left paragraph (its language) of left-to-right
#: words, its full stop at the left end, a link inside it.
EN_IN_AR = "Take it with [a full glass of water](https://example.org/water) every week."


def _leaflet(tmp_path: Path, lang: str, paragraphs: list[str]) -> Path:
    import yaml

    doc = {
        "id": f"shaping-{lang}",
        "title": "Shaping test",
        "language": lang,
        "version": "1.0",
        "sections": [{"heading": "Test", "blocks": [{"paragraph": p} for p in paragraphs]}],
    }
    path = tmp_path / f"{lang}.yaml"
    path.write_text(
        "# test text written for leafwright's tests by an AI model (the para helper); not clinical\n"
        + yaml.safe_dump(doc, allow_unicode=True, sort_keys=False),
        encoding="utf-8",
    )
    return path


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory) -> dict[str, bytes]:
    tmp = tmp_path_factory.mktemp("shaping")
    style = resolve_style("default")
    out = {}
    for lang, (_font, short, long) in TEXTS.items():
        paras = [short, long] + ([LAM_ALEF] if lang == "ar" else [])
        out[lang] = render(load_leaflet(_leaflet(tmp, lang, paras)), style)
    out["mixed"] = render(load_leaflet(_leaflet(tmp, "ar", [MIXED, EN_IN_AR])), style)
    return out


def _paragraph(pdf: bytes, text: str):
    tree = inspect_pdf(pdf).tree
    want = plain_text(text)
    (node,) = [n for n in tree.find("P") if n.text().strip() == want]
    return node


# --- the logical text ---------------------------------------------------------------------


@pytest.mark.parametrize("lang", [*TEXTS, "mixed"])
def test_the_structure_tree_gives_every_lines_logical_text(lang, pdfs):
    texts = [MIXED, EN_IN_AR] if lang == "mixed" else list(TEXTS[lang][1:])
    for text in texts:
        want = plain_text(text)
        node = _paragraph(pdfs[lang], text)
        lines = [ln for ln in node.raw_text().split(LINE_BREAK) if ln.strip()]
        if text is TEXTS.get(lang, (None, None, None))[2]:
            assert len(lines) >= 3, lines  # the long paragraph wraps
        # each line is the next stretch of the text, in reading order, with a space at
        # each wrapped line's end (words are never glued)
        assert "".join(lines) == want
        assert all(ln.endswith(" ") for ln in lines[:-1]), lines


def test_a_link_inside_arabic_is_its_own_element_with_its_digits_in_order(pdfs):
    node = _paragraph(pdfs["mixed"], MIXED)
    (link,) = node.find("Link")
    assert link.text() == "0300 123 4567"
    assert "Alendronic acid 70 mg" in node.text()


def test_a_link_in_a_right_to_left_paragraph_is_read_where_it_is_in_the_text(pdfs):
    """The structure element's content in reading order: the words before the link, the link,
    the words after it (not the link first because it was met first)."""
    node = _paragraph(pdfs["mixed"], EN_IN_AR)
    kids = [k.text if not callable(k.text) else k.text() for k in node.kids if hasattr(k, "text")]
    assert "".join(kids) == plain_text(EN_IN_AR)
    assert kids.index("a full glass of water") > 0


# --- the glyphs ---------------------------------------------------------------------------


class Glyph(NamedTuple):
    x: float  # where it is drawn on the page (its origin)
    y: float
    width: float  # its advance (points)
    font: str  # the subset's BaseFont
    outline: tuple  # its outline, components drawn in (fontTools DecomposingRecordingPen)


def _glyphs(pdf: bytes, page_no: int | None = None) -> list[Glyph]:
    """Every glyph shown, in content order, with where it is drawn: text positions (Tm),
    advances (/Widths) and TJ adjustments followed from the content stream; each glyph's
    outline read from the embedded subset font program."""
    from fontTools.pens.recordingPen import DecomposingRecordingPen
    from fontTools.ttLib import TTFont
    from pypdf import PdfReader
    from pypdf.generic import ContentStream

    reader = PdfReader(io.BytesIO(pdf))
    programs: dict[str, tuple] = {}
    out: list[Glyph] = []
    pages = reader.pages if page_no is None else [reader.pages[page_no]]
    for page in pages:
        fonts = page["/Resources"]["/Font"]
        ctm = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0]
        stack: list[list[float]] = []
        x = y = size = 0.0
        font: Any = None
        for operands, op in ContentStream(page.get_contents(), reader).operations:
            if op == b"q":
                stack.append(list(ctm))
            elif op == b"Q":
                ctm = stack.pop()
            elif op == b"cm":
                a, _b, _c, d, e, f = map(float, operands)
                ctm = [a * ctm[0], 0.0, 0.0, d * ctm[3], e * ctm[0] + ctm[4], f * ctm[3] + ctm[5]]
            elif op == b"Tm":
                x, y = float(operands[4]), float(operands[5])
            elif op == b"Tf":
                font = fonts[operands[0]].get_object()
                size = float(operands[1])
                name = str(font["/BaseFont"])
                if name not in programs:
                    tt = TTFont(io.BytesIO(font["/FontDescriptor"]["/FontFile2"].get_data()))
                    cmap: dict[int, str] = {}
                    for table in tt["cmap"].tables:
                        cmap.update(table.cmap)
                    programs[name] = (tt.getGlyphSet(), tt.getGlyphOrder(), cmap)
            elif op in (b"Tj", b"TJ"):
                gs, order, cmap = programs[str(font["/BaseFont"])]
                for it in operands[0] if op == b"TJ" else [operands[0]]:
                    if not hasattr(it, "original_bytes") and not isinstance(it, (str, bytes)):
                        x -= float(it) / 1000 * size  # a TJ adjustment
                        continue
                    raw = it.original_bytes if hasattr(it, "original_bytes") else bytes(it, "latin-1")
                    for code in raw:
                        name = cmap.get(code) or cmap.get(0xF000 + code) or order[code]
                        pen = DecomposingRecordingPen(gs)
                        gs[name].draw(pen)
                        w = float(font["/Widths"][code - int(font["/FirstChar"])]) / 1000 * size
                        page_x, page_y = ctm[4] + x * ctm[0], ctm[5] + y * ctm[3]
                        out.append(
                            Glyph(page_x, page_y, w * ctm[0], str(font["/BaseFont"]), tuple(pen.value))
                        )
                        x += w
    return out


def _drawn(pdf: bytes, stem: str) -> list[tuple]:
    """The outlines of the glyphs drawn in the font ``stem``, in content order."""
    return [g.outline for g in _glyphs(pdf) if stem in g.font]


def _font_path(stem: str) -> Path:
    from leafwright.fonts import visible_families

    for _family, _label, path in visible_families():
        if Path(path).stem.replace(" ", "").startswith(stem):
            return Path(path)
    raise AssertionError(f"no font {stem}")


def _harfbuzz_outlines(path: Path, text: str, rtl: bool) -> list[tuple]:
    import uharfbuzz as hb
    from fontTools.pens.recordingPen import DecomposingRecordingPen
    from fontTools.ttLib import TTFont

    data = path.read_bytes()
    font = hb.Font(hb.Face(hb.Blob(data)))
    buf = hb.Buffer()
    buf.add_str(text)
    buf.direction = "rtl" if rtl else "ltr"
    buf.guess_segment_properties()
    hb.shape(font, buf)
    tt = TTFont(io.BytesIO(data))
    gs, order = tt.getGlyphSet(), tt.getGlyphOrder()
    out = []
    for info in buf.glyph_infos:
        pen = DecomposingRecordingPen(gs)
        gs[order[info.codepoint]].draw(pen)
        out.append(tuple(pen.value))
    return out


@pytest.mark.parametrize("lang", list(TEXTS))
def test_the_glyphs_drawn_are_those_harfbuzz_gives(lang, pdfs):
    stem, short, _ = TEXTS[lang]
    path = _font_path(stem)
    drawn = _drawn(pdfs[lang], stem)
    for word in short.split():
        want = _harfbuzz_outlines(path, word, lang in ("ar", "he"))
        assert _contains(drawn, want), f"{word}: its shaped glyphs are not drawn"


def _contains(seq: list, sub: list) -> bool:
    n = len(sub)
    return any(seq[i : i + n] == sub for i in range(len(seq) - n + 1))


def _harfbuzz_names(path: Path, text: str, rtl: bool) -> list[str]:
    import uharfbuzz as hb

    font = hb.Font(hb.Face(hb.Blob(path.read_bytes())))
    buf = hb.Buffer()
    buf.add_str(text)
    buf.direction = "rtl" if rtl else "ltr"
    buf.guess_segment_properties()
    hb.shape(font, buf)
    return [font.glyph_to_string(i.codepoint) for i in buf.glyph_infos]


def test_arabic_letters_join_and_lam_alef_takes_its_ligature_forms(pdfs):
    path = _font_path("NotoSansArabic")
    drawn = _drawn(pdfs["ar"], "NotoSansArabic")
    # Noto Sans Arabic makes lam-alef from two required-ligature (rlig) glyphs
    assert all(".rlig" in n for n in _harfbuzz_names(path, "لا", True))
    word = _harfbuzz_outlines(path, LAM_ALEF, True)
    assert _contains(drawn, word)
    assert sum(".rlig" in n for n in _harfbuzz_names(path, LAM_ALEF, True)) == 2
    # the letters one by one (their isolated forms, as an unshaped PDF draws them) are not it
    isolated = [g for ch in reversed(LAM_ALEF) for g in _harfbuzz_outlines(path, ch, True)]
    assert word != isolated and not _contains(drawn, isolated)
    # a joining letter takes its joined form: kaf before lam is initial, not isolated
    assert _harfbuzz_names(path, "كل", True)[-1] == "uni0643.init"


def test_devanagari_vowel_sign_i_is_drawn_before_its_consonant(pdfs):
    path = _font_path("NotoSansDevanagari")
    drawn = _drawn(pdfs["hi"], "NotoSansDevanagari")
    word = "हड्डियों"
    want = _harfbuzz_outlines(path, word, False)
    assert _contains(drawn, want)
    # not the characters' own glyphs in text order: the vowel sign moved, the conjunct made
    assert want != [_harfbuzz_outlines(path, ch, False)[0] for ch in word]


# --- the page -----------------------------------------------------------------------------


def _lines_of(pdf: bytes, page_no: int = 0) -> list[tuple[float, float, float]]:
    """(baseline y, leftmost x, rightmost x) of each line of text on a page, from the glyphs
    the content stream draws (spaces' blank advances left out)."""
    rows: dict[float, list[float]] = {}
    for g in _glyphs(pdf, page_no):
        if g.outline:  # ink, not a space
            rows.setdefault(round(g.y, 1), []).extend([g.x, g.x + g.width])
    return sorted(((y, min(v), max(v)) for y, v in rows.items()), reverse=True)


@pytest.mark.parametrize("lang", ["ar", "he"])
def test_right_to_left_lines_are_right_aligned(lang, pdfs):
    st = resolve_style("default")
    right = st.page_width - st.margins[1]
    left = st.margins[3]
    lines = _lines_of(pdfs[lang])
    body = [ln for ln in lines if ln[2] > right - 2 and ln[0] < st.page_height - 150]  # below the title band
    assert len(body) >= 4, lines
    for _y, x0, x1 in body:
        assert abs(x1 - right) < 2.0 and x0 >= left - 1
    # the short one-line paragraph ends well short of the left margin: set from the right
    assert any(x0 > left + 100 for _y, x0, x1 in body)


def test_words_of_a_right_to_left_line_run_from_the_right(pdfs):
    """The mixed paragraph's first line: its first Arabic word is right of the drug name,
    the drug name reads left to right, and the Arabic after it is left of it."""
    glyphs = _glyphs(pdfs["mixed"], 0)
    arabic = _font_path("NotoSansArabic")

    def where(word: str, rtl: bool, path: Path) -> float:
        """The x of the first glyph of ``word`` as shaped, found among those drawn."""
        want = _harfbuzz_outlines(path, word, rtl)
        drawn = [g.outline for g in glyphs]
        (at,) = [i for i in range(len(drawn)) if drawn[i : i + len(want)] == want]
        return glyphs[at].x

    latin = _font_path("AtkinsonHyperlegible-Regular")
    first = where("تناول", True, arabic)
    drug = where("Alendronic", False, latin)
    acid = where("acid", False, latin)
    after = where("واحدة", True, arabic)
    assert first > acid > drug > after


def test_arabic_hebrew_and_hindi_pass_pdfua(pdfs, tmp_path):
    import page

    for name, pdf in pdfs.items():
        path = tmp_path / f"{name}.pdf"
        path.write_bytes(pdf)
        report = page.validate_pdf(str(path), profile="ua1")
        assert report.is_compliant, (name, [f.rule_id for f in report.failures])


def test_shaped_output_is_the_same_bytes_whatever_was_rendered_before(tmp_path):
    """Glyphs with no character of their own are drawn by a code fixed by the glyph, not by
    the order a process met them: a leaflet rendered after another gives the bytes a fresh
    process gives."""
    import subprocess
    import sys

    style = resolve_style("default")
    a = _leaflet(tmp_path, "ar", [TEXTS["ar"][2]])
    (tmp_path / "b").mkdir()
    b = _leaflet(tmp_path / "b", "ar", [LAM_ALEF + " " + TEXTS["hi"][1] + " " + TEXTS["ar"][1]])
    render(load_leaflet(b), style)
    after_b = render(load_leaflet(a), style)
    assert b"/ActualText" in after_b or b"ActualText" in _inflated(after_b)
    fresh = tmp_path / "fresh.pdf"
    code = (
        "import sys; from pathlib import Path; from leafwright.render import load_leaflet, render; "
        "from leafwright.style import resolve_style; "
        f"Path({str(fresh)!r}).write_bytes(render(load_leaflet({str(a)!r}), resolve_style('default')))"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
    assert fresh.read_bytes() == after_b


def _inflated(pdf: bytes) -> bytes:
    from pypdf import PdfReader

    return b"".join(p.get_contents().get_data() for p in PdfReader(io.BytesIO(pdf)).pages)


def test_embedding_levels_are_those_of_python_bidi():
    """The fast level resolution agrees with python-bidi's algorithm on mixed text: Arabic,
    Hebrew, Latin, European and Arabic-Indic digits, separators, marks and joiners. (That
    algorithm has no rule N0 for brackets: they are in the next test.)"""
    import random

    from leafwright.text.bidi import _levels_python_bidi, levels

    pool = [*"abc XYZ 0123 ,.-+%$#:/«»", *"ابتثجحخ هوي ١٢٣ ،؟", *"שלום", "\u064b", "\u0301", "\u200c", "  "]
    pool += ["\u00ad", "\u200d", "\u06f1", "\u2212", "\u00b0", "\t", "\u2028", "\U0001d7d8", "\U00010900"]
    rnd = random.Random(12)
    for _ in range(4000):
        text = "".join(rnd.choice(pool) for _ in range(rnd.randint(1, 40)))
        for rtl in (False, True):
            assert levels(text, rtl) == _levels_python_bidi(text, rtl), (text, rtl)


def _display(text: str, rtl: bool) -> str:
    """``text`` as shown on one line, left to right (rules L1 and L2; no mirroring)."""
    from leafwright.text.bidi import display_order, levels

    lv = levels(text, rtl)
    base = 1 if rtl else 0
    for i in range(len(text) - 1, -1, -1):  # L1: the spaces at the line's end
        if text[i] not in " \u2028":
            break
        lv[i] = base
    return "".join(text[i] for i in display_order(lv))


@pytest.mark.parametrize(
    "text, rtl, shown",
    [
        # a drug name with its generic name in brackets, in Arabic: the pair stays round it
        ("يُعطى Prolia (denosumab) مرة", True, "ةرم Prolia (denosumab) ىطعُي"),
        ("Aclasta (zoledronic acid) دواء [مثال].", True, ".]لاثم[ ءاود Aclasta (zoledronic acid)"),
        # Arabic in brackets in English
        ("Take Prolia (دواء) now", False, "Take Prolia (ءاود) now"),
    ],
)
def test_brackets_round_a_latin_name_in_arabic_stay_round_it(text, rtl, shown):
    """Rule N0: a pair of brackets takes the direction of what it holds (an English name in
    an Arabic sentence keeps both its brackets: 'Prolia (denosumab)', not
    'Prolia (denosumab' with the closing bracket on the far side). Brackets are drawn
    mirrored at an odd level, as HarfBuzz does: here they are compared as characters."""
    assert _display(text, rtl) == shown


@pytest.mark.parametrize(
    "text, rtl, mark",
    [
        ("ب (ب)\u0651 c", False, "\u0651"),  # a shadda on the closing bracket of Arabic in brackets
        ("Take (b)\u0301 دواء", True, "\u0301"),  # an accent on a closing bracket, in Arabic
    ],
)
def test_a_mark_on_a_bracket_is_drawn_with_the_bracket(text, rtl, mark):
    """Rule N0: a combining mark after a bracket takes the direction N0 gives the bracket,
    so it is shaped with it, not drawn on its own (on a dotted circle) across the line."""
    from bidi import get_display

    from leafwright.text.lines import TextStyle, lay_out

    fonts = resolve_style("default").fonts
    (line,) = lay_out(text, TextStyle(fonts, fonts.regular, 12, rtl=rtl), 400, 400)
    (holder,) = [p for p in line.pieces if mark in p.text]
    assert ")" + mark in holder.text
    assert _display(text, rtl) == get_display(text, base_dir="R" if rtl else "L")


def test_paired_brackets_are_resolved_as_python_bidis_unicode_bidi_does():
    """Against python-bidi's own display (the Rust unicode-bidi crate, which applies rule N0
    and leaves brackets unmirrored) on random text with brackets: round, square, curly and
    full-width, nested and unpaired, round Arabic, Hebrew, Latin and digits, and marks."""
    import random

    from bidi import get_display

    pool = [*"abc XYZ 0123 ,.-+%$#:/«»", *"ابتثجحخ هوي ١٢٣ ،؟", *"שלום", "  ", "\u06f1", "\u2212"]
    pool += [*"()[]{}()[]（）", "\U0001d7d8", "\U00010900", "\u0301", "\u0651"]
    rnd = random.Random(7)
    for _ in range(4000):
        text = "".join(rnd.choice(pool) for _ in range(rnd.randint(1, 40)))
        for rtl in (False, True):
            assert _display(text, rtl) == get_display(text, base_dir="R" if rtl else "L"), (text, rtl)


def test_a_paragraphs_fonts_are_those_fonts_for_text_gives_each_character():
    """The paragraph path finds a paragraph's fonts a run at a time: the same font for every
    character as ``fonts.fonts_for_text`` (a script's font for its letters and the shared
    characters round them, the main font or a fallback for the rest), on mixed text."""
    import random

    from leafwright.fonts import fonts_for_text, run_scripts
    from leafwright.text.lines import TextStyle, _char_codes, _Faces, script_runs

    fonts = resolve_style("default").fonts
    faces = _Faces(TextStyle(fonts, fonts.regular, 12))
    pool = [
        *"abc XYZ 01 ,.-()",
        *"ابت هو ١٢ ،؟",
        *"של",
        *"दवा।",
        *"বাং",
        "\u064b",
        "\u0301",
        "αβ",
        "\u2013",
        "\u00a0",
        "\u200c",
    ]
    rnd = random.Random(3)
    for _ in range(1500):
        text = "".join(rnd.choice(pool) for _ in range(rnd.randint(1, 40)))
        # (with and without the characters a few scripts share: Arabic comma and digits, danda)
        plain = text.translate({ord(c): None for c in "،؟।١٢\u064b"})
        for t in (text, plain):
            assert [sc for _i, sc in _expanded(script_runs(t, fonts))] == run_scripts(t), t
        chars = text.translate(_char_codes(fonts))
        found = [f for _i, f in _expanded(faces.font_runs(text, chars))]
        want = [f or fonts.regular for f in fonts_for_text(text, fonts)]
        for i, ch in enumerate(text):  # a joiner draws nothing: it takes the font before it
            if ch == "\u200c":
                others = [want[j] for j in range(i - 1, -1, -1) if text[j] != ch]
                others += [want[j] for j in range(i + 1, len(text)) if text[j] != ch]
                want[i] = others[0] if others else want[i]
        assert found == want, text


def _expanded(runs):
    """Runs, (end, value) each, as one (index, value) a character."""
    start = 0
    for end, value in runs:
        for i in range(start, end):
            yield i, value
        start = end


def test_a_paragraphs_fonts_follow_its_own_styles_script_fonts_whatever_was_laid_out_before():
    """Two styles with the same fonts but a different ``scripts:`` map: Hindi in the style
    without one is drawn in the first fallback that has it (Noto Sans), even after the same
    words were laid out in a style that maps Devanagari to its own font."""
    from dataclasses import replace

    from leafwright.fonts import fonts_for_text
    from leafwright.text.lines import TextStyle, lay_out

    mapped = resolve_style("default").fonts
    unmapped = replace(mapped, scripts=())
    text = "दवा लें"
    for fonts in (mapped, unmapped):
        lines = lay_out(text, TextStyle(fonts, fonts.regular, 12), 300, 300)
        drawn = {p.look.font for line in lines for p in line.pieces if p.text.strip()}
        assert drawn == {f for ch, f in zip(text, fonts_for_text(text, fonts)) if ch != " "}


@pytest.mark.parametrize("word", ["ب" * 500, "بسم" * 100])
def test_an_arabic_word_too_long_for_any_line_is_cut_into_lines_that_fit_the_column(word):
    """Cut letters take other forms (a medial beh becomes final, wider): each line is measured
    as drawn, so none runs past the column, and no letter is lost or doubled."""
    from leafwright.text.lines import TextStyle, lay_out

    fonts = resolve_style("default").fonts
    lines = lay_out(word, TextStyle(fonts, fonts.regular, 12), 100, 100)
    assert len(lines) > 1
    assert max(line.width for line in lines) <= 100
    assert "".join(line.text for line in lines) == word


@pytest.mark.parametrize("word", ["स्वास्थ्य" * 40, "cafe\u0301" * 100])
def test_a_word_too_long_for_any_line_is_never_cut_inside_a_cluster(word):
    """A line starting with a vowel sign or mark (or a conjunct split after its virama) is
    drawn with a dotted circle where the letter should be: cuts fall between clusters."""
    import unicodedata

    from leafwright.text.lines import TextStyle, lay_out

    fonts = resolve_style("default").fonts
    lines = lay_out(word, TextStyle(fonts, fonts.regular, 12), 100, 100)
    assert len(lines) > 1 and "".join(line.text for line in lines) == word
    for before, after in itertools.pairwise(lines):
        assert not unicodedata.category(after.text[0]).startswith("M"), after.text[:3]
        assert unicodedata.combining(before.text[-1]) != 9, before.text[-3:]


def test_a_link_broken_over_two_lines_of_a_paragraph_holding_arabic_is_clickable_on_both(tmp_path):
    """An English paragraph with an Arabic word is drawn by runs; the link's words at the end
    of the first line (with the space kept after them) still get their annotation."""
    from pypdf import PdfReader

    path = tmp_path / "en.yaml"
    path.write_text(
        "id: link-en\ntitle: Bone medicine\nlanguage: en\nversion: '1.0'\npublished: 2025-01-01\n"
        "review_by: 2027-06-01\npublisher:\n  name: Bone Charity\nsections:\n  - heading: Test\n"
        "    blocks:\n      - paragraph: 'Ask for the leaflet in العربية or [read about the medicine"
        " and its side effects and what to do about them on our pages](https://example.org/more) today.'\n",
        encoding="utf-8",
    )
    page = PdfReader(io.BytesIO(render(load_leaflet(path), resolve_style("default")))).pages[0]
    rects = [
        [float(v) for v in a.get_object()["/Rect"]]
        for a in page["/Annots"]
        if a.get_object()["/A"].get("/URI") == "https://example.org/more"
    ]
    assert len({round(r[1]) for r in rects}) == 2, rects  # one on each line


@pytest.mark.parametrize("text", ["Take " + "x" * 500 + " daily", "خذ " + "ب" * 300])
def test_a_word_too_long_for_any_line_after_other_words_is_cut_into_lines_that_fit(text):
    """Not only a paragraph's first word: one after others starts a line and is cut as
    often as it needs (it was cut once, and the rest ran thousands of points off the page)."""
    from leafwright.text.lines import TextStyle, lay_out

    fonts = resolve_style("default").fonts
    lines = lay_out(text, TextStyle(fonts, fonts.regular, 12), 100, 100)
    assert max(line.width for line in lines) <= 100
    assert "".join(line.text for line in lines) == text
    assert lines[0].text == text.split(" ")[0] + " "  # the word before it keeps its space
