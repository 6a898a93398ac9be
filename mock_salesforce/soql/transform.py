"""lark parse-tree callbacks that build the typed query (`nodes`) during the LALR parse.

The transformer holds no state, so one instance can live inside the module-level parser.
Errors that point at a token raise `TokenError`; the parser turns them into MALFORMED_QUERY
with Salesforce's caret layout.
"""

from __future__ import annotations

from typing import Any

from lark import Token, Transformer

from mock_salesforce.soql import literals
from mock_salesforce.soql.calls import Call, CallError, operand_from_call, select_item_from_call
from mock_salesforce.soql.dates import FIXED_DATE_LITERALS, N_DATE_LITERALS
from mock_salesforce.soql.nodes import (
    And,
    BooleanValue,
    ChildQuery,
    Comparison,
    ComparisonOperator,
    Condition,
    DateTimeValue,
    DateValue,
    FieldPath,
    ForClause,
    Includes,
    InList,
    Like,
    Not,
    NullsOrder,
    NullValue,
    NumberValue,
    Operand,
    Or,
    OrderKey,
    Query,
    RelativeDate,
    SelectItem,
    SemiJoin,
    StringValue,
    TypeOf,
    TypeOfWhen,
    UpdateClause,
    Value,
    WithClause,
)
from mock_salesforce.soql.validate import validate_query, validate_semi_join

_OPERATORS = {op.value: op for op in ComparisonOperator} | {"<>": ComparisonOperator.NE}
_SCOPES = frozenset(
    {
        "delegated",
        "everything",
        "mine",
        "mine_and_my_groups",
        "my_territory",
        "my_team_territory",
        "queue_owned",
        "scopingrule",
        "team",
    }
)


# Reserved keywords ("Reserved Keywords", SOQL reference) that the contextual lexer could
# otherwise read as a field name, e.g. `SELECT Id, FROM Account` must fail at FROM.
_RESERVED = frozenset(
    {"AND", "EXCLUDES", "FROM", "HAVING", "IN", "INCLUDES", "LIKE", "LIMIT", "NOT", "NULL"}
    | {"NULLS", "OR", "SELECT", "WHERE", "WITH"}
)


def is_reserved(word: str) -> bool:
    return word.upper() in _RESERVED


class TokenError(ValueError):
    """A problem located at one token of the query text."""

    def __init__(self, token: Token, reason: str) -> None:
        super().__init__(reason)
        self.token = token
        self.reason = reason


def unexpected(token: Token) -> TokenError:
    return TokenError(token, f"unexpected token: '{token}'")


def _operand(item: FieldPath | Call) -> Operand:
    if isinstance(item, Call):
        try:
            return operand_from_call(item)
        except CallError as error:
            raise TokenError(error.token, error.reason) from None
    return item


def _value(token: Token) -> Value:
    """A literal token as a typed value."""
    try:
        return _decode_value(token)
    except literals.LiteralError as error:
        raise TokenError(token, str(error)) from None


def _decode_value(token: Token) -> Value:
    kind = token.type
    if kind == "STRING":
        return StringValue(literals.decode_string(str(token)))
    if kind == "NUMBER":
        return NumberValue(literals.decode_number(str(token)))
    if kind == "DATE":
        return DateValue(literals.decode_date(str(token)))
    if kind == "DATETIME":
        return DateTimeValue(literals.decode_datetime(str(token)))
    if kind == "RELATIVE_DATE_N":
        return _relative_date_n(token)
    if kind == "BIND":
        raise TokenError(token, "Bind variables are only available in Apex; use a literal value")
    return _named_value(token)


def _named_value(token: Token) -> Value:
    word = str(token).upper()
    if word == "NULL":
        return NullValue()
    if word in ("TRUE", "FALSE"):
        return BooleanValue(word == "TRUE")
    if word in FIXED_DATE_LITERALS:
        return RelativeDate(word)
    if word in N_DATE_LITERALS:
        raise TokenError(token, f"Date literal {word} needs a number, as in {word}:7")
    raise unexpected(token)


def _relative_date_n(token: Token) -> RelativeDate:
    name, _, number = str(token).partition(":")
    word = name.upper()
    if word not in N_DATE_LITERALS:
        raise unexpected(token)
    n = int(number.strip())
    if n < 0:
        raise TokenError(token, f"Date literal {word} needs a number of 0 or more")
    if n > MAX_DATE_LITERAL_N:
        raise TokenError(token, f"Date literal {word} takes at most {MAX_DATE_LITERAL_N}")
    return RelativeDate(word, n)


MAX_DATE_LITERAL_N = 100_000  # far past any calendar date a query can reach


def _keyword(token: Token, allowed: frozenset[str] | set[str]) -> str:
    word = str(token).upper()
    if word not in allowed:
        raise unexpected(token)
    return word


MAX_CLAUSE_NUMBER = 2**31 - 1


def _non_negative_int(token: Token) -> int:
    text = str(token)
    if not text.isdigit():
        raise TokenError(token, f"unexpected token: '{text}' (a whole number is required)")
    if int(text) > MAX_CLAUSE_NUMBER:
        raise TokenError(token, f"number too large: '{text}' (at most {MAX_CLAUSE_NUMBER})")
    return int(text)


class SoqlTransformer(Transformer[Token, Query]):
    """Builds `nodes` objects bottom-up; each method is named after a grammar rule."""

    def start(self, children: list[Query]) -> Query:
        return children[0]

    def query(self, children: list[Any]) -> Query:
        select, (sobject, alias), scope, where, with_clause, group_by = children[:6]
        having, order_by, limit, offset, for_clauses, update_clause = children[6:]
        query = Query(
            select=select,
            sobject=sobject,
            alias=alias,
            using_scope=scope,
            where=where,
            with_clause=with_clause,
            group_by=group_by or (),
            having=having,
            order_by=order_by or (),
            limit=limit,
            offset=offset,
            for_clauses=for_clauses or (),
            update_clause=update_clause,
        )
        validate_query(query)
        return query

    # --- select list --------------------------------------------------------------------

    def select_list(self, children: list[SelectItem]) -> tuple[SelectItem, ...]:
        return tuple(children)

    def field_path(self, children: list[Token]) -> FieldPath:
        if len(children) == 1 and str(children[0]).upper() in _RESERVED:
            raise unexpected(children[0])
        return FieldPath(tuple(str(part) for part in children))

    def function_call(self, children: list[Any]) -> Call:
        name, *args = children
        return Call(name, tuple(arg for arg in args if arg is not None))

    def aliased_call(self, children: list[Any]) -> SelectItem:
        call, alias = children
        try:
            return select_item_from_call(call, alias)
        except CallError as error:
            raise TokenError(error.token, error.reason) from None

    def child_query(self, children: list[Query]) -> ChildQuery:
        return ChildQuery(children[0])

    def typeof(self, children: list[Any]) -> TypeOf:
        relationship, *whens, else_fields = children
        return TypeOf(str(relationship), tuple(whens), else_fields or ())

    def typeof_when(self, children: list[Any]) -> TypeOfWhen:
        sobject, fields = children
        return TypeOfWhen(str(sobject), fields)

    def path_list(self, children: list[FieldPath]) -> tuple[FieldPath, ...]:
        return tuple(children)

    # --- clauses ------------------------------------------------------------------------

    def from_clause(self, children: list[Token | None]) -> tuple[str, str | None]:
        sobject, alias = children
        return str(sobject), (str(alias) if alias is not None else None)

    def using_clause(self, children: list[Token]) -> str:
        return _keyword(children[0], {scope.upper() for scope in _SCOPES}).lower()

    def where_clause(self, children: list[Condition]) -> Condition:
        return children[0]

    def with_clause(self, children: list[Token]) -> WithClause:
        word = str(children[0]).upper()
        if word not in WithClause.__members__:
            raise TokenError(children[0], f"WITH {children[0]} is not supported by this mock")
        return WithClause[word]

    def group_clause(self, children: list[FieldPath | Call]) -> tuple[Operand, ...]:
        return tuple(_operand(child) for child in children)

    def having_clause(self, children: list[Condition]) -> Condition:
        return children[0]

    def order_clause(self, children: list[OrderKey]) -> tuple[OrderKey, ...]:
        return tuple(children)

    def order_key(self, children: list[Any]) -> OrderKey:
        operand, direction, nulls = children
        descending = direction is not None and _keyword(direction, {"ASC", "DESC"}) == "DESC"
        nulls_order = None if nulls is None else NullsOrder(_keyword(nulls, {"FIRST", "LAST"}))
        return OrderKey(_operand(operand), descending, nulls_order)

    def limit_clause(self, children: list[Token]) -> int:
        return _non_negative_int(children[0])

    def offset_clause(self, children: list[Token]) -> int:
        return _non_negative_int(children[0])

    def for_clause(self, children: list[Token]) -> tuple[ForClause, ...]:
        for token in children:
            if str(token).upper() == "UPDATE":
                raise TokenError(token, "FOR UPDATE is only available in Apex")
        return tuple(ForClause(_keyword(token, {"VIEW", "REFERENCE"})) for token in children)

    def update_clause(self, children: list[Token]) -> UpdateClause:
        return UpdateClause(_keyword(children[0], {"TRACKING", "VIEWSTAT"}))

    # --- conditions ---------------------------------------------------------------------

    def and_condition(self, children: list[Condition]) -> And:
        return And(tuple(children))

    def or_condition(self, children: list[Condition]) -> Or:
        return Or(tuple(children))

    def not_condition(self, children: list[Condition]) -> Not:
        return Not(children[0])

    def comparison(self, children: list[Any]) -> Comparison:
        left, operator, right = children
        return Comparison(_operand(left), _OPERATORS[str(operator)], _value(right))

    def like(self, children: list[Any]) -> Like:
        left, pattern = children
        if pattern.type != "STRING":
            raise TokenError(pattern, f"LIKE needs a quoted string, not {pattern}")
        try:
            return Like(_operand(left), literals.decode_like_pattern(str(pattern)))
        except literals.LiteralError as error:
            raise TokenError(pattern, str(error)) from None

    def in_condition(self, children: list[Any]) -> InList | SemiJoin:
        return _membership(children, negated=False)

    def not_in_condition(self, children: list[Any]) -> InList | SemiJoin:
        return _membership(children, negated=True)

    def includes(self, children: list[Any]) -> Includes:
        return _includes(children, excludes=False)

    def excludes(self, children: list[Any]) -> Includes:
        return _includes(children, excludes=True)

    def in_source(self, children: list[Any]) -> tuple[Token, ...] | Query:
        source: tuple[Token, ...] | Query = children[0]
        return source

    def value_list(self, children: list[Token]) -> tuple[Token, ...]:
        return tuple(children)


def _membership(children: list[Any], negated: bool) -> InList | SemiJoin:
    left, source = children
    if isinstance(source, Query):
        validate_semi_join(source)
        return SemiJoin(_operand(left), source, negated)
    return InList(_operand(left), tuple(_value(token) for token in source), negated)


def _includes(children: list[Any], excludes: bool) -> Includes:
    left, tokens = children
    values: list[str] = []
    for token in tokens:
        value = _value(token)
        if not isinstance(value, StringValue):
            keyword = "EXCLUDES" if excludes else "INCLUDES"
            raise TokenError(token, f"{keyword} needs quoted strings, not {token}")
        values.append(value.value)
    return Includes(_operand(left), tuple(values), excludes)
