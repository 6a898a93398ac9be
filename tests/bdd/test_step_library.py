"""The step library keeps its promises to QA: documented steps, a fresh catalogue, traced rules."""

from __future__ import annotations

from .catalogue import CATALOGUE, load_steps, render, unused_steps
from .conftest import pytest_bdd_apply_tag
from .rules import AREA_TAGS, ROOT, RULE_TAG, rule_table, rules, scenarios


def test_every_step_has_a_one_line_summary_and_an_example() -> None:
    undocumented = [
        f"{s.module}: {s.pattern}" for s in load_steps() if not s.summary or not s.example
    ]
    assert undocumented == [], f"steps without a summary or an Example: line: {undocumented}"


def test_step_catalogue_is_up_to_date() -> None:
    expected = render(load_steps())
    assert CATALOGUE.exists(), "docs/steps.md is missing: run `make steps`"
    assert CATALOGUE.read_text() == expected, "docs/steps.md is stale: run `make steps`"


def test_every_step_is_used_by_a_scenario() -> None:
    unused = [f"{s.keyword} {s.pattern} ({s.module})" for s in unused_steps()]
    assert unused == [], f"steps no scenario uses (write one, or remove the step): {unused}"


def test_every_rule_has_a_scenario() -> None:
    unproved = [rule for rule, proved_by in rule_table().items() if not proved_by]
    assert unproved == [], f"rules of docs/rules.md without a scenario: {unproved}"


def test_scenarios_carry_only_known_tags_and_at_least_one_rule() -> None:
    known = set(rules()) | set(AREA_TAGS)
    problems = []
    for scenario in scenarios():
        unknown = {t for t in scenario.tags if t not in known}
        if unknown:
            problems.append(
                f"{scenario.feature.name}:{scenario.line} unknown tags {sorted(unknown)}"
            )
        if not any(RULE_TAG.match(t) for t in scenario.tags):
            problems.append(f"{scenario.feature.name}:{scenario.line} names no rule")
    assert problems == [], problems


def test_every_scenario_has_an_area_tag() -> None:
    areas = set(AREA_TAGS) - {"wip"}
    missing = [f"{s.feature.name}:{s.line} {s.title}" for s in scenarios() if not s.tags & areas]
    assert missing == [], missing


def test_worked_example_of_the_writing_guide_is_a_real_feature() -> None:
    guide = (ROOT / "docs" / "writing-scenarios.md").read_text()
    example = guide.split("```gherkin\n", 1)[1].split("```", 1)[0]
    feature = ROOT / "features" / "permissions" / "limited_fields.feature"
    assert feature.read_text() == example, "the guide's example and the feature file differ"


def test_wip_tag_skips_and_other_tags_become_markers() -> None:
    def scenario() -> None:
        """A stand-in for a generated scenario function."""

    skipped = pytest_bdd_apply_tag("wip", scenario)
    marks = [(m.name, m.kwargs.get("reason")) for m in getattr(skipped, "pytestmark", [])]
    assert ("skip", "work in progress (@wip)") in marks, marks
    assert pytest_bdd_apply_tag("S-06", scenario) is None, "other tags use the default marker"
