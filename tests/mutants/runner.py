"""The rule mutants: break one rule at a time in a scratch copy and check the suite notices.

Each entry of ``catalogue.toml`` is a small search/replace patch of the integration core or
the mock, named after the rule it violates. For each mutant the runner copies the tree to a
scratch directory, applies the patch, runs the scenario that killed it last time (remembered in
``killers.json``), then the scenarios tagged with the rule (``-x``), then, if they all pass, the
rest of ``tests/bdd`` (``-x``). A failing scenario kills the mutant; a mutant
that leaves every scenario green survives. Two mutants run at a time.

The last line is ``N killed, N survived``; the exit status is non-zero when a mutant survives,
a patch no longer applies, or a run errors (a patched tree that cannot even be collected).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = Path(__file__).with_name("catalogue.toml")
KILLERS = Path(__file__).with_name("killers.json")
COPIED = ("integration", "mock_salesforce", "features", "tests", "docs", "pyproject.toml")
IGNORED = shutil.ignore_patterns(
    "__pycache__", "node_modules", ".mypy_cache", ".ruff_cache", "*.egg-info", "mutants"
)
PYTEST = ("-m", "pytest", "-q", "-x", "-p", "no:randomly", "-p", "no:xdist")
FAILED_LINE = re.compile(r"^FAILED ([^\s\[]+)", re.MULTILINE)
RUN_TIMEOUT_SECONDS = 600


@dataclass(frozen=True)
class Mutant:
    """One realistic violation of ``rule``: replace ``search`` by ``replace`` in ``file``."""

    name: str
    rule: str
    file: str
    search: str
    replace: str
    why: str


@dataclass(frozen=True)
class Outcome:
    mutant: Mutant
    verdict: str  # killed, survived, error
    detail: str
    seconds: float


class CatalogueError(Exception):
    """A mutant that no longer applies to the tree (its search text is gone or ambiguous)."""


def load(path: Path = CATALOGUE) -> list[Mutant]:
    """The catalogue's mutants, in file order."""
    entries = tomllib.loads(path.read_text())["mutant"]
    return [
        Mutant(e["name"], e["rule"], e["file"], e["search"], e["replace"], e["why"])
        for e in entries
    ]


def patched_text(mutant: Mutant, root: Path = ROOT) -> str:
    """The mutated file's text; CatalogueError unless the search text occurs exactly once."""
    text = (root / mutant.file).read_text()
    count = text.count(mutant.search)
    if count != 1:
        raise CatalogueError(
            f"{mutant.name}: the search text occurs {count} times in {mutant.file} (want 1)"
        )
    return text.replace(mutant.search, mutant.replace)


def scratch_copy(target: Path) -> None:
    for name in COPIED:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, target / name, ignore=IGNORED)
        else:
            shutil.copy2(source, target / name)


def pytest_run(cwd: Path, selection: Sequence[str]) -> tuple[int, str]:
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    env.pop("PYTEST_ADDOPTS", None)
    command = [sys.executable, *PYTEST, *selection]
    try:
        done = subprocess.run(
            command,
            cwd=cwd,
            env=env,
            capture_output=True,
            text=True,
            timeout=RUN_TIMEOUT_SECONDS,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return 1, "FAILED (timeout: the suite hung)"
    return done.returncode, done.stdout + done.stderr


def verdict_of(code: int, output: str) -> tuple[str, str] | None:
    """killed / error from one pytest run, or None when everything passed (or was deselected)."""
    if code in (0, 5):
        return None
    failed = FAILED_LINE.findall(output)
    if code == 1 and failed:
        return "killed", failed[0]
    tail = " | ".join(output.strip().splitlines()[-3:])
    return "error", f"pytest exit {code}: {tail}"


def known_killers() -> dict[str, str]:
    """Mutant name -> the test that killed it last time (tried first: one scenario is fast)."""
    if not KILLERS.exists():
        return {}
    found: dict[str, str] = json.loads(KILLERS.read_text())
    return found


def selections(mutant: Mutant, killer: str | None) -> list[list[str]]:
    """What to run, in order: the last killer, the rule's scenarios, then everything else."""
    tagged = [["tests/bdd", "-m", mutant.rule], ["tests/bdd", "-m", f"not {mutant.rule}"]]
    if killer and killer.startswith("tests/bdd/") and "::" in killer:
        return [[killer], *tagged]
    return tagged


def run_one(mutant: Mutant, killer: str | None = None) -> Outcome:
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="mutant-") as scratch:
        root = Path(scratch)
        scratch_copy(root)
        (root / mutant.file).write_text(patched_text(mutant))
        for selection in selections(mutant, killer):
            found = verdict_of(*pytest_run(root, selection))
            if found is not None and (found[0] == "killed" or "-m" in selection):
                return Outcome(mutant, found[0], found[1], time.monotonic() - started)
            # a remembered killer that no longer exists (renamed scenario) is just skipped
    return Outcome(mutant, "survived", "every scenario passed", time.monotonic() - started)


def report_line(outcome: Outcome) -> str:
    name = f"{outcome.mutant.name} ({outcome.mutant.file})"
    return f"{outcome.verdict:<8} {name:<72} {outcome.seconds:5.1f}s  {outcome.detail}"


def select(mutants: list[Mutant], wanted: Sequence[str]) -> list[Mutant]:
    """Mutants whose name or rule is in ``wanted`` (all when empty)."""
    if not wanted:
        return mutants
    return [m for m in mutants if m.name in wanted or m.rule in wanted]


def proof_table() -> str:
    """Markdown for docs/rules.md: per rule, the scenarios tagged with it and its mutants."""
    from tests.bdd.rules import rule_table

    by_rule: dict[str, list[str]] = {}
    for mutant in load():
        by_rule.setdefault(mutant.rule, []).append(f"`{mutant.name}`")
    lines = ["| rule | scenarios (feature:line) | mutants |", "|---|---|---|"]
    for rule, proved_by in rule_table().items():
        places = ", ".join(f"{s.feature.parent.name}/{s.feature.name}:{s.line}" for s in proved_by)
        lines.append(
            f"| **{rule}** | {places or '-'} | {', '.join(by_rule.get(rule, [])) or '-'} |"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] = ()) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.mutants", description=__doc__)
    parser.add_argument("only", nargs="*", help="mutant names or rule ids (default: all)")
    parser.add_argument("-j", "--jobs", type=int, default=2, help="mutants run at once")
    parser.add_argument("--table", action="store_true", help="print the per-rule proof table")
    args = parser.parse_args(argv)
    if args.table:
        print(proof_table())
        return 0
    started = time.monotonic()
    mutants = select(load(), args.only)
    try:
        for mutant in mutants:
            patched_text(mutant)
    except CatalogueError as stale:
        print(f"stale    {stale}")
        return 2
    counts = {"killed": 0, "survived": 0, "error": 0}
    killers = known_killers()
    learned = dict(killers)
    with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        runs = pool.map(lambda m: run_one(m, killers.get(m.name)), mutants)
        for outcome in runs:
            counts[outcome.verdict] += 1
            if outcome.verdict == "killed":
                learned[outcome.mutant.name] = outcome.detail
            print(report_line(outcome), flush=True)
    if learned != killers:
        KILLERS.write_text(json.dumps(dict(sorted(learned.items())), indent=2) + "\n")
    seconds = time.monotonic() - started
    errors = f", {counts['error']} errors" if counts["error"] else ""
    print(f"# {len(mutants)} mutants in {seconds:.0f} s")
    print(f"{counts['killed']} killed, {counts['survived']} survived{errors}")
    return 0 if counts["survived"] == 0 and counts["error"] == 0 else 1
