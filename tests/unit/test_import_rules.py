"""Who may import whom: the table in docs/architecture.md, checked against the code's imports."""

from __future__ import annotations

import ast
import functools
import re
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "architecture.md"
TOPS = ("mock_salesforce", "integration")
RULED_THIRD_PARTY = {"flask": "flask", "werkzeug": "flask", "requests": "requests"}


@functools.cache
def allowed_table() -> dict[str, set[str]]:
    """`package -> what it may import`, from the markdown table (names relative to its top)."""
    table: dict[str, set[str]] = {}
    for line in DOC.read_text(encoding="utf-8").splitlines():
        row = re.fullmatch(r"\|\s*`([\w.]+)`\s*\|(.*)\|", line.strip())
        if not row:
            continue
        package, allowed = row.group(1), row.group(2)
        top = package.split(".")[0]
        names = set(re.findall(r"`([\w.]+)`", allowed))
        names |= {w for w in re.findall(r"\b(flask|requests)\b", allowed.replace("`", " "))}
        if f"every `{top}` package" in allowed:
            names.add("*")
        table[package] = {n if n in ("flask", "requests", "*") else f"{top}.{n}" for n in names}
    return table


def unit_of(module: str) -> str:
    """The table row a module belongs to: its top package plus one level (`a.b.c` -> `a.b`)."""
    parts = module.split(".")
    return ".".join(parts[:2])


def imports_of(path: Path, module: str, is_package: bool) -> Iterator[str]:
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module.split(".") if is_package else module.split(".")[:-1]
                base = base[: len(base) - (node.level - 1)]
                target = ".".join([*base, *([node.module] if node.module else [])])
            else:
                target = node.module or ""
            yield target
            yield from (f"{target}.{alias.name}" for alias in node.names)


def violations() -> Iterator[str]:
    table = allowed_table()
    for top in TOPS:
        for path in sorted((ROOT / top).rglob("*.py")):
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            is_package = parts[-1] == "__init__"
            module = ".".join(parts[:-1] if is_package else parts)
            unit = unit_of(module)
            if unit not in table:
                yield f"{path.relative_to(ROOT)}: package {unit} has no row in docs/architecture.md"
                continue
            for target in imports_of(path, module, is_package):
                problem = judge(unit, target, table[unit])
                if problem:
                    yield f"{path.relative_to(ROOT)}: {problem}"


def judge(unit: str, target: str, allowed: set[str]) -> str | None:
    head = target.split(".")[0]
    top = unit.split(".")[0]
    if head == "tests" or (head in TOPS and head != top):
        return f"{unit} imports {target}: never across {top} and {head}"
    if head in RULED_THIRD_PARTY:
        ruled = RULED_THIRD_PARTY[head]
        return None if ruled in allowed else f"{unit} imports {ruled} ({target})"
    if head != top or target == top:
        return None
    target_unit = unit_of(target)
    if target_unit == unit or "*" in allowed or target_unit in allowed:
        return None
    if target_unit not in allowed_table() and len(target.split(".")) == 2:
        return None  # `from pkg import name` where name is not a module of its own
    return f"{unit} imports {target_unit} ({target}), which its row does not allow"


def test_imports_follow_the_table_in_architecture_md() -> None:
    found = sorted(set(violations()))
    assert not found, "imports the architecture table does not allow:\n" + "\n".join(found)


def test_import_rule_check_catches_a_forbidden_import() -> None:
    table = allowed_table()
    assert judge(
        "mock_salesforce.oauth", "mock_salesforce.control.common", table["mock_salesforce.oauth"]
    ), "oauth importing control must be refused"
    assert judge("integration.domain", "requests", table["integration.domain"]), (
        "the domain importing requests must be refused"
    )


ROOT_MODULES = {
    "__init__",
    "__main__",
    "app",
    "errors",
    "ids",
    "security",
    "versions",
}


def test_package_root_holds_only_the_core_modules() -> None:
    """The root of mock_salesforce shows the design: everything else lives in a package."""
    found = {p.stem for p in (ROOT / "mock_salesforce").glob("*.py")}
    extra = sorted(found - ROOT_MODULES)
    assert not extra, f"modules at mock_salesforce/'s root that belong in a package: {extra}"
