"""Collects every feature file under features/, whatever its folder: no binder per area.

A feature file pytest-bdd cannot read becomes one failing test that names the file and the
reason; the other features still run. ``BDD_FEATURES`` points the collector at another folder
(the suite's own tests use it to run scratch features).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from pytest_bdd import scenarios

TAG_HELP = "a tag is a rule id of docs/rules.md, an area folder under features/, or @wip"
FEATURES = Path(os.environ.get("BDD_FEATURES") or Path(__file__).resolve().parents[2] / "features")


def unreadable(feature: Path, error: BaseException) -> Callable[[], None]:
    """A test that fails with the reason a feature file could not be read."""

    unknown = re.match(r"'(.+)' not found in `markers`", str(error))
    reason = f"unknown tag @{unknown.group(1)} ({TAG_HELP})" if unknown else str(error)

    def test() -> None:
        pytest.fail(f"{feature}: {reason}", pytrace=False)

    return test


for _feature in sorted(FEATURES.rglob("*.feature")):
    try:
        scenarios(str(_feature))
    except (Exception, pytest.fail.Exception) as _error:  # a failing test of that file
        _name = "_".join(_feature.relative_to(FEATURES).with_suffix("").parts)
        globals()[f"test_unreadable_feature_{_name}"] = unreadable(_feature, _error)
