"""Cloning an org: same configuration and data, its own ids, sessions and OAuth clients."""

from __future__ import annotations

import requests

from mock_salesforce import ids
from mock_salesforce.pytest_plugin import OrgHandle
from mock_salesforce.pytest_plugin.control_client import ControlClient


def _clone(control: ControlClient, source: OrgHandle) -> dict[str, object]:
    return control.clone_org(source.id, "Clone")


def test_clone_has_the_same_users_with_their_own_ids(
    mock_salesforce_control: ControlClient, sf_org: OrgHandle
) -> None:
    clone = _clone(mock_salesforce_control, sf_org)
    try:
        users = clone["users"]
        assert isinstance(users, dict) and set(users) == set(sf_org.users), users
        for username, user_id in users.items():
            assert user_id != sf_org.users[username], "a clone must not share user ids"
            assert ids.is_valid(user_id) and user_id[3:6] == str(clone["id"])[3:6], user_id
        assert clone["connected_apps"][0]["client_id"] != sf_org.app["client_id"]  # type: ignore[index]
    finally:
        mock_salesforce_control.delete_org(str(clone["id"]))


def test_clone_keeps_records_with_moved_lookups_and_no_journal(
    mock_salesforce_control: ControlClient, sf_org: OrgHandle
) -> None:
    [account] = sf_org.control.seed_records(
        "Account", [{"Name": "Globex", "OwnerId": "user@test.org"}]
    )
    sf_org.control.seed_records("Contact", [{"LastName": "Hank", "AccountId": account}])
    sf_org.api("user@test.org").get("/limits")
    clone = _clone(mock_salesforce_control, sf_org)
    try:
        copy = mock_salesforce_control.org(str(clone["id"]))
        [contact] = copy.records("Contact")
        [copied_account] = copy.records("Account")
        assert contact["AccountId"] == copied_account["Id"] != account, (contact, copied_account)
        assert copied_account["OwnerId"] == clone["users"]["user@test.org"]  # type: ignore[index]
        assert copy.journal() == [], "the journal is not copied"
    finally:
        mock_salesforce_control.delete_org(str(clone["id"]))


def test_clone_answers_the_api_with_its_own_tokens(
    mock_salesforce_control: ControlClient, sf_org: OrgHandle
) -> None:
    old_token = sf_org.token("user@test.org")
    clone = _clone(mock_salesforce_control, sf_org)
    try:
        copy = mock_salesforce_control.org(str(clone["id"]))
        token = copy.session_for("user@test.org")["access_token"]
        url = f"{sf_org.base_url}/services/data/v59.0/query"
        soql = {"q": "SELECT Username, Profile.Name FROM User WHERE Username = 'user@test.org'"}
        answer = requests.get(
            url, params=soql, headers={"Authorization": f"Bearer {token}"}, timeout=10
        )
        assert answer.status_code == 200, answer.text
        [user] = answer.json()["records"]
        assert user["Profile"]["Name"] == "Standard User", user
        assert token.split("!")[0] == str(clone["id"])[:15]
        assert old_token.split("!")[0] == sf_org.id[:15], "the source's token stays its own"
    finally:
        mock_salesforce_control.delete_org(str(clone["id"]))


def test_clone_of_unknown_org_is_404(
    mock_salesforce_control: ControlClient, sf_org: OrgHandle
) -> None:
    response = requests.post(f"{sf_org.base_url}/_mock/orgs/00D000000000000AAA/clone", timeout=10)
    assert response.status_code == 404, response.text


def test_a_login_never_lands_in_an_org_that_takes_no_logins(
    mock_salesforce_control: ControlClient, sf_org: OrgHandle, sf_template_org: OrgHandle
) -> None:
    envelope = (
        '<?xml version="1.0" encoding="utf-8"?><env:Envelope '
        'xmlns:env="http://schemas.xmlsoap.org/soap/envelope/" '
        'xmlns:urn="urn:partner.soap.sforce.com">'
        "<env:Body><urn:login><urn:username>user@test.org</urn:username>"
        "<urn:password>user-pass-1USERTOK</urn:password></urn:login></env:Body></env:Envelope>"
    )
    answer = requests.post(
        f"{sf_org.base_url}/services/Soap/u/59.0",
        data=envelope,
        headers={"Content-Type": "text/xml", "SOAPAction": "login"},
        timeout=10,
    )
    assert answer.status_code == 200, answer.text
    assert f"<organizationId>{sf_org.id}</organizationId>" in answer.text, answer.text
    assert sf_template_org.id not in answer.text


def test_a_reset_takes_a_clone_back_to_the_clone_as_made(
    mock_salesforce_control: ControlClient, sf_org: OrgHandle
) -> None:
    sf_org.control.seed_records("Account", [{"Name": "Initech"}])
    clone = _clone(mock_salesforce_control, sf_org)
    try:
        copy = mock_salesforce_control.org(str(clone["id"]))
        [account] = copy.records("Account")
        copy.seed_records("Account", [{"Name": "Added after"}])
        mock_salesforce_control.call("POST", f"/orgs/{clone['id']}/reset")
        after = copy.records("Account")
        assert [(a["Id"], a["Name"]) for a in after] == [(account["Id"], "Initech")], after
        assert copy.session_for("user@test.org")["access_token"].startswith(
            str(clone["id"])[:15]
        ), "the clone's users are back with their own ids"
    finally:
        mock_salesforce_control.delete_org(str(clone["id"]))
