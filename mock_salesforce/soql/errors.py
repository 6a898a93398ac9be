"""Errors raised by the SOQL engine, each carrying Salesforce's errorCode and message."""

from __future__ import annotations

from typing import ClassVar


class SoqlError(Exception):
    """Base class: `error_code` is Salesforce's errorCode, `message` its exact text."""

    error_code: ClassVar[str] = "MALFORMED_QUERY"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class MalformedQuery(SoqlError):
    """MALFORMED_QUERY: a syntax error or a construct this engine does not support.

    Syntax errors use Salesforce's layout: the offending line, a caret under the column,
    `ERROR at Row:r:Column:c` and the reason (reference §2.5).
    """

    error_code: ClassVar[str] = "MALFORMED_QUERY"

    def __init__(self, message: str, row: int | None = None, column: int | None = None) -> None:
        super().__init__(message)
        self.row = row
        self.column = column


def positioned_message(query: str, row: int, column: int, reason: str) -> str:
    """Salesforce's syntax-error text: the line, a caret, `ERROR at Row:r:Column:c`, reason."""
    lines = query.split("\n") or [""]
    line = lines[row - 1] if 0 < row <= len(lines) else lines[-1]
    caret = " " * (column - 1) + "^"
    return f"\n{line}\n{caret}\nERROR at Row:{row}:Column:{column}\n{reason}"
