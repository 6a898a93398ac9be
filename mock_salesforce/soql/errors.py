"""Errors raised by the SOQL engine, each carrying Salesforce's errorCode and message.

They are `SalesforceError`s, so the app's one error handler renders them as
`[{"message": ..., "errorCode": ...}]` with HTTP 400 (reference §2.5, §3.2).
"""

from __future__ import annotations

from typing import ClassVar

from mock_salesforce.errors import SalesforceError


class SoqlError(SalesforceError):
    """Base class: `error_code` is Salesforce's errorCode, `message` its exact text."""

    error_code: ClassVar[str] = "MALFORMED_QUERY"
    status: ClassVar[int] = 400
    include_fields: ClassVar[bool] = False

    def __init__(self, message: str) -> None:
        super().__init__(message)


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


class InvalidField(SoqlError):
    """INVALID_FIELD: a field or relationship the caller cannot see (or that does not exist)."""

    error_code: ClassVar[str] = "INVALID_FIELD"


class InvalidType(SoqlError):
    """INVALID_TYPE: an object (or child relationship) the caller cannot see."""

    error_code: ClassVar[str] = "INVALID_TYPE"


class InvalidQueryFilterOperator(SoqlError):
    """INVALID_QUERY_FILTER_OPERATOR: e.g. `invalid ID field: abc`."""

    error_code: ClassVar[str] = "INVALID_QUERY_FILTER_OPERATOR"


class InvalidQueryLocator(SoqlError):
    """INVALID_QUERY_LOCATOR: an unknown, expired or foreign `nextRecordsUrl`."""

    error_code: ClassVar[str] = "INVALID_QUERY_LOCATOR"


class NumberOutsideValidRange(SoqlError):
    """NUMBER_OUTSIDE_VALID_RANGE: e.g. an OFFSET above 2000."""

    error_code: ClassVar[str] = "NUMBER_OUTSIDE_VALID_RANGE"


def positioned_message(query: str, row: int, column: int, reason: str) -> str:
    """Salesforce's syntax-error text: the line, a caret, `ERROR at Row:r:Column:c`, reason."""
    lines = query.split("\n") or [""]
    line = lines[row - 1] if 0 < row <= len(lines) else lines[-1]
    caret = " " * (column - 1) + "^"
    return f"\n{line}\n{caret}\nERROR at Row:{row}:Column:{column}\n{reason}"


def no_such_column(name: str, entity: str) -> InvalidField:
    return InvalidField(
        f"No such column '{name}' on entity '{entity}'. If you are attempting to use a custom "
        "field, be sure to append the '__c' after the custom field name. Please reference your "
        "WSDL or the describe call for the appropriate names."
    )


def unknown_relationship(name: str) -> InvalidField:
    return InvalidField(
        f"Didn't understand relationship '{name}' in field path. If you are attempting to use a "
        "custom relationship, be sure to append the '__r' after the custom relationship name. "
        "Please reference your WSDL or the describe call for the appropriate names."
    )


def unsupported_object(name: str) -> InvalidType:
    return InvalidType(
        f"sObject type '{name}' is not supported. If you are attempting to use a custom object, "
        "be sure to append the '__c' after the entity name. Please reference your WSDL or the "
        "describe call for the appropriate names."
    )


def unknown_child_relationship(name: str) -> InvalidType:
    return InvalidType(
        f"Didn't understand relationship '{name}' in FROM part of query call. If you are "
        "attempting to use a custom relationship, be sure to append the '__r' after the custom "
        "relationship name. Please reference your WSDL or the describe call for the appropriate "
        "names."
    )
