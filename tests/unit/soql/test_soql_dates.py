"""Date literals resolved against a fixed clock: whole days and the UTC instants bounding them."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from mock_salesforce.soql import Calendar, parse, resolve_date_literal
from mock_salesforce.soql.dates import FIXED_DATE_LITERALS, N_DATE_LITERALS
from mock_salesforce.soql.nodes import Comparison, RelativeDate

# Wednesday 2024-05-15 10:30 UTC. Weeks start on Sunday (2024-05-12).
NOW = datetime(2024, 5, 15, 10, 30, tzinfo=UTC)

CASES: list[tuple[str, int | None, date, date]] = [
    ("TODAY", None, date(2024, 5, 15), date(2024, 5, 15)),
    ("YESTERDAY", None, date(2024, 5, 14), date(2024, 5, 14)),
    ("TOMORROW", None, date(2024, 5, 16), date(2024, 5, 16)),
    ("LAST_WEEK", None, date(2024, 5, 5), date(2024, 5, 11)),
    ("THIS_WEEK", None, date(2024, 5, 12), date(2024, 5, 18)),
    ("NEXT_WEEK", None, date(2024, 5, 19), date(2024, 5, 25)),
    ("LAST_MONTH", None, date(2024, 4, 1), date(2024, 4, 30)),
    ("THIS_MONTH", None, date(2024, 5, 1), date(2024, 5, 31)),
    ("NEXT_MONTH", None, date(2024, 6, 1), date(2024, 6, 30)),
    ("LAST_90_DAYS", None, date(2024, 2, 15), date(2024, 5, 15)),
    ("NEXT_90_DAYS", None, date(2024, 5, 16), date(2024, 8, 13)),
    ("LAST_QUARTER", None, date(2024, 1, 1), date(2024, 3, 31)),
    ("THIS_QUARTER", None, date(2024, 4, 1), date(2024, 6, 30)),
    ("NEXT_QUARTER", None, date(2024, 7, 1), date(2024, 9, 30)),
    ("LAST_YEAR", None, date(2023, 1, 1), date(2023, 12, 31)),
    ("THIS_YEAR", None, date(2024, 1, 1), date(2024, 12, 31)),
    ("NEXT_YEAR", None, date(2025, 1, 1), date(2025, 12, 31)),
    ("THIS_FISCAL_QUARTER", None, date(2024, 4, 1), date(2024, 6, 30)),
    ("LAST_FISCAL_QUARTER", None, date(2024, 1, 1), date(2024, 3, 31)),
    ("NEXT_FISCAL_QUARTER", None, date(2024, 7, 1), date(2024, 9, 30)),
    ("THIS_FISCAL_YEAR", None, date(2024, 1, 1), date(2024, 12, 31)),
    ("LAST_FISCAL_YEAR", None, date(2023, 1, 1), date(2023, 12, 31)),
    ("NEXT_FISCAL_YEAR", None, date(2025, 1, 1), date(2025, 12, 31)),
    ("LAST_N_DAYS", 7, date(2024, 5, 8), date(2024, 5, 15)),
    ("LAST_N_DAYS", 0, date(2024, 5, 15), date(2024, 5, 15)),
    ("LAST_N_DAYS", 1, date(2024, 5, 14), date(2024, 5, 15)),
    ("NEXT_N_DAYS", 7, date(2024, 5, 16), date(2024, 5, 22)),
    ("N_DAYS_AGO", 3, date(2024, 5, 12), date(2024, 5, 12)),
    ("N_DAYS_AGO", 0, date(2024, 5, 15), date(2024, 5, 15)),
    ("LAST_N_WEEKS", 2, date(2024, 4, 28), date(2024, 5, 11)),
    ("NEXT_N_WEEKS", 2, date(2024, 5, 19), date(2024, 6, 1)),
    ("N_WEEKS_AGO", 2, date(2024, 4, 28), date(2024, 5, 4)),
    ("LAST_N_MONTHS", 2, date(2024, 3, 1), date(2024, 4, 30)),
    ("NEXT_N_MONTHS", 2, date(2024, 6, 1), date(2024, 7, 31)),
    ("N_MONTHS_AGO", 5, date(2023, 12, 1), date(2023, 12, 31)),
    ("LAST_N_MONTHS", 12, date(2023, 5, 1), date(2024, 4, 30)),
    ("LAST_N_QUARTERS", 2, date(2023, 10, 1), date(2024, 3, 31)),
    ("NEXT_N_QUARTERS", 3, date(2024, 7, 1), date(2025, 3, 31)),
    ("N_QUARTERS_AGO", 2, date(2023, 10, 1), date(2023, 12, 31)),
    ("LAST_N_YEARS", 2, date(2022, 1, 1), date(2023, 12, 31)),
    ("NEXT_N_YEARS", 1, date(2025, 1, 1), date(2025, 12, 31)),
    ("N_YEARS_AGO", 10, date(2014, 1, 1), date(2014, 12, 31)),
    ("LAST_N_FISCAL_QUARTERS", 1, date(2024, 1, 1), date(2024, 3, 31)),
    ("NEXT_N_FISCAL_QUARTERS", 2, date(2024, 7, 1), date(2024, 12, 31)),
    ("N_FISCAL_QUARTERS_AGO", 4, date(2023, 4, 1), date(2023, 6, 30)),
    ("LAST_N_FISCAL_YEARS", 3, date(2021, 1, 1), date(2023, 12, 31)),
    ("NEXT_N_FISCAL_YEARS", 2, date(2025, 1, 1), date(2026, 12, 31)),
    ("N_FISCAL_YEARS_AGO", 1, date(2023, 1, 1), date(2023, 12, 31)),
]


@pytest.mark.parametrize(("name", "n", "first", "last"), CASES)
def test_resolve_date_literal_gives_whole_days(
    name: str, n: int | None, first: date, last: date
) -> None:
    resolved = resolve_date_literal(RelativeDate(name, n), NOW)
    seen = (resolved.first_day, resolved.last_day)
    assert seen == (first, last), f"{name}:{n} resolved to {seen}"


@pytest.mark.parametrize(("name", "n", "first", "last"), CASES)
def test_resolve_date_literal_bounds_are_utc_midnights(
    name: str, n: int | None, first: date, last: date
) -> None:
    resolved = resolve_date_literal(RelativeDate(name, n), NOW)
    start = datetime(first.year, first.month, first.day, tzinfo=UTC)
    assert resolved.start == start, f"{name}:{n} starts {resolved.start}"
    assert resolved.end == start + timedelta(days=(last - first).days + 1), (
        f"{name}:{n} ends {resolved.end}"
    )


def test_every_known_literal_is_covered_by_the_table() -> None:
    tested = {name for name, _, _, _ in CASES}
    missing = (FIXED_DATE_LITERALS | N_DATE_LITERALS) - tested
    assert not missing, f"date literals without a test: {sorted(missing)}"


def test_resolve_date_literal_uses_the_users_time_zone() -> None:
    # 2024-05-15 02:00 UTC is still 2024-05-14 in Los Angeles (UTC-7 in May).
    late = datetime(2024, 5, 15, 2, 0, tzinfo=UTC)
    calendar = Calendar(tz=ZoneInfo("America/Los_Angeles"))
    resolved = resolve_date_literal(RelativeDate("TODAY"), late, calendar)
    assert resolved.first_day == date(2024, 5, 14), f"today is {resolved.first_day}"
    assert resolved.start == datetime(2024, 5, 14, 7, tzinfo=UTC), f"start {resolved.start}"
    assert resolved.end == datetime(2024, 5, 15, 7, tzinfo=UTC), f"end {resolved.end}"


def test_resolve_date_literal_crosses_daylight_saving_change() -> None:
    # Europe/Paris moves from UTC+1 to UTC+2 on 2024-03-31: that day is 23 hours long.
    calendar = Calendar(tz=ZoneInfo("Europe/Paris"))
    resolved = resolve_date_literal(
        RelativeDate("TODAY"), datetime(2024, 3, 31, 12, tzinfo=UTC), calendar
    )
    assert resolved.end - resolved.start == timedelta(hours=23), (
        f"{resolved.start} .. {resolved.end}"
    )


def test_resolve_date_literal_honours_week_start_and_fiscal_year() -> None:
    calendar = Calendar(week_start=0, fiscal_year_start_month=4)
    week = resolve_date_literal(RelativeDate("THIS_WEEK"), NOW, calendar)
    assert (week.first_day, week.last_day) == (date(2024, 5, 13), date(2024, 5, 19)), (
        f"Monday week {week.first_day}..{week.last_day}"
    )
    year = resolve_date_literal(RelativeDate("THIS_FISCAL_YEAR"), NOW, calendar)
    assert (year.first_day, year.last_day) == (date(2024, 4, 1), date(2025, 3, 31)), (
        f"April fiscal year {year.first_day}..{year.last_day}"
    )
    quarter = resolve_date_literal(RelativeDate("LAST_FISCAL_QUARTER"), NOW, calendar)
    assert (quarter.first_day, quarter.last_day) == (date(2024, 1, 1), date(2024, 3, 31)), (
        f"April fiscal quarter {quarter.first_day}..{quarter.last_day}"
    )


@pytest.mark.parametrize(
    ("now", "name", "first", "last"),
    [
        (datetime(2024, 1, 1, tzinfo=UTC), "LAST_MONTH", date(2023, 12, 1), date(2023, 12, 31)),
        (datetime(2024, 12, 31, tzinfo=UTC), "NEXT_MONTH", date(2025, 1, 1), date(2025, 1, 31)),
        (datetime(2024, 3, 31, tzinfo=UTC), "LAST_MONTH", date(2024, 2, 1), date(2024, 2, 29)),
        (datetime(2024, 1, 1, tzinfo=UTC), "YESTERDAY", date(2023, 12, 31), date(2023, 12, 31)),
        (datetime(2024, 5, 12, tzinfo=UTC), "THIS_WEEK", date(2024, 5, 12), date(2024, 5, 18)),
        (
            datetime(2024, 5, 18, 23, 59, tzinfo=UTC),
            "THIS_WEEK",
            date(2024, 5, 12),
            date(2024, 5, 18),
        ),
        (datetime(2024, 10, 1, tzinfo=UTC), "LAST_QUARTER", date(2024, 7, 1), date(2024, 9, 30)),
    ],
)
def test_resolve_date_literal_at_period_edges(
    now: datetime, name: str, first: date, last: date
) -> None:
    resolved = resolve_date_literal(RelativeDate(name), now)
    seen = (resolved.first_day, resolved.last_day)
    assert seen == (first, last), f"{name} at {now} resolved to {seen}"


def test_resolve_date_literal_takes_naive_now_as_utc() -> None:
    resolved = resolve_date_literal(RelativeDate("TODAY"), datetime(2024, 5, 15, 23, 59))
    assert resolved.first_day == date(2024, 5, 15), f"today is {resolved.first_day}"


def test_resolve_date_literal_rejects_unknown_name() -> None:
    with pytest.raises(ValueError, match="Unknown date literal: SOMEDAY"):
        resolve_date_literal(RelativeDate("SOMEDAY"), NOW)


def test_parsed_date_literal_resolves() -> None:
    query = parse("SELECT Id FROM Lead WHERE CreatedDate = last_n_weeks:2")
    assert isinstance(query.where, Comparison), f"where is {query.where!r}"
    literal = query.where.right
    assert isinstance(literal, RelativeDate), f"right side is {literal!r}"
    resolved = resolve_date_literal(literal, NOW)
    assert resolved.first_day == date(2024, 4, 28), f"starts {resolved.first_day}"
