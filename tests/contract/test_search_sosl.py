"""SOSL over REST: ``/search`` and ``/parameterizedSearch`` (shared reference part 2 §3)."""

from __future__ import annotations

from typing import Any

import pytest

from mock_salesforce.pytest_plugin import OrgHandle


@pytest.fixture
def acme(sf_org: OrgHandle) -> dict[str, list[str]]:
    accounts = sf_org.control.seed_records(
        "Account",
        [{"Name": "Acme Inc", "OwnerId": "user@test.org"}, {"Name": "Globex", "Phone": "555 0100"}],
    )
    contacts = sf_org.control.seed_records(
        "Contact",
        [
            {
                "LastName": "Jones",
                "FirstName": "Jane",
                "Email": "jane@acme.example",
                "OwnerId": "user@test.org",
            },
            {"LastName": "Acmeson", "FirstName": "Al", "OwnerId": "user@test.org"},
            {"LastName": "Hidden", "Title": "acme buyer", "OwnerId": "admin@test.org"},
        ],
    )
    return {"Account": accounts, "Contact": contacts}


def search(
    sf_org: OrgHandle, sosl: str, user: str = "admin@test.org", version: str = "59.0"
) -> Any:
    response = sf_org.api(user, version).get("/search", params={"q": sosl})
    assert response.status_code == 200, response.text
    return response.json()


def test_search_finds_whole_tokens_case_insensitively(
    sf_org: OrgHandle, acme: dict[str, list[str]]
) -> None:
    body = search(sf_org, "FIND {ACME} RETURNING Account(Id, Name), Contact(Name)")
    found = [(r["attributes"]["type"], r.get("Name")) for r in body["searchRecords"]]
    assert found == [("Account", "Acme Inc"), ("Contact", "Hidden"), ("Contact", "Jane Jones")], (
        found
    )
    assert "Acmeson" not in str(found), "acme is a whole token, not a prefix"
    url = body["searchRecords"][0]["attributes"]["url"]
    assert url == f"/services/data/v59.0/sobjects/Account/{acme['Account'][0]}", url


def test_search_wildcard_and_phrase_and_operators(
    sf_org: OrgHandle, acme: dict[str, list[str]]
) -> None:
    names = lambda sosl: [r["Name"] for r in search(sf_org, sosl)["searchRecords"]]  # noqa: E731
    assert names("FIND {acm*} RETURNING Contact(Name)") == ["Al Acmeson", "Hidden", "Jane Jones"]
    assert names('FIND {"acme buyer"} RETURNING Contact(Name)') == ["Hidden"]
    assert names("FIND {jane OR hidden} RETURNING Contact(Name)") == ["Hidden", "Jane Jones"]
    assert names("FIND {acme AND NOT buyer} RETURNING Contact(Name)") == ["Jane Jones"]


def test_search_without_returning_answers_ids_of_every_object(
    sf_org: OrgHandle, acme: dict[str, list[str]]
) -> None:
    records = search(sf_org, "FIND {acme}")["searchRecords"]
    assert {r["Id"] for r in records} == {
        acme["Account"][0],
        acme["Contact"][0],
        acme["Contact"][2],
    }
    assert all(set(r) == {"attributes", "Id"} for r in records), records


def test_search_applies_sharing_and_where_and_limit(
    sf_org: OrgHandle, acme: dict[str, list[str]]
) -> None:
    sf_org.control.settings(**{"sharing:Contact": "Private"})
    mine = search(sf_org, "FIND {acme} RETURNING Contact(Name)", user="user@test.org")
    assert [r["Name"] for r in mine["searchRecords"]] == ["Jane Jones"], mine
    limited = search(
        sf_org, "FIND {acme} RETURNING Contact(Name WHERE LastName != 'Jones' LIMIT 1)"
    )
    assert [r["Name"] for r in limited["searchRecords"]] == ["Hidden"], limited


def test_search_in_email_fields_only_searches_emails(
    sf_org: OrgHandle, acme: dict[str, list[str]]
) -> None:
    body = search(sf_org, "FIND {acme} IN EMAIL FIELDS RETURNING Account, Contact(Email)")
    assert [r.get("Email") for r in body["searchRecords"]] == ["jane@acme.example"], body


def test_search_before_v36_answers_a_bare_array(
    sf_org: OrgHandle, acme: dict[str, list[str]]
) -> None:
    body = search(sf_org, "FIND {Globex} RETURNING Account(Phone)", version="35.0")
    assert body == [
        {
            "attributes": {
                "type": "Account",
                "url": f"/services/data/v35.0/sobjects/Account/{acme['Account'][1]}",
            },
            "Phone": "555 0100",
        }
    ], body


@pytest.mark.parametrize(
    ("sosl", "code", "fragment"),
    [
        ("FIND acme", "MALFORMED_SEARCH", "must be enclosed in braces"),
        ("FIND {acme|corp}", "MALFORMED_SEARCH", "ERROR at Row:1:Column:11"),
        ("FIND {acme} IN ALL TYPE", "MALFORMED_SEARCH", "Malformed search token: TYPE"),
        ("FIND {a}", "INVALID_SEARCH", "longer than one character"),
        ("FIND {acme} RETURNING Nope__c", "INVALID_TYPE", "Nope__c"),
        ("FIND {acme} RETURNING Account(Nope__c)", "INVALID_FIELD", "Nope__c"),
        ("FIND {acme} RETURNING Account(Name WHERE Name =)", "MALFORMED_SEARCH", "Name"),
        ("FIND {acme} WITH DIVISION = 'x'", "MALFORMED_SEARCH", "not supported"),
    ],
)
def test_bad_search_is_a_salesforce_error(
    sf_org: OrgHandle, sosl: str, code: str, fragment: str
) -> None:
    response = sf_org.api("admin@test.org").get("/search", params={"q": sosl})
    assert response.status_code == 400, response.text
    [error] = response.json()
    assert error["errorCode"] == code and fragment in error["message"], error


def test_parameterized_search_by_get_and_post(
    sf_org: OrgHandle, acme: dict[str, list[str]]
) -> None:
    api = sf_org.api("admin@test.org")
    got = api.get(
        "/parameterizedSearch",
        params={"q": "acme", "sobject": "Contact", "Contact.fields": "Name", "Contact.limit": "2"},
    )
    assert got.status_code == 200, got.text
    assert [r["Name"] for r in got.json()["searchRecords"]] == ["Hidden", "Jane Jones"], got.text
    posted = api.post(
        "/parameterizedSearch",
        json={"q": "Globex", "sobjects": [{"name": "Account", "fields": ["Id", "Name"]}]},
    )
    assert posted.status_code == 200, posted.text
    assert posted.json()["searchRecords"][0]["Name"] == "Globex", posted.text
    missing = api.get("/parameterizedSearch", params={"sobject": "Account"})
    assert missing.status_code == 400 and missing.json()[0]["errorCode"] == "MISSING_ARGUMENT"


def test_search_is_journaled_with_its_text(sf_org: OrgHandle, acme: dict[str, list[str]]) -> None:
    search(sf_org, "FIND {Globex}", user="user@test.org")
    [entry] = sf_org.control.journal(user="user@test.org", operation="search")
    assert entry["soql"] == "FIND {Globex}", entry
