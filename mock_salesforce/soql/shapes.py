"""Parsed SOQL kept per process by its shape: the text with its plain string literals set aside.

Clients query the same statement again and again with another id or email in it (``... WHERE
Id = '003...'``), and Lark's parse is most of what such a query costs before SQLite sees it
(0.1 to 0.25 ms). So a plain literal (letters, digits, ``@ . -``: ids, emails, names; nothing
a LIKE pattern or an escape could read differently) is replaced by a numbered marker, the
marked text is parsed once and kept, and each query's own values are put back into a copy of
the parsed statement. A marked text that does not parse is parsed again as written, so a
refusal's wording and position are always those of the query sent.
"""

from __future__ import annotations

import dataclasses
import re
from functools import lru_cache
from typing import Any

from mock_salesforce.soql.complexity import check_length
from mock_salesforce.soql.errors import MalformedQuery
from mock_salesforce.soql.nodes import Query
from mock_salesforce.soql.parser import parse

# A string literal whose decoded value is its text, and that no LIKE reads as a wildcard.
_PLAIN_LITERAL = re.compile(r"[A-Za-z0-9@.\-]{1,80}")
_MARKER = "QzShapeLiteral"


@lru_cache(maxsize=1024)
def parse_shared(soql: str) -> Query:
    """``parse(soql)``, answered from the statements this process parsed before when it can:
    the same text (kept as is, no copy made), else the same shape."""
    # Without a backslash every quote opens or closes a literal, so splitting on quotes finds
    # the literals exactly (odd pieces); with one, or an unterminated literal, the text is
    # parsed as it is.
    pieces = soql.split("'")
    if len(pieces) < 3 or len(pieces) % 2 == 0 or "\\" in soql or _MARKER in soql:
        return _parse(soql)
    check_length(soql)  # of the text sent, not of the shorter marked one
    values: dict[str, str] = {}
    for index in range(1, len(pieces), 2):
        if _PLAIN_LITERAL.fullmatch(pieces[index]):
            marker = f"{_MARKER}{len(values)}x"
            values[marker] = pieces[index]
            pieces[index] = marker
    if not values:
        return _parse(soql)
    try:
        parsed = _parse("'".join(pieces))
    except MalformedQuery:
        return _parse(soql)
    filled: Query = _fill(parsed, values)
    return filled


@lru_cache(maxsize=1024)
def _parse(soql: str) -> Query:
    """``parse``, kept per process: a parse depends on the text alone and its nodes are
    immutable, so every org shares the most recent statements."""
    return parse(soql)


def _fill(node: Any, values: dict[str, str]) -> Any:
    """A copy of ``node`` with every marker string replaced by its value (nodes unchanged
    by it are shared, not copied)."""
    if isinstance(node, str):
        return values.get(node, node)
    if isinstance(node, tuple):
        items = tuple(_fill(item, values) for item in node)
        changed = any(new is not old for new, old in zip(items, node, strict=True))
        return items if changed else node
    if dataclasses.is_dataclass(node) and not isinstance(node, type):
        changes = {}
        for field in dataclasses.fields(node):
            old = getattr(node, field.name)
            new = _fill(old, values)
            if new is not old:
                changes[field.name] = new
        return dataclasses.replace(node, **changes) if changes else node
    return node
