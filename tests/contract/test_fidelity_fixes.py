"""Details real clients noticed: whole-second dateTimes, /limits needs View Setup, a JSON
``ids`` that is not an array (shared reference §2.6, §2.8; part 2 §6.1)."""

from __future__ import annotations

import re

from mock_salesforce.pytest_plugin import OrgHandle

WHOLE_SECOND = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.000\+0000$")


def test_audit_and_datetime_fields_carry_whole_seconds(sf_org: OrgHandle) -> None:
    sf_org.control.set_clock("2024-05-20T20:49:32.789Z")
    api = sf_org.api("admin@test.org")
    created = api.post(
        "/sobjects/Event",
        json={
            "Subject": "Call",
            "StartDateTime": "2024-05-21T10:00:00.456Z",
            "DurationInMinutes": 30,
        },
    )
    assert created.status_code == 201, created.text
    record = api.get(f"/sobjects/Event/{created.json()['id']}").json()
    stamps = {k: record[k] for k in ("CreatedDate", "LastModifiedDate", "SystemModstamp")}
    assert set(stamps.values()) == {"2024-05-20T20:49:32.000+0000"}, stamps
    assert record["StartDateTime"] == "2024-05-21T10:00:00.000+0000", record["StartDateTime"]
    assert all(WHOLE_SECOND.match(v) for v in stamps.values()), stamps


def test_limits_need_view_setup_and_configuration(sf_org: OrgHandle) -> None:
    response = sf_org.api("user@test.org").get("/limits")
    assert response.status_code == 403, response.text
    assert response.json() == [
        {"message": "limits resource is not enabled", "errorCode": "API_DISABLED_FOR_ORG"}
    ]
    assert sf_org.api("admin@test.org").get("/limits").status_code == 200


def test_collections_retrieve_refuses_a_json_ids_that_is_not_an_array(sf_org: OrgHandle) -> None:
    [account_id] = sf_org.control.seed_records("Account", [{"Name": "Acme"}])
    api = sf_org.api("admin@test.org")
    bad = api.post("/composite/sobjects/Account", json={"ids": account_id, "fields": ["Name"]})
    assert bad.status_code == 400, bad.text
    assert bad.json()[0]["errorCode"] == "JSON_PARSER_ERROR", bad.text
    good = api.post("/composite/sobjects/Account", json={"ids": [account_id], "fields": ["Name"]})
    assert good.status_code == 200 and good.json()[0]["Name"] == "Acme", good.text
    by_query = api.get("/composite/sobjects/Account", params={"ids": account_id, "fields": "Id"})
    assert by_query.status_code == 200 and by_query.json()[0]["Id"] == account_id, by_query.text
