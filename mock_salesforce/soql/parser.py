"""SOQL text -> typed `Query`, with Salesforce's MALFORMED_QUERY messages on failure."""

from __future__ import annotations

from lark import Lark, Token
from lark.exceptions import UnexpectedCharacters, UnexpectedInput, UnexpectedToken

from mock_salesforce.soql.complexity import check_length, check_query
from mock_salesforce.soql.errors import MalformedQuery, positioned_message
from mock_salesforce.soql.grammar import GRAMMAR
from mock_salesforce.soql.nodes import Query
from mock_salesforce.soql.transform import SoqlTransformer, TokenError, is_reserved

# Built once: a compiled LALR table with a stateless transformer applied during the parse,
# so no parse tree is materialised. Nothing about a query is kept between calls.
_PARSER = Lark(
    GRAMMAR,
    parser="lalr",
    lexer="contextual",
    transformer=SoqlTransformer(),
    maybe_placeholders=True,
    propagate_positions=False,
)


def parse(soql: str) -> Query:
    """Parse one SOQL statement; raise MalformedQuery (with row and column) when it is not valid."""
    if not soql.strip():
        raise MalformedQuery("SOQL statements cannot be empty or null")
    check_length(soql)
    try:
        query = _PARSER.parse(soql)
    except TokenError as error:
        raise _at(soql, error.token.line, error.token.column, error.reason) from None
    except UnexpectedInput as error:
        raise _syntax_error(soql, error) from None
    # The embedded transformer's `start` callback always returns a Query.
    assert isinstance(query, Query), f"parser returned {type(query).__name__}"
    check_query(query)
    return query


def _syntax_error(soql: str, error: UnexpectedInput) -> MalformedQuery:
    if isinstance(error, UnexpectedToken):
        reserved = _reserved_word_read_as_name(error)
        if reserved is not None:
            return _at(soql, reserved.line, reserved.column, _unexpected(reserved))
        if error.token.type == "$END":
            return _at_end(soql)
        return _at(soql, error.token.line, error.token.column, _unexpected(error.token))
    if isinstance(error, UnexpectedCharacters):
        reason = f"unexpected token: '{error.char}'"
        if error.char == "'":
            reason = "unterminated quoted string"
        return _at(soql, error.line, error.column, reason)
    return _at_end(soql)


def _reserved_word_read_as_name(error: UnexpectedToken) -> Token | None:
    """The reserved keyword just read as a name (`ORDER BY Name, LIMIT 5`), if that is the cause.

    Salesforce points at the keyword; the contextual lexer accepted it as a name and fails one
    token later.
    """
    state = getattr(error.interactive_parser, "parser_state", None)
    stack = getattr(state, "value_stack", None) or [None]
    last = stack[-1]
    if isinstance(last, Token) and last.type == "NAME" and is_reserved(str(last)):
        return last
    return None


def _unexpected(token: Token) -> str:
    return f"unexpected token: '{token}'"


def _at_end(soql: str) -> MalformedQuery:
    stripped = soql.rstrip()
    lines = stripped.split("\n")
    return _at(soql, len(lines), len(lines[-1]) + 1, "unexpected token: '<EOF>'")


def _at(soql: str, row: int | None, column: int | None, reason: str) -> MalformedQuery:
    row = row or 1
    column = column or 1
    return MalformedQuery(positioned_message(soql, row, column, reason), row, column)
