"""Finds the step library: every module under tests/bdd/steps/, with no list to keep.

pytest-bdd registers a step as a fixture in the module that defines it; a fixture is seen by
the scenarios when it sits in a conftest. ``step_fixtures()`` imports every step module and
hands their step fixtures to tests/bdd/conftest.py, so a new ``steps/<domain>.py`` (or
``steps/proof_*.py``) is in use as soon as the file exists.
"""

from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType

from pytest_bdd.steps import StepNamePrefix

from . import steps as steps_package

STEP_FIXTURE = StepNamePrefix.step_def.value


def step_modules() -> list[ModuleType]:
    """Every module of the step library, imported, in file-name order."""
    names = sorted(info.name for info in pkgutil.iter_modules(steps_package.__path__))
    return [
        importlib.import_module(f"{steps_package.__name__}.{name}")
        for name in names
        if not name.startswith("_")
    ]


def step_fixtures() -> dict[str, object]:
    """The step fixtures of every step module, under names unique across modules."""
    found: dict[str, object] = {}
    for module in step_modules():
        for name, value in vars(module).items():
            if not name.startswith(STEP_FIXTURE):
                continue
            unique, index = name, 0
            while unique in found and found[unique] is not value:
                index += 1
                unique = f"{name}__{module.__name__.rsplit('.', 1)[1]}_{index}"
            found[unique] = value
    return found
