"""Bad input to SOSL and the composite forms is a Salesforce error (400), never a 500."""

from __future__ import annotations

import json
from typing import Any

import pytest

from mock_salesforce.pytest_plugin import OrgHandle

SEARCHES = [
    "FIND {",
    "FIND {acme} RETURNING",
    "FIND {acme} RETURNING Account(",
    "FIND {acme} LIMIT x",
    "FIND {ab} RETURNING Account(Name WHERE)",
    "FIND {ab} RETURNING Account(Name ORDER BY)",
    "FIND {ab} RETURNING Account(COUNT(Id))",
    'FIND {"ab}',
    "FIND {(ab}",
    "FIND {ab)}",
    "FIND {ab OR}",
    "FIND {AND}",
    "FIND {ab} RETURNING 1",
    "FIND {ab} RETURNING Account(Name), ",
    "FIND {ab} RETURNING Account(Name OFFSET 5000)",
    "FIND {ab} WITH",
    "FIND {ab} UPDATE",
    "FIND {ab\\",
    "FIND {ab} RETURNING User(Name)",
    "FIND {ab} RETURNING Account(Name WHERE Name = 'x) LIMIT 1",
]


@pytest.mark.parametrize("sosl", SEARCHES)
def test_bad_sosl_is_a_400_error(sf_org: OrgHandle, sosl: str) -> None:
    response = sf_org.api("admin@test.org").get("/search", params={"q": sosl})
    assert response.status_code == 400, f"{sosl!r}: {response.status_code} {response.text}"
    [error] = response.json()
    assert error["errorCode"] in {
        "MALFORMED_SEARCH",
        "INVALID_SEARCH",
        "INVALID_TYPE",
        "INVALID_FIELD",
        "NUMBER_OUTSIDE_VALID_RANGE",
    }, error


BODIES: list[tuple[str, Any]] = [
    ("parameterizedSearch", {"q": 1}),
    ("parameterizedSearch", {"q": "ab", "sobjects": "x"}),
    ("parameterizedSearch", {"q": "ab", "sobjects": [{"name": "Account", "limit": -1}]}),
    ("parameterizedSearch", {"q": "ab", "in": "nope"}),
    ("parameterizedSearch", {"q": "ab", "fields": 3}),
    ("composite/batch", "x"),
    ("composite/batch", {"batchRequests": [1]}),
    ("composite/batch", {"batchRequests": [{"method": "GET", "url": 5}]}),
    ("composite/graph", {"graphs": [1]}),
    ("composite/graph", {"graphs": [{"graphId": 1}]}),
    ("composite/tree/Account", {"records": [1]}),
    ("composite/tree/Account", {"records": [{"attributes": []}]}),
    ("composite/tree/Nope", {"records": [{"attributes": {"type": "Nope", "referenceId": "r"}}]}),
    (
        "composite/tree/Account",
        {
            "records": [
                {
                    "attributes": {"type": "Account", "referenceId": "r"},
                    "Contacts": {"records": "x"},
                }
            ]
        },
    ),
]


@pytest.mark.parametrize(("path", "body"), BODIES)
def test_bad_body_is_a_4xx_error(sf_org: OrgHandle, path: str, body: Any) -> None:
    response = sf_org.api("admin@test.org").post(
        f"/{path}", data=json.dumps(body), headers={"Content-Type": "application/json"}
    )
    assert 400 <= response.status_code < 500, f"{path} {body!r}: {response.text}"
    assert isinstance(response.json(), list | dict), response.text


def test_a_batch_subrequest_cannot_leave_the_rest_api(sf_org: OrgHandle) -> None:
    response = sf_org.api("admin@test.org").post(
        "/composite/batch",
        json={"batchRequests": [{"method": "GET", "url": "v59.0/../../../_mock/orgs"}]},
    )
    assert response.status_code == 200, response.text
    [result] = response.json()["results"]
    assert result["statusCode"] == 404, result
