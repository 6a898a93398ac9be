"""The suite's tooling keeps its promises to QA and CI: trustworthy reports, readable
failures, anchored steps, discovered step modules and catalogue values that match the core."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest

from integration.services.worker import CREDENTIAL_UNAVAILABLE

from . import conftest
from .closed_values import CORE_LOG_CODES, PREFLIGHT_LINES
from .discovery import STEP_FIXTURE, step_modules
from .phrase import phrase
from .rules import ROOT

SCRATCH = """@push
Feature: Scratch

  @S-06
  Scenario: Passes
    Given the sales app team has admin "Ann" and reps "Alice"

  @S-06
  Scenario: Has an undefined step
    Given the sales app team has admin "Ann" and reps "Alice"
    When Alice pushs a new Contact "Jane Doe"
    Then the push succeeded

  @S-06
  Scenario: Has a failing step
    Given the sales app team has admin "Ann" and reps "Alice"
    Then Alice has no personal credential
    And the sync log says "never written"
    And the sync log is empty

  @S-06
  Scenario: Uses the wrong keyword
    Given the sales app team has admin "Ann" and reps "Alice"
    Then the sync worker runs

  @S-06 @no-such-tag
  Scenario: Carries an unknown tag
    Given the sales app team has admin "Ann" and reps "Alice"
"""


BROKEN = """Feature: Broken
  Scenario Outline: A table with a cell too many
    Given <x>
    Examples:
      | x |
      | 1 | 2 |
"""


@pytest.fixture(scope="module")
def scratch_run(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """The scratch feature run through pytest, as `make report` and `make bdd` run it."""
    folder = tmp_path_factory.mktemp("scratch")
    (folder / "features").mkdir()
    (folder / "features" / "scratch.feature").write_text(SCRATCH)
    (folder / "features" / "broken.feature").write_text(BROKEN)
    cucumber, junit = folder / "cucumber.json", folder / "junit.xml"
    command = [
        sys.executable,
        "-m",
        "pytest",
        "tests/bdd/test_features.py",
        "-p",
        "no:xdist",
        "-p",
        "no:randomly",
        "--bdd-steps",
        f"--cucumberjson={cucumber}",
        f"--junitxml={junit}",
    ]
    env = {**os.environ, "BDD_FEATURES": str(folder / "features")}
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    scenarios = {
        element["name"]: element
        for feature in json.loads(cucumber.read_text())
        for element in feature["elements"]
    }
    return {"output": done.stdout, "scenarios": scenarios, "junit": ET.parse(junit).getroot()}


def _statuses(scenario: dict[str, object]) -> list[str]:
    return [step["result"]["status"] for step in scenario["steps"]]  # type: ignore[attr-defined,index]


def test_cucumber_json_fails_a_scenario_with_an_undefined_step(scratch_run: dict) -> None:
    scenario = scratch_run["scenarios"]["Has an undefined step"]
    assert _statuses(scenario) == ["passed", "failed", "skipped"], scenario
    message = scenario["steps"][1]["result"]["error_message"]
    assert "undefined step" in message and "pushes a new" in message, message


def test_cucumber_json_fails_the_failing_step_and_skips_the_rest(scratch_run: dict) -> None:
    scenario = scratch_run["scenarios"]["Has a failing step"]
    assert _statuses(scenario) == ["passed", "passed", "failed", "skipped"], scenario
    assert _statuses(scratch_run["scenarios"]["Passes"]) == ["passed"]


def test_junit_counts_undefined_failing_and_badly_tagged_scenarios_as_failures(
    scratch_run: dict,
) -> None:
    cases = {c.get("name"): c for c in scratch_run["junit"].iter("testcase")}
    failed = sorted(name for name, case in cases.items() if case.find("failure") is not None)
    assert failed == [
        "test_carries_an_unknown_tag",
        "test_has_a_failing_step",
        "test_has_an_undefined_step",
        "test_unreadable_feature_broken",
        "test_uses_the_wrong_keyword",
    ], sorted(cases)


def test_a_failure_shows_the_gherkin_step_first_and_no_pytest_internals(scratch_run: dict) -> None:
    output = str(scratch_run["output"])
    failure = output.split("_ test_has_a_failing_step _", 1)[1].split("\n_", 1)[0]
    lines = [line for line in failure.strip("_ \n").splitlines() if line.strip()]
    assert lines[0].endswith('scratch.feature:18: And the sync log says "never written"'), lines
    assert lines[1] == "S-06: no sync log entry says 'never written'; the log has []", lines
    assert not [line for line in lines if re.search(r"site-packages|^\s*def |^E\s", line)], lines


def test_an_unreadable_feature_file_fails_alone_and_says_which(scratch_run: dict) -> None:
    cases = {c.get("name"): c for c in scratch_run["junit"].iter("testcase")}
    broken = cases.get("test_unreadable_feature_broken")
    assert broken is not None and broken.find("failure") is not None, sorted(cases)
    assert "broken.feature" in str(broken.find("failure").get("message")), ET.tostring(broken)
    assert _statuses(scratch_run["scenarios"]["Passes"]) == ["passed"]


def test_a_step_with_the_wrong_keyword_says_which_keyword_it_has(scratch_run: dict) -> None:
    output = str(scratch_run["output"])
    assert (
        'this step exists as a When step, not a Then step: write "When the sync worker runs"'
        in output
    )


def test_an_unknown_tag_fails_only_its_scenario_with_one_line(scratch_run: dict) -> None:
    output = str(scratch_run["output"])
    assert re.search(r"scratch\.feature:\d+: unknown tag @no-such-tag \(", output), output[-2000:]
    assert _statuses(scratch_run["scenarios"]["Passes"]) == ["passed"]


def test_bdd_steps_prints_every_step_with_its_outcome(scratch_run: dict) -> None:
    output = str(scratch_run["output"])
    assert "✔ Given the sales app team has admin" in output, output[:2000]
    assert '✘ When Alice pushs a new Contact "Jane Doe"' in output
    assert "- Then the push succeeded" in output


def test_quoted_parameters_never_swallow_a_longer_step() -> None:
    parser = phrase('{member} pushes "{name}"')
    assert parser.parse_arguments('Alice pushes "Jane Doe"') == {
        "member": "Alice",
        "name": "Jane Doe",
    }
    assert not parser.is_matching('Alice pushes "Jane Doe" and "John Roe"')
    assert not parser.is_matching('Alice and Bob pushes "Jane Doe"')


def test_a_closed_parameter_takes_only_its_values() -> None:
    parser = phrase('entry "{record}" has {field} "{value}"', field=("errorCode", "acting user"))
    assert parser.parse_arguments('entry "X" has acting user "int"')["field"] == "acting user"
    assert not parser.is_matching('entry "X" has errorCode "A" and attempts "5"')


def test_a_and_an_are_interchangeable() -> None:
    parser = phrase('{member} has a {sobject} "{name}" in the app')
    assert parser.is_matching('Alice has an Account "Initech" in the app')
    assert parser.is_matching('Alice has a Contact "Jane Doe" in the app')


def test_every_step_module_is_seen_by_the_scenarios() -> None:
    visible = set(map(id, vars(conftest).values()))
    for module in step_modules():
        fixtures = [v for k, v in vars(module).items() if k.startswith(STEP_FIXTURE)]
        assert fixtures, f"{module.__name__} defines no step"
        assert all(id(f) in visible for f in fixtures), f"{module.__name__} is not discovered"


def _sources(folder: str) -> str:
    return "\n".join(p.read_text() for p in sorted((ROOT / folder).rglob("*.py")))


def test_catalogue_lists_every_code_the_core_writes_to_the_sync_log() -> None:
    written = set(re.findall(r'_log\(\s*[^()]*?"([A-Z][A-Z_]+)"', _sources("integration")))
    written.add(CREDENTIAL_UNAVAILABLE)
    assert written <= set(CORE_LOG_CODES), sorted(written - set(CORE_LOG_CODES))


def test_catalogue_lists_every_preflight_line_the_core_can_report() -> None:
    gaps = re.findall(r'PermissionGap\([^()]*?,[^()]*?,\s*f?"([^"]+)"\)', _sources("integration"))
    patterns = [
        re.escape(line.split(": ", 1)[1]).replace(r"<errorCode>", ".*") for line in PREFLIGHT_LINES
    ]
    texts = [
        g.replace("{verb}", "read").replace(
            "{denied.error_code}: {denied.message}", "<errorCode>: <message>"
        )
        for g in gaps
    ]
    missing = [
        t
        for t in texts
        if not any(
            re.fullmatch(
                p.replace(r"<message>", ".*").replace(re.escape("<errorCode>: <message>"), ".*"), t
            )
            for p in patterns
        )
    ]
    assert gaps and missing == [], missing
