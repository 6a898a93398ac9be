"""``/sobjects/{Obj}/updated`` and ``/deleted``: incremental sync windows on the mock clock."""

from __future__ import annotations

from typing import Any

import requests

from mock_salesforce.pytest_plugin import OrgHandle


def error_of(response: requests.Response) -> tuple[int, str, str, Any]:
    body = response.json()
    assert isinstance(body, list) and body, f"{response.status_code}: {response.text}"
    return response.status_code, body[0]["errorCode"], body[0]["message"], body[0].get("fields")


def test_updated_lists_records_changed_in_the_window(sf_org: OrgHandle) -> None:
    sf_org.control.set_clock("2024-05-01T10:00:30Z")
    api = sf_org.api("admin@test.org")
    early = api.post("/sobjects/Contact", json={"LastName": "early"}).json()["id"]
    sf_org.control.advance_clock(hours=1)
    late = api.post("/sobjects/Contact", json={"LastName": "late"}).json()["id"]
    sf_org.control.advance_clock(minutes=5)
    window = {"start": "2024-05-01T10:30:00+00:00", "end": "2024-05-01T11:05:59Z"}
    body = api.get("/sobjects/Contact/updated", params=window).json()
    assert body == {"ids": [late], "latestDateCovered": "2024-05-01T11:05:00.000+0000"}, body
    everything = api.get(
        "/sobjects/Contact/updated", params={"start": "2024-05-01T10:00:00Z", "end": window["end"]}
    ).json()
    assert everything["ids"] == [early, late], everything


def test_deleted_lists_records_deleted_in_the_window(sf_org: OrgHandle) -> None:
    sf_org.control.set_clock("2024-05-01T10:00:00Z")
    api = sf_org.api("admin@test.org")
    record_id = api.post("/sobjects/Contact", json={"LastName": "x"}).json()["id"]
    sf_org.control.advance_clock(minutes=10)
    api.delete(f"/sobjects/Contact/{record_id}")
    sf_org.control.advance_clock(minutes=10)
    body = api.get(
        "/sobjects/Contact/deleted",
        params={"start": "2024-05-01T10:05:00Z", "end": "2024-05-01T10:20:00Z"},
    ).json()
    assert body["deletedRecords"] == [
        {"id": record_id, "deletedDate": "2024-05-01T10:10:00.000+0000"}
    ], body
    assert body["latestDateCovered"] == "2024-05-01T10:20:00.000+0000", body
    updated = api.get(
        "/sobjects/Contact/updated",
        params={"start": "2024-05-01T10:00:00Z", "end": "2024-05-01T10:20:00Z"},
    ).json()
    assert updated["ids"] == [], updated


def test_replication_window_respects_sharing(sf_org: OrgHandle) -> None:
    sf_org.control.settings(**{"sharing:Contact": "Private"})
    sf_org.control.set_clock("2024-05-01T10:00:00Z")
    sf_org.api("admin@test.org").post("/sobjects/Contact", json={"LastName": "x"})
    sf_org.control.advance_clock(minutes=2)
    body = sf_org.api("user@test.org").get(
        "/sobjects/Contact/updated",
        params={"start": "2024-05-01T09:00:00Z", "end": "2024-05-01T10:02:00Z"},
    )
    assert body.json()["ids"] == [], body.text


def test_replication_window_needs_start_before_end(sf_org: OrgHandle) -> None:
    api = sf_org.api("admin@test.org")
    missing = api.get("/sobjects/Contact/updated")
    assert error_of(missing)[:2] == (400, "MISSING_ARGUMENT"), missing.text
    backwards = api.get(
        "/sobjects/Contact/deleted",
        params={"start": "2024-05-02T00:00:00Z", "end": "2024-05-01T00:00:00Z"},
    )
    assert error_of(backwards)[:2] == (400, "INVALID_REPLICATION_DATE"), backwards.text
