"""Fixed labels and dates in the leaflet's language (leafwright.i18n).

A Welsh and a Polish leaflet print their labels, footer, page numbers and dates in
Welsh and Polish, in the PDF's tags and on the web page; a style's and the project's
`labels:` win over the catalogue (project over style); a language with no catalogue
falls back to English with one LW801 warning; unknown label keys are located errors;
every catalogue has every English key; English output is what it always was.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from pathlib import Path

import page
import pytest

from conftest import LEAFLETS, ROOT, STYLE_DIR, run_cli
from leafwright.i18n import (
    CATALOGUE,
    TEMPLATE,
    _read_po,
    catalogue_languages,
    check_text,
    english,
    format_date,
    label_keys,
    labels_for,
    template_text,
)
from leafwright.pdfread import Node, inspect_pdf
from leafwright.render import load_leaflet

SAMPLE = ROOT / "leaflets" / "oi-bisphosphonates.yaml"  # published 2015-01-31


def _texts(node: Node) -> list[str]:
    """The text of every element, depth first."""
    out = [node.text()]
    for k in node.elements:
        out += _texts(k)
    return out


def _project(tmp_path: Path, **languages: str) -> Path:
    """A project: the shipped styles, and the OI sample in each language (file: <lang>.yaml)."""
    shutil.copytree(STYLE_DIR, tmp_path / "styles")
    (tmp_path / "leaflets").mkdir()
    text = SAMPLE.read_text(encoding="utf-8")
    for name, lang in languages.items():
        body = re.sub(r"^id: .*$", f"id: oi-{name}", text, count=1, flags=re.M)
        body = re.sub(r"^language: .*$", f"language: {lang}", body, count=1, flags=re.M)
        # the sample states no version or review date (LW511): excused, so LW801 is the only warning
        body = body.replace(
            "checks:\n  ignore:\n", "checks:\n  ignore:\n    - {rule: LW511, reason: as published}\n", 1
        )
        (tmp_path / "leaflets" / f"{name}.yaml").write_text(body, encoding="utf-8")
    return tmp_path


def _build(project: Path, *args: str):
    r = run_cli(["build", *args, "--out", "out", "--no-archive"], cwd=project)
    assert "Traceback" not in r.output
    return r


WELSH = {
    "tree": [
        "Pwyntiau allweddol",
        "Manylion cyswllt Brittle Bone Society",
        "Am yr wybodaeth hon",
        "Cyhoeddwyd: 31 Ionawr 2015",
        "Ffynonellau",
        "Gwybodaeth: Dental care",  # a callout's label
    ],
    "artifacts": ["Brittle Bone Society · Cyhoeddwyd 31 Ionawr 2015", "Tudalen 1 o "],
}
POLISH = {
    "tree": [
        "Najważniejsze informacje",
        "Kontakt: Brittle Bone Society",
        "Informacje o tym dokumencie",
        "Data publikacji: 31 stycznia 2015",
        "Źródła",
        "Informacja: Dental care",
    ],
    "artifacts": ["Brittle Bone Society · Opublikowano 31 stycznia 2015", "Strona 1 z "],
}
ENGLISH_LABELS = ["Key points", "About this information", "Sources", "Published: ", "Contact "]


@pytest.mark.parametrize(("lang", "want"), [("cy", WELSH), ("pl", POLISH)])
def test_a_welsh_or_polish_pdf_has_its_labels_and_dates_in_its_language(
    tmp_path: Path, lang: str, want: dict
) -> None:
    project = _project(tmp_path, leaflet=lang)
    r = _build(project, "leaflets/leaflet.yaml", "--variant", "standard,large-print")
    assert r.exit_code == 0, r.output
    assert "LW801" not in r.output  # the language has a catalogue: nothing to warn of
    for pdf in (project / "out" / "oi-leaflet.pdf", project / "out" / "oi-leaflet.large-print.pdf"):
        rep = inspect_pdf(pdf)
        assert rep.lang == lang
        texts = _texts(rep.tree)
        for label in want["tree"]:
            assert any(t.startswith(label) for t in texts), (label, [t[:60] for t in texts])
        assert not [t for t in texts if t.startswith(tuple(ENGLISH_LABELS))]
        artifacts = [t for _page, t in rep.artifact_text]
        for label in want["artifacts"]:
            assert label in artifacts, artifacts[:6]
        assert not any(t.startswith("Page ") for t in artifacts)
        # the page count is still filled in after the translated 'Page 1 of'
        assert str(rep.pages) in artifacts
        assert page.validate_pdf(str(pdf), profile="ua1").is_compliant


def test_a_welsh_draft_is_marked_in_welsh(tmp_path: Path) -> None:
    project = _project(tmp_path, leaflet="cy")
    r = _build(project, "leaflets/leaflet.yaml", "--draft")
    assert r.exit_code == 0, r.output
    rep = inspect_pdf(project / "out" / "drafts" / "oi-leaflet.pdf")
    marks = [t for _p, t in rep.artifact_text if t.startswith("DRAFFT")]
    assert marks == ["DRAFFT — nid i'w ddosbarthu"] * rep.pages


WEB = {
    "cy": [
        "<h2>Pwyntiau allweddol</h2>",
        "<h2>Manylion cyswllt Brittle Bone Society</h2>",
        "<h2>Am yr wybodaeth hon</h2>",
        '<dt>Cyhoeddwyd:</dt> <dd><time datetime="2015-01-31">31 Ionawr 2015</time></dd>',
        "<h3>Ffynonellau</h3>",
        "Neidio i&#39;r daflen",
        "Y daflen hon fel ffeil i&#39;w lawrlwytho neu ei hargraffu:",
        ">PDF print bras</a> (testun 18 pwynt)",
        "Gwybodaeth: Dental care",
        "Brittle Bone Society · Cyhoeddwyd 31 Ionawr 2015",
    ],
    "pl": [
        "<h2>Najważniejsze informacje</h2>",
        "<h2>Kontakt: Brittle Bone Society</h2>",
        "<h2>Informacje o tym dokumencie</h2>",
        '<dt>Data publikacji:</dt> <dd><time datetime="2015-01-31">31 stycznia 2015</time></dd>',
        "<h3>Źródła</h3>",
        "Przejdź do ulotki",
        ">PDF z dużą czcionką</a> (tekst 18-punktowy)",
        "Brittle Bone Society · Opublikowano 31 stycznia 2015",
    ],
}


@pytest.mark.parametrize("lang", list(WEB))
def test_the_web_edition_has_its_labels_and_dates_in_its_language(tmp_path: Path, lang: str) -> None:
    project = _project(tmp_path, leaflet=lang)
    r = _build(project, "leaflets/leaflet.yaml", "--variant", "standard,large-print,html")
    assert r.exit_code == 0, r.output
    html = (project / "out" / "oi-leaflet.html").read_text(encoding="utf-8")
    assert f'<html lang="{lang}" dir="ltr">' in html
    for text in WEB[lang]:
        assert text in html, text
    for english_text in ("About this information", "Skip to the leaflet", "Large print PDF", "Published"):
        assert english_text not in html


def test_a_welsh_web_page_passes_axe(tmp_path: Path, browser) -> None:
    from browser import axe_violations, describe, open_page

    project = _project(tmp_path, leaflet="cy")
    r = _build(project, "leaflets/leaflet.yaml", "--variant", "standard,html")
    assert r.exit_code == 0, r.output
    p = open_page(browser, project / "out" / "oi-leaflet.html")
    try:
        violations = axe_violations(p)
    finally:
        p.context.close()
    assert violations == [], describe(violations)


# --- overrides -----------------------------------------------------------------------------


def test_project_labels_win_over_the_style_and_the_style_over_the_catalogue(tmp_path: Path) -> None:
    project = _project(tmp_path, welsh="cy", english="en-GB")
    (project / "styles" / "brand.yaml").write_text(
        "extends: default\n"
        "labels:\n"
        '  about: "All about it"\n'  # every language
        "  cy:\n"
        '    sources: "Ein ffynonellau"\n'
        '    contact: "Ffoniwch {organisation}"\n',
        encoding="utf-8",
    )
    (project / "leafwright.yaml").write_text(
        'labels:\n  cy: {contact: "Siaradwch â {organisation}"}\n', encoding="utf-8"
    )
    r = _build(project, "leaflets/welsh.yaml", "leaflets/english.yaml", "--style", "brand")
    assert r.exit_code == 0, r.output
    welsh = _texts(inspect_pdf(project / "out" / "oi-welsh.pdf").tree)
    assert "Siaradwch â Brittle Bone Society" in welsh  # the project's, over the style's
    assert "Ein ffynonellau" in welsh  # the style's Welsh, over the catalogue's
    assert "All about it" in welsh  # the style's for every language, over the catalogue's
    assert "Pwyntiau allweddol" in welsh  # the catalogue's where nothing overrides it
    english_tree = _texts(inspect_pdf(project / "out" / "oi-english.pdf").tree)
    assert "All about it" in english_tree
    assert "Sources" in english_tree and "Contact Brittle Bone Society" in english_tree  # Welsh only


def test_a_style_footer_text_is_its_words_in_every_language(tmp_path: Path) -> None:
    project = _project(tmp_path, welsh="cy")
    (project / "styles" / "brand.yaml").write_text(
        'extends: default\nfooter: {text: "{organisation} · {published}"}\n', encoding="utf-8"
    )
    r = _build(project, "leaflets/welsh.yaml", "--style", "brand")
    assert r.exit_code == 0, r.output
    artifacts = [t for _p, t in inspect_pdf(project / "out" / "oi-welsh.pdf").artifact_text]
    assert "Brittle Bone Society · 31 Ionawr 2015" in artifacts


# --- a language with no catalogue ------------------------------------------------------------


def _lw801(output: str) -> list[str]:
    return [line for line in output.splitlines() if "LW801 warning:" in line]


def test_a_language_with_no_catalogue_warns_once_and_fails_strict(tmp_path: Path) -> None:
    project = _project(tmp_path, turkish="tr")
    args = ("leaflets/turkish.yaml", "--variant", "standard,large-print,html", "--report", "r.json")
    r = _build(project, *args)
    assert r.exit_code == 0, r.output
    found = _lw801(r.output)
    assert len(found) == 1, r.output  # one leaflet, three editions: one warning
    assert "turkish.yaml:" in found[0] and "Turkish (tr)" in found[0]
    assert f"{len(label_keys())} labels print in English" in found[0]
    report = json.loads((project / "r.json").read_text())
    lw801 = {
        json.dumps(f, sort_keys=True) for j in report["jobs"] for f in j["findings"] if f["rule"] == "LW801"
    }
    assert len(lw801) == 1  # every edition found the same one
    # English fallback labels are marked as English for screen readers
    rep = inspect_pdf(project / "out" / "oi-turkish.pdf")
    spans = [n for n in _walk(rep.tree) if n.lang == "en"]
    assert "About this information" in [n.text() for n in spans]
    assert "Sources" in [n.text() for n in spans]
    html = (project / "out" / "oi-turkish.html").read_text(encoding="utf-8")
    assert '<h2><span lang="en">About this information</span></h2>' in html
    assert '<a class="skip-link" href="#content"><span lang="en">Skip to the leaflet</span></a>' in html
    r = _build(project, *args[:-2], "--strict", "--force")
    assert r.exit_code == 1, r.output
    assert len(_lw801(r.output)) == 1


def _walk(node: Node) -> list[Node]:
    out = [node]
    for k in node.elements:
        out += _walk(k)
    return out


def test_a_partial_override_lists_only_the_labels_still_missing(tmp_path: Path) -> None:
    project = _project(tmp_path, turkish="tr")
    (project / "leafwright.yaml").write_text(
        "labels:\n  tr:\n    about: Bu bilgi hakkında\n    sources: Kaynaklar\n", encoding="utf-8"
    )
    r = _build(project, "leaflets/turkish.yaml")
    assert r.exit_code == 0, r.output
    (found,) = _lw801(r.output)
    listed = found.split("print in English: ", 1)[1].split(", ")
    assert "about" not in listed and "sources" not in listed
    assert len(listed) == len(label_keys()) - 2
    texts = _texts(inspect_pdf(project / "out" / "oi-turkish.pdf").tree)
    assert "Bu bilgi hakkında" in texts and "Kaynaklar" in texts


def test_labels_for_every_key_silence_the_warning(tmp_path: Path) -> None:
    project = _project(tmp_path, turkish="tr")
    entries = "\n".join(f"    {k}: {json.dumps(v)}" for k, v in english().items())
    (project / "leafwright.yaml").write_text(f"labels:\n  tr:\n{entries}\n", encoding="utf-8")
    r = _build(project, "leaflets/turkish.yaml", "--strict")
    assert r.exit_code == 0, r.output
    assert not _lw801(r.output)


# --- mistakes in labels: located errors ---------------------------------------------------------


def test_unknown_label_keys_are_located_errors(tmp_path: Path) -> None:
    project = _project(tmp_path, welsh="cy")
    (project / "styles" / "brand.yaml").write_text(
        'extends: default\nlabels:\n  contaact: "Ring us"\n', encoding="utf-8"
    )
    r = _build(project, "leaflets/welsh.yaml", "--style", "brand")
    assert r.exit_code == 1, r.output  # as for any mistake in a style
    assert "brand.yaml:3:13: labels.contaact: unknown label 'contaact' (did you mean 'contact'?)" in r.output
    (project / "leafwright.yaml").write_text("labels:\n  cy:\n    sorces: Ffynonellau\n", encoding="utf-8")
    for cmd in ("build", "check"):
        r = run_cli([cmd, "leaflets/welsh.yaml"], cwd=project)
        assert r.exit_code == 2, r.output
        assert "leafwright.yaml:3:13: labels.cy.sorces: unknown label 'sorces' (did you mean 'sources'?)" in (
            r.output
        )
    assert not (project / "out").exists()


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ('page_of: "{total} pages, this is {page}"', "the label 'page_of' must end with {total}"),
        (
            'contact: "Call {organization}"',
            "unknown placeholder {organization} (did you mean {organisation}?)",
        ),
        ('field: "Note"', "must keep the placeholder {label}"),
        ('about: "About {"', "unmatched brace"),
    ],
)
def test_a_label_with_the_wrong_placeholders_is_a_located_error(
    tmp_path: Path, entry: str, message: str
) -> None:
    project = _project(tmp_path, welsh="cy")
    (project / "leafwright.yaml").write_text(f"labels:\n  {entry}\n", encoding="utf-8")
    r = _build(project, "leaflets/welsh.yaml")
    assert r.exit_code == 2, r.output
    assert "leafwright.yaml:2:" in r.output and message in r.output, r.output


# --- the catalogue ------------------------------------------------------------------------------


def test_every_catalogue_has_every_english_key_and_nothing_else() -> None:
    template = _read_po(TEMPLATE)
    assert list(template) == list(label_keys()) and len(template) > 30
    shipped = catalogue_languages()
    required = ("en", "cy", "pl", "ar", "ur", "fa", "bn", "pa", "ro", "pt", "lt", "so", "es", "fr", "zh-Hans")
    for lang in required:
        assert lang in shipped
    for lang in shipped[1:]:
        entries = _read_po(f"{lang}.po")
        assert set(entries) == set(template), (lang, set(entries) ^ set(template))
        for key, (source, text) in entries.items():
            # the English it translates is the English of today (a changed label is retranslated)
            assert source == template[key][0], (lang, key)
            assert text, f"{lang}.po: '{key}' has no translation"
            assert check_text(key, text) is None, (lang, key, check_text(key, text))
        assert not labels_for(lang).missing


def test_the_template_and_the_docs_are_written_from_the_english_labels() -> None:
    # `python -m leafwright.i18n` rewrites the template when a label is added or changed
    assert CATALOGUE.joinpath(TEMPLATE).read_text(encoding="utf-8") == template_text()
    table = (ROOT / "docs" / "labels.md").read_text(encoding="utf-8")
    for key, text in english().items():
        assert f"| `{key}` | {text.replace('|', chr(92) + '|')} |" in table, key


def test_every_translation_says_it_is_machine_translated_and_needs_review() -> None:
    for lang in catalogue_languages()[1:]:
        head = CATALOGUE.joinpath(f"{lang}.po").read_text(encoding="utf-8").split("msgid", 1)[0]
        assert "MACHINE-TRANSLATED by Claude (Anthropic AI model)" in head, lang
        assert "review by a native speaker before clinical use" in head, lang
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "machine-translated by Claude (Anthropic AI model)" in readme


def test_every_web_link_to_an_edition_has_a_label() -> None:
    from leafwright.variants import VARIANTS

    for v in VARIANTS.values():
        if v.link_label:
            key = "edition_" + v.name.replace("-", "_")
            assert english()[key] == v.link_label
            if v.link_note:
                assert english()[key + "_note"] == v.link_note


# --- dates and language tags ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "want"),
    [
        ("en-GB", "31 January 2015"),
        ("en-US", "31 January 2015"),  # leaflets keep the UK form in any English
        ("en", "31 January 2015"),
        ("cy", "31 Ionawr 2015"),
        ("cy-GB", "31 Ionawr 2015"),
        ("pl", "31 stycznia 2015"),
        ("pt-BR", "31 de janeiro de 2015"),
        ("fr", "31 janvier 2015"),
        ("zh-Hans", "2015年1月31日"),
        ("so", "Janaayo 31, 2015"),  # CLDR's long form for Somali
        ("qaa", "31 January 2015"),  # a tag CLDR does not know
    ],
)
def test_dates_are_written_as_the_language_writes_them(lang: str, want: str) -> None:
    assert format_date(dt.date(2015, 1, 31), lang) == want


def test_a_regional_tag_uses_its_language_catalogue() -> None:
    assert labels_for("pt-BR").catalogue == "pt" and not labels_for("pt-BR").missing
    assert labels_for("zh").catalogue == "zh-Hans" and labels_for("zh-CN").catalogue == "zh-Hans"
    assert labels_for("zh-TW").catalogue is None and labels_for("zh-TW").missing  # Traditional: none yet
    assert labels_for("cy-GB")("page_of", page=1, total=9) == "Tudalen 1 o 9"
    assert labels_for("en-GB").missing == ()


def test_english_samples_print_the_english_labels(samples) -> None:
    seen: set[str] = set()
    english = {p.stem for p in LEAFLETS if load_leaflet(p).leaflet.language.startswith("en")}
    for (leaflet_id, _style), pdf in samples.items():
        if leaflet_id not in english:  # the sample translations print their own language's
            continue
        rep = inspect_pdf(pdf)
        seen.update(_texts(rep.tree))
        artifacts = [t for _p, t in rep.artifact_text]
        assert "Page 1 of " in artifacts
        assert not [n for n in _walk(rep.tree) if n.lang == "en"]  # nothing marked as another language
    for label in (
        "Key points",
        "About this information",
        "Sources",
        "Disclaimer",
        "Contact Brittle Bone Society",
    ):
        assert label in seen, label
    assert "Published: 31 January 2015" in seen


def test_labels_in_a_script_no_font_has_are_a_located_error(tmp_path: Path) -> None:
    # English text, but language: zh-Hans: the labels are Chinese, which the default style
    # cannot draw; said once, at the language: line, rather than printed as empty boxes
    project = _project(tmp_path, chinese="zh-Hans")
    r = _build(project, "leaflets/chinese.yaml")
    assert r.exit_code == 1, r.output
    said = "language: the labels in Chinese (zh-Hans) cannot be printed: the Han (Chinese"
    # (the build's checks find it first: the same words, with the rule id)
    assert re.search(r"chinese\.yaml:\d+:\d+: (LW210 )?" + re.escape(said), r.output), r.output
    assert not (project / "out" / "oi-chinese.pdf").exists()
    r = run_cli(["check", "leaflets/chinese.yaml"], cwd=project)
    assert r.exit_code == 1, r.output
    assert "chinese.yaml:5:11: LW210 the labels in Chinese (zh-Hans) cannot be printed: the Han" in r.output


def test_an_arabic_drafts_page_labels_are_arabic_in_an_arabic_font(tmp_path: Path) -> None:
    """The page number and the draft mark are drawn straight on the page: in Arabic they
    go through the paragraph path, in the Arabic font (not empty boxes in the Latin one)."""
    from pypdf import PdfReader

    from leafwright.render import RenderOptions, load_leaflet, render
    from leafwright.style import resolve_style

    pdf = tmp_path / "ar.pdf"
    src = load_leaflet(ROOT / "tests" / "data" / "scripts" / "ar.yaml")
    pdf.write_bytes(render(src, resolve_style("default"), RenderOptions(draft=True)))
    rep = inspect_pdf(pdf)
    artifacts = "".join(t for p, t in rep.artifact_text if p == 0)
    assert "صفحة 1 من" in artifacts and "مسودة — ليست للتوزيع" in artifacts, artifacts
    fonts = set()
    for ref in PdfReader(pdf).pages[0]["/Resources"]["/Font"].values():
        fonts.add(str(ref.get_object()["/BaseFont"]).split("+", 1)[-1])
    assert "NotoSansArabic-Bold" in fonts, fonts  # the draft mark's face
    assert page.validate_pdf(str(pdf), profile="ua1").is_compliant


def test_project_labels_may_live_in_pyproject(tmp_path: Path) -> None:
    project = _project(tmp_path, welsh="cy")
    (project / "pyproject.toml").write_text(
        '[tool.leafwright.labels.cy]\ncontact = "Ffoniwch {organisation}"\n', encoding="utf-8"
    )
    r = _build(project, "leaflets/welsh.yaml")
    assert r.exit_code == 0, r.output
    assert "Ffoniwch Brittle Bone Society" in _texts(inspect_pdf(project / "out" / "oi-welsh.pdf").tree)


def test_changing_the_project_labels_rebuilds(tmp_path: Path) -> None:
    project = _project(tmp_path, welsh="cy")
    assert _build(project, "leaflets/welsh.yaml").exit_code == 0
    r = _build(project, "leaflets/welsh.yaml")
    assert "1 unchanged" in r.output, r.output
    (project / "leafwright.yaml").write_text(
        'labels:\n  cy: {sources: "Ein ffynonellau"}\n', encoding="utf-8"
    )
    r = _build(project, "leaflets/welsh.yaml")
    assert "0 unchanged" in r.output, r.output
    assert "Ein ffynonellau" in _texts(inspect_pdf(project / "out" / "oi-welsh.pdf").tree)
