"""The typed, immutable SOQL syntax tree.

The parser produces these nodes and knows nothing about any org: names are kept exactly as
written (case and all); the planner resolves them against the schema.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

# --- literals ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StringValue:
    """A quoted string with Salesforce's escapes already decoded."""

    value: str


@dataclass(frozen=True, slots=True)
class NumberValue:
    """An integer or decimal literal; integers stay `int`, anything with a point is Decimal."""

    value: int | Decimal


@dataclass(frozen=True, slots=True)
class BooleanValue:
    value: bool


@dataclass(frozen=True, slots=True)
class NullValue:
    pass


@dataclass(frozen=True, slots=True)
class DateValue:
    """`2024-01-31`: a calendar date."""

    value: date


@dataclass(frozen=True, slots=True)
class DateTimeValue:
    """`2024-01-31T10:00:00Z`: always timezone-aware, normalised to UTC."""

    value: datetime


@dataclass(frozen=True, slots=True)
class RelativeDate:
    """A date literal such as `TODAY` or `LAST_N_DAYS:7`, resolved later against the clock."""

    name: str
    n: int | None = None


Value = (
    StringValue | NumberValue | BooleanValue | NullValue | DateValue | DateTimeValue | RelativeDate
)

# --- expressions that name data --------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FieldPath:
    """`Name`, `Owner.Name`, `Account.Owner.Email`: relationship names then a field name."""

    parts: tuple[str, ...]

    @property
    def name(self) -> str:
        return self.parts[-1]

    @property
    def relationships(self) -> tuple[str, ...]:
        return self.parts[:-1]

    @property
    def dotted(self) -> str:
        return ".".join(self.parts)


class AggregateFunction(enum.Enum):
    COUNT = "COUNT"
    COUNT_DISTINCT = "COUNT_DISTINCT"
    SUM = "SUM"
    AVG = "AVG"
    MIN = "MIN"
    MAX = "MAX"


@dataclass(frozen=True, slots=True)
class Aggregate:
    """`COUNT()`, `COUNT(Id)`, `SUM(Amount) total`; `field` is None only for `COUNT()`."""

    function: AggregateFunction
    field: FieldPath | None
    alias: str | None = None

    @property
    def is_count_star(self) -> bool:
        return self.function is AggregateFunction.COUNT and self.field is None


class DateFunction(enum.Enum):
    CALENDAR_MONTH = "CALENDAR_MONTH"
    CALENDAR_QUARTER = "CALENDAR_QUARTER"
    CALENDAR_YEAR = "CALENDAR_YEAR"
    DAY_IN_MONTH = "DAY_IN_MONTH"
    DAY_IN_WEEK = "DAY_IN_WEEK"
    DAY_IN_YEAR = "DAY_IN_YEAR"
    DAY_ONLY = "DAY_ONLY"
    FISCAL_MONTH = "FISCAL_MONTH"
    FISCAL_QUARTER = "FISCAL_QUARTER"
    FISCAL_YEAR = "FISCAL_YEAR"
    HOUR_IN_DAY = "HOUR_IN_DAY"
    WEEK_IN_MONTH = "WEEK_IN_MONTH"
    WEEK_IN_YEAR = "WEEK_IN_YEAR"


@dataclass(frozen=True, slots=True)
class DateFunctionCall:
    """`CALENDAR_YEAR(CreatedDate)`, optionally over `convertTimezone(...)`."""

    function: DateFunction
    field: FieldPath
    convert_timezone: bool = False
    alias: str | None = None


class FieldFunction(enum.Enum):
    """Functions that format a field's value; the mock answers with the stored value."""

    TOLABEL = "TOLABEL"
    FORMAT = "FORMAT"
    CONVERTCURRENCY = "CONVERTCURRENCY"


@dataclass(frozen=True, slots=True)
class FieldFunctionCall:
    function: FieldFunction
    argument: FieldPath | Aggregate
    alias: str | None = None


Operand = FieldPath | Aggregate | DateFunctionCall | FieldFunctionCall

# --- select list -----------------------------------------------------------------------


class FieldsKind(enum.Enum):
    ALL = "ALL"
    STANDARD = "STANDARD"
    CUSTOM = "CUSTOM"


@dataclass(frozen=True, slots=True)
class FieldsMacro:
    """`FIELDS(ALL)`, `FIELDS(STANDARD)`, `FIELDS(CUSTOM)`."""

    kind: FieldsKind


@dataclass(frozen=True, slots=True)
class TypeOfWhen:
    sobject: str
    fields: tuple[FieldPath, ...]


@dataclass(frozen=True, slots=True)
class TypeOf:
    """`TYPEOF What WHEN Account THEN Name, Phone ELSE Name END`."""

    relationship: str
    whens: tuple[TypeOfWhen, ...]
    else_fields: tuple[FieldPath, ...] = ()


@dataclass(frozen=True, slots=True)
class ChildQuery:
    """`(SELECT Id FROM Contacts WHERE ...)`: a child relationship subquery."""

    query: Query


SelectItem = (
    FieldPath | Aggregate | DateFunctionCall | FieldFunctionCall | FieldsMacro | TypeOf | ChildQuery
)

# --- conditions ------------------------------------------------------------------------


class ComparisonOperator(enum.Enum):
    EQ = "="
    NE = "!="
    LT = "<"
    LE = "<="
    GT = ">"
    GE = ">="


@dataclass(frozen=True, slots=True)
class Comparison:
    left: Operand
    operator: ComparisonOperator
    right: Value


class Wildcard(enum.Enum):
    ANY = "%"
    ONE = "_"


@dataclass(frozen=True, slots=True)
class LikePattern:
    """A LIKE pattern split into literal text and wildcards (`\\%` and `\\_` are literal)."""

    parts: tuple[str | Wildcard, ...]


@dataclass(frozen=True, slots=True)
class Like:
    left: Operand
    pattern: LikePattern


@dataclass(frozen=True, slots=True)
class InList:
    """`x IN ('a', 'b')` or, when `negated`, `x NOT IN (...)`."""

    left: Operand
    values: tuple[Value, ...]
    negated: bool = False


@dataclass(frozen=True, slots=True)
class SemiJoin:
    """`Id IN (SELECT AccountId FROM Contact)`; `negated` makes it an anti-join."""

    left: Operand
    query: Query
    negated: bool = False


@dataclass(frozen=True, slots=True)
class Includes:
    """Multi-select picklist test; each value may be `'a;b'` meaning both a and b.

    `excludes` is True for `EXCLUDES (...)`.
    """

    left: Operand
    values: tuple[str, ...]
    excludes: bool = False


@dataclass(frozen=True, slots=True)
class And:
    conditions: tuple[Condition, ...]


@dataclass(frozen=True, slots=True)
class Or:
    conditions: tuple[Condition, ...]


@dataclass(frozen=True, slots=True)
class Not:
    condition: Condition


Condition = Comparison | Like | InList | SemiJoin | Includes | And | Or | Not

# --- clauses ---------------------------------------------------------------------------


class NullsOrder(enum.Enum):
    FIRST = "FIRST"
    LAST = "LAST"


@dataclass(frozen=True, slots=True)
class OrderKey:
    """One ORDER BY key; `nulls` None means Salesforce's default (first ascending, last desc)."""

    operand: Operand
    descending: bool = False
    nulls: NullsOrder | None = None

    @property
    def nulls_first(self) -> bool:
        if self.nulls is None:
            return not self.descending
        return self.nulls is NullsOrder.FIRST


class WithClause(enum.Enum):
    SECURITY_ENFORCED = "SECURITY_ENFORCED"
    USER_MODE = "USER_MODE"
    SYSTEM_MODE = "SYSTEM_MODE"


class ForClause(enum.Enum):
    VIEW = "VIEW"
    REFERENCE = "REFERENCE"


class UpdateClause(enum.Enum):
    TRACKING = "TRACKING"
    VIEWSTAT = "VIEWSTAT"


@dataclass(frozen=True, slots=True)
class Query:
    """A whole SELECT statement (top level, child subquery or semi-join subquery)."""

    select: tuple[SelectItem, ...]
    sobject: str
    alias: str | None = None
    using_scope: str | None = None
    where: Condition | None = None
    with_clause: WithClause | None = None
    group_by: tuple[Operand, ...] = ()
    having: Condition | None = None
    order_by: tuple[OrderKey, ...] = ()
    limit: int | None = None
    offset: int | None = None
    for_clauses: tuple[ForClause, ...] = ()
    update_clause: UpdateClause | None = None

    @property
    def is_count_only(self) -> bool:
        """True for `SELECT COUNT() FROM ...`: the answer is `totalSize` and no records."""
        only = self.select[0] if len(self.select) == 1 else None
        return isinstance(only, Aggregate) and only.is_count_star

    @property
    def is_aggregate(self) -> bool:
        """True when the rows are AggregateResult (aggregates or GROUP BY, not bare COUNT())."""
        if self.is_count_only:
            return False
        return bool(self.group_by) or any(_is_aggregate(item) for item in self.select)


def _is_aggregate(item: SelectItem) -> bool:
    if isinstance(item, Aggregate):
        return True
    return isinstance(item, FieldFunctionCall) and isinstance(item.argument, Aggregate)
