"""Rule traceability: the rule ids of docs/rules.md and the scenarios that prove them."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RULES_FILE = ROOT / "docs" / "rules.md"
FEATURES = ROOT / "features"
RULE_ROW = re.compile(r"^\|\s*([SXA]-\d{2})\s*\|\s*(.+?)\s*\|\s*$")
RULE_TAG = re.compile(r"^[SXA]-\d{2}$")
KNOWN_AREAS = {
    "credentials": "connecting team and personal Salesforce credentials",
    "ownership": "who owns and who creates what is pushed",
    "activities": "activity logging",
    "permissions": "permission preflight and field-level security",
    "pull": "pulling Salesforce records into the app",
    "push": "push settings and idempotent pushes",
    "resilience": "tokens, quotas, locks and the sync log",
}


def area_tags() -> dict[str, str]:
    """Area tags: the folders under features/ (a new folder is a new area), and ``@wip``."""
    folders = sorted(p.name for p in FEATURES.iterdir() if p.is_dir()) if FEATURES.is_dir() else []
    areas = {name: KNOWN_AREAS.get(name, f"the scenarios of features/{name}") for name in folders}
    return {**KNOWN_AREAS, **areas, "wip": "work in progress: skipped"}


AREA_TAGS = area_tags()


def known_tags() -> set[str]:
    """Every tag a scenario may carry: rule ids of docs/rules.md, areas and ``@wip``."""
    return set(rules()) | set(area_tags())


@dataclass(frozen=True)
class Scenario:
    feature: Path
    title: str
    tags: frozenset[str]
    line: int


def rules() -> dict[str, str]:
    """Rule id -> rule text, from docs/rules.md."""
    found: dict[str, str] = {}
    for line in RULES_FILE.read_text().splitlines():
        match = RULE_ROW.match(line)
        if match:
            found[match.group(1)] = match.group(2)
    return found


def scenarios() -> Iterator[Scenario]:
    """Every scenario (outlines included) with its own and its feature's tags."""
    for path in sorted(FEATURES.rglob("*.feature")):
        feature_tags: set[str] = set()
        pending: set[str] = set()
        in_feature = False
        for number, raw in enumerate(path.read_text().splitlines(), start=1):
            line = raw.strip()
            if line.startswith("@"):
                pending |= {t.lstrip("@") for t in line.split()}
            elif line.startswith("Feature:"):
                feature_tags, pending, in_feature = pending, set(), True
            elif in_feature and line.startswith(("Scenario:", "Scenario Outline:")):
                title = line.split(":", 1)[1].strip()
                yield Scenario(path, title, frozenset(feature_tags | pending), number)
                pending = set()


def rule_table() -> dict[str, list[Scenario]]:
    """Rule id -> the scenarios tagged with it (not counting @wip ones)."""
    table: dict[str, list[Scenario]] = {rule: [] for rule in rules()}
    for scenario in scenarios():
        if "wip" in scenario.tags:
            continue
        for tag in scenario.tags:
            if tag in table:
                table[tag].append(scenario)
    return table


def main() -> None:
    """`make rules`: print each rule and the scenarios that prove it."""
    texts = rules()
    for rule, proved_by in rule_table().items():
        print(f"{rule}  {texts[rule][:90]}")
        for scenario in proved_by:
            print(f"        {scenario.feature.relative_to(ROOT)}:{scenario.line}  {scenario.title}")
        if not proved_by:
            print("        (no scenario)")


if __name__ == "__main__":
    main()
