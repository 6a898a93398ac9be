"""Decoding of literal tokens: Salesforce's string escapes, LIKE wildcards and date-times."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from mock_salesforce.soql import literals
from mock_salesforce.soql.nodes import LikePattern, Wildcard


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("'plain'", "plain"),
        ("''", ""),
        ("'O\\'Brien'", "O'Brien"),
        ("'back\\\\slash'", "back\\slash"),
        ("'a\\nb'", "a\nb"),
        ("'a\\Nb'", "a\nb"),
        ("'a\\rb\\Rc'", "a\rb\rc"),
        ("'a\\tb\\Tc'", "a\tb\tc"),
        ("'a\\bb\\fc'", "a\bb\fc"),
        ("'say \\\"hi\\\"'", 'say "hi"'),
        ("'100\\%'", "100\\%"),
        ("'snake\\_case'", "snake\\_case"),
        ("'50% off_now'", "50% off_now"),
        ("'caf\u00e9'", "caf\u00e9"),
    ],
)
def test_decode_string_applies_salesforce_escapes(raw: str, value: str) -> None:
    decoded = literals.decode_string(raw)
    assert decoded == value, f"{raw} decoded to {decoded!r}"


@pytest.mark.parametrize(
    ("raw", "parts"),
    [
        ("'abc'", ("abc",)),
        ("'%'", (Wildcard.ANY,)),
        ("'a%'", ("a", Wildcard.ANY)),
        ("'%a%'", (Wildcard.ANY, "a", Wildcard.ANY)),
        ("'a_c'", ("a", Wildcard.ONE, "c")),
        ("'100\\%'", ("100%",)),
        ("'snake\\_%'", ("snake_", Wildcard.ANY)),
        ("'O\\'B%'", ("O'B", Wildcard.ANY)),
        ("'a\\\\%'", ("a\\", Wildcard.ANY)),
        ("''", ()),
    ],
)
def test_decode_like_pattern_separates_wildcards(raw: str, parts: tuple[object, ...]) -> None:
    decoded = literals.decode_like_pattern(raw)
    assert decoded == LikePattern(parts), f"{raw} decoded to {decoded!r}"  # type: ignore[arg-type]


@pytest.mark.parametrize("raw", ["'\\x'", "'a\\u0041'", "'\\0'"])
def test_decode_string_rejects_unknown_escape(raw: str) -> None:
    with pytest.raises(literals.LiteralError, match="Illegal character sequence"):
        literals.decode_string(raw)


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("2024-01-31T10:00:00Z", datetime(2024, 1, 31, 10, tzinfo=UTC)),
        ("2024-01-31T10:00:00z", datetime(2024, 1, 31, 10, tzinfo=UTC)),
        ("2024-01-31T10:00:00+01:00", datetime(2024, 1, 31, 9, tzinfo=UTC)),
        ("2024-01-31T10:00:00-08:00", datetime(2024, 1, 31, 18, tzinfo=UTC)),
        ("2024-01-31T10:00:00.000+0000", datetime(2024, 1, 31, 10, tzinfo=UTC)),
        ("2024-01-31T10:00:00.5Z", datetime(2024, 1, 31, 10, 0, 0, 500000, tzinfo=UTC)),
        ("2024-01-31T10:00:00.123456789Z", datetime(2024, 1, 31, 10, 0, 0, 123456, tzinfo=UTC)),
        ("2024-01-31T23:30:00-01:00", datetime(2024, 2, 1, 0, 30, tzinfo=UTC)),
    ],
)
def test_decode_datetime_normalises_to_utc(raw: str, value: datetime) -> None:
    decoded = literals.decode_datetime(raw)
    assert decoded == value and decoded.tzinfo == UTC, f"{raw} decoded to {decoded!r}"


@pytest.mark.parametrize(
    "raw",
    [
        "2024-01-31T10:00:00",
        "2024-13-01T00:00:00Z",
        "2024-01-31T10:00:61Z",
        "2024-01-31T10:00:00+99:00",
    ],
)
def test_decode_datetime_rejects_invalid(raw: str) -> None:
    with pytest.raises(literals.LiteralError, match="Invalid dateTime"):
        literals.decode_datetime(raw)


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("0", 0),
        ("42", 42),
        ("-7", -7),
        ("+7", 7),
        ("1.50", Decimal("1.50")),
        (".5", Decimal("0.5")),
    ],
)
def test_decode_number_keeps_integers_exact(raw: str, value: int | Decimal) -> None:
    decoded = literals.decode_number(raw)
    assert decoded == value and type(decoded) is type(value), f"{raw} decoded to {decoded!r}"
