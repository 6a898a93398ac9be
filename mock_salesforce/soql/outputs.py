"""The shape of result records: which SQL column feeds which key, nested as Salesforce nests.

Parents become nested objects keyed by relationship name (`"Owner": {...}`), in the order
their first field was selected; field keys use the field's API-name case (REST API Developer Guide,
"Query").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Union

from mock_salesforce.schema import FieldDef, ObjectDef
from mock_salesforce.soql.errors import MalformedQuery
from mock_salesforce.soql.scope import Column, ParentLink

if TYPE_CHECKING:
    from mock_salesforce.soql.plan import SelectPlan


@dataclass(frozen=True)
class ValueOut:
    """A value read from column `index`, converted from storage by its Salesforce `kind`."""

    key: str
    index: int
    kind: str
    field: FieldDef | None = None


@dataclass(frozen=True)
class ParentOut:
    """A parent object; null when the id at `id_index` is null (empty or invisible lookup)."""

    key: str
    id_index: int
    objects: tuple[ObjectDef, ...]
    items: tuple[Out, ...]


@dataclass(frozen=True)
class TypeOfOut:
    """`TYPEOF What WHEN Account THEN ... ELSE ... END`: fields chosen by the parent's type."""

    key: str
    id_index: int
    objects: tuple[ObjectDef, ...]
    branches: tuple[tuple[str, tuple[Out, ...]], ...]
    default: tuple[Out, ...]


@dataclass(frozen=True)
class ChildOut:
    """A child relationship subquery, fetched per page by a second query."""

    key: str
    plan: SelectPlan


Out = Union[ValueOut, ParentOut, TypeOfOut, ChildOut]  # noqa: UP007 (forward references)


@dataclass
class _Node:
    key: str = ""
    id_index: int = -1
    objects: tuple[ObjectDef, ...] = ()
    items: dict[str, ValueOut | ChildOut | TypeOfOut | _Node] = field(default_factory=dict)

    def freeze(self) -> tuple[Out, ...]:
        return tuple(
            ParentOut(item.key, item.id_index, item.objects, item.freeze())
            if isinstance(item, _Node)
            else item
            for item in self.items.values()
        )


class OutputBuilder:
    """Collects the SELECT columns and the record shape they fill."""

    def __init__(self) -> None:
        self.columns: list[str] = []
        self._root = _Node()

    def column(self, sql: str) -> int:
        """The index of `sql` in the SELECT list (added once)."""
        if sql not in self.columns:
            self.columns.append(sql)
        return self.columns.index(sql)

    def add_field(self, column: Column, from_macro: bool = False) -> None:
        node = self._parent_node(column.links)
        key = column.name
        if key.lower() in node.items:
            if from_macro:
                return
            dotted = ".".join([*(link.name for link in column.links), key])
            raise MalformedQuery(f"duplicate field selected: {dotted}")
        index = self.column(column.sql)
        node.items[key.lower()] = ValueOut(key, index, column.field.type, column.field)

    def add_value(self, key: str, sql: str, kind: str, fdef: FieldDef | None = None) -> None:
        if key.lower() in self._root.items:
            raise MalformedQuery(f"duplicate alias: {key}")
        self._root.items[key.lower()] = ValueOut(key, self.column(sql), kind, fdef)

    def add_child(self, key: str, plan: SelectPlan) -> None:
        self._root.items[key.lower()] = ChildOut(key, plan)

    def add_typeof(self, link: ParentLink, out: TypeOfOut) -> None:
        self._root.items[link.name.lower()] = out

    def outputs(self) -> tuple[Out, ...]:
        return self._root.freeze()

    def _parent_node(self, links: tuple[ParentLink, ...]) -> _Node:
        node = self._root
        for link in links:
            child = node.items.get(link.name.lower())
            if not isinstance(child, _Node):
                child = _Node(link.name, self.column(link.id_sql), link.objects)
                node.items[link.name.lower()] = child
            node = child
        return node
