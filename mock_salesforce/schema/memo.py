"""Values worked out once per definition: an ``ObjectDef`` or ``FieldDef`` is immutable, and a
custom field added makes new ones, so what is derived from one never goes stale."""

from __future__ import annotations

from collections.abc import Hashable
from typing import Generic, TypeVar

V = TypeVar("V")


class PerDefinition(Generic[V]):
    """A bounded cache keyed by a definition's identity (cheaper than hashing its fields) and
    a key of the caller's. Each entry holds its definition, so an id is never reused while it
    is a key here; when ``limit`` entries are held, they are all dropped."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._entries: dict[tuple[int, Hashable], tuple[object, V]] = {}

    def get(self, definition: object, key: Hashable = None) -> V | None:
        found = self._entries.get((id(definition), key))
        return found[1] if found is not None and found[0] is definition else None

    def put(self, definition: object, value: V, key: Hashable = None) -> V:
        if len(self._entries) >= self.limit:
            self._entries.clear()
        self._entries[(id(definition), key)] = (definition, value)
        return value
