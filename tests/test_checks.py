"""The checks in Python: formulas against known values, rules the schemas cannot
express, locations, build versus check severity, settings, the samples and the CLI."""

from __future__ import annotations

import datetime as dt
import json
import pickle
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import LEAFLETS, ROOT, STYLE_DIR, STYLES, style
from leafwright.checks import CheckConfig, check_library, check_source, load_config
from leafwright.checks.contrast import contrast_ratio, format_ratio, is_large
from leafwright.checks.readability import score, split_sentences, syllable_count
from leafwright.cli import main
from leafwright.errors import LeafwrightError
from leafwright.render import load_leaflet

CHECK_CASES = Path(__file__).parent / "cases" / "checks"
TODAY = dt.date(2025, 6, 1)


# --- contrast ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "fg,bg,ratio",
    [
        ("#777777", "#ffffff", 4.48),  # the classic near miss
        ("#767676", "#ffffff", 4.54),
        ("#000000", "#ffffff", 21.0),
        ("#ffffff", "#ffffff", 1.0),
        ("#1d4f91", "#ffffff", 8.14),  # the default primary on white
    ],
)
def test_contrast_ratio_known_pairs(fg: str, bg: str, ratio: float) -> None:
    assert contrast_ratio(fg, bg) == pytest.approx(ratio, abs=0.01)
    assert contrast_ratio(bg, fg) == pytest.approx(ratio, abs=0.01)  # order does not matter


def test_ratio_is_never_shown_rounded_up_to_the_threshold() -> None:
    assert format_ratio(4.478, 4.5) == "4.48"
    assert format_ratio(4.4996, 4.5) == "4.499"


def test_large_text_is_18pt_or_14pt_bold() -> None:
    assert is_large(18, False) and is_large(14, True)
    assert not is_large(16, False)  # 16pt regular large print is not large in WCAG terms
    assert not is_large(13.9, True)


# --- rules the schemas cannot express ------------------------------------------------


def _sample(name: str = "oi-bisphosphonates"):
    return load_leaflet(ROOT / "leaflets" / f"{name}.yaml")


def test_justified_text_is_an_error(monkeypatch) -> None:
    from reportlab.lib.enums import TA_JUSTIFY

    import leafwright.layout as layout

    real = layout.make_styles

    def justified(st):
        styles = real(st)
        styles.caption.alignment = TA_JUSTIFY
        return styles

    monkeypatch.setattr(layout, "make_styles", justified)
    found = check_source(_sample(), style("default"), today=TODAY)
    assert [d.message for d in found if d.code == "LW204"] == ["captions is justified"]


def test_notice_below_16pt_is_an_error(monkeypatch) -> None:
    import leafwright.layout as layout

    real = layout.make_styles

    def small_notice(st):
        styles = real(st)
        styles.notice.fontSize = 14
        return styles

    monkeypatch.setattr(layout, "make_styles", small_notice)
    found = check_source(_sample(), style("default"), today=TODAY)
    assert any(d.code == "LW208" for d in found)
    monkeypatch.setattr(layout, "make_styles", real)
    assert not any(d.code == "LW208" for d in check_source(_sample(), style("default")))


def test_duplicate_ids_across_the_library(tmp_path: Path) -> None:
    a = _sample()
    copy = tmp_path / "copy.yaml"
    shutil.copy(ROOT / "leaflets" / "oi-bisphosphonates.yaml", copy)
    b = load_leaflet(copy, display="copy.yaml")
    found = check_library([a, b, _sample("denosumab-osteoporosis")])
    assert len(found) == 1
    d = found[0]
    assert (d.code, d.file, d.path) == ("LW403", "copy.yaml", "id")
    assert d.line == next(
        i for i, line in enumerate(copy.read_text().splitlines(), 1) if line.startswith("id:")
    )
    assert check_library([a, _sample("denosumab-osteoporosis")]) == []


# --- locations and severities --------------------------------------------------------


def test_style_findings_point_at_the_colour_in_the_style_file(tmp_path: Path) -> None:
    from leafwright.style import resolve_style

    f = tmp_path / "pale.yaml"
    f.write_text('extends: default\nname: Pale\ncolours:\n  muted: "#999999"\n')
    found = check_source(_sample(), resolve_style(str(f), [STYLE_DIR]), today=TODAY)
    d = next(d for d in found if d.code == "LW101")
    assert (d.file.endswith("pale.yaml"), d.line, d.column) == (True, 4, 10)
    assert d.message.startswith("contrast 2.85:1 < 4.5:1 (#999999 on #ffffff): footer text")


def test_leaflet_findings_point_at_the_value(tmp_path: Path) -> None:
    text = (
        (CHECK_CASES / "_base.yaml")
        .read_text()
        .replace("Take one tablet each week.", "Take *one* tablet each week.")
    )
    f = tmp_path / "italic.yaml"
    f.write_text(text)
    found = [d for d in check_source(load_leaflet(f), style("default"), today=TODAY) if d.code == "LW205"]
    assert len(found) == 1
    assert found[0].path == "sections[0].blocks[0].paragraph"
    line = found[0].line
    assert "paragraph:" in text.splitlines()[line - 1]
    assert (
        found[0]
        .format()
        .splitlines()[0]
        .endswith("LW205 sections[0].blocks[0].paragraph: italic text: 'one'")
    )


def test_past_review_date_is_an_error_for_check_and_a_warning_for_build(tmp_path: Path) -> None:
    path = tmp_path / "oi.yaml"  # the sample, due for review by 2018-01-31
    text = (ROOT / "leaflets" / "oi-bisphosphonates.yaml").read_text(encoding="utf-8")
    path.write_text(text.replace("\npublished:", "\nreview_by: 2018-01-31\npublished:", 1), encoding="utf-8")
    src = load_leaflet(path)
    checked = [d for d in check_source(src, style(), today=TODAY) if d.code == "LW501"]
    built = [d for d in check_source(src, style(), today=TODAY, for_build=True) if d.code == "LW501"]
    assert [d.severity for d in checked] == ["error"]
    assert [d.severity for d in built] == ["warning"]


def test_leaflet_ignore_needs_a_reason(tmp_path: Path) -> None:
    from leafwright.errors import SchemaError

    f = tmp_path / "noreason.yaml"
    f.write_text((CHECK_CASES / "_base.yaml").read_text() + "checks:\n  ignore:\n    - rule: LW507\n")
    with pytest.raises(SchemaError) as exc:
        load_leaflet(f)
    assert "missing required key 'reason'" in exc.value.format()


# --- readability ------------------------------------------------------------------------


def test_syllables_from_the_dictionary_and_the_estimator() -> None:
    assert [syllable_count(w) for w in ("the", "every", "medication", "osteoporosis")] == [1, 3, 4, 6]
    assert syllable_count("flu-like") == 2  # hyphenated words: the sum of their parts
    assert syllable_count("child’s") == 1  # curly apostrophe
    assert syllable_count("bisphosphonates") >= 4  # not in the dictionary: estimated


def test_sentences() -> None:
    assert split_sentences("Take it with water. Do not lie down! Is it safe? Yes.") == [
        "Take it with water.",
        "Do not lie down!",
        "Is it safe?",
        "Yes.",
    ]
    assert len(split_sentences("Eat well, e.g. fruit and vegetables. Drink water.")) == 2


def test_scores_against_hand_counts() -> None:
    # 11 words, 12 syllables ("sunny" has 2), 2 sentences, no word of 3+ syllables
    easy = score(split_sentences("The cat sat on the mat. It was a sunny day."))
    assert (easy.words, easy.syllables, easy.sentences, easy.polysyllables) == (11, 12, 2, 0)
    assert easy.flesch == pytest.approx(206.835 - 1.015 * 11 / 2 - 84.6 * 12 / 11)  # 108.96
    assert easy.smog == pytest.approx(3.1291)
    # your doc-tor will ex-plain the med-i-ca-tion (11) / os-te-o-po-ro-sis makes bones
    # frag-ile (10) / ex-er-cise ev-er-y day (7): 13 words, 28 syllables, 4 polysyllables
    hard = score(
        split_sentences(
            "Your doctor will explain the medication. Osteoporosis makes bones fragile. Exercise every day."
        )
    )
    assert (hard.words, hard.syllables, hard.sentences, hard.polysyllables) == (13, 28, 3, 4)
    assert hard.smog == pytest.approx(1.0430 * (4 * 30 / 3) ** 0.5 + 3.1291)  # 9.73
    assert hard.flesch == pytest.approx(206.835 - 1.015 * 13 / 3 - 84.6 * 28 / 13)  # 20.22
    # the sentences with the most long words drive SMOG: they are listed first
    assert hard.hardest[0] == "Exercise every day."
    assert set(hard.long_words) == {"medication", "osteoporosis", "exercise", "every"}


# --- settings ------------------------------------------------------------------------


def test_project_settings_from_leafwright_yaml_and_pyproject(tmp_path: Path) -> None:
    assert load_config(tmp_path) == CheckConfig()
    (tmp_path / "pyproject.toml").write_text(
        '[tool.leafwright.checks]\nsmog_target = 11\nignore = ["LW602"]\n'
    )
    assert load_config(tmp_path) == CheckConfig(smog_target=11, ignore=["LW602"])
    (tmp_path / "leafwright.yaml").write_text("checks:\n  review_warning_days: 30\n")
    assert load_config(tmp_path).review_warning_days == 30  # leafwright.yaml wins


def test_bad_project_settings_are_located(tmp_path: Path) -> None:
    (tmp_path / "leafwright.yaml").write_text("checks:\n  smog_taget: 11\n  ignore: [LW999]\n")
    with pytest.raises(LeafwrightError) as exc:
        load_config(tmp_path)
    text = exc.value.format(caret=False)
    assert ":2:3: checks.smog_taget: unknown key 'smog_taget'" in text
    assert "did you mean 'smog_target'" in text
    assert "unknown rule 'LW999'" in text
    assert exc.value.exit_code == 2


# --- the shipped samples and styles --------------------------------------------------

#: Warnings the samples keep; each is justified in the README's "Checks" section.
KEPT_WARNINGS = {"LW207", "LW405", "LW406", "LW501", "LW511", "LW601", "LW602"}


@pytest.mark.parametrize("style_name", STYLES + ["default:large-print"])
def test_samples_and_styles_have_no_errors(style_name: str) -> None:
    name, _, variant = style_name.partition(":")
    st = style(name, large_print=variant == "large-print")
    for f in LEAFLETS:
        src = load_leaflet(f)
        built = check_source(src, st, load_config(ROOT), for_build=True)
        assert [d.format() for d in built if d.severity == "error"] == []
        assert {d.code for d in built} <= KEPT_WARNINGS
        # for `check`, the only errors are the stale review dates of old sources
        checked = check_source(src, st, load_config(ROOT))
        assert {d.code for d in checked if d.severity == "error"} <= {"LW501"}
    assert check_library([load_leaflet(f) for f in LEAFLETS]) == []


# --- the command line ------------------------------------------------------------------


@pytest.fixture
def project(tmp_path: Path, monkeypatch) -> Path:
    """A project folder with the shipped styles and a clean leaflet and its picture."""
    shutil.copytree(STYLE_DIR, tmp_path / "styles")
    (tmp_path / "leaflets").mkdir()
    text = (
        (CHECK_CASES / "_base.yaml")
        .read_text()
        .replace("2027-01-01", "2099-01-01")
        .replace("2025-01-01", "2097-01-01")
    )
    (tmp_path / "leaflets" / "clean.yaml").write_text(text)
    # a style whose line length is ideal, so a clean leaflet has no findings at all
    (tmp_path / "styles" / "narrow.yaml").write_text(
        "extends: default\npage: {margins: {left: 35, right: 35}}\n"
    )
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _add(project: Path, name: str, old: str, new: str, *, same_id: bool = False) -> Path:
    """A copy of the clean leaflet with one change (and its own id unless ``same_id``)."""
    f = project / "leaflets" / f"{name}.yaml"
    text = (project / "leaflets" / "clean.yaml").read_text().replace(old, new)
    f.write_text(text if same_id else text.replace("id: check-case", f"id: {name}"))
    return f


def _check(*options: str):
    """`leafwright check --style narrow` in the project folder, with further options."""
    return CliRunner().invoke(main, ["check", "--style", "narrow", *options])


def test_check_clean_exits_0(project: Path) -> None:
    r = _check()
    assert r.exit_code == 0, r.output
    assert "1 checked: 0 errors, 0 warnings" in r.output


def test_check_reports_errors_with_locations_and_exits_1(project: Path) -> None:
    _add(project, "nofeedback", "feedback: Tell us", "acknowledgements: Thanks")
    r = _check()
    assert r.exit_code == 1
    assert "leaflets/nofeedback.yaml:4:1: LW507 no feedback route" in r.output
    assert "2 checked: 1 error, 0 warnings in 1 file" in r.output


def test_check_strict_fails_on_warnings(project: Path) -> None:
    _add(project, "italic", "Take one tablet", "Take *one* tablet")
    assert _check().exit_code == 0
    r = _check("--strict")
    assert r.exit_code == 1
    assert "LW205 warning: italic text: 'one'" in r.output


def test_check_style_findings_once_and_json(project: Path) -> None:
    _add(project, "second", "title: Taking", "title: Also taking")
    # narrow margins make lines too long: one style finding (LW207), reported once
    (project / "styles" / "wide.yaml").write_text(
        "extends: default\npage: {margins: {left: 10, right: 10}}\n"
    )
    r = CliRunner().invoke(main, ["check", "--format", "json", "--style", "wide"])
    assert r.exit_code == 0, r.output
    data = json.loads(r.output)
    assert data["summary"] == {"checked": 2, "errors": 0, "warnings": 1}
    (style_file,) = [k for k in data["files"] if k.endswith("wide.yaml")]
    assert [d["rule"] for d in data["files"][style_file]] == ["LW207"]
    scores = data["readability"]["leaflets/clean.yaml"]
    assert scores["leaflet"]["smog"] < 9 and scores["sections"][0]["heading"]


def test_check_duplicate_ids_and_schema_errors(project: Path) -> None:
    _add(project, "twin", "title: Taking", "title: Twin of taking", same_id=True)
    _add(project, "broken", "sections:", "sectons:")
    r = _check()
    assert r.exit_code == 1
    assert "leaflets/twin.yaml:4:5: LW403 duplicate leaflet id 'check-case'" in r.output
    assert "unknown key 'sectons'" in r.output


def test_build_stops_a_leaflet_with_check_errors_and_counts_warnings(project: Path) -> None:
    _add(project, "nodisclaimer", "disclaimer: This", "acknowledgements: This")
    old = _add(project, "overdue", "review_by: 2099-01-01", "review_by: 2020-01-01")
    old.write_text(old.read_text().replace("published: 2097-01-01", "published: 2019-01-01"))
    r = CliRunner().invoke(main, ["build", "--style", "narrow"])
    assert r.exit_code == 1
    assert "failed  leaflets/nodisclaimer.yaml" in r.output
    assert "LW508 no disclaimer" in r.output
    assert not (project / "out" / "nodisclaimer.pdf").exists()
    assert (project / "out" / "check-case.pdf").exists()
    assert (project / "out" / "overdue.pdf").exists()  # a past review date still builds
    assert "LW501 warning: the review date 1 January 2020 has passed" in r.output
    assert "2 built, 1 failed, 1 warning in" in r.output
    assert (
        "REVIEW OVERDUE: 1 leaflet past its review date (built anyway):\n"
        "  leaflets/overdue.yaml  review by 2020-01-01"
    ) in r.output


def test_run_job_result_with_warnings_pickles(project: Path) -> None:
    from leafwright.batch import Job, run_job

    f = _add(project, "italic", "Take one tablet", "Take *one* tablet")
    r = run_job(Job(str(f), "leaflets/italic.yaml", "narrow", "standard", str(project / "out")))
    assert r.ok and [w.code for w in r.warnings] == ["LW205"]
    assert pickle.loads(pickle.dumps(r)).warnings == r.warnings


def test_docs_describe_every_rule() -> None:
    from leafwright.checks import RULES

    docs = (ROOT / "docs" / "checks.md").read_text(encoding="utf-8")
    for rule in RULES:
        assert f"### {rule} (" in docs, f"docs/checks.md has no section for {rule}"


def test_bad_settings_stop_build_and_check_with_exit_2(project: Path) -> None:
    (project / "leafwright.yaml").write_text("checks:\n  smog_target: high\n")
    for cmd in ("build", "check"):
        r = CliRunner().invoke(main, [cmd])
        assert r.exit_code == 2, r.output
        assert "leafwright.yaml:2:16: checks.smog_target:" in r.output
    assert not (project / "out").exists()


def test_random_leaflets_are_checked_without_crashing() -> None:
    """Any valid leaflet is checked: every finding is a known rule, located in the file."""
    import yaml
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    from leafwright.checks import RULES
    from leafwright.load import load_yaml
    from leafwright.model import validate_leaflet
    from leafwright.render import LeafletSource
    from test_property import sections, some_text

    st_default = style("default")

    @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(secs=sections, key_points=st.none() | st.lists(some_text, min_size=1, max_size=4))
    def run(secs, key_points):
        data = {
            "id": "random",
            "title": "Random",
            "version": "1.0",
            "published": dt.date(2024, 1, 1),
            "review_by": dt.date(2027, 1, 1),
            "publisher": {"name": "Example"},
            "sections": secs,
        }
        if key_points:
            data["key_points"] = {"items": key_points}
        doc = load_yaml(yaml.safe_dump(data, allow_unicode=True), "random.yaml")
        try:
            leaflet = validate_leaflet(doc)
        except LeafwrightError:
            return
        found = check_source(LeafletSource(leaflet, doc, Path(".")), st_default, today=TODAY)
        for d in found:
            assert d.code in RULES and d.severity in ("error", "warning")
            assert d.file in ("random.yaml",) or d.file.endswith("default.yaml")
            assert d.line is not None

    run()


def test_links_inside_an_faq_answer_are_checked(tmp_path: Path) -> None:
    """An answer's blocks are content like any other: a bad link there is LW404 too."""
    from leafwright.checks import check_source
    from leafwright.render import load_leaflet

    text = (CHECK_CASES / "_base.yaml").read_text()
    assert "sections:\n" in text
    text = text.replace(
        "sections:\n",
        "sections:\n"
        "  - heading: Questions\n"
        "    blocks:\n"
        "      - faq:\n"
        "          - question: Where can I read more?\n"
        "            answer:\n"
        "              - links:\n"
        "                  items:\n"
        "                    - {text: Our page, url: 'https://localhost/x'}\n",
        1,
    )
    f = tmp_path / "faq-link.yaml"
    f.write_text(text)
    found = check_source(load_leaflet(f), style("default"))
    hits = [d for d in found if d.code == "LW404"]
    assert [d.path for d in hits] == ["sections[0].blocks[0].faq[0].answer[0].links.items[0].url"]
