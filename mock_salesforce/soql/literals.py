"""Decoding of SOQL literal tokens: strings, LIKE patterns, numbers, dates and date-times.

Each function raises `LiteralError` with a reason; the parser adds the token's position.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal

from mock_salesforce.schema.values import parse_datetime
from mock_salesforce.soql.nodes import LikePattern, Wildcard

# Salesforce's escape sequences in string literals ("Quoted String Escape Sequences",
# SOQL and SOSL Reference); `\%` and `\_` only mean something inside LIKE.
_ESCAPES = {
    "n": "\n",
    "r": "\r",
    "t": "\t",
    "b": "\b",
    "f": "\f",
    '"': '"',
    "'": "'",
    "\\": "\\",
}
_LIKE_ESCAPES = frozenset("%_")

_ZONE = re.compile(r"(?:[Zz]|[+-](\d{2}):?(\d{2}))$")


class LiteralError(ValueError):
    """A literal that is well-formed as a token but not as a value."""


def _escaped_pieces(raw: str) -> list[tuple[str, bool]]:
    """Split a quoted token into (character, was_escaped) pairs, validating escapes."""
    body = raw[1:-1]
    pieces: list[tuple[str, bool]] = []
    index = 0
    while index < len(body):
        char = body[index]
        if char != "\\":
            pieces.append((char, False))
            index += 1
            continue
        code = body[index + 1]
        if code.lower() in _ESCAPES:
            pieces.append((_ESCAPES[code.lower()], True))
        elif code in _LIKE_ESCAPES:
            pieces.append((code, True))
        else:
            raise LiteralError(
                f"Invalid string literal {raw}. Illegal character sequence '\\{code}' "
                "in string literal."
            )
        index += 2
    return pieces


def decode_string(raw: str) -> str:
    """The value of a quoted string outside LIKE (`\\%` and `\\_` stay as written)."""
    return "".join(
        "\\" + char if escaped and char in _LIKE_ESCAPES else char
        for char, escaped in _escaped_pieces(raw)
    )


def decode_like_pattern(raw: str) -> LikePattern:
    """A LIKE pattern: `%` and `_` are wildcards unless escaped with a backslash."""
    parts: list[str | Wildcard] = []
    text: list[str] = []
    for char, escaped in _escaped_pieces(raw):
        if not escaped and char in ("%", "_"):
            if text:
                parts.append("".join(text))
                text = []
            parts.append(Wildcard(char))
        else:
            text.append(char)
    if text:
        parts.append("".join(text))
    return LikePattern(tuple(parts))


def decode_number(raw: str) -> int | Decimal:
    """Integers stay `int`; a literal with a decimal point is a Decimal."""
    if "." in raw:
        return Decimal(raw)
    number = int(raw)
    # SQLite integers are 64-bit; a wider literal compares as a (real) number instead.
    return Decimal(raw) if abs(number) > 2**63 - 1 else number


def decode_date(raw: str) -> date:
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise LiteralError(f"Invalid date: {raw}") from None


def decode_datetime(raw: str) -> datetime:
    """`2024-01-31T10:00:00Z`, `...+01:00`, `....000+0000`; always returned in UTC."""
    zone = _ZONE.search(raw)
    if zone is None:
        # Salesforce requires an explicit zone on dateTime literals.
        raise LiteralError(f"Invalid dateTime: {raw} (a time zone such as Z or +01:00 is required)")
    hours, minutes = zone.groups()
    if hours is not None and (int(hours) > 23 or int(minutes) > 59):
        raise LiteralError(f"Invalid dateTime: {raw}")
    try:
        return parse_datetime(raw.upper())
    except ValueError:
        raise LiteralError(f"Invalid dateTime: {raw}") from None
