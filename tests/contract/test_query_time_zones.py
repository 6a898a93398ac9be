"""SOQL and time zones as Salesforce does them (shared reference part 2 §6): date functions in
UTC unless wrapped in convertTimezone(), which uses the running user's zone; date literals
count days in the user's zone."""

from __future__ import annotations

from typing import Any

import pytest

from mock_salesforce.pytest_plugin import OrgHandle

# 02:30 UTC on 15 January is 18:30 on 14 January in Los Angeles (the default user zone).
EARLY_UTC = "2024-01-15T02:30:00.000+0000"


@pytest.fixture
def contact(sf_org: OrgHandle) -> str:
    [contact_id] = sf_org.control.seed_records(
        "Contact", [{"LastName": "Early", "CreatedDate": EARLY_UTC, "Birthdate": "1990-05-01"}]
    )
    return contact_id


def query(sf_org: OrgHandle, soql: str, user: str = "admin@test.org") -> Any:
    response = sf_org.api(user).get("/query", params={"q": soql})
    assert response.status_code == 200, f"{soql}: {response.text}"
    return response.json()["records"]


def refused(sf_org: OrgHandle, soql: str) -> dict[str, Any]:
    response = sf_org.api("admin@test.org").get("/query", params={"q": soql})
    assert response.status_code == 400, f"{soql}: {response.text}"
    error: dict[str, Any] = response.json()[0]
    return error


def test_date_functions_read_utc_without_convert_timezone(sf_org: OrgHandle, contact: str) -> None:
    [row] = query(
        sf_org,
        "SELECT HOUR_IN_DAY(CreatedDate) h, DAY_ONLY(CreatedDate) d, COUNT(Id) n FROM Contact "
        "GROUP BY HOUR_IN_DAY(CreatedDate), DAY_ONLY(CreatedDate)",
    )
    assert (row["h"], row["d"]) == (2, "2024-01-15"), row


def test_convert_timezone_reads_the_running_users_wall_clock(
    sf_org: OrgHandle, contact: str
) -> None:
    soql = (
        "SELECT HOUR_IN_DAY(convertTimezone(CreatedDate)) h, "
        "DAY_ONLY(convertTimezone(CreatedDate)) d, CALENDAR_MONTH(convertTimezone(CreatedDate)) m, "
        "DAY_IN_WEEK(convertTimezone(CreatedDate)) w, COUNT(Id) n FROM Contact "
        "GROUP BY HOUR_IN_DAY(convertTimezone(CreatedDate)), "
        "DAY_ONLY(convertTimezone(CreatedDate)), CALENDAR_MONTH(convertTimezone(CreatedDate)), "
        "DAY_IN_WEEK(convertTimezone(CreatedDate))"
    )
    [row] = query(sf_org, soql)
    assert (row["h"], row["d"], row["m"], row["w"]) == (18, "2024-01-14", 1, 1), row
    sf_org.control.update_user("admin@test.org", time_zone="Asia/Tokyo")
    [tokyo] = query(sf_org, soql)
    assert (tokyo["h"], tokyo["d"], tokyo["w"]) == (11, "2024-01-15", 2), tokyo


def test_convert_timezone_filters_in_where(sf_org: OrgHandle, contact: str) -> None:
    local = "SELECT Id FROM Contact WHERE DAY_ONLY(convertTimezone(CreatedDate)) = 2024-01-14"
    assert [r["Id"] for r in query(sf_org, local)] == [contact]
    utc = "SELECT Id FROM Contact WHERE DAY_ONLY(CreatedDate) = 2024-01-14"
    assert query(sf_org, utc) == []


@pytest.mark.parametrize(
    ("soql", "fragment"),
    [
        ("SELECT convertTimezone(CreatedDate) FROM Contact", "convertTimezone"),
        (
            "SELECT HOUR_IN_DAY(convertTimezone(CreatedDate)) h, COUNT(Id) FROM Contact "
            "GROUP BY HOUR_IN_DAY(CreatedDate)",
            "grouped",
        ),
        ("SELECT Id FROM Contact WHERE DAY_IN_MONTH(convertTimezone(Birthdate)) = 1", "dateTime"),
        ("SELECT Id FROM Contact WHERE DAY_ONLY(Birthdate) = 1990-05-01", "dateTime"),
    ],
    ids=["outside a date function", "group by drops it", "on a date field", "day only of a date"],
)
def test_time_zone_constructs_salesforce_refuses_are_malformed(
    sf_org: OrgHandle, soql: str, fragment: str
) -> None:
    error = refused(sf_org, soql)
    assert error["errorCode"] == "MALFORMED_QUERY" and fragment in error["message"], error


def test_date_literals_count_days_in_the_users_zone(sf_org: OrgHandle) -> None:
    sf_org.control.set_clock("2024-01-15T05:00:00Z")  # LA: 14 Jan 21:00, Paris: 15 Jan 06:00
    [contact_id] = sf_org.control.seed_records(
        "Contact", [{"LastName": "Noon", "CreatedDate": "2024-01-14T20:00:00Z"}]
    )
    today = "SELECT Id FROM Contact WHERE CreatedDate = TODAY"
    yesterday = "SELECT Id FROM Contact WHERE CreatedDate = YESTERDAY"
    assert [r["Id"] for r in query(sf_org, today)] == [contact_id], "14 Jan is today in LA"
    sf_org.control.update_user("admin@test.org", time_zone="Europe/Paris")
    assert query(sf_org, today) == [], "14 Jan 21:00 in Paris is yesterday there"
    assert [r["Id"] for r in query(sf_org, yesterday)] == [contact_id]


def test_an_unknown_time_zone_is_refused_by_the_control_plane(sf_org: OrgHandle) -> None:
    with pytest.raises(Exception, match="unknown time zone"):
        sf_org.control.update_user("admin@test.org", time_zone="Mars/Olympus")
