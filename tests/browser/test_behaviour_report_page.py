"""reports/behaviour.html opened in a real browser: one self-contained page that reads well."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.bdd import behaviour_report

from .pages import all_css, css, page_problems

RULES = Path(__file__).resolve().parents[2] / "docs" / "rules.md"


def _scenario(name: str, rule: str, *steps: tuple[str, str, str]) -> dict[str, Any]:
    """A Cucumber JSON scenario: (keyword, text, status) per step."""
    return {
        "name": name,
        "line": 9,
        "type": "scenario",
        "tags": [{"name": rule}],
        "steps": [
            {"keyword": keyword, "name": text, "line": 10 + i, "result": {"status": status}}
            for i, (keyword, text, status) in enumerate(steps)
        ],
    }


def _inputs(tmp_path: Path) -> list[str]:
    owner = ("Then", 'the Contact "Jane Doe" is owned by "alice@acme.test"', "failed")
    feature = {
        "name": "Record owner",
        "uri": "ownership/record_owner.feature",
        "tags": [{"name": "ownership"}],
        "elements": [
            _scenario(
                "Team sync pulls",
                "S-01",
                ("Given", 'the sales app team has admin "Ann"', "passed"),
                ("Then", "the pull is made with team sync", "passed"),
            ),
            _scenario(
                "A member's own login owns the contact",
                "S-06",
                ("Given", 'the sales app team has admin "Ann"', "passed"),
                owner,
            ),
        ],
    }
    feature["elements"][1]["steps"][1]["result"]["error_message"] = (
        "S-06: Contact 'Jane Doe' is owned by carol@acme.test, expected alice@acme.test"
    )
    mutants = [
        {
            "id": "S-01-pull-with-member-login",
            "rule": "S-01",
            "status": "killed",
            "killed_by": ["Team sync pulls"],
        },
        {"id": "S-06-owner-is-team-sync", "rule": "S-06", "status": "survived"},
    ]
    cucumber, mutants_file = tmp_path / "cucumber.json", tmp_path / "mutants.json"
    cucumber.write_text(json.dumps([feature]))
    mutants_file.write_text(json.dumps(mutants))
    return [f"--cucumber={cucumber}", f"--mutants={mutants_file}", f"--rules={RULES}"]


def test_behaviour_report_opens_as_one_page_with_rules_scenarios_and_mutants(
    browser: Any, tmp_path: Path, screenshot: Callable[[str], Path]
) -> None:
    out = tmp_path / "behaviour.html"
    assert behaviour_report.main([*_inputs(tmp_path), f"--out={out}"]) == 0
    browser.get(out.as_uri())
    assert browser.title == "Behaviour report: rules, scenarios, mutants"
    problems = page_problems(browser, title_word="Behaviour report")
    assert problems == [], problems
    failing = css(browser, "article#S-06")
    assert "failing" in (failing.get_attribute("class") or "")
    assert "expected alice@acme.test" in failing.find_element("css selector", "pre").text
    assert "survived" in failing.text
    assert "killed" in css(browser, "article#S-01").text
    resources = browser.execute_script(
        "return performance.getEntriesByType('resource').map(r => r.name)"
    )
    assert resources == [], resources  # self-contained: nothing loaded from elsewhere
    assert len(all_css(browser, "article")) == len(behaviour_report.read_rules(RULES))
    screenshot("behaviour-report")
