"""Two mock behaviours the rule proofs need: a fault that fires after the write committed
(X-27's lost answer) and client credentials refused off the org's own host."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from mock_salesforce.pytest_plugin import OrgHandle
from mock_salesforce.pytest_plugin.control_client import ControlPlaneError
from tests.contract.test_oauth_authorize import oauth_error
from tests.contract.test_oauth_token import client_credentials_call

ADMIN = "admin@test.org"


def _own_domain(sf_org: OrgHandle) -> str:
    """Give the org its own host (localhost for 127.0.0.1) and the strict setting."""
    own = sf_org.base_url.replace("://127.0.0.1:", "://localhost:")
    sf_org.control.settings(instance_url=own, client_credentials_own_domain=True)
    return urlsplit(own).netloc


def test_client_credentials_off_the_orgs_own_host_is_refused(sf_org: OrgHandle) -> None:
    _own_domain(sf_org)
    assert oauth_error(client_credentials_call(sf_org)) == {
        "error": "invalid_grant",
        "error_description": "request not supported on this domain",
    }


def test_client_credentials_at_the_orgs_own_host_are_granted(sf_org: OrgHandle) -> None:
    host = _own_domain(sf_org)
    response = client_credentials_call(sf_org, host)
    assert response.status_code == 200, response.text
    assert response.json()["instance_url"] == f"http://{host}", response.json()


def test_client_credentials_anywhere_but_login_hosts_by_default(sf_org: OrgHandle) -> None:
    own = sf_org.base_url.replace("://127.0.0.1:", "://localhost:")
    sf_org.control.settings(instance_url=own)
    response = client_credentials_call(sf_org)
    assert response.status_code == 200, response.text


def test_after_commit_fault_keeps_the_write_and_fails_the_answer(sf_org: OrgHandle) -> None:
    sf_org.control.add_fault(
        match={"sobject": "Account", "method": "POST"},
        error={"errorCode": "SERVER_UNAVAILABLE"},
        after_commit=True,
    )
    api = sf_org.api(ADMIN)
    failed = api.post("/sobjects/Account", json={"Name": "Lost Answer Ltd"})
    assert failed.status_code == 503, failed.text
    assert failed.json()[0]["errorCode"] == "SERVER_UNAVAILABLE", failed.json()
    names = [r["Name"] for r in sf_org.control.records("Account")]
    assert names.count("Lost Answer Ltd") == 1, f"the write must be committed once: {names}"
    again = api.post("/sobjects/Account", json={"Name": "Second Try Ltd"})
    assert again.status_code == 201, f"the fault fires once: {again.status_code} {again.text}"


def test_after_commit_must_be_a_boolean(sf_org: OrgHandle) -> None:
    with pytest.raises(ControlPlaneError) as refused:
        sf_org.control.add_fault(error={"errorCode": "SERVER_UNAVAILABLE"}, after_commit="yes")
    assert "400" in str(refused.value) and "after_commit" in str(refused.value), refused.value
