"""`make report` -> reports/behaviour.html: every rule of docs/rules.md with the scenarios that
prove it, their steps and results, and the rule mutants those scenarios kill.

Inputs: ``reports/cucumber.json`` (pytest-bdd's Cucumber JSON), ``docs/rules.md`` (the rule
tables) and, when ``make mutants`` has run, ``reports/mutants.json``. That file is a list of
mutants (or ``{"mutants": [...]}``), each ``{"id": ..., "rule": "S-06" | "rules": [...],
"status": "killed" | "survived", "killed_by": [scenario names], "description": ...}``; only
``id`` and ``status`` are required. The output is one self-contained HTML file (no scripts, no
links out) a QA lead can open from CI artifacts.

    python -m tests.bdd.behaviour_report [--cucumber F] [--rules F] [--mutants F] [--out F]
"""

from __future__ import annotations

import argparse
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from jinja2 import Environment

ROOT = Path(__file__).resolve().parents[2]
RULE_ROW = re.compile(r"^\|\s*([A-Z]+-\d+)\s*\|\s*(.+?)\s*\|\s*$")
SECTION = re.compile(r"^##\s+(.+?)\s*$")
# A scenario's status from its steps: the first that applies wins.
STEP_ORDER = ("failed", "undefined", "skipped", "pending")


@dataclass(frozen=True)
class Rule:
    id: str
    text: str
    section: str


@dataclass
class Step:
    keyword: str
    name: str
    line: int
    status: str
    message: str | None = None


@dataclass
class Scenario:
    feature: str
    uri: str
    name: str
    line: int
    tags: frozenset[str]
    steps: list[Step] = field(default_factory=list)

    @property
    def status(self) -> str:
        """passed, failed, undefined, skipped or pending (undefined when it has no step)."""
        statuses = {s.status for s in self.steps}
        for status in STEP_ORDER:
            if status in statuses:
                return status
        return "passed" if statuses == {"passed"} else "undefined"

    @property
    def failing_step(self) -> Step | None:
        return next((s for s in self.steps if s.status != "passed"), None)


@dataclass(frozen=True)
class Mutant:
    id: str
    status: str
    rules: frozenset[str]
    killed_by: frozenset[str]
    description: str = ""


def read_rules(path: Path) -> list[Rule]:
    """Rule rows of docs/rules.md in order, each with the heading of its section."""
    found: list[Rule] = []
    section = ""
    for line in path.read_text().splitlines():
        heading = SECTION.match(line)
        if heading:
            section = heading.group(1)
        row = RULE_ROW.match(line)
        if row:
            found.append(Rule(row.group(1), row.group(2), section))
    return found


def read_scenarios(path: Path) -> list[Scenario]:
    """Every scenario run, from a Cucumber JSON report (feature tags included)."""
    if not path.exists():
        return []
    scenarios = []
    for feature in json.loads(path.read_text() or "[]"):
        feature_tags = {t["name"].lstrip("@") for t in feature.get("tags", ())}
        for element in feature.get("elements", ()):
            if element.get("type", "scenario") == "background":
                continue
            tags = feature_tags | {t["name"].lstrip("@") for t in element.get("tags", ())}
            scenario = Scenario(
                feature.get("name", ""),
                feature.get("uri", ""),
                element.get("name", ""),
                int(element.get("line", 0)),
                frozenset(tags),
            )
            scenario.steps = [_step(s) for s in element.get("steps", ())]
            scenarios.append(scenario)
    return scenarios


def _step(raw: dict[str, Any]) -> Step:
    result = raw.get("result") or {}
    return Step(
        raw.get("keyword", "").strip(),
        raw.get("name", ""),
        int(raw.get("line", 0)),
        str(result.get("status", "undefined")),
        result.get("error_message"),
    )


def read_mutants(path: Path) -> list[Mutant] | None:
    """The mutants of `make mutants`, or None when it has not run (no results file)."""
    if not path.exists():
        return None
    data = json.loads(path.read_text() or "[]")
    entries = data.get("mutants", []) if isinstance(data, dict) else data
    mutants = []
    for entry in entries:
        rules = set(entry.get("rules") or ())
        if entry.get("rule"):
            rules.add(entry["rule"])
        mutants.append(
            Mutant(
                str(entry.get("id") or entry.get("name")),
                str(entry.get("status", "unknown")).lower(),
                frozenset(rules),
                frozenset(entry.get("killed_by") or ()),
                str(entry.get("description", "")),
            )
        )
    return mutants


@dataclass
class RuleResult:
    rule: Rule
    scenarios: list[Scenario]
    mutants: list[Mutant] | None

    @property
    def status(self) -> str:
        """proved (every scenario passed), failing, undefined, or unproved (no scenario)."""
        if not self.scenarios:
            return "unproved"
        statuses = {s.status for s in self.scenarios}
        if "failed" in statuses:
            return "failing"
        return "proved" if statuses == {"passed"} else "undefined"


def rule_results(
    rules: list[Rule], scenarios: list[Scenario], mutants: list[Mutant] | None
) -> list[RuleResult]:
    results = []
    for rule in rules:
        proving = [s for s in scenarios if rule.id in s.tags and "wip" not in s.tags]
        names = {s.name for s in proving}
        related = None
        if mutants is not None:
            related = [m for m in mutants if rule.id in m.rules or m.killed_by & names]
        results.append(RuleResult(rule, proving, related))
    return results


def render(results: list[RuleResult], mutants: list[Mutant] | None, sources: str) -> str:
    scenarios = {id(s): s for r in results for s in r.scenarios}.values()
    summary = {
        "rules": Counter(r.status for r in results),
        "scenarios": Counter(s.status for s in scenarios),
        "mutants": None if mutants is None else Counter(m.status for m in mutants),
    }
    environment = Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True)
    return environment.from_string(TEMPLATE).render(
        results=results,
        summary=summary,
        mutants_run=mutants is not None,
        generated=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        sources=sources,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cucumber", type=Path, default=ROOT / "reports" / "cucumber.json")
    parser.add_argument("--rules", type=Path, default=ROOT / "docs" / "rules.md")
    parser.add_argument("--mutants", type=Path, default=ROOT / "reports" / "mutants.json")
    parser.add_argument("--out", type=Path, default=ROOT / "reports" / "behaviour.html")
    args = parser.parse_args(argv)
    mutants = read_mutants(args.mutants)
    results = rule_results(read_rules(args.rules), read_scenarios(args.cucumber), mutants)
    sources = f"{args.cucumber.name}, {args.rules.name}" + (
        f", {args.mutants.name}" if mutants is not None else ""
    )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(render(results, mutants, sources))
    counts = Counter(r.status for r in results)
    print(f"{args.out}: {len(results)} rules, " + ", ".join(f"{n} {k}" for k, n in counts.items()))
    return 0


TEMPLATE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Behaviour report: rules, scenarios, mutants</title>
<style>
body { font: 14px/1.45 system-ui, Arial, sans-serif; color: #16325c; margin: 0; background: #f4f6f9; }
main { max-width: 1100px; margin: 0 auto; padding: 16px 20px 40px; }
h1 { font-size: 22px; } h2 { font-size: 18px; margin-top: 28px; } h3 { font-size: 15px; margin: 0; }
.summary { display: flex; flex-wrap: wrap; gap: 12px; }
.summary div { background: #fff; border: 1px solid #d8dde6; border-radius: 6px; padding: 8px 14px; }
article { background: #fff; border: 1px solid #d8dde6; border-left: 6px solid #9aa5b8;
          border-radius: 6px; padding: 10px 14px; margin: 10px 0; }
article.proved { border-left-color: #04844b; } article.failing { border-left-color: #c23934; }
article.undefined { border-left-color: #dd7a01; }
.badge { display: inline-block; border-radius: 8px; padding: 0 8px; font-size: 12px; font-weight: 600;
         background: #e5e9f0; }
.badge.passed, .badge.proved, .badge.killed { background: #dff3e6; color: #03633a; }
.badge.failed, .badge.failing, .badge.survived { background: #fbe1e1; color: #8e1f1b; }
.badge.undefined, .badge.skipped, .badge.pending, .badge.unproved { background: #fdefd8;
  color: #7a4300; }
li.failed, li.undefined { color: #8e1f1b; }
details { margin: 6px 0 0 0; } summary { cursor: pointer; }
ol.steps { margin: 4px 0 4px 0; padding-left: 22px; }
ol.steps li { margin: 1px 0; } li.failed, li.undefined { font-weight: 600; }
pre { background: #fbeaea; padding: 8px; white-space: pre-wrap; font-size: 12px; }
.muted { color: #54698d; font-size: 12px; }
table { border-collapse: collapse; width: 100%; font-size: 13px; }
td, th { text-align: left; padding: 3px 6px; border-bottom: 1px solid #e5e9f0; }
</style>
</head>
<body><main>
<h1>Behaviour report</h1>
<p class="muted">Generated {{ generated }} from {{ sources }}.</p>
<section aria-labelledby="summary-h"><h2 id="summary-h">Summary</h2>
<div class="summary">
<div><strong>Rules</strong>: {% for k, n in summary.rules.items() %}<span class="badge {{ k }}">{{ n }} {{ k }}</span> {% endfor %}</div>
<div><strong>Scenarios</strong>: {% for k, n in summary.scenarios.items() %}<span class="badge {{ k }}">{{ n }} {{ k }}</span> {% else %}none run{% endfor %}</div>
<div><strong>Mutants</strong>: {% if summary.mutants is none %}not run{% else %}{% for k, n in summary.mutants.items() %}<span class="badge {{ k }}">{{ n }} {{ k }}</span> {% endfor %}{% endif %}</div>
</div></section>
{% set ns = namespace(section="") %}
{% for r in results %}
{% if r.rule.section != ns.section %}{% set ns.section = r.rule.section %}<h2>{{ r.rule.section }}</h2>{% endif %}
<article class="{{ r.status }}" id="{{ r.rule.id }}">
<h3>{{ r.rule.id }} <span class="badge {{ r.status }}">{{ r.status }}</span></h3>
<p>{{ r.rule.text }}</p>
{% for s in r.scenarios %}
<details{% if s.status != "passed" %} open{% endif %}>
<summary><span class="badge {{ s.status }}">{{ s.status }}</span> {{ s.name }} <span class="muted">{{ s.uri }}:{{ s.line }}</span></summary>
<ol class="steps">
{% for step in s.steps %}<li class="{{ step.status }}"><span class="badge {{ step.status }}">{{ step.status }}</span> <strong>{{ step.keyword }}</strong> {{ step.name }} <span class="muted">line {{ step.line }}</span>
{% if step.message %}<pre>{{ step.message }}</pre>{% endif %}</li>
{% endfor %}
</ol>
{% if s.failing_step and s.status == "failed" %}<p>Fails at line {{ s.failing_step.line }}: <strong>{{ s.failing_step.keyword }} {{ s.failing_step.name }}</strong></p>{% endif %}
</details>
{% else %}<p><span class="badge unproved">no scenario</span> No scenario run for this rule.</p>
{% endfor %}
<p><strong>Mutants</strong>:
{% if not mutants_run %}not run (no reports/mutants.json: run <code>make mutants</code>).</p>
{% elif not r.mutants %}none for this rule.</p>
{% else %}</p>
<table><thead><tr><th scope="col">Mutant</th><th scope="col">Result</th><th scope="col">Killed by</th></tr></thead><tbody>
{% for m in r.mutants %}<tr><td>{{ m.id }}{% if m.description %} <span class="muted">{{ m.description }}</span>{% endif %}</td><td><span class="badge {{ m.status }}">{{ m.status }}</span></td><td>{{ m.killed_by|sort|join("; ") }}</td></tr>
{% endfor %}</tbody></table>
{% endif %}
</article>
{% endfor %}
</main></body>
</html>
"""  # noqa: E501 (HTML lines)

if __name__ == "__main__":
    raise SystemExit(main())
