"""Registers the Gherkin tags (rule ids and areas) as markers, so --strict-markers holds."""

from __future__ import annotations

import pytest

from tests.bdd.rules import AREA_TAGS, rules


def pytest_configure(config: pytest.Config) -> None:
    for rule_id, text in rules().items():
        config.addinivalue_line("markers", f"{rule_id}: {text[:60]}")
    for tag, meaning in AREA_TAGS.items():
        config.addinivalue_line("markers", f"{tag}: {meaning}")
