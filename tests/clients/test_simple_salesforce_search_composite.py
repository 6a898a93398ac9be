"""simple-salesforce (unmodified): SOSL search and composite batch / tree, over HTTPS."""

from __future__ import annotations

import pytest
import requests
from simple_salesforce import Salesforce
from simple_salesforce.exceptions import SalesforceMalformedRequest

from mock_salesforce.pytest_plugin import OrgHandle


def test_search_and_quick_search(sf: Salesforce, https_org: OrgHandle) -> None:
    https_org.control.seed_records(
        "Contact",
        [
            {"LastName": "Acmeson", "OwnerId": "user@test.org"},
            {"LastName": "Jones", "Email": "jones@acme.example", "OwnerId": "user@test.org"},
        ],
    )
    found = sf.search("FIND {acme} IN ALL FIELDS RETURNING Contact(LastName, Email)")
    assert found is not None, "simple-salesforce returns None only for an empty answer"
    assert [r["LastName"] for r in found["searchRecords"]] == ["Jones"], found
    quick = sf.quick_search("Acmeson")
    assert quick is not None and quick["searchRecords"][0]["attributes"]["type"] == "Contact"


def test_search_error_is_a_malformed_request(sf: Salesforce) -> None:
    with pytest.raises(SalesforceMalformedRequest) as refused:
        sf.search("FIND {acme|corp}")
    assert refused.value.content[0]["errorCode"] == "MALFORMED_SEARCH", refused.value.content


def test_composite_batch_with_halt_on_error(sf: Salesforce) -> None:
    body = sf.restful(
        "composite/batch",
        method="POST",
        json={
            "haltOnError": True,
            "batchRequests": [
                {"method": "POST", "url": "v59.0/sobjects/Account", "richInput": {"Name": "A"}},
                {"method": "POST", "url": "v59.0/sobjects/Contact", "richInput": {}},
                {"method": "GET", "url": "v59.0/sobjects/Account/describe"},
            ],
        },
    )
    assert isinstance(body, dict), body
    assert [r["statusCode"] for r in body["results"]] == [201, 400, 412], body
    assert body["hasErrors"] is True


def test_composite_tree_creates_an_account_with_contacts(sf: Salesforce) -> None:
    body = sf.restful(
        "composite/tree/Account",
        method="POST",
        json={
            "records": [
                {
                    "attributes": {"type": "Account", "referenceId": "acc"},
                    "Name": "Tree Co",
                    "Contacts": {
                        "records": [
                            {
                                "attributes": {"type": "Contact", "referenceId": "c1"},
                                "LastName": "Leaf",
                            }
                        ]
                    },
                }
            ]
        },
    )
    assert isinstance(body, dict) and body["hasErrors"] is False, body
    ids = {r["referenceId"]: r["id"] for r in body["results"]}
    contact = sf.Contact.get(ids["c1"])
    assert contact["AccountId"] == ids["acc"], contact


def test_only_the_login_host_is_rewritten(
    https_org: OrgHandle, trusting_session: requests.Session
) -> None:
    sf = Salesforce(
        username="user@test.org",
        password="user-pass-1USERTOK",
        consumer_key=https_org.app["client_id"],
        consumer_secret=https_org.app["client_secret"],
        domain="login",
        session=trusting_session,
    )
    assert sf.search("FIND {nothing}") == {"searchRecords": []}
    adapter = trusting_session.get_adapter("https://login.salesforce.com")
    rewrites = getattr(adapter, "rewrites", None)
    assert rewrites == ["login.salesforce.com"], f"one token call, then the instance: {rewrites}"
