"""``/composite/batch``, ``/composite/tree`` and ``/composite/graph`` (shared reference part 2
§4), and how every composite form routes subrequest URLs."""

from __future__ import annotations

from typing import Any

import pytest

from mock_salesforce.pytest_plugin import OrgHandle

V = "/services/data/v59.0"


def batch(sf_org: OrgHandle, requests: list[dict[str, Any]], **options: Any) -> Any:
    response = sf_org.api("admin@test.org").post(
        "/composite/batch", json={"batchRequests": requests, **options}
    )
    assert response.status_code == 200, response.text
    return response.json()


def test_batch_runs_independent_subrequests_in_order(sf_org: OrgHandle) -> None:
    [account_id] = sf_org.control.seed_records("Account", [{"Name": "Acme"}])
    body = batch(
        sf_org,
        [
            {
                "method": "PATCH",
                "url": f"v59.0/sobjects/Account/{account_id}",
                "richInput": {"Name": "NewName"},
            },
            {"method": "GET", "url": f"v59.0/sobjects/Account/{account_id}?fields=Name"},
            {"method": "GET", "url": f"{V}/query?q=SELECT+Name+FROM+Account"},
            {"method": "GET", "url": "v59.0/search?q=FIND+%7BNewName%7D"},
        ],
    )
    statuses = [r["statusCode"] for r in body["results"]]
    assert body["hasErrors"] is False and statuses == [204, 200, 200, 200], body
    assert body["results"][0]["result"] is None, body
    assert body["results"][1]["result"]["Name"] == "NewName", body
    assert body["results"][2]["result"]["totalSize"] == 1, body
    assert body["results"][3]["result"]["searchRecords"][0]["Id"] == account_id, body


def test_batch_failure_does_not_roll_back_the_others(sf_org: OrgHandle) -> None:
    body = batch(
        sf_org,
        [
            {"method": "POST", "url": "v59.0/sobjects/Account", "richInput": {"Name": "Kept"}},
            {"method": "POST", "url": "v59.0/sobjects/Contact", "richInput": {}},
            {"method": "POST", "url": "v59.0/sobjects/Account", "richInput": {"Name": "Also"}},
        ],
    )
    assert body["hasErrors"] is True, body
    assert [r["statusCode"] for r in body["results"]] == [201, 400, 201], body
    assert body["results"][1]["result"][0]["errorCode"] == "REQUIRED_FIELD_MISSING", body
    names = {r["Name"] for r in sf_org.control.records("Account")}
    assert names == {"Kept", "Also"}, names


def test_batch_halt_on_error_answers_412_after_the_first_failure(sf_org: OrgHandle) -> None:
    body = batch(
        sf_org,
        [
            {"method": "GET", "url": "v59.0/sobjects/Account/001000000000000AAA"},
            {"method": "POST", "url": "v59.0/sobjects/Account", "richInput": {"Name": "Never"}},
        ],
        haltOnError=True,
    )
    first, second = body["results"]
    assert first["statusCode"] == 404 and first["result"][0]["errorCode"] == "NOT_FOUND", body
    assert second["statusCode"] == 412, body
    assert second["result"][0]["errorCode"] == "BATCH_PROCESSING_HALTED", body
    assert sf_org.control.records("Account") == []


@pytest.mark.parametrize(
    "requests",
    [
        [{"method": "GET", "url": "v59.0/limits"}] * 26,
        [{"method": "GET", "url": "https://evil.example/services/data/v59.0/limits"}],
        [{"method": "GET", "url": "/other/v59.0/limits"}],
        [{"method": "FETCH", "url": "v59.0/limits"}],
    ],
    ids=["26 subrequests", "absolute url", "outside /services/data", "bad method"],
)
def test_malformed_batch_fails_whole(sf_org: OrgHandle, requests: list[dict[str, Any]]) -> None:
    response = sf_org.api("admin@test.org").post(
        "/composite/batch", json={"batchRequests": requests}
    )
    assert response.status_code == 400, response.text
    assert response.json()[0]["errorCode"] == "INVALID_INPUT", response.text


def test_composite_refuses_a_subrequest_url_on_another_host(sf_org: OrgHandle) -> None:
    response = sf_org.api("admin@test.org").post(
        "/composite",
        json={
            "compositeRequest": [
                {
                    "method": "GET",
                    "url": "http://127.0.0.1:1/services/data/v59.0/limits",
                    "referenceId": "A",
                }
            ]
        },
    )
    assert response.status_code == 400, response.text
    assert response.json()[0]["errorCode"] == "INVALID_INPUT", response.text


def test_composite_reaches_query_locators_through_the_url_map(sf_org: OrgHandle) -> None:
    sf_org.control.seed_records("Account", [{"Name": f"A{n:03d}"} for n in range(250)])
    api = sf_org.api("admin@test.org")
    api.headers["Sforce-Query-Options"] = "batchSize=200"
    first = api.get("/query", params={"q": "SELECT Name FROM Account ORDER BY Name"}).json()
    response = api.post(
        "/composite",
        json={
            "compositeRequest": [
                {"method": "GET", "url": first["nextRecordsUrl"], "referenceId": "More"}
            ]
        },
    )
    [more] = response.json()["compositeResponse"]
    assert more["httpStatusCode"] == 200, more
    assert more["body"]["records"][0]["Name"] == "A200", more


def tree(sf_org: OrgHandle, sobject: str, records: list[dict[str, Any]]) -> Any:
    return sf_org.api("admin@test.org").post(
        f"/composite/tree/{sobject}", json={"records": records}
    )


def test_tree_inserts_nested_records_level_by_level(sf_org: OrgHandle) -> None:
    response = tree(
        sf_org,
        "Account",
        [
            {
                "attributes": {"type": "Account", "referenceId": "ref1"},
                "name": "SampleAccount",
                "Contacts": {
                    "records": [
                        {
                            "attributes": {"type": "Contact", "referenceId": "ref2"},
                            "lastname": "Smith",
                        },
                        {
                            "attributes": {"type": "Contact", "referenceId": "ref3"},
                            "lastname": "Evans",
                        },
                    ]
                },
            },
            {"attributes": {"type": "Account", "referenceId": "ref4"}, "name": "SampleAccount2"},
        ],
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["hasErrors"] is False, body
    assert [r["referenceId"] for r in body["results"]] == ["ref1", "ref4", "ref2", "ref3"], body
    ids = {r["referenceId"]: r["id"] for r in body["results"]}
    contacts = {c["LastName"]: c["AccountId"] for c in sf_org.control.records("Contact")}
    assert contacts == {"Smith": ids["ref1"], "Evans": ids["ref1"]}, contacts


def test_tree_is_all_or_nothing(sf_org: OrgHandle) -> None:
    response = tree(
        sf_org,
        "Account",
        [
            {"attributes": {"type": "Account", "referenceId": "ok"}, "Name": "Fine"},
            {
                "attributes": {"type": "Account", "referenceId": "bad"},
                "Name": "Bad",
                "Contacts": {
                    "records": [
                        {
                            "attributes": {"type": "Contact", "referenceId": "noname"},
                            "Email": "x@y.z",
                        }
                    ]
                },
            },
        ],
    )
    assert response.status_code == 400, response.text
    body = response.json()
    assert body["hasErrors"] is True, body
    [failed] = body["results"]
    assert failed["referenceId"] == "noname", body
    assert failed["errors"][0]["statusCode"] == "REQUIRED_FIELD_MISSING", body
    assert sf_org.control.records("Account") == [], "the whole tree was rolled back"


@pytest.mark.parametrize(
    ("records", "code"),
    [
        (
            [{"attributes": {"type": "Contact", "referenceId": "r"}, "LastName": "X"}],
            "INVALID_INPUT",
        ),
        ([{"attributes": {"type": "Account"}, "Name": "X"}], "INVALID_INPUT"),
        (
            [
                {
                    "attributes": {"type": "Account", "referenceId": "r"},
                    "Name": "X",
                    "Nope": {"records": []},
                }
            ],
            "INVALID_FIELD",
        ),
        (
            [
                {"attributes": {"type": "Account", "referenceId": f"r{n}"}, "Name": "X"}
                for n in range(201)
            ],
            "INVALID_INPUT",
        ),
    ],
    ids=["type differs from url", "no referenceId", "unknown relationship", "201 records"],
)
def test_malformed_tree_is_refused(
    sf_org: OrgHandle, records: list[dict[str, Any]], code: str
) -> None:
    response = tree(sf_org, "Account", records)
    assert response.status_code == 400, response.text
    assert response.json()[0]["errorCode"] == code, response.text


def test_graphs_roll_back_independently(sf_org: OrgHandle) -> None:
    good = {
        "graphId": "1",
        "compositeRequest": [
            {
                "url": f"{V}/sobjects/Account/",
                "method": "POST",
                "referenceId": "acc",
                "body": {"Name": "Cloudy"},
            },
            {
                "url": f"{V}/sobjects/Contact/",
                "method": "POST",
                "referenceId": "con",
                "body": {"LastName": "Cashman", "AccountId": "@{acc.id}"},
            },
        ],
    }
    bad = {
        "graphId": "2",
        "compositeRequest": [
            {
                "url": f"{V}/sobjects/Account/",
                "method": "POST",
                "referenceId": "acc2",
                "body": {"Name": "Rolled back"},
            },
            {
                "url": f"{V}/sobjects/Contact/",
                "method": "POST",
                "referenceId": "con2",
                "body": {"AccountId": "@{acc2.id}"},
            },
        ],
    }
    response = sf_org.api("admin@test.org").post("/composite/graph", json={"graphs": [good, bad]})
    assert response.status_code == 200, response.text
    first, second = response.json()["graphs"]
    assert first["isSuccessful"] is True and second["isSuccessful"] is False, response.text
    nodes = second["graphResponse"]["compositeResponse"]
    assert nodes[0]["body"][0]["errorCode"] == "PROCESSING_HALTED", nodes
    assert nodes[1]["body"][0]["errorCode"] == "REQUIRED_FIELD_MISSING", nodes
    assert {a["Name"] for a in sf_org.control.records("Account")} == {"Cloudy"}


def test_graph_nodes_are_record_calls_only(sf_org: OrgHandle) -> None:
    graph = {
        "graphId": "g",
        "compositeRequest": [
            {"url": f"{V}/query?q=SELECT+Id+FROM+Account", "method": "GET", "referenceId": "q"}
        ],
    }
    response = sf_org.api("admin@test.org").post("/composite/graph", json={"graphs": [graph]})
    assert response.status_code == 400, response.text
    assert response.json()[0]["errorCode"] == "INVALID_INPUT", response.text
