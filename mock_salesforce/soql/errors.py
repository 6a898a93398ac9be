"""The messages Salesforce words for SOQL errors; the classes are `mock_salesforce.errors`'.

The app's one error handler renders them as `[{"message": ..., "errorCode": ...}]` with HTTP
400 (REST API Developer Guide, "Status Codes and Error Responses"; docs/soql.md, "Errors").
"""

from __future__ import annotations

from mock_salesforce.errors import (
    InvalidField,
    InvalidQueryFilterOperator,
    InvalidQueryLocator,
    InvalidType,
    MalformedQuery,
    NumberOutsideValidRange,
    SalesforceError,
)

# The engine raises the one class per errorCode that `mock_salesforce.errors` defines; this
# module keeps only the messages Salesforce words for SOQL. SOQL's error answers carry no
# `fields` list, hence `fields=None` below.
SoqlError = SalesforceError

__all__ = [
    "InvalidField",
    "InvalidQueryFilterOperator",
    "InvalidQueryLocator",
    "InvalidType",
    "MalformedQuery",
    "NumberOutsideValidRange",
    "SoqlError",
    "no_such_column",
    "positioned_message",
    "unknown_child_relationship",
    "unknown_relationship",
    "unsupported_object",
]


def positioned_message(query: str, row: int, column: int, reason: str) -> str:
    """Salesforce's syntax-error text: the line, a caret, `ERROR at Row:r:Column:c`, reason."""
    lines = query.split("\n") or [""]
    line = lines[row - 1] if 0 < row <= len(lines) else lines[-1]
    caret = " " * (column - 1) + "^"
    return f"\n{line}\n{caret}\nERROR at Row:{row}:Column:{column}\n{reason}"


def no_such_column(name: str, entity: str) -> SalesforceError:
    return InvalidField(
        f"No such column '{name}' on entity '{entity}'. If you are attempting to use a custom "
        "field, be sure to append the '__c' after the custom field name. Please reference your "
        "WSDL or the describe call for the appropriate names.",
        fields=None,
    )


def unknown_relationship(name: str) -> SalesforceError:
    return InvalidField(
        f"Didn't understand relationship '{name}' in field path. If you are attempting to use a "
        "custom relationship, be sure to append the '__r' after the custom relationship name. "
        "Please reference your WSDL or the describe call for the appropriate names.",
        fields=None,
    )


def unsupported_object(name: str) -> SalesforceError:
    return InvalidType(
        f"sObject type '{name}' is not supported. If you are attempting to use a custom object, "
        "be sure to append the '__c' after the entity name. Please reference your WSDL or the "
        "describe call for the appropriate names.",
        fields=None,
    )


def unknown_child_relationship(name: str) -> SalesforceError:
    return InvalidType(
        f"Didn't understand relationship '{name}' in FROM part of query call. If you are "
        "attempting to use a custom relationship, be sure to append the '__r' after the custom "
        "relationship name. Please reference your WSDL or the describe call for the appropriate "
        "names.",
        fields=None,
    )
