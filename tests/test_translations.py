"""Translated editions: a leaflet that is a translation of another (``translation_of``,
``source_version``), checked against the library, warned of when it falls behind, and
linked to its other language editions in the PDF, the web page and the manifest."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml

from conftest import CASES, ROOT, assert_golden, diagnostic_blocks, run_cli
from leafwright.pdfread import inspect_pdf

TRANSLATIONS = CASES / "translations"
BAD = sorted(TRANSLATIONS.glob("bad-*.yaml"))

#: a leaflet that passes the build's governance checks; {head} goes first
LEAFLET = """\
id: {id}
title: {title}
language: {language}
version: "{version}"
published: 2025-01-01
review_by: 2027-06-01
{head}publisher:
  name: Example Charity
  phone: 01234 567890
  web: https://example.org
authors: [{{name: A Writer}}]
references: [Sources are available on request.]
disclaimer: {disclaimer}
feedback: {feedback}
other_formats: Large print on request.
sections:
  - heading: {heading}
    blocks:
      - paragraph: {text}
"""

ENGLISH = {
    "id": "fractures",
    "title": "Broken bones",
    "language": "en-GB",
    "disclaimer": "This leaflet does not replace your doctor's advice.",
    "feedback": "Email us to tell us what you think.",
    "heading": "What to do",
    "text": "Rest the arm and keep it still.",
}
WELSH = {
    "id": "fractures-cy",
    "title": "Esgyrn wedi torri",
    "language": "cy",
    "disclaimer": "Nid yw'r daflen hon yn cymryd lle cyngor eich meddyg.",
    "feedback": "Anfonwch e-bost atom i ddweud beth rydych chi'n ei feddwl.",
    "heading": "Beth i'w wneud",
    "text": "Gorffwyswch y fraich a'i chadw'n llonydd.",
}
POLISH = {
    "id": "fractures-pl",
    "title": "Złamane kości",
    "language": "pl",
    "disclaimer": "Ta ulotka nie zastępuje porady lekarza.",
    "feedback": "Napisz do nas, co myślisz.",
    "heading": "Co robić",
    "text": "Odpoczywaj i trzymaj rękę nieruchomo.",
}


def write(folder: Path, fields: dict, version: str = "1.0", source_version: str | None = None) -> Path:
    head = f'translation_of: fractures\nsource_version: "{source_version}"\n' if source_version else ""
    path = folder / f"{fields['id']}.yaml"
    path.write_text(LEAFLET.format(version=version, head=head, **fields), encoding="utf-8")
    return path


@pytest.fixture
def library(tmp_path, monkeypatch) -> Path:
    """English 1.0, and its Welsh and Polish translations of 1.0, in leaflets/; cwd."""
    folder = tmp_path / "leaflets"
    folder.mkdir()
    write(folder, ENGLISH)
    write(folder, WELSH, source_version="1.0")
    write(folder, POLISH, source_version="1.0")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("LEAFWRIGHT_TODAY", "2025-06-01")  # the review dates are neither near nor past
    return tmp_path


def set_version(path: Path, version: str) -> None:
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('version: "1.0"\npublished', f'version: "{version}"\npublished', 1))


# --- validation -----------------------------------------------------------------------------


@pytest.mark.parametrize("case", BAD, ids=lambda p: p.stem)
def test_a_translation_that_names_no_source_fails_located(case, tmp_path):
    """Built on its own (its source found beside it), each gives one located error, no file."""
    out = tmp_path / "out"
    r = run_cli(["build", case.name, "--out", str(out), "-q"], cwd=case.parent)
    assert r.exit_code == 1, r.output
    assert_golden(case.with_suffix(".expect"), diagnostic_blocks(r.stderr, case.name))
    assert not out.exists() or not any(out.glob("*.pdf"))
    # validate says the same, word for word
    v = run_cli(["validate", case.name], cwd=case.parent)
    assert v.exit_code == 1
    assert diagnostic_blocks(v.stderr, case.name) == case.with_suffix(".expect").read_text(encoding="utf-8")
    # check says the same, at the same place
    c = run_cli(["check", case.name], cwd=case.parent)
    assert c.exit_code == 1
    first = case.with_suffix(".expect").read_text(encoding="utf-8").splitlines()[0]
    location, _, rest = first.partition(": ")
    message = rest.split(": ", 1)[-1]  # build names the YAML path first
    assert f"{location}: {message}" in c.output


def test_the_unknown_source_hint_guesses_the_id():
    expect = (TRANSLATIONS / "bad-unknown-source.expect").read_text(encoding="utf-8")
    assert "no leaflet with the id 'bonez'" in expect and "did you mean 'bones'?" in expect


def test_a_good_translation_beside_its_source_builds(tmp_path):
    r = run_cli(["build", "bones-cy.yaml", "--out", str(tmp_path), "-q"], cwd=TRANSLATIONS)
    assert r.exit_code == 0, r.output
    assert (tmp_path / "bones-cy.pdf").is_file()


# --- falling behind ---------------------------------------------------------------------------


def test_an_out_of_date_translation_warns_in_build_and_fails_strict(library):
    set_version(library / "leaflets" / "fractures.yaml", "1.1")
    r = run_cli(["build", "leaflets"])
    assert r.exit_code == 0, r.output
    want = "out of date: this translation is of version 1.0 of 'fractures', which is now at version 1.1"
    for lid in ("fractures-cy", "fractures-pl"):
        assert f"leaflets/{lid}.yaml:8:17: LW703 warning: {want}" in r.output
    assert "2 warnings" in r.output  # nothing else to say of these leaflets
    assert run_cli(["build", "leaflets", "-q", "--strict"]).exit_code == 1
    hint = "hint: update the translation from version 1.1 of fractures, then set source_version: 1.1"
    assert run_cli(["check", "leaflets"]).output.count(hint) == 2

    c = run_cli(["check", "leaflets", "--format", "json"])
    assert c.exit_code == 0
    found = json.loads(c.output)["files"]["leaflets/fractures-cy.yaml"]
    lw703 = [f for f in found if f["rule"] == "LW703"]
    assert lw703 and lw703[0]["severity"] == "warning" and lw703[0]["line"] == 8
    assert lw703[0]["path"] == "source_version"
    assert run_cli(["check", "leaflets", "--strict"]).exit_code == 1
    sarif = json.loads(run_cli(["check", "leaflets", "--format", "sarif"]).output)
    assert "LW703" in {r["ruleId"] for r in sarif["runs"][0]["results"]}

    # brought up to date: nothing to say
    for lid in ("fractures-cy", "fractures-pl"):
        p = library / "leaflets" / f"{lid}.yaml"
        p.write_text(p.read_text().replace('source_version: "1.0"', 'source_version: "1.1"'))
    assert run_cli(["check", "leaflets", "--strict"]).exit_code == 0


def test_a_source_with_no_version_or_an_older_one_is_said(library):
    src = library / "leaflets" / "fractures.yaml"
    src.write_text(src.read_text().replace('version: "1.0"\n', "", 1))
    out = run_cli(["check", "leaflets"]).output
    assert (
        "fractures-cy.yaml:8:17: LW704 warning: 'fractures' states no version, so whether this "
        "translation of it is up to date cannot be told"
    ) in out
    src.write_text(src.read_text().replace("published:", 'version: "0.9"\npublished:', 1))
    out = run_cli(["check", "leaflets"]).output
    assert (
        "LW703 warning: this translation says it translates version 1.0 of 'fractures', "
        "but 'fractures' is at version 0.9"
    ) in out


def test_a_translation_can_be_excused_from_lw703(library):
    set_version(library / "leaflets" / "fractures.yaml", "2.0")
    p = library / "leaflets" / "fractures-cy.yaml"
    p.write_text(p.read_text() + "checks:\n  ignore:\n    - rule: LW703\n      reason: being retranslated\n")
    out = run_cli(["check", "leaflets"]).output
    assert "fractures-pl.yaml:8:17: LW703" in out and "fractures-cy.yaml:8:17: LW703" not in out


def test_a_cached_translation_warns_again_when_only_its_source_moved(library):
    """The source's version is part of a translation's inputs: a new version rebuilds the
    translation (now out of date); an unchanged build replays the warning from the manifest."""
    report = library / "report.json"

    def build() -> dict[str, dict]:
        r = run_cli(["build", "leaflets", "-q", "--report", str(report)])
        assert r.exit_code == 0, r.output
        return {Path(j["leaflet"]).stem: j for j in json.loads(report.read_text())["jobs"]}

    first = build()
    assert all(j["status"] == "built" for j in first.values())
    assert not any(w["rule"] == "LW703" for j in first.values() for w in j["findings"])

    set_version(library / "leaflets" / "fractures.yaml", "1.1")
    second = build()
    assert second["fractures-cy"]["status"] == "built"  # its own file did not change
    assert [w["rule"] for w in second["fractures-cy"]["findings"]].count("LW703") == 1

    third = build()
    assert third["fractures-cy"]["status"] == "unchanged"
    replayed = [w for w in third["fractures-cy"]["findings"] if w["rule"] == "LW703"]
    assert len(replayed) == 1 and "now at version 1.1" in replayed[0]["message"]


# --- links between the editions ----------------------------------------------------------------


def test_the_manifest_records_each_leaflets_language_editions(library):
    r = run_cli(["build", "leaflets", "-q", "--variant", "standard,large-print"])
    assert r.exit_code == 0, r.output
    manifest = json.loads((library / "out" / "manifest.json").read_text())
    entries = {e["path"]: e for e in manifest["outputs"]}
    assert entries["fractures.pdf"]["editions"] == [
        {"language": "cy", "name": "Cymraeg", "leaflet_id": "fractures-cy", "path": "fractures-cy.pdf"},
        {"language": "pl", "name": "Polski", "leaflet_id": "fractures-pl", "path": "fractures-pl.pdf"},
    ]
    assert [e["path"] for e in entries["fractures-pl.large-print.pdf"]["editions"]] == [
        "fractures-cy.large-print.pdf",
        "fractures.large-print.pdf",
    ]
    records = {r["leaflet_id"]: r for r in manifest["leaflets"]}
    assert (records["fractures-cy"]["translation_of"], records["fractures-cy"]["source_version"]) == (
        "fractures",
        "1.0",
    )
    assert records["fractures-cy"]["language"] == "cy"
    assert records["fractures"]["translation_of"] == ""


def test_the_pdf_lists_and_links_the_other_editions_each_in_its_language(library):
    r = run_cli(["build", "leaflets", "-q"])
    assert r.exit_code == 0, r.output

    def line_of(lid: str, label: str):
        report = inspect_pdf(library / "out" / f"{lid}.pdf")
        found = [p for p in report.tree.find("P") if p.text().startswith(label)]
        assert len(found) == 1, [p.text() for p in report.tree.find("P")]
        links = found[0].find("Link")
        return (
            report,
            found[0].text(),
            [(n.text(), [a.uri for a in n.annotations]) for n in links],
            # each name is tagged with its own language
            [[sp.lang for sp in n.find("Span")] for n in links],
        )

    report, text, links, langs = line_of("fractures", "This leaflet in:")
    assert text == "This leaflet in: Cymraeg · Polski"
    assert links == [("Cymraeg", ["fractures-cy.pdf"]), ("Polski", ["fractures-pl.pdf"])]
    assert langs == [["cy"], ["pl"]]
    # after "About this information", before the other-formats notice
    texts = [p.text() for p in report.tree.find("P")]
    at = texts.index(text)
    assert texts[at + 1] == "Large print on request."
    assert any(t.startswith("Version:") for t in texts[:at])

    # the Welsh edition: its label in Welsh (the label catalogue), the names each in theirs
    report, text, links, langs = line_of("fractures-cy", "Y daflen hon yn:")
    assert text == "Y daflen hon yn: English · Polski"
    assert links == [("English", ["fractures.pdf"]), ("Polski", ["fractures-pl.pdf"])]
    assert langs == [["en-GB"], ["pl"]]
    assert report.lang == "cy"


def test_a_leaflet_with_no_translations_has_no_such_line(library):
    (library / "leaflets" / "fractures-cy.yaml").unlink()
    (library / "leaflets" / "fractures-pl.yaml").unlink()
    assert run_cli(["build", "leaflets", "-q"]).exit_code == 0
    report = inspect_pdf(library / "out" / "fractures.pdf")
    assert not [p for p in report.tree.find("P") if "This leaflet in" in p.text()]


def test_a_withdrawn_translation_is_not_linked(library):
    p = library / "leaflets" / "fractures-pl.yaml"
    p.write_text(
        p.read_text().replace("published:", "status: withdrawn\nwithdrawn_on: 2025-03-01\npublished:")
    )
    assert run_cli(["build", "leaflets", "-q"]).exit_code == 0
    texts = [n.text() for n in inspect_pdf(library / "out" / "fractures.pdf").tree.find("P")]
    assert "This leaflet in: Cymraeg" in texts


def test_two_translations_into_one_language_are_an_error_not_two_links(library):
    # A second Welsh file (a copy kept while a new translation is made) would be offered to
    # readers as "This leaflet in: Cymraeg · Cymraeg".
    write(library / "leaflets", {**WELSH, "id": "fractures-cy-new"}, source_version="1.0")
    r = run_cli(["build", "leaflets", "-q"])
    assert r.exit_code != 0
    assert (
        "fractures-cy-new.yaml:3:11: language: 'fractures-cy' also translates 'fractures' into cy (Cymraeg)"
    ) in r.output
    assert "fractures-cy.yaml:3:11: language: 'fractures-cy-new' also translates" in r.output
    assert "status: withdrawn" in r.output
    # the new one as a draft beside the approved one is how a translation is remade
    new = library / "leaflets" / "fractures-cy-new.yaml"
    new.write_text(new.read_text().replace("published:", "status: draft\npublished:"))
    assert run_cli(["build", "leaflets", "-q", "--draft"]).exit_code == 0
    new.write_text(new.read_text().replace("status: draft\n", ""))
    # withdrawing the old one settles it: one Welsh edition, linked once
    old = library / "leaflets" / "fractures-cy.yaml"
    old.write_text(
        old.read_text().replace("published:", "status: withdrawn\nwithdrawn_on: 2025-03-01\npublished:")
    )
    assert run_cli(["build", "leaflets", "-q"]).exit_code == 0
    texts = [n.text() for n in inspect_pdf(library / "out" / "fractures.pdf").tree.find("P")]
    assert "This leaflet in: Cymraeg · Polski" in texts


def test_the_web_page_links_the_editions_with_hreflang(library):
    from lxml import html as lxml_html

    r = run_cli(["build", "leaflets", "-q", "--variant", "standard,html"])
    assert r.exit_code == 0, r.output
    tree = lxml_html.fromstring((library / "out" / "fractures.html").read_bytes())
    links = [
        (a.get("href"), a.get("hreflang"), a.get("lang"), a.text_content())
        for a in tree.xpath("//nav//a[@hreflang]")
    ]
    assert links == [
        ("fractures-cy.html", "cy", "cy", "Cymraeg: Esgyrn wedi torri"),
        ("fractures-pl.html", "pl", "pl", "Polski: Złamane kości"),
    ]
    alternates = [(e.get("hreflang"), e.get("href")) for e in tree.xpath("//head/link[@hreflang]")]
    assert alternates == [("cy", "fractures-cy.html"), ("pl", "fractures-pl.html")]


# --- readability ------------------------------------------------------------------------------


def test_readability_is_not_scored_for_welsh_or_polish_and_check_says_so(library):
    # long, many-syllabled sentences: English formulas would flag them (LW601)
    hard = "Osteoporosis gynyddol anghyffredinol gydag anawsterau ychwanegol annisgwyliadwy. " * 8
    p = library / "leaflets" / "fractures-cy.yaml"
    p.write_text(p.read_text().replace("Gorffwyswch y fraich a'i chadw'n llonydd.", hard.strip()))
    out = run_cli(["check", "leaflets"]).output
    assert "LW601" not in out and "LW602" not in out
    assert (
        out.count("leaflets/fractures-cy.yaml: note: readability scores are for English; skipped for cy") == 1
    )
    assert "leaflets/fractures-pl.yaml: note: readability scores are for English; skipped for pl" in out
    assert "fractures.yaml: note" not in out
    data = json.loads(run_cli(["check", "leaflets", "--format", "json"]).output)["readability"]
    assert data["leaflets/fractures-cy.yaml"] == {
        "skipped": "readability scores are for English; skipped for cy"
    }
    assert data["leaflets/fractures.yaml"]["leaflet"]["sentences"] == 1  # English unchanged


def test_an_english_leaflets_block_in_welsh_is_left_out_and_said():
    from leafwright.checks.readability import leaflet_scores
    from leafwright.render import load_leaflet

    src = load_leaflet(ROOT / "leaflets" / "oi-bisphosphonates.yaml")
    plain = leaflet_scores(src.leaflet)
    data = yaml.safe_load((ROOT / "leaflets" / "oi-bisphosphonates.yaml").read_text(encoding="utf-8"))
    data["sections"][0]["blocks"].append({"paragraph": "Croeso i'r daflen hon am esgyrn.", "lang": "cy"})
    from leafwright.load import load_yaml
    from leafwright.model import validate_leaflet

    lf = validate_leaflet(load_yaml(yaml.safe_dump(data, allow_unicode=True), "x.yaml"))
    scored = leaflet_scores(lf)
    assert scored["leaflet"] == plain["leaflet"]  # the Welsh sentence is not counted
    assert scored["note"] == "readability scores are for English; blocks in cy not scored"
    assert "note" not in plain


# --- the samples ------------------------------------------------------------------------------

SAMPLES = ["denosumab-osteoporosis-ar", "denosumab-osteoporosis-cy", "denosumab-osteoporosis-pl"]


@pytest.mark.parametrize("lid", SAMPLES)
def test_sample_translations_say_what_they_are(lid):
    text = (ROOT / "leaflets" / f"{lid}.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    assert text.startswith("# SAMPLE TRANSLATION FOR DEMONSTRATION, NOT FOR CLINICAL USE.")
    assert "Machine-translated by Claude (Anthropic AI model); not reviewed\n# by a native speaker" in text
    english = [
        b["callout"]["text"]
        for b in data["sections"][0]["blocks"]
        if "callout" in b and b.get("lang", "").startswith("en")
    ]
    assert english == [
        "Sample translation for demonstration, not for clinical use: machine-translated by Claude "
        "(Anthropic AI model), not reviewed by a native speaker. Only part of the English guide is "
        "translated."
    ]
    source = yaml.safe_load((ROOT / "leaflets" / "denosumab-osteoporosis.yaml").read_text(encoding="utf-8"))
    assert data["translation_of"] == source["id"]
    assert data["source_version"] == source["version"]


def test_the_samples_build_together_up_to_date_and_linked(tmp_path):
    lib = tmp_path / "leaflets"
    shutil.copytree(ROOT / "leaflets", lib)
    out = tmp_path / "out"
    r = run_cli(["build", str(lib), "--out", str(out), "-q"], cwd=tmp_path)
    assert r.exit_code == 0, r.output
    assert "LW703" not in r.output and "LW704" not in r.output
    manifest = json.loads((out / "manifest.json").read_text())
    entries = {e["path"]: e for e in manifest["outputs"]}
    names = [e["name"] for e in entries["denosumab-osteoporosis.pdf"]["editions"]]
    assert names == ["العربية", "Cymraeg", "Polski"]
    line = [p for p in inspect_pdf(out / "denosumab-osteoporosis.pdf").tree.find("P") if p.find("Link")]
    links = [
        (n.text(), [a.uri for a in n.annotations], [sp.lang for sp in n.find("Span")])
        for n in line[-1].find("Link")
    ]
    assert links == [
        ("العربية", ["denosumab-osteoporosis-ar.pdf"], ["ar"]),
        ("Cymraeg", ["denosumab-osteoporosis-cy.pdf"], ["cy"]),
        ("Polski", ["denosumab-osteoporosis-pl.pdf"], ["pl"]),
    ]
    assert all(e["pdfua"] == "passed" for e in entries.values())


def test_the_line_with_an_arabic_name_reads_in_order(tmp_path):
    lib = tmp_path / "leaflets"
    shutil.copytree(ROOT / "leaflets", lib)
    out = tmp_path / "out"
    assert run_cli(["build", str(lib), "--out", str(out), "-q"], cwd=tmp_path).exit_code == 0
    texts = [p.text() for p in inspect_pdf(out / "denosumab-osteoporosis.pdf").tree.find("P")]
    assert "This leaflet in: العربية · Cymraeg · Polski" in texts


def test_review_lists_translations_behind_their_original(library):
    set_version(library / "leaflets" / "fractures.yaml", "1.1")
    r = run_cli(["review", "leaflets"])
    assert "2 translations out of date (LW703):" in r.output
    assert "leaflets/fractures-cy.yaml  translates fractures 1.0, now at 1.1" in r.output
    data = json.loads(run_cli(["review", "leaflets", "--format", "json"]).output)
    behind = {x["leaflet_id"]: x["translation_out_of_date"] for x in data["leaflets"]}
    assert behind == {"fractures": False, "fractures-cy": True, "fractures-pl": True}


def test_watch_rebuilds_a_translation_when_its_original_changes(library):
    from leafwright.watch import Session

    s = Session(("leaflets",))
    original = (library / "leaflets" / "fractures.yaml").resolve()
    set_version(original, "1.1")
    hit = s.affected([original])
    assert sorted(p.name for p in hit) == ["fractures-cy.yaml", "fractures-pl.yaml", "fractures.yaml"]
    results = s.build(hit, on_line=lambda line: None)
    cy = [r for r in results if r.job.leaflet.endswith("fractures-cy.yaml")]
    assert cy and any(w.code == "LW703" for w in cy[0].warnings)


def test_an_original_built_on_its_own_still_links_its_translations(library):
    assert run_cli(["build", "leaflets", "-q"]).exit_code == 0
    r = run_cli(["build", "leaflets/fractures.yaml", "-v"])
    assert r.exit_code == 0 and "unchanged out/fractures.pdf" in r.output  # same links, same key
    texts = [p.text() for p in inspect_pdf(library / "out" / "fractures.pdf").tree.find("P")]
    assert "This leaflet in: Cymraeg · Polski" in texts


@pytest.mark.parametrize(
    "head",
    [
        'id: a-b\ntitle: "Broken: bones"\nversion: "2.1"\n',
        "id: a-b\ntitle: Broken bones (3)  # a comment\nversion: '2.1'\n",
        "id: a-b\ntitle: >-\n  Broken\n  bones\nversion: 2024-01-01\n",
        "id: a-b\ntitle: yes\nversion: 1.0\nlanguage: cy\ntranslation_of: x\nsource_version: '1'\n",
    ],
)
def test_the_family_scan_reads_top_level_fields_as_yaml_does(tmp_path, head):
    """The coordinator reads each file's id, title, language and versions without loading
    the leaflet; what it reads is what YAML reads."""
    from leafwright.editions import scan_header

    path = tmp_path / "x.yaml"
    path.write_text(head + "sections: []\n", encoding="utf-8")
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    h = scan_header(path)
    assert h is not None
    assert (h.id, h.title, h.language) == (data["id"], str(data["title"]), data.get("language", "en-GB"))
    assert h.version == str(data["version"])
    assert h.translation_of == data.get("translation_of")
    assert h.source_version == (str(data["source_version"]) if "source_version" in data else None)


def test_a_phone_number_in_groups_in_arabic_text_is_flagged_where_it_would_read_backwards(tmp_path):
    # In a right-to-left paragraph the Bidirectional Algorithm lays out "0800 123 4567" as
    # "4567 123 0800" (the spaces take the paragraph's direction): a reader dials the wrong
    # number. A tel: link keeps it whole, and so does a number in a left-to-right paragraph.
    p = tmp_path / "ar.yaml"
    p.write_text(
        "id: phone-ar\ntitle: اتصل بنا\nlanguage: ar\nsections:\n  - heading: الهاتف\n    blocks:\n"
        "      - paragraph: اتصل بنا على 0800 123 4567 في أي وقت.\n"
        "      - paragraph: اتصل بنا على [0800 123 4567](tel:08001234567) في أي وقت.\n"
        "      - paragraph: Call 0800 123 4567 (اتصل بنا).\n",
        encoding="utf-8",
    )
    out = run_cli(["check", str(p)]).output
    found = [line for line in out.splitlines() if "LW802" in line]
    assert len(found) == 1, out
    assert "ar.yaml:7:20: LW802 warning: '0800 123 4567'" in found[0]
    assert "[0800 123 4567](tel:08001234567)" in out  # the hint writes the fix
