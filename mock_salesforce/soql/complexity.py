"""Limits on a query's size and shape, checked before it is planned: Salesforce refuses
over-long statements, semi-joins nested in semi-joins, and filters too complicated to run,
each with MALFORMED_QUERY. The walk is iterative, so no query can exhaust the stack."""

from __future__ import annotations

from mock_salesforce.soql.errors import MalformedQuery
from mock_salesforce.soql.nodes import And, Condition, Not, Or, Query, SemiJoin

MAX_LENGTH = 100_000  # characters in one SOQL statement (Salesforce's documented limit)
MAX_CONDITIONS = 500  # comparisons in one WHERE or HAVING clause (the mock's choice)
MAX_DEPTH = 20  # AND / OR / NOT groups nested in one another (the mock's choice)
TOO_COMPLICATED = (
    "Query is either selecting too many fields or the filter conditions are too complicated."
)
NESTED_SEMI_JOIN = "Nesting of semi join sub-selects is not supported"


def check_length(soql: str) -> None:
    if len(soql) > MAX_LENGTH:
        raise MalformedQuery(
            f"SOQL statements cannot be longer than {MAX_LENGTH:,} characters: "
            f"this one has {len(soql):,}"
        )


def check_query(query: Query) -> None:
    """Refuse a query whose filters are too deep, too many, or nest semi-joins."""
    for clause in (query.where, query.having):
        if clause is not None:
            _check_condition(clause, in_semi_join=False)


def _check_condition(root: Condition, in_semi_join: bool) -> None:
    stack: list[tuple[Condition, int]] = [(root, 0)]
    leaves = 0
    while stack:
        condition, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise MalformedQuery(TOO_COMPLICATED)
        if isinstance(condition, (And, Or)):
            stack.extend((child, depth + 1) for child in condition.conditions)
            continue
        if isinstance(condition, Not):
            stack.append((condition.condition, depth + 1))
            continue
        leaves += 1
        if leaves > MAX_CONDITIONS:
            raise MalformedQuery(TOO_COMPLICATED)
        if isinstance(condition, SemiJoin):
            if in_semi_join:
                raise MalformedQuery(NESTED_SEMI_JOIN)
            if condition.query.where is not None:
                _check_condition(condition.query.where, in_semi_join=True)
