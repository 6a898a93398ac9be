"""Date literals (`TODAY`, `LAST_N_DAYS:7`, `THIS_FISCAL_QUARTER`, ...) resolved to ranges.

Salesforce resolves a date literal to whole days in the running user's time zone; a date
field is compared with those days and a date-time field with the UTC instants that bound
them ("Date Formats and Date Literals", SOQL and SOSL Reference). The clock is passed in, so
the mock's clock decides what "today" is.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Literal

from mock_salesforce.soql.nodes import RelativeDate

Unit = Literal["DAY", "WEEK", "MONTH", "QUARTER", "YEAR", "FISCAL_QUARTER", "FISCAL_YEAR"]

_PLURALS: dict[Unit, str] = {
    "DAY": "DAYS",
    "WEEK": "WEEKS",
    "MONTH": "MONTHS",
    "QUARTER": "QUARTERS",
    "YEAR": "YEARS",
    "FISCAL_QUARTER": "FISCAL_QUARTERS",
    "FISCAL_YEAR": "FISCAL_YEARS",
}


@dataclass(frozen=True, slots=True)
class _Rule:
    """A literal as `count` periods of `unit`, starting `offset` periods from the current one.

    For literals taking `:n`, offset and count are multiplied by n where `per_n` says so.
    """

    unit: Unit
    offset: int
    count: int
    offset_per_n: int = 0
    count_per_n: int = 0


def _build_rules() -> tuple[dict[str, _Rule], dict[str, _Rule]]:
    fixed = {
        "TODAY": _Rule("DAY", 0, 1),
        "YESTERDAY": _Rule("DAY", -1, 1),
        "TOMORROW": _Rule("DAY", 1, 1),
        # LAST_90_DAYS includes today; NEXT_90_DAYS starts tomorrow.
        "LAST_90_DAYS": _Rule("DAY", -90, 91),
        "NEXT_90_DAYS": _Rule("DAY", 1, 90),
    }
    with_n: dict[str, _Rule] = {}
    for unit, plural in _PLURALS.items():
        if unit != "DAY":
            fixed[f"THIS_{unit}"] = _Rule(unit, 0, 1)
            fixed[f"LAST_{unit}"] = _Rule(unit, -1, 1)
            fixed[f"NEXT_{unit}"] = _Rule(unit, 1, 1)
        # LAST_N_<units> excludes the current period, except LAST_N_DAYS, which includes today
        # on top of the n days (observed: LAST_N_DAYS:1 is yesterday and today; Salesforce
        # StackExchange question 190643, against the documentation's wording).
        last_count = 1 if unit == "DAY" else 0
        with_n[f"LAST_N_{plural}"] = _Rule(unit, 0, last_count, offset_per_n=-1, count_per_n=1)
        with_n[f"NEXT_N_{plural}"] = _Rule(unit, 1, 0, count_per_n=1)
        with_n[f"N_{plural}_AGO"] = _Rule(unit, 0, 1, offset_per_n=-1)
    return fixed, with_n


_FIXED_RULES, _N_RULES = _build_rules()

FIXED_DATE_LITERALS: frozenset[str] = frozenset(_FIXED_RULES)
"""Date literals written alone, such as `TODAY` or `THIS_MONTH`."""

N_DATE_LITERALS: frozenset[str] = frozenset(_N_RULES)
"""Date literals that take a number, such as `LAST_N_DAYS:7`."""


@dataclass(frozen=True, slots=True)
class Calendar:
    """How the running user counts days: time zone, first day of week, fiscal year start.

    Defaults are a new org's: weeks start on Sunday (en_US locale), fiscal year = calendar year.
    `week_start` uses `date.weekday()` numbering (Monday 0 .. Sunday 6).
    """

    tz: tzinfo = UTC
    week_start: int = 6
    fiscal_year_start_month: int = 1


@dataclass(frozen=True, slots=True)
class DateRange:
    """Whole days `first_day`..`last_day` (inclusive) and the UTC instants `start` <= t < `end`."""

    first_day: date
    last_day: date
    start: datetime
    end: datetime


def resolve_date_literal(
    literal: RelativeDate, now: datetime, calendar: Calendar | None = None
) -> DateRange:
    """The days a date literal stands for at the instant `now` (naive `now` is taken as UTC)."""
    calendar = calendar or Calendar()
    rule = _rule_for(literal)
    n = literal.n or 0
    aware_now = now if now.tzinfo is not None else now.replace(tzinfo=UTC)
    today = aware_now.astimezone(calendar.tz).date()
    offset = rule.offset + rule.offset_per_n * n
    count = rule.count + rule.count_per_n * n
    first_day, last_day = _period_span(today, rule.unit, offset, count, calendar)
    return DateRange(
        first_day=first_day,
        last_day=last_day,
        start=_midnight_utc(first_day, calendar.tz),
        end=_midnight_utc(last_day + timedelta(days=1), calendar.tz),
    )


def _rule_for(literal: RelativeDate) -> _Rule:
    name = literal.name.upper()
    table = _FIXED_RULES if literal.n is None else _N_RULES
    rule = table.get(name)
    if rule is None:
        raise ValueError(f"Unknown date literal: {literal.name}")
    return rule


def _period_span(
    today: date, unit: Unit, offset: int, count: int, calendar: Calendar
) -> tuple[date, date]:
    if unit in ("DAY", "WEEK"):
        step = 1 if unit == "DAY" else 7
        base = today - timedelta(days=(today.weekday() - calendar.week_start) % 7 * (step // 7))
        first = base + timedelta(days=offset * step)
        return first, first + timedelta(days=count * step - 1)
    size = {"MONTH": 1, "QUARTER": 3, "YEAR": 12, "FISCAL_QUARTER": 3, "FISCAL_YEAR": 12}[unit]
    anchor = calendar.fiscal_year_start_month - 1 if unit.startswith("FISCAL") else 0
    month_index = today.year * 12 + today.month - 1
    base_index = anchor + (month_index - anchor) // size * size
    first_index = base_index + offset * size
    after_index = first_index + count * size
    return _month_start(first_index), _month_start(after_index) - timedelta(days=1)


def _month_start(month_index: int) -> date:
    return date(month_index // 12, month_index % 12 + 1, 1)


def _midnight_utc(day: date, tz: tzinfo) -> datetime:
    return datetime.combine(day, time.min, tzinfo=tz).astimezone(UTC)
