"""Every check rule against its data cases: tests/cases/checks/<RULE>-bad*.yaml must
report the rule, <RULE>-good*.yaml must not.

A case holds `leaflet:` (merged over _base.yaml), and optionally `style:` (a style
that extends the shipped default), `config:` (project settings), `today:` (default
2025-06-01) and `expect:` (`message:` text the finding must contain).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from conftest import CASES, STYLE_DIR
from leafwright.checks import RULES, CheckConfig, check_source
from leafwright.load import load_yaml
from leafwright.model import validate_leaflet
from leafwright.render import LeafletSource
from leafwright.style import resolve_style

CHECK_CASES = CASES / "checks"
CASE_FILES = sorted(CHECK_CASES.glob("LW*.yaml"))
#: Rules the leaflet and style schemas cannot express: tested in test_checks.py instead.
NOT_IN_DATA = {
    "LW204": "no style can ask for justified text; guards layout.make_styles",
    "LW208": "the notice is at least 16pt by construction; guards layout.make_styles",
    "LW403": "needs two leaflets: check_library",
    "LW209": "needs a font file's installed path: test_layout_limits.py",
    "LW701": "needs an earlier build's manifest: test_living.py",
    "LW702": "needs an earlier build's manifest: test_living.py",
    "LW703": "needs the translation's source in the library: test_translations.py",
    "LW704": "needs the translation's source in the library: test_translations.py",
}


def _merge(base: dict, over: dict) -> dict:
    out = dict(base)
    for k, v in over.items():
        out[k] = _merge(out[k], v) if isinstance(v, dict) and isinstance(out.get(k), dict) else v
    return out


def run_case(path: Path, tmp_path: Path):
    """Load a case, build its leaflet and style, and run every check on it."""
    case = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    base = yaml.safe_load((CHECK_CASES / "_base.yaml").read_text(encoding="utf-8"))
    data = _merge(base, case.get("leaflet") or {})
    doc = load_yaml(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), f"{path.name}")
    source = LeafletSource(validate_leaflet(doc), doc, CHECK_CASES)
    if case.get("style"):
        style_file = tmp_path / f"{path.stem}.yaml"
        style_file.write_text(yaml.safe_dump({"extends": "default", **case["style"]}), encoding="utf-8")
        style = resolve_style(str(style_file), [STYLE_DIR])
    else:
        style = resolve_style("default", [STYLE_DIR])
    config = CheckConfig(**(case.get("config") or {}))
    today = case.get("today", dt.date(2025, 6, 1))
    return case, check_source(source, style, config, today=today)


def _rule_and_kind(path: Path) -> tuple[str, str]:
    rule, kind = path.stem.split("-")[:2]
    return rule, kind


@pytest.mark.parametrize("path", CASE_FILES, ids=lambda p: p.stem)
def test_case(path: Path, tmp_path: Path) -> None:
    rule, kind = _rule_and_kind(path)
    case, found = run_case(path, tmp_path)
    hits = [d for d in found if d.code == rule]
    if kind == "bad":
        assert hits, f"{rule} not reported; found: {[d.code for d in found]}"
        want = (case.get("expect") or {}).get("message")
        if want:
            assert any(want in d.message for d in hits), [d.message for d in hits]
        assert all(d.severity == RULES[rule].severity for d in hits)
        assert all(d.file and d.line for d in hits), "every finding is located"
    else:
        assert not hits, [d.format(caret=False) for d in hits]


def test_base_case_is_clean(tmp_path: Path) -> None:
    # every good case relies on the base passing: with the default style, nothing is reported
    _case, found = run_case(CHECK_CASES / "LW601-good.yaml", tmp_path)
    assert [d.code for d in found] == []


def test_every_rule_has_a_bad_and_a_good_case() -> None:
    have = {_rule_and_kind(p) for p in CASE_FILES}
    for rule in RULES:
        if rule in NOT_IN_DATA:
            continue
        assert (rule, "bad") in have, f"no {rule}-bad case"
        assert (rule, "good") in have, f"no {rule}-good case"
