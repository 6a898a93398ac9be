"""WHERE and HAVING conditions compiled to parameterised SQL.

SOQL's null semantics differ from SQL's: `Name != 'x'` and `Name NOT IN (...)` keep rows where
Name is null, and `NOT` never turns an unknown into a match. Every compiled predicate is
therefore two-valued.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from mock_salesforce.soql.errors import MalformedQuery
from mock_salesforce.soql.expressions import (
    DATE_KINDS,
    NUMERIC_KINDS,
    Expr,
    operand_expr,
    usable_for,
)
from mock_salesforce.soql.nodes import (
    Aggregate,
    And,
    Comparison,
    ComparisonOperator,
    Condition,
    Includes,
    InList,
    Like,
    LikePattern,
    Not,
    NullValue,
    Operand,
    Or,
    Query,
    RelativeDate,
    SemiJoin,
    Wildcard,
)
from mock_salesforce.soql.scope import Scope
from mock_salesforce.soql.values import date_bounds, sql_value

Sql = tuple[str, list[Any]]
SemiJoinCompiler = Callable[[Query, Scope], Sql]

_SQL_OPERATORS = {
    ComparisonOperator.EQ: "=",
    ComparisonOperator.NE: "IS NOT",
    ComparisonOperator.LT: "<",
    ComparisonOperator.LE: "<=",
    ComparisonOperator.GT: ">",
    ComparisonOperator.GE: ">=",
}


class ConditionCompiler:
    """Compiles one condition tree against one scope; semi-joins go to `semi_join`."""

    def __init__(self, scope: Scope, semi_join: SemiJoinCompiler, clause: str = "WHERE") -> None:
        self.scope = scope
        self.semi_join = semi_join
        self.clause = clause

    def compile(self, condition: Condition) -> Sql:
        if isinstance(condition, And | Or):
            parts = [self.compile(child) for child in condition.conditions]
            joiner = " AND " if isinstance(condition, And) else " OR "
            return "(" + joiner.join(sql for sql, _ in parts) + ")", _flatten(parts)
        if isinstance(condition, Not):
            sql, params = self.compile(condition.condition)
            return f"NOT IFNULL({sql}, 0)", params
        return self._predicate(condition)

    def _operand(self, operand: Operand) -> Expr:
        return usable_for(operand_expr(operand, self.scope), "filtered")

    def _predicate(self, condition: Condition) -> Sql:
        if self.clause != "HAVING" and isinstance(getattr(condition, "left", None), Aggregate):
            raise MalformedQuery(f"Aggregate functions cannot be used in a {self.clause} clause")
        if isinstance(condition, Comparison):
            return self._comparison(condition)
        if isinstance(condition, Like):
            return self._like(condition)
        if isinstance(condition, InList):
            return self._in_list(condition)
        if isinstance(condition, SemiJoin):
            return self._semi_join(condition)
        if isinstance(condition, Includes):
            return self._includes(condition)
        raise MalformedQuery(f"unsupported condition {type(condition).__name__}")

    def _comparison(self, comparison: Comparison) -> Sql:
        left = self._operand(comparison.left)
        operator, right = comparison.operator, comparison.right
        if isinstance(right, NullValue):
            if operator is ComparisonOperator.EQ:
                return f"{left.sql} IS NULL", []
            if operator is ComparisonOperator.NE:
                return f"{left.sql} IS NOT NULL", []
            return "0", []
        if isinstance(right, RelativeDate):
            return date_bounds(left, operator, right, self.scope.ctx)
        value = sql_value(left, right)
        return f"{left.sql} {_SQL_OPERATORS[operator]} ?{_collate(left)}", [value]

    def _like(self, like: Like) -> Sql:
        left = self._operand(like.left)
        if left.kind in NUMERIC_KINDS | DATE_KINDS | {"boolean"}:
            raise MalformedQuery(f"invalid operator on field {left.name}: LIKE")
        return f"{left.sql} LIKE ? ESCAPE '\\'", [like_sql_pattern(like.pattern)]

    def _in_list(self, in_list: InList) -> Sql:
        left = self._operand(in_list.left)
        values = [sql_value(left, v) for v in in_list.values if not isinstance(v, NullValue)]
        with_null = len(values) < len(in_list.values)
        marks = ", ".join("?" for _ in values)
        member = f"{left.sql}{_collate(left)} IN ({marks})" if values else "0"
        if with_null:
            member = f"({member} OR {left.sql} IS NULL)"
        if not in_list.negated:
            return member, values
        return f"NOT IFNULL({member}, 0)", values

    def _semi_join(self, semi_join: SemiJoin) -> Sql:
        left = self._operand(semi_join.left)
        if left.kind not in ("id", "reference"):
            raise MalformedQuery(
                f"Semi join and anti-join conditions must be on an id or reference field: "
                f"{left.name}"
            )
        sql, params = self.semi_join(semi_join.query, self.scope)
        if semi_join.negated:
            return f"({left.sql} IS NULL OR {left.sql} NOT IN ({sql}))", params
        return f"{left.sql} IN ({sql})", params

    def _includes(self, includes: Includes) -> Sql:
        left = self._operand(includes.left)
        if left.kind != "multipicklist":
            keyword = "EXCLUDES" if includes.excludes else "INCLUDES"
            raise MalformedQuery(f"invalid operator on field {left.name}: {keyword}")
        alternatives: list[str] = []
        params: list[Any] = []
        for value in includes.values:
            terms = [term.strip() for term in value.split(";") if term.strip()]
            checks = [f"(';' || {left.sql} || ';') LIKE ? ESCAPE '\\'" for _ in terms]
            alternatives.append("(" + " AND ".join(checks or ["0"]) + ")")
            params.extend(f"%;{_escape_like(term)};%" for term in terms)
        found = "(" + " OR ".join(alternatives) + ")"
        if includes.excludes:
            return f"({left.sql} IS NULL OR NOT IFNULL({found}, 0))", params
        return f"IFNULL({found}, 0)", params


def like_sql_pattern(pattern: LikePattern) -> str:
    """SQLite LIKE text (escape `\\`) for a parsed SOQL pattern; both ignore ASCII case."""
    out: list[str] = []
    for part in pattern.parts:
        if isinstance(part, Wildcard):
            out.append(part.value)
        else:
            out.append(_escape_like(part))
    return "".join(out)


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _collate(left: Expr) -> str:
    return " COLLATE NOCASE" if left.nocase else ""


def _flatten(parts: list[Sql]) -> list[Any]:
    return [param for _, params in parts for param in params]
