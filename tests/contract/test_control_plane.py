"""The control plane over real HTTP against the live server."""

from __future__ import annotations

import requests

from mock_salesforce.pytest_plugin import OrgHandle
from mock_salesforce.pytest_plugin.control_client import ControlClient


def test_fresh_org_has_seeded_users_and_app(sf_org: OrgHandle) -> None:
    info = sf_org.control.info()
    assert info["id"] == sf_org.id
    assert info["users"] == 2, info
    assert set(sf_org.users) == {"admin@test.org", "user@test.org"}
    assert sf_org.app["client_id"].startswith("3MVG9"), sf_org.app


def test_orgs_are_isolated_from_each_other(
    mock_salesforce_control: ControlClient, sf_org: OrgHandle
) -> None:
    other = mock_salesforce_control.create_org("Other")
    try:
        other_users = mock_salesforce_control.org(other["id"]).call("GET", "/users")
        assert other_users == [], other_users
        assert other["id"] != sf_org.id
    finally:
        mock_salesforce_control.delete_org(other["id"])


def test_bad_input_gets_400_that_says_what_is_wrong(sf_org: OrgHandle) -> None:
    response = requests.post(
        f"{sf_org.base_url}/_mock/orgs/{sf_org.id}/users", json={"last_name": "x"}, timeout=10
    )
    assert response.status_code == 400, response.text
    assert response.json() == {"error": "'username' is required"}


def test_unknown_org_is_404_json(sf_org: OrgHandle) -> None:
    response = requests.get(f"{sf_org.base_url}/_mock/orgs/00D000000000000AAA", timeout=10)
    assert response.status_code == 404
    assert "no org" in response.json()["error"]


def test_session_for_user_reaches_the_rest_api(sf_org: OrgHandle) -> None:
    api = sf_org.api("user@test.org")
    response = api.get("/sobjects")
    assert response.status_code == 200, response.text
    assert response.headers["Sforce-Limit-Info"].startswith("api-usage="), response.headers
    assert "Contact" in {o["name"] for o in response.json()["sobjects"]}, response.text


def test_clock_can_be_set_advanced_and_read(sf_org: OrgHandle) -> None:
    assert sf_org.control.set_clock("2024-05-01T09:00:00Z") == {
        "now": "2024-05-01T09:00:00.000+0000",
        "frozen": True,
    }
    advanced = sf_org.control.advance_clock(hours=2, minutes=30)
    assert advanced["now"] == "2024-05-01T11:30:00.000+0000", advanced


def test_bad_clock_value_is_refused_with_reason(sf_org: OrgHandle) -> None:
    response = requests.put(
        f"{sf_org.base_url}/_mock/orgs/{sf_org.id}/clock", json={"now": "soon"}, timeout=10
    )
    assert response.status_code == 400
    assert "soon" in response.json()["error"]


def test_seeded_records_carry_explicit_audit_fields(sf_org: OrgHandle) -> None:
    sf_org.control.set_clock("2024-01-02T03:04:05Z")
    [record_id] = sf_org.control.seed_records(
        "Contact",
        [{"LastName": "Seeded", "OwnerId": "user@test.org", "CreatedById": "admin@test.org"}],
    )
    [row] = [r for r in sf_org.control.records("Contact") if r["Id"] == record_id]
    assert row["OwnerId"] == sf_org.users["user@test.org"], row
    assert row["CreatedById"] == sf_org.users["admin@test.org"], row
    assert row["CreatedDate"] == "2024-01-02T03:04:05.000+0000", row


def test_journal_records_who_called_what(sf_org: OrgHandle) -> None:
    sf_org.api("user@test.org").get("/sobjects")
    entries = sf_org.control.journal(user="user@test.org")
    assert [(e["method"], e["operation"], e["status"]) for e in entries] == [
        ("GET", "describe_global", 200)
    ], entries
    assert entries[0]["user_id"] == sf_org.users["user@test.org"]
    assert sf_org.control.journal(user="admin@test.org") == []


def test_journal_filters_by_method_and_path_through_the_client(sf_org: OrgHandle) -> None:
    """``journal(method=..., path=...)``: the filters share their names with the control
    client's own ``call(method, path)`` arguments and still reach the server as filters."""
    api = sf_org.api("user@test.org")
    made = api.post("/sobjects/Account", json={"Name": "Filtered Ltd"})
    assert made.status_code == 201, made.text
    api.get("/sobjects")
    path = f"/services/data/v59.0/sobjects/Account/{made.json()['id']}"
    api.get(f"/sobjects/Account/{made.json()['id']}")
    posts = sf_org.control.journal(method="POST")
    assert [(e["method"], e["operation"]) for e in posts] == [("POST", "create_record")], posts
    reads = sf_org.control.journal(path=path)
    assert [(e["method"], e["path"]) for e in reads] == [("GET", path)], reads


def test_fault_answers_chosen_error_on_nth_call_then_stops(sf_org: OrgHandle) -> None:
    sf_org.control.add_fault(
        match={"operation": "describe_global"}, error={"errorCode": "UNABLE_TO_LOCK_ROW"}, nth=2
    )
    api = sf_org.api("user@test.org")
    statuses = [api.get("/sobjects").status_code for _ in range(3)]
    assert statuses == [200, 400, 200], statuses
    [entry] = sf_org.control.journal(status=400)
    assert entry["error_code"] == "UNABLE_TO_LOCK_ROW", entry


def test_fault_matches_only_its_user(sf_org: OrgHandle) -> None:
    sf_org.control.add_fault(
        match={"user": "admin@test.org"},
        error={"errorCode": "REQUEST_LIMIT_EXCEEDED"},
        times=None,
    )
    assert sf_org.api("user@test.org").get("/sobjects").status_code == 200
    response = sf_org.api("admin@test.org").get("/sobjects")
    assert response.status_code == 403, response.text
    assert response.json() == [
        {"message": "TotalRequests Limit exceeded.", "errorCode": "REQUEST_LIMIT_EXCEEDED"}
    ]


def test_seeded_probability_faults_replay_identically(sf_org: OrgHandle) -> None:
    def run() -> list[int]:
        sf_org.control.clear_faults()
        sf_org.control.add_fault(
            id="flaky",
            match={"operation": "describe_global"},
            error={"errorCode": "SERVER_UNAVAILABLE"},
            times=None,
            probability=0.5,
            seed=7,
        )
        api = sf_org.api("user@test.org")
        return [api.get("/sobjects").status_code for _ in range(12)]

    first, second = run(), run()
    assert first == second, (first, second)
    assert set(first) == {200, 503}, first


def test_bad_fault_is_refused_with_reason(sf_org: OrgHandle) -> None:
    response = requests.post(
        f"{sf_org.base_url}/_mock/orgs/{sf_org.id}/faults",
        json={"match": {"colour": "red"}, "error": {"errorCode": "X"}},
        timeout=10,
    )
    assert response.status_code == 400
    assert "colour" in response.json()["error"]


def test_snapshot_restore_round_trip(sf_org: OrgHandle) -> None:
    sf_org.control.snapshot("empty")
    sf_org.control.seed_records("Account", [{"Name": "Temporary"}])
    assert len(sf_org.control.records("Account")) == 1
    sf_org.control.restore("empty")
    assert sf_org.control.records("Account") == []


def test_reset_returns_the_org_to_its_seeded_state(sf_org: OrgHandle) -> None:
    sf_org.control.create_user("late@test.org")
    sf_org.control.call("POST", "/reset")
    usernames = {u["username"] for u in sf_org.control.call("GET", "/users")}
    assert usernames == {"admin@test.org", "user@test.org"}, usernames


def test_custom_profile_and_permission_set_grants_show_in_user(sf_org: OrgHandle) -> None:
    sf_org.control.create_profile(
        "Restricted Rep", base="Standard User", fields={"Contact.Title": "read"}
    )
    sf_org.control.create_permission_set(
        "Lead_Editor", objects={"Lead": "Read, Edit"}, user_permissions=["ViewSetup"]
    )
    user = sf_org.control.create_user(
        "rep@test.org", profile="Restricted Rep", permission_sets=["Lead_Editor"]
    )
    assert user["profile"] == "Restricted Rep"
    assert user["permission_sets"] == ["Lead_Editor"]
    assert "ViewSetup" in user["user_permissions"], user
    profiles = {p["name"]: p for p in sf_org.control.call("GET", "/profiles")}
    assert profiles["Restricted Rep"]["fields"]["Contact.Title"] == "read"


def test_user_state_changes_end_sessions(sf_org: OrgHandle) -> None:
    api = sf_org.api("user@test.org")
    assert api.get("/sobjects").status_code == 200
    sf_org.control.update_user("user@test.org", frozen=True)
    response = api.get("/sobjects")
    assert response.status_code == 401, response.text
    assert response.json() == [
        {"message": "Session expired or invalid", "errorCode": "INVALID_SESSION_ID"}
    ]


def test_session_expires_after_two_idle_hours_on_the_mock_clock(sf_org: OrgHandle) -> None:
    api = sf_org.api("user@test.org")
    sf_org.control.advance_clock(minutes=119)
    assert api.get("/sobjects").status_code == 200, "activity resets the idle timer"
    sf_org.control.advance_clock(minutes=121)
    assert api.get("/sobjects").status_code == 401


def test_daily_api_allocation_is_enforced_and_rolls_over(sf_org: OrgHandle) -> None:
    sf_org.control.settings(api_daily_limit=2)
    api = sf_org.api("user@test.org")
    first = api.get("/sobjects")
    assert first.headers["Sforce-Limit-Info"] == "api-usage=1/2", first.headers
    assert api.get("/sobjects").status_code == 200
    refused = api.get("/sobjects")
    assert refused.status_code == 403
    assert refused.json()[0]["errorCode"] == "REQUEST_LIMIT_EXCEEDED"
    sf_org.control.advance_clock(hours=1)
    assert api.get("/sobjects").status_code == 403
    sf_org.control.advance_clock(hours=24)
    fresh = sf_org.api("user@test.org")
    assert fresh.get("/sobjects").status_code == 200, "the rolling 24 hours have passed"


def test_journal_records_the_host_each_call_was_sent_to(sf_org: OrgHandle) -> None:
    sf_org.api("user@test.org").get("/sobjects")
    [entry] = sf_org.control.journal(user="user@test.org")
    assert entry["host"] == sf_org.base_url.split("://", 1)[1], entry


def test_user_access_shows_what_the_evaluator_decides_for_an_object(sf_org: OrgHandle) -> None:
    sf_org.control.create_profile(
        "Contact Reader", objects={"Contact": "Read"}, fields={"Contact.Title": "none"}
    )
    sf_org.control.create_user("reader@test.org", profile="Contact Reader")

    access = sf_org.control.access("reader@test.org", "Contact")

    flags = {k: access[k] for k in ("read", "create", "edit", "delete", "view_all", "modify_all")}
    assert flags == {
        "read": True,
        "create": False,
        "edit": False,
        "delete": False,
        "view_all": False,
        "modify_all": False,
    }, access
    assert access["fields"]["Title"] == "none", access["fields"]
    admin = sf_org.control.access("admin@test.org", "Contact")
    assert admin["modify_all"] is True and admin["fields"]["Title"] == "edit", admin


def test_user_access_to_an_unknown_object_is_400_json(sf_org: OrgHandle) -> None:
    response = requests.get(
        f"{sf_org.base_url}/_mock/orgs/{sf_org.id}/users/user@test.org/access/Nope__c", timeout=10
    )
    assert response.status_code == 400, response.text
    assert response.json() == {"error": "unknown sObject 'Nope__c'"}


def test_a_seed_that_fails_leaves_no_org_behind(mock_salesforce_control: ControlClient) -> None:
    name = "Half Seeded"
    document = {
        "orgs": [
            {
                "name": name,
                "users": [
                    {"username": "first@half.test"},
                    {"username": "second@half.test", "profile": "No Such Profile"},
                ],
            }
        ]
    }
    response = requests.post(f"{mock_salesforce_control.base_url}/_mock/seed", json=document)
    assert response.status_code == 404, response.text
    assert response.json() == {"error": "no profile 'No Such Profile' in this org"}, response.text
    listed = requests.get(f"{mock_salesforce_control.base_url}/_mock/orgs").json()
    assert name not in {o["name"] for o in listed}, listed


def test_a_seeded_org_resets_to_what_its_seed_made(mock_salesforce_control: ControlClient) -> None:
    document = {
        "orgs": [
            {
                "name": "Reset Me",
                "users": [{"username": "seeded@reset.test"}],
                "records": [{"object": "Account", "fields": {"Name": "Seeded Co"}}],
            }
        ]
    }
    [made] = mock_salesforce_control.seed(document)
    org = mock_salesforce_control.org(made["id"])
    try:
        org.create_user("later@reset.test")
        org.seed_records("Account", [{"Name": "Later Co"}])
        org.call("POST", "/reset")
        users = {u["username"] for u in org.call("GET", "/users")}
        assert users == {"seeded@reset.test"}, users
        names = {r["Name"] for r in org.records("Account")}
        assert names == {"Seeded Co"}, names
    finally:
        mock_salesforce_control.delete_org(made["id"])
