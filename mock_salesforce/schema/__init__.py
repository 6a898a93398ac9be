"""sObject metadata as data."""

from __future__ import annotations

from functools import cache

from .model import ChildRelationship, FieldDef, ObjectDef, Schema
from .standard import DATA_OBJECTS, SETUP_OBJECTS, STANDARD_OBJECTS, USER_PERMISSIONS

__all__ = [
    "DATA_OBJECTS",
    "SETUP_OBJECTS",
    "STANDARD_OBJECTS",
    "USER_PERMISSIONS",
    "ChildRelationship",
    "FieldDef",
    "ObjectDef",
    "Schema",
    "standard_schema",
]


@cache
def standard_schema() -> Schema:
    """A schema with the standard objects and no custom fields (immutable, so built once)."""
    return Schema(STANDARD_OBJECTS)
