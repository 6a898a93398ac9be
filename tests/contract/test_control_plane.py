"""The control plane over real HTTP against the live server."""

from __future__ import annotations

import requests

from mock_salesforce.control.client import ControlClient
from mock_salesforce.pytest_plugin import OrgHandle


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
    response = api.get("/limits")
    assert response.status_code == 200, response.text
    assert response.headers["Sforce-Limit-Info"].startswith("api-usage="), response.headers
    assert response.json()["DailyApiRequests"]["Max"] == 15000
