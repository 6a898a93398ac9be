"""Parsed statements shared by shape (``soql/shapes.py``): the same statement, or the same
refusal, as parsing the text sent, for every SOQL text the suite's SOQL tests use; and a
statement that differs only in a plain literal is not parsed again."""

from __future__ import annotations

import ast
from pathlib import Path
from uuid import uuid4

import pytest

from mock_salesforce.soql import shapes
from mock_salesforce.soql.errors import MalformedQuery
from mock_salesforce.soql.parser import parse

HERE = Path(__file__).parent
EXTRA = [
    "SELECT Id FROM Contact WHERE Email = 'a.b-c@example.com' AND LastName IN ('Kim', 'Lee')",
    "SELECT Id FROM Contact WHERE LastName LIKE 'Kim' OR LastName LIKE 'K%' OR Title = 'x_y'",
    "SELECT Id FROM Contact WHERE AccountId IN (SELECT Id FROM Account WHERE Name = 'Acme')",
    "SELECT Id FROM Account WHERE Tags__c INCLUDES ('a;b', 'c') AND Name != 'QzShapeLiteral0x'",
    "SELECT Id FROM Contact WHERE Name = 'it\\'s' AND Name = 'plain'",
    "SELECT Id FROM Contact WHERE Name = 'unterminated",
    "SELECT Id FROM Contact WHERE Name = 'one' AND",
    "SELECT Name, COUNT(Id) FROM Account GROUP BY Name HAVING Name = 'Acme' LIMIT 5",
    "SELECT Id, (SELECT Id FROM Contacts WHERE Email = 'x@y.z') FROM Account WHERE Id = '001'",
]


def _texts() -> list[str]:
    """Every string constant of this folder's tests that reads as a SOQL statement."""
    found: set[str] = set(EXTRA)
    for path in sorted(HERE.glob("test_*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                text = node.value
                if text.lstrip().upper().startswith("SELECT") and "'" in text:
                    found.add(text)
    return sorted(found)


def _outcome(parser: object, soql: str) -> object:
    try:
        return parser(soql)  # type: ignore[operator]
    except MalformedQuery as refusal:
        return ("refused", str(refusal))


def test_the_corpus_has_statements_with_literals_in_every_clause() -> None:
    texts = _texts()
    assert len(texts) >= 60, f"only {len(texts)} SOQL texts with literals found"


@pytest.mark.parametrize("soql", _texts())
def test_a_statement_parsed_by_shape_is_the_statement_parsed_as_sent(soql: str) -> None:
    expected = _outcome(parse, soql)
    got = _outcome(shapes.parse_shared, soql)
    assert got == expected, f"{soql!r}:\nby shape {got!r}\nas sent  {expected!r}"


def test_a_statement_differing_only_in_a_plain_literal_is_not_parsed_again() -> None:
    # Values no other test uses, so neither text was parsed before this test.
    first_value, second_value = f"{uuid4().hex}@shape.test", f"{uuid4().hex}@shape.test"
    template = "SELECT Id FROM Contact WHERE Email = '{}'"
    first = shapes.parse_shared(template.format(first_value))
    before = shapes._parse.cache_info()
    second = shapes.parse_shared(template.format(second_value))
    after = shapes._parse.cache_info()
    assert after.misses == before.misses, f"parsed again: {before} -> {after}"
    assert first.where != second.where, "each statement keeps its own value"
    assert second_value in repr(second.where), repr(second.where)
    assert second == parse(template.format(second_value)), repr(second)
