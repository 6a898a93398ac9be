"""Binds the ownership features to the step library."""

from __future__ import annotations

from pytest_bdd import scenarios

scenarios("../../features/ownership")
