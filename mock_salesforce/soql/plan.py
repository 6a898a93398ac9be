"""Compiled queries: the SQL to run and the shape of what it returns."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from mock_salesforce.schema import ObjectDef
from mock_salesforce.soql.outputs import Out, ValueOut


def _where(filters: tuple[str, ...], extra: str | None = None) -> str:
    clauses = [*filters, extra] if extra else list(filters)
    return f" WHERE {' AND '.join(clauses)}" if clauses else ""


def _limit(limit: int | None, offset: int | None) -> str:
    if limit is None and not offset:
        return ""
    sql = f" LIMIT {limit if limit is not None else -1}"
    return sql + (f" OFFSET {offset}" if offset else "")


@dataclass(frozen=True)
class SelectPlan:
    """A record query (top level or child relationship): column 0 is the record's Id.

    Child plans also carry `parent_key_sql`, the foreign key to their parent (column 1).
    """

    obj: ObjectDef
    alias: str
    columns: tuple[str, ...]
    from_sql: str
    from_params: tuple[Any, ...]
    filters: tuple[str, ...]
    filter_params: tuple[Any, ...]
    order_sql: str
    limit: int | None
    offset: int | None
    outputs: tuple[Out, ...]
    relationship: str | None = None
    parent_key_sql: str | None = None

    def _head(self) -> str:
        return f"SELECT {', '.join(self.columns)} FROM {self.from_sql}"

    def sql(self) -> tuple[str, list[Any]]:
        """The whole query, ordered, with LIMIT and OFFSET."""
        sql = self._head() + _where(self.filters) + self.order_sql
        return sql + _limit(self.limit, self.offset), [*self.from_params, *self.filter_params]

    def by_ids_sql(self, count: int) -> tuple[str, list[Any]]:
        """Rows by Id (one page of an open cursor); the caller restores the cursor's order."""
        marks = ", ".join("?" for _ in range(count))
        return self._head() + f' WHERE {self.alias}."Id" IN ({marks})', list(self.from_params)

    def children_sql(self, parent_count: int) -> tuple[str, list[Any]]:
        """Child rows of `parent_count` parents, ordered; LIMIT/OFFSET apply per parent later."""
        marks = ", ".join("?" for _ in range(parent_count))
        member = f"{self.parent_key_sql} IN ({marks})"
        sql = self._head() + _where(self.filters, member) + self.order_sql
        return sql, [*self.from_params, *self.filter_params]


@dataclass(frozen=True)
class AggregatePlan:
    """A query answered with AggregateResult rows (aggregates and/or GROUP BY)."""

    columns: tuple[str, ...]
    from_sql: str
    from_params: tuple[Any, ...]
    filters: tuple[str, ...]
    filter_params: tuple[Any, ...]
    group_sql: str
    having_sql: str
    having_params: tuple[Any, ...]
    order_sql: str
    limit: int | None
    offset: int | None
    outputs: tuple[ValueOut, ...]

    def sql(self) -> tuple[str, list[Any]]:
        sql = f"SELECT {', '.join(self.columns)} FROM {self.from_sql}" + _where(self.filters)
        sql += self.group_sql + self.having_sql + self.order_sql
        params = [*self.from_params, *self.filter_params, *self.having_params]
        return sql + _limit(self.limit, self.offset), params


@dataclass(frozen=True)
class CountPlan:
    """`SELECT COUNT() FROM ...`: only the number of rows, answered as totalSize."""

    from_sql: str
    from_params: tuple[Any, ...]
    filters: tuple[str, ...]
    filter_params: tuple[Any, ...]
    limit: int | None
    offset: int | None
    group_sql: str = ""

    def sql(self) -> tuple[str, list[Any]]:
        inner = f"SELECT 1 FROM {self.from_sql}" + _where(self.filters) + self.group_sql
        inner += _limit(self.limit, self.offset)
        return f"SELECT COUNT(*) FROM ({inner})", [*self.from_params, *self.filter_params]


Plan = SelectPlan | AggregatePlan | CountPlan
