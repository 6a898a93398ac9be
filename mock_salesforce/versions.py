"""The REST API versions the mock serves: 31.0 (Summer '14) to 66.0 (Spring '26)."""

from __future__ import annotations

MIN_VERSION, MAX_VERSION = 31, 66


def served(major: int) -> bool:
    return MIN_VERSION <= major <= MAX_VERSION
