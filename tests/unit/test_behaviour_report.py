"""reports/behaviour.html: rules with their scenarios, steps, results and mutants."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.bdd import behaviour_report

RULES_MD = """# Rules

## Documented behaviour

| id | rule |
|---|---|
| S-01 | Team sync is the main connection. |
| S-02 | The preflight reports what is missing. |

## Surviving real Salesforce

| id | rule |
|---|---|
| X-06 | Refresh once, retry once. |
"""


def _step(keyword: str, name: str, status: str, message: str | None = None) -> dict[str, Any]:
    result: dict[str, Any] = {"status": status, "duration": 1}
    if message:
        result["error_message"] = message
    return {"keyword": keyword, "name": name, "line": 7, "result": result}


def _scenario(name: str, tags: list[str], steps: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "keyword": "Scenario",
        "name": name,
        "line": 5,
        "type": "scenario",
        "tags": [{"name": t} for t in tags],
        "steps": steps,
    }


def _write(tmp_path: Path, mutants: Any = None) -> dict[str, Path]:
    paths = {
        "rules": tmp_path / "rules.md",
        "cucumber": tmp_path / "cucumber.json",
        "mutants": tmp_path / "mutants.json",
        "out": tmp_path / "behaviour.html",
    }
    paths["rules"].write_text(RULES_MD)
    feature = {
        "name": "Team sync",
        "uri": "credentials/team_sync.feature",
        "tags": [{"name": "credentials"}],
        "elements": [
            _scenario("Pulls use team sync", ["S-01"], [_step("Given", "a team", "passed")]),
            _scenario(
                "Preflight names the field",
                ["S-02"],
                [
                    _step("Given", "a team", "passed"),
                    _step(
                        "Then", 'the preflight reports "Contact.Title"', "failed", "S-02: saw []"
                    ),
                ],
            ),
            _scenario("Work in progress", ["S-02", "wip"], [_step("Given", "x", "skipped")]),
            _scenario(
                "Undefined step", ["X-06"], [_step("When", "nobody wrote this", "undefined")]
            ),
        ],
    }
    paths["cucumber"].write_text(json.dumps([feature]))
    if mutants is not None:
        paths["mutants"].write_text(json.dumps(mutants))
    return paths


def _run(paths: dict[str, Path]) -> str:
    args = [f"--{key}={path}" for key, path in paths.items()]
    assert behaviour_report.main(args) == 0
    return paths["out"].read_text()


def test_each_rule_gets_the_status_of_its_scenarios(tmp_path: Path) -> None:
    paths = _write(tmp_path)
    rules = behaviour_report.read_rules(paths["rules"])
    scenarios = behaviour_report.read_scenarios(paths["cucumber"])
    results = behaviour_report.rule_results(rules, scenarios, None)
    seen = {r.rule.id: (r.status, [s.name for s in r.scenarios]) for r in results}
    assert seen == {
        "S-01": ("proved", ["Pulls use team sync"]),
        "S-02": ("failing", ["Preflight names the field"]),
        "X-06": ("undefined", ["Undefined step"]),
    }, seen
    assert [r.rule.section for r in results] == [
        "Documented behaviour",
        "Documented behaviour",
        "Surviving real Salesforce",
    ]


def test_the_report_shows_the_failing_step_and_its_message(tmp_path: Path) -> None:
    page = _run(_write(tmp_path))
    assert "Fails at line 7: <strong>Then the preflight reports &#34;Contact.Title&#34;" in page
    assert "<pre>S-02: saw []</pre>" in page
    assert "Work in progress" not in page  # @wip scenarios prove nothing
    assert page.count("not run (no reports/mutants.json") == 3


def test_a_rule_without_a_scenario_is_unproved(tmp_path: Path) -> None:
    paths = _write(tmp_path)
    paths["rules"].write_text(RULES_MD + "| A-03 | Push settings govern new records. |\n")
    page = _run(paths)
    assert 'id="A-03"' in page and "No scenario run for this rule." in page
    assert '<span class="badge unproved">1 unproved</span>' in page


def test_mutants_are_listed_under_the_rules_whose_scenarios_kill_them(tmp_path: Path) -> None:
    mutants = {
        "mutants": [
            {
                "id": "S-01-pull-with-pc",
                "rule": "S-01",
                "status": "killed",
                "killed_by": ["Pulls use team sync"],
            },
            {"id": "S-02-skip-task", "rules": ["S-02"], "status": "survived", "killed_by": []},
            {"id": "unnamed-rule", "status": "killed", "killed_by": ["Undefined step"]},
        ]
    }
    page = _run(_write(tmp_path, mutants))
    s01 = page.split('id="S-01"')[1].split("</article>")[0]
    s02 = page.split('id="S-02"')[1].split("</article>")[0]
    x06 = page.split('id="X-06"')[1].split("</article>")[0]
    assert "S-01-pull-with-pc" in s01 and "Pulls use team sync</td>" in s01, s01
    assert "S-02-skip-task" in s02 and 'class="badge survived"' in s02, s02
    assert "unnamed-rule" in x06, x06
    assert '<span class="badge killed">2 killed</span>' in page


def test_no_cucumber_report_means_every_rule_is_unproved(tmp_path: Path) -> None:
    paths = _write(tmp_path)
    paths["cucumber"].unlink()
    page = _run(paths)
    assert page.count("No scenario run for this rule.") == 3
    assert "none run" in page
