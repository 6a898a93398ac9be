"""Task and Event: polymorphic WhoId/WhatId, derived AccountId, defaults, TaskSubtype, Event
times (Object Reference, "Task")."""

from __future__ import annotations

from typing import Any

import pytest
import requests

from mock_salesforce.pytest_plugin import OrgHandle

START = "2024-05-01T10:00:00.000+0000"


def error_of(response: requests.Response) -> tuple[int, str, str, Any]:
    body = response.json()
    assert isinstance(body, list) and body, f"{response.status_code}: {response.text}"
    return response.status_code, body[0]["errorCode"], body[0]["message"], body[0].get("fields")


def make(api: requests.Session, sobject: str, **fields: Any) -> str:
    response = api.post(f"/sobjects/{sobject}", json=fields)
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


def get(api: requests.Session, sobject: str, record_id: str) -> dict[str, Any]:
    record: dict[str, Any] = api.get(f"/sobjects/{sobject}/{record_id}").json()
    return record


def test_task_gets_default_status_and_priority(sf_org: OrgHandle) -> None:
    api = sf_org.api("user@test.org")
    task = get(api, "Task", make(api, "Task", Subject="Call"))
    assert (task["Status"], task["Priority"], task["IsClosed"]) == (
        "Not Started",
        "Normal",
        False,
    ), task


def test_task_account_is_derived_from_a_contact_who(sf_org: OrgHandle) -> None:
    api = sf_org.api("user@test.org")
    account_id = make(api, "Account", Name="Acme")
    contact_id = make(api, "Contact", LastName="Doe", AccountId=account_id)
    task = get(api, "Task", make(api, "Task", Subject="x", WhoId=contact_id))
    assert task["AccountId"] == account_id, task


def test_task_account_is_derived_from_an_opportunity_what(sf_org: OrgHandle) -> None:
    api = sf_org.api("user@test.org")
    account_id = make(api, "Account", Name="Acme")
    opportunity_id = make(
        api,
        "Opportunity",
        Name="Deal",
        StageName="Prospecting",
        CloseDate="2024-06-30",
        AccountId=account_id,
    )
    task = get(api, "Task", make(api, "Task", Subject="x", WhatId=opportunity_id))
    assert task["AccountId"] == account_id, task


def test_completed_email_task_is_closed_and_keeps_its_subtype(sf_org: OrgHandle) -> None:
    api = sf_org.api("user@test.org")
    task_id = make(api, "Task", Subject="Email: hi", TaskSubtype="Email", Status="Completed")
    task = get(api, "Task", task_id)
    assert (task["TaskSubtype"], task["IsClosed"]) == ("Email", True), task
    assert task["CompletedDateTime"] is not None, task
    response = api.patch(f"/sobjects/Task/{task_id}", json={"TaskSubtype": "Call"})
    assert error_of(response)[1::2] == ("INVALID_FIELD_FOR_INSERT_UPDATE", ["TaskSubtype"])


def test_lead_who_cannot_be_related_to_a_record(sf_org: OrgHandle) -> None:
    api = sf_org.api("user@test.org")
    lead_id = make(api, "Lead", LastName="Lee", Company="Co")
    account_id = make(api, "Account", Name="Acme")
    response = api.post(
        "/sobjects/Task", json={"Subject": "x", "WhoId": lead_id, "WhatId": account_id}
    )
    assert error_of(response)[:2] == (400, "FIELD_INTEGRITY_EXCEPTION"), response.text
    assert make(api, "Task", Subject="x", WhoId=lead_id).startswith("00T")


@pytest.mark.parametrize(("field", "label"), [("WhoId", "Name ID"), ("WhatId", "Related To ID")])
def test_activity_lookup_of_the_wrong_type_is_field_integrity_exception(
    sf_org: OrgHandle, field: str, label: str
) -> None:
    api = sf_org.api("user@test.org")
    user_id = sf_org.users["admin@test.org"]
    response = api.post("/sobjects/Task", json={"Subject": "x", field: user_id})
    assert error_of(response) == (
        400,
        "FIELD_INTEGRITY_EXCEPTION",
        f"{label}: id value of incorrect type: {user_id}",
        [field],
    ), response.text


def test_event_end_is_computed_from_the_duration(sf_org: OrgHandle) -> None:
    api = sf_org.api("user@test.org")
    event = get(api, "Event", make(api, "Event", StartDateTime=START, DurationInMinutes=90))
    assert event["EndDateTime"] == "2024-05-01T11:30:00.000+0000", event
    assert event["ActivityDateTime"] == START and event["ActivityDate"] == "2024-05-01", event


def test_event_duration_is_computed_from_the_end(sf_org: OrgHandle) -> None:
    api = sf_org.api("user@test.org")
    event_id = make(
        api, "Event", ActivityDateTime=START, EndDateTime="2024-05-01T10:45:00Z", Subject="x"
    )
    assert get(api, "Event", event_id)["DurationInMinutes"] == 45


def test_moving_an_event_start_keeps_its_duration(sf_org: OrgHandle) -> None:
    api = sf_org.api("user@test.org")
    event_id = make(api, "Event", StartDateTime=START, DurationInMinutes=30)
    api.patch(f"/sobjects/Event/{event_id}", json={"StartDateTime": "2024-05-02T09:00:00Z"})
    event = get(api, "Event", event_id)
    assert event["EndDateTime"] == "2024-05-02T09:30:00.000+0000", event


@pytest.mark.parametrize(
    ("fields", "missing"),
    [
        ({"Subject": "x", "DurationInMinutes": 30}, "ActivityDateTime"),
        ({"Subject": "x", "StartDateTime": START}, "DurationInMinutes"),
        ({"Subject": "x", "IsAllDayEvent": True}, "ActivityDate"),
    ],
)
def test_event_without_its_times_is_required_field_missing(
    sf_org: OrgHandle, fields: dict[str, Any], missing: str
) -> None:
    response = sf_org.api("user@test.org").post("/sobjects/Event", json=fields)
    assert error_of(response) == (
        400,
        "REQUIRED_FIELD_MISSING",
        f"Required fields are missing: [{missing}]",
        [missing],
    ), response.text


def test_all_day_event_lasts_a_day(sf_org: OrgHandle) -> None:
    api = sf_org.api("user@test.org")
    event_id = make(api, "Event", IsAllDayEvent=True, ActivityDate="2024-05-01", Subject="x")
    event = get(api, "Event", event_id)
    assert (event["DurationInMinutes"], event["EndDate"]) == (1440, "2024-05-01"), event


def test_event_ending_before_it_starts_is_refused(sf_org: OrgHandle) -> None:
    response = sf_org.api("user@test.org").post(
        "/sobjects/Event", json={"StartDateTime": START, "EndDateTime": "2024-05-01T09:00:00Z"}
    )
    assert error_of(response)[1::2] == ("FIELD_INTEGRITY_EXCEPTION", ["EndDateTime"])
