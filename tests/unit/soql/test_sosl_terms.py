"""SOSL parsing and the token matching model, without a server."""

from __future__ import annotations

import pytest

from mock_salesforce.errors import InvalidSearch, MalformedSearch
from mock_salesforce.sosl import parse_sosl
from mock_salesforce.sosl.terms import matches, parse_term


def found(term: str, *fields: str) -> bool:
    return matches(parse_term(term), list(fields))


@pytest.mark.parametrize(
    ("term", "fields", "expected"),
    [
        ("acme", ["Acme Inc"], True),
        ("ACME", ["acme"], True),
        ("acme", ["Acmeson"], False),
        ("acm*", ["Acmeson"], True),
        ("ac?e", ["ACME"], True),
        ("ac?e", ["acme corp"], True),
        ('"jane smith"', ["Jane Smith"], True),
        ('"jane smith"', ["Smith Jane"], False),
        ("jane smith", ["Smith", "Jane"], True),
        ("jane@acme.example", ["jane@acme.example"], True),
        ("jane@acme.example", ["acme jane"], False),
        ("jane OR bob", ["Bob"], True),
        ("acme AND NOT buyer", ["acme buyer"], False),
        ("(jane OR bob) AND acme", ["bob", "acme"], True),
        ("acme\\-corp", ["ACME-CORP"], True),
    ],
)
def test_term_matches_tokens_case_insensitively(
    term: str, fields: list[str], expected: bool
) -> None:
    assert found(term, *fields) is expected, (term, fields)


@pytest.mark.parametrize("sosl", ["FIND {acme|corp}", "FIND {acme} IN ALL TYPE", "FIND {*acme}"])
def test_malformed_search_is_positioned(sosl: str) -> None:
    with pytest.raises(MalformedSearch, match="ERROR at Row:1:Column:"):
        parse_sosl(sosl)


@pytest.mark.parametrize("sosl", ["FIND {a}", "FIND {a*}", "FIND {}"])
def test_too_short_term_is_invalid_search(sosl: str) -> None:
    with pytest.raises(InvalidSearch, match="longer than one character"):
        parse_sosl(sosl)


def test_returning_clauses_are_split_at_top_level_keywords() -> None:
    request = parse_sosl(
        "FIND {acme} IN NAME FIELDS RETURNING Account(Id, Name WHERE Name != 'x ORDER BY y' "
        "ORDER BY Name DESC LIMIT 5 OFFSET 2), Contact LIMIT 30"
    )
    account, contact = request.objects
    assert (account.fields, account.where) == ("Id, Name", "Name != 'x ORDER BY y'"), account
    assert (account.order_by, account.limit, account.offset) == ("Name DESC", 5, 2), account
    assert contact.name == "Contact" and contact.fields is None, contact
    assert (request.scope, request.limit) == ("NAME", 30), request
