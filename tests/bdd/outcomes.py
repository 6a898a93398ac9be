"""What happened to each step of each scenario, for the terminal and for reports CI trusts.

``ScenarioTracker`` follows pytest-bdd's hooks and attaches to each scenario's test report a
plain dict (``report.bdd_scenario``): the feature, the scenario and every step with its
status (passed, failed, skipped) and, for the failing step, the message. A step with no
definition is failed, as is the step a scenario stopped at for any other reason, so a report
read from this never shows a broken scenario as passed. The dict travels with the report
(also from xdist workers), and both ``--cucumberjson`` and ``--bdd-steps`` read it.
"""

from __future__ import annotations

import json
import time
from collections.abc import Generator
from pathlib import Path
from typing import Any

import pytest
from pytest_bdd.parser import Feature, Scenario, Step
from pytest_bdd.scenario import scenario_wrapper_template_registry

from . import failures

RUN = pytest.StashKey[dict[str, Any]]()
STARTED = pytest.StashKey[float]()
MARKS = {"passed": "✔", "failed": "✘", "skipped": "-"}


def new_run(feature: Feature, scenario: Scenario) -> dict[str, Any]:
    """A scenario about to run: every step skipped until it has run."""
    return {
        "feature": {
            "keyword": feature.keyword,
            "uri": failures.where(feature.filename, feature.line_number).rsplit(":", 1)[0],
            "name": feature.name or feature.rel_filename,
            "line": feature.line_number,
            "description": feature.description,
            "language": feature.language,
            "tags": sorted(feature.tags),
        },
        "keyword": scenario.keyword,
        "name": scenario.name,
        "line": scenario.line_number,
        "description": scenario.description,
        "tags": sorted(scenario.tags),
        "steps": [
            {
                "keyword": step.keyword,
                "name": step.name,
                "line": step.line_number,
                "status": "skipped",
                "duration": 0,
            }
            for step in scenario.steps
        ],
        "done": 0,
        "message": "",
    }


def fail_step(run: dict[str, Any], index: int, message: str) -> None:
    if index < len(run["steps"]):
        run["steps"][index]["status"] = "failed"
        run["steps"][index]["error_message"] = message
    run["message"] = run["message"] or message


def _template_run(item: pytest.Item) -> dict[str, Any] | None:
    template = scenario_wrapper_template_registry.get(getattr(item, "obj", None))  # type: ignore[arg-type]
    if template is None:
        return None
    callspec = getattr(item, "callspec", None)
    example = callspec.params.get("_pytest_bdd_example", {}) if callspec else {}
    scenario = template.render(example)
    return new_run(scenario.feature, scenario)


def _short(report: pytest.TestReport) -> str:
    crash = getattr(report.longrepr, "reprcrash", None)
    text = str(crash.message) if crash is not None else str(report.longrepr).strip()
    return text.removeprefix("Failed: ")


class ScenarioTracker:
    """pytest-bdd hooks in, ``report.bdd_scenario`` out (and readable failures)."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config

    @pytest.hookimpl(trylast=True)
    def pytest_bdd_before_scenario(
        self, request: pytest.FixtureRequest, feature: Feature, scenario: Scenario
    ) -> None:
        request.node.stash[RUN] = new_run(feature, scenario)
        unknown = sorted(getattr(request.node.obj, "bdd_unknown_tags", ()))
        if unknown:
            tags = ", ".join(f"@{tag}" for tag in unknown)
            pytest.fail(
                f"{failures.where(feature.filename, scenario.line_number)}: unknown tag {tags}"
                " (a tag is a rule id of docs/rules.md, an area folder under features/, or @wip)",
                pytrace=False,
            )

    def pytest_bdd_before_step(self, request: pytest.FixtureRequest) -> None:
        request.node.stash[STARTED] = time.perf_counter()

    def pytest_bdd_after_step(self, request: pytest.FixtureRequest) -> None:
        run = request.node.stash[RUN]
        step = run["steps"][run["done"]]
        step["status"] = "passed"
        started = request.node.stash.get(STARTED, time.perf_counter())
        step["duration"] = int((time.perf_counter() - started) * 1e9)
        run["done"] += 1

    def pytest_bdd_step_error(
        self,
        request: pytest.FixtureRequest,
        feature: Feature,
        scenario: Scenario,
        step: Step,
        exception: BaseException,
    ) -> None:
        run = request.node.stash[RUN]
        heading = failures.step_heading(feature.filename, step)
        words = failures.plain_words(exception)
        if isinstance(exception, AssertionError):
            words = failures.with_rules(scenario.tags, words)
        fail_step(run, run["done"], f"{heading}\n{words}")

    def pytest_bdd_step_func_lookup_error(
        self, request: pytest.FixtureRequest, feature: Feature, step: Step
    ) -> None:
        run = request.node.stash[RUN]
        heading = failures.step_heading(feature.filename, step)
        fail_step(run, run["done"], f"{heading}\n{failures.undefined_text(step)}")

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_makereport(
        self, item: pytest.Item, call: pytest.CallInfo[None]
    ) -> Generator[None, Any, None]:
        outcome = yield
        report: pytest.TestReport = outcome.get_result()
        run = item.stash.get(RUN, None)
        if run is None and report.when == "setup" and not report.passed:
            run = _template_run(item)
        if run is None or (report.when == "teardown" and report.passed):
            return
        if report.failed and not run["message"]:
            fail_step(run, run["done"], _short(report))
        if report.when != "teardown" or report.failed:
            report.bdd_scenario = run  # type: ignore[attr-defined]
        if report.failed and report.when == "call" and self.config.option.tbstyle == "auto":
            report.longrepr = run["message"]


def final(report: pytest.TestReport) -> dict[str, Any] | None:
    """The scenario a report closes (the call, or a setup that failed or skipped)."""
    run = getattr(report, "bdd_scenario", None)
    if run is None:
        return None
    if report.when == "call" or (report.when == "setup" and not report.passed):
        return dict(run)
    return None


class CucumberJson:
    """reports/cucumber.json in the standard Cucumber format, from ``report.bdd_scenario``."""

    def __init__(self, path: str) -> None:
        self.path = Path(path)
        self.features: dict[str, dict[str, Any]] = {}

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        run = final(report)
        if run is None:
            return
        feature = run["feature"]
        entry = self.features.setdefault(
            feature["uri"],
            {
                "keyword": feature["keyword"],
                "uri": feature["uri"],
                "name": feature["name"],
                "id": feature["uri"].lower().replace(" ", "-"),
                "line": feature["line"],
                "description": feature["description"],
                "language": feature["language"],
                "tags": [{"name": t, "line": feature["line"] - 1} for t in feature["tags"]],
                "elements": [],
            },
        )
        entry["elements"].append(_element(report, run))

    def pytest_sessionfinish(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.path.write_text(json.dumps(list(self.features.values()), indent=1))

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        terminalreporter.write_sep("-", f"generated json file: {self.path}")


def _element(report: pytest.TestReport, run: dict[str, Any]) -> dict[str, Any]:
    steps = []
    for step in run["steps"]:
        result: dict[str, Any] = {"status": step["status"], "duration": step["duration"]}
        if "error_message" in step:
            result["error_message"] = step["error_message"]
        steps.append(
            {
                "keyword": step["keyword"],
                "name": step["name"],
                "line": step["line"],
                "match": {"location": ""},
                "result": result,
            }
        )
    return {
        "keyword": run["keyword"],
        "id": report.nodeid.rsplit("::", 1)[-1],
        "name": run["name"],
        "line": run["line"],
        "description": run["description"],
        "tags": [{"name": t, "line": run["line"] - 1} for t in run["tags"]],
        "type": "scenario",
        "steps": steps,
    }


class StepPrinter:
    """``--bdd-steps``: each scenario as Gherkin, every step with its outcome."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        self.feature = ""

    @pytest.hookimpl(tryfirst=True)
    def pytest_report_teststatus(self, report: pytest.TestReport) -> tuple[str, str, str] | None:
        if final(report) is None:
            return None
        if report.failed:
            return ("failed" if report.when == "call" else "error"), "", ""
        return ("passed" if report.passed else "skipped"), "", ""

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        run = final(report)
        writer = self.config.pluginmanager.get_plugin("terminalreporter")
        if run is None or writer is None:
            return
        if run["feature"]["uri"] != self.feature:
            self.feature = run["feature"]["uri"]
            writer.ensure_newline()
            writer.write_line(f"\n{run['feature']['keyword']}: {run['feature']['name']}", blue=True)
            writer.write_line(f"  ({self.feature})")
        colour = {"green": report.passed, "red": report.failed, "yellow": report.skipped}
        writer.write_line(f"  {run['keyword']}: {run['name']}  [{report.outcome}]", **colour)
        for step in run["steps"]:
            status = step["status"]
            markup = {"green": status == "passed", "red": status == "failed"}
            writer.write_line(f"    {MARKS[status]} {step['keyword']} {step['name']}", **markup)
            if status == "failed":
                message = step["error_message"].split("\n", 1)[-1]
                for line in message.splitlines():
                    writer.write_line(f"        {line}", red=True)
