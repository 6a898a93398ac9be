"""The step catalogue QA reads: docs/steps.md, generated from the steps' docstrings.

`make steps` writes it; a test fails when a step has no docstring or example, or when the
committed catalogue differs from what the steps say.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from pytest_bdd.parser import FeatureParser
from pytest_bdd.steps import step_function_context_registry

from . import closed_values, phrase
from . import steps as steps_package

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "docs" / "steps.md"
FEATURES = ROOT / "features"
HEADER = """# Step catalogue

Every step a scenario can use, by domain, generated from the steps themselves by `make steps`
(do not edit by hand). Words in `{braces}` are parameters: a parameter in quotes is any text
without a quote, one without quotes is one word (a number where the example shows one), and
where a step accepts only some values they are listed under it. `a` and `an` are
interchangeable everywhere. A step marked *table* takes a data table right below it. Each
step works with the keyword shown (`And` / `But` continue the keyword above them). How to
write a scenario with these steps: [writing-scenarios.md](writing-scenarios.md).
"""


@dataclass(frozen=True)
class StepEntry:
    module: str
    keyword: str
    pattern: str
    summary: str
    example: str
    takes_table: bool
    retries: bool = False
    choices: tuple[tuple[str, str], ...] = ()


def load_steps() -> list[StepEntry]:
    """Import every step module and list its steps in definition order."""
    for info in pkgutil.iter_modules(steps_package.__path__):
        importlib.import_module(f"{steps_package.__name__}.{info.name}")
    keywords: dict[tuple[int, str], list[str]] = {}
    contexts = {}
    for context in list(step_function_context_registry.values()):
        func = context.step_func
        if not func.__module__.startswith(steps_package.__name__):
            continue
        key = (id(func), context.parser.name)
        keywords.setdefault(key, []).append(context.type or "step")
        contexts[key] = context
    entries = [
        _entry(contexts[key].step_func, key[1], kinds, getattr(contexts[key].parser, "choices", {}))
        for key, kinds in keywords.items()
    ]
    order = {name: index for index, name in enumerate(MODULE_ORDER)}
    return sorted(entries, key=lambda e: (order.get(e.module, 99), e.module, e.pattern))


def _entry(
    func: Callable[..., object],
    pattern: str,
    kinds: list[str],
    choices: dict[str, tuple[str, ...]],
) -> StepEntry:
    lines = [line.strip() for line in (func.__doc__ or "").strip().splitlines() if line.strip()]
    summary = lines[0] if lines else ""
    example = next(
        (ln.removeprefix("Example:").strip() for ln in lines if ln.startswith("Example:")), ""
    )
    takes_table = "datatable" in func.__code__.co_varnames[: func.__code__.co_argcount]
    order = ("given", "when", "then")
    keyword = " / ".join(k.capitalize() for k in sorted(set(kinds), key=order.index))
    retries = "retr" in summary.lower()
    return StepEntry(
        func.__module__.rsplit(".", 1)[1],
        keyword,
        pattern,
        summary,
        example,
        takes_table,
        retries,
        tuple((name, ", ".join(f"`{v}`" for v in values)) for name, values in choices.items()),
    )


def feature_steps() -> list[tuple[str, str]]:
    """(type, text) of every step every feature under features/ uses, outlines expanded."""
    used: list[tuple[str, str]] = []
    for path in sorted(FEATURES.rglob("*.feature")):
        feature = FeatureParser(str(path.parent), path.name).parse()
        if feature.background is not None:
            used += [(step.type, step.name) for step in feature.background.steps]
        for template in feature.scenarios.values():
            contexts = [c for ex in template.examples for c in ex.as_contexts()] or [{}]
            for context in contexts:
                used += [(step.type, step.name) for step in template.render(context).steps]
    return used


def unused_steps() -> list[StepEntry]:
    """Steps of the library that no scenario uses, under any keyword they accept."""
    load_steps()
    used = feature_steps()
    unused = []
    for context in list(step_function_context_registry.values()):
        if not context.step_func.__module__.startswith(steps_package.__name__):
            continue
        kind = context.type
        if not any(kind in (None, t) and context.parser.is_matching(text) for t, text in used):
            unused.append(_entry(context.step_func, context.parser.name, [kind or "step"], {}))
    return unused


MODULE_ORDER = (
    "orgs_and_users",
    "team",
    "credentials",
    "pushing",
    "activities",
    "pulling",
    "salesforce_records",
    "journal",
    "clock_and_faults",
    "core_state",
)


_GROUP = re.compile(r"\(\?P<(\w+)>(?:[^()]|\((?:[^()]|\([^()]*\))*\))*\)")


def readable(pattern: str) -> str:
    """A regex step's pattern as QA reads the others: ``{name}`` for each named group."""
    text = _GROUP.sub(lambda m: "{" + m.group(1) + "}", pattern)
    return phrase.readable(text.removeprefix("^").removesuffix("$").replace("an?", "a(n)"))


def render(entries: list[StepEntry]) -> str:
    out = [HEADER, closed_values.render_sections()]
    module = None
    for entry in entries:
        if entry.module != module:
            module = entry.module
            title = importlib.import_module(f"{steps_package.__name__}.{module}").__doc__ or module
            out.append(f"\n## {title.strip().splitlines()[0]}\n")
        table = " *(table)*" if entry.takes_table else ""
        out.append(f"- **{entry.keyword}** `{readable(entry.pattern)}`{table}  ")
        out.append(f"  {entry.summary}  ")
        choices = dict(entry.choices)
        for parameter in re.findall(r"\{(\w+)", readable(entry.pattern)):
            values = choices.get(parameter) or closed_values.values_for(parameter)
            if values:
                out.append(f"  Accepted `{{{parameter}}}`: {values}.  ")
        if entry.retries:
            out.append("  Timings: see [retry timings](#retry-timings).  ")
        out.append(f"  Example: `{entry.example}`")
    return "\n".join(out) + "\n"


def main() -> None:
    CATALOGUE.write_text(render(load_steps()))
    print(f"wrote {CATALOGUE.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
