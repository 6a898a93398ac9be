"""Failure messages QA can read: the Gherkin step first, then what was wrong, in words.

A failing step reads ``features/push/x.feature:14: Then the push succeeded`` followed by the
assertion's own message (not pytest's re-evaluation of it). An undefined step says which
catalogue steps read most like it, and a step written with the wrong keyword says which
keyword it has.
"""

from __future__ import annotations

import difflib
import re
import traceback
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from pytest_bdd.parser import Step
from pytest_bdd.steps import StepFunctionContext, step_function_context_registry

from .phrase import readable
from .rules import RULE_TAG

ROOT = Path(__file__).resolve().parents[2]
STEPS_PACKAGE = "tests.bdd.steps"
SUGGESTIONS = 3
LEADING_RULE = re.compile(r"^[SXA]-\d{2}\b")


def where(filename: str, line: int) -> str:
    """``features/area/file.feature:12`` (relative to the repository when inside it)."""
    path = Path(filename).resolve()
    shown = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
    return f"{shown}:{line}"


def step_heading(filename: str, step: Step) -> str:
    return f"{where(filename, step.line_number)}: {step.keyword} {step.name}"


def plain_words(error: BaseException) -> str:
    """What went wrong, as the step's author wrote it, without pytest's internals."""
    text = str(error).strip()
    if isinstance(error, AssertionError):
        message, _, _ = text.partition("\nassert ")
        if message and not message.startswith("assert "):
            return message.strip()
        return text or "the check failed (it carries no message)"
    if type(error).__name__ in ("Failed", "Skipped"):
        return text
    frame = _innermost_project_frame(error)
    place = f" (raised at {frame})" if frame else ""
    return f"{type(error).__name__}: {text}{place}"


def with_rules(tags: Iterable[str], message: str) -> str:
    """A failed check names the rules its scenario proves first: ``S-06: <what was seen>``
    (left alone when the message already starts with a rule id)."""
    rules = sorted(tag for tag in tags if RULE_TAG.match(tag))
    if not rules or LEADING_RULE.match(message):
        return message
    return f"{', '.join(rules)}: {message}"


def _innermost_project_frame(error: BaseException) -> str:
    frames = traceback.extract_tb(error.__traceback__)
    for frame in reversed(frames):
        path = Path(frame.filename).resolve()
        if path.is_relative_to(ROOT) and ".venv" not in path.parts:
            return f"{path.relative_to(ROOT)}:{frame.lineno}"
    return ""


@dataclass(frozen=True)
class Known:
    """One step of the library as QA reads it."""

    keyword: str
    text: str
    example: str


def library() -> list[Known]:
    """Every step definition of the library (keyword, readable pattern, example sentence)."""
    known: list[Known] = []
    for context in list(step_function_context_registry.values()):
        if not context.step_func.__module__.startswith(STEPS_PACKAGE):
            continue
        known.append(Known(_keyword(context), readable(_written(context)), _example(context)))
    return known


def _written(context: StepFunctionContext) -> str:
    return str(getattr(context.parser, "written", context.parser.name))


def _keyword(context: StepFunctionContext) -> str:
    return (context.type or "step").capitalize()


def _example(context: StepFunctionContext) -> str:
    for line in (context.step_func.__doc__ or "").splitlines():
        if line.strip().startswith("Example:"):
            words = line.strip().removeprefix("Example:").strip().split(" ", 1)
            return words[1] if len(words) > 1 else ""
    return ""


def wrong_keyword(step: Step) -> list[str]:
    """The keywords under which the step's text is defined, when its own is not one of them."""
    kinds = {
        context.type
        for context in list(step_function_context_registry.values())
        if context.step_func.__module__.startswith(STEPS_PACKAGE)
        and context.type not in (None, step.type)
        and context.parser.is_matching(step.name)
    }
    return sorted(k.capitalize() for k in kinds if k)


def closest(step: Step, count: int = SUGGESTIONS) -> list[str]:
    """The catalogue steps that read most like an undefined one, best first."""
    scored: dict[str, float] = {}
    for known in library():
        ratio = max(
            difflib.SequenceMatcher(None, step.name, known.text).ratio(),
            difflib.SequenceMatcher(None, step.name, known.example).ratio(),
        )
        bonus = 0.05 if known.keyword.lower() == step.type else 0.0
        shown = f"{known.keyword} {known.text}"
        scored[shown] = max(scored.get(shown, 0.0), ratio + bonus)
    best = sorted(scored.items(), key=lambda item: -item[1])[:count]
    return [text for text, score in best if score >= 0.45]


def undefined_text(step: Step) -> str:
    """Why a step has no definition: another keyword, or the closest steps that exist."""
    keywords = wrong_keyword(step)
    if keywords:
        first = keywords[0]
        return (
            f"this step exists as a {' / '.join(keywords)} step, not a {step.type.capitalize()}"
            f' step: write "{first} {step.name}" (or put it after a {first}).'
        )
    lines = ["undefined step: no step of docs/steps.md reads like this."]
    suggestions = closest(step)
    if suggestions:
        lines.append("did you mean:")
        lines.extend(f"    {text}" for text in suggestions)
    return "\n".join(lines)
