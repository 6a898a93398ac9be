"""Inputs a fuzzer found that once answered 500, each now refused in Salesforce's shape; org
settings that would break an org; the body cap; the journal's bound."""

from __future__ import annotations

import re
import socket
from collections.abc import Iterator
from typing import Any

import pytest
import requests
from flask import Flask

from mock_salesforce.app import create_app
from mock_salesforce.pytest_plugin import OrgHandle
from mock_salesforce.serving.server import LiveServer

V = "/services/data/v59.0"
HUGE = "1" * 4400
DEEP_OBJECT = '{"a":' * 1000 + "1" + "}" * 1000
DEEP_SUBREQUEST = (
    '{"compositeRequest":[{"method":"POST","url":"/services/data/v59.0/sobjects/Account",'
    '"referenceId":"a","body":' + '{"x":' * 900 + "1" + "}" * 900 + "}]}"
)
JSON_CASES: list[tuple[str, str, str, str]] = [
    ("deep JSON, REST", "POST", "/sobjects/Account", DEEP_OBJECT),
    ("deep JSON, composite", "POST", "/composite", DEEP_OBJECT),
    ("deep JSON, collections", "POST", "/composite/sobjects", "[" * 1000 + "]" * 1000),
    ("deep composite subrequest body", "POST", "/composite", DEEP_SUBREQUEST),
    (
        "4,400-digit integer",
        "POST",
        "/sobjects/Account",
        '{"Name":"x","NumberOfEmployees":' + HUGE + "}",
    ),
    ("lone surrogate", "POST", "/sobjects/Account", '{"Name":"\\ud800"}'),
    ("lone surrogate in a key", "POST", "/sobjects/Account", '{"\\udfff":"x"}'),
    ("1e400 overflows a double", "POST", "/sobjects/Account", '{"Name":"x","AnnualRevenue":1e400}'),
]


@pytest.mark.parametrize(
    ("name", "method", "path", "body"), JSON_CASES, ids=[c[0] for c in JSON_CASES]
)
def test_malformed_json_is_json_parser_error(
    sf_org: OrgHandle, name: str, method: str, path: str, body: str
) -> None:
    response = sf_org.api("admin@test.org").request(
        method, path, data=body.encode(), headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400, (name, response.status_code, response.text[:300])
    [error] = response.json()
    assert error["errorCode"] == "JSON_PARSER_ERROR", (name, error)
    assert len(response.text) < 1000, ("the error must not echo the body", len(response.text))


SOQL_CASES = [
    ("32 chained NOTs", "SELECT Id FROM Account WHERE " + "NOT " * 32 + "Name = 'x'"),
    ("998 AND terms", "SELECT Id FROM Account WHERE " + " AND ".join(["Name = 'x'"] * 998)),
    ("998 OR terms", "SELECT Id FROM Account WHERE " + " OR ".join(["Name = 'x'"] * 998)),
    (
        "semi-join inside a semi-join",
        "SELECT Id FROM Account WHERE Id IN (SELECT AccountId FROM Contact "
        "WHERE Id IN (SELECT WhoId FROM Task))",
    ),
    ("over 100,000 characters", "SELECT Id FROM Account WHERE Name = '" + "x" * 100_001 + "'"),
]


@pytest.mark.parametrize(("name", "soql"), SOQL_CASES, ids=[c[0] for c in SOQL_CASES])
def test_over_complex_soql_is_malformed_query(sf_org: OrgHandle, name: str, soql: str) -> None:
    response = sf_org.api("admin@test.org").get("/query", params={"q": soql})
    assert response.status_code == 400, (name, response.status_code, response.text[:300])
    assert response.json()[0]["errorCode"] == "MALFORMED_QUERY", (name, response.text[:300])


def test_twenty_nested_nots_still_run(sf_org: OrgHandle) -> None:
    soql = "SELECT Id FROM Account WHERE " + "NOT " * 20 + "Name = 'x'"
    response = sf_org.api("admin@test.org").get("/query", params={"q": soql})
    assert response.status_code == 200, response.text


@pytest.mark.parametrize(
    ("name", "path"),
    [
        ("4,400-digit query-locator offset", f"{V}/query/01gxx0000000001AAA-{HUGE}"),
        ("4,400-digit API version", f"/services/data/v{HUGE}.0/limits"),
    ],
)
def test_huge_numbers_in_a_path_are_salesforce_errors(
    sf_org: OrgHandle, name: str, path: str
) -> None:
    response = sf_org.api("admin@test.org").get(sf_org.base_url + path)
    assert 400 <= response.status_code < 500, (name, response.status_code, response.text[:300])
    assert response.json()[0]["errorCode"], response.text[:300]


def test_huge_composite_reference_index_is_an_unresolved_reference(sf_org: OrgHandle) -> None:
    body = {
        "compositeRequest": [
            {"method": "GET", "url": f"{V}/query?q=SELECT+Id+FROM+Account", "referenceId": "a"},
            {
                "method": "GET",
                "url": f"{V}/sobjects/Account/@{{a.records[{HUGE}].Id}}",
                "referenceId": "b",
            },
            {"method": "GET", "url": f"/services/data/v{HUGE}.0/limits", "referenceId": "c"},
        ]
    }
    response = sf_org.api("admin@test.org").post("/composite", json=body)
    assert response.status_code == 200, response.text[:300]
    codes = [r["httpStatusCode"] for r in response.json()["compositeResponse"]]
    assert codes[0] == 200 and all(400 <= c < 500 for c in codes[1:]), codes


def test_collections_retrieve_with_a_number_as_field_is_json_parser_error(
    sf_org: OrgHandle,
) -> None:
    response = sf_org.api("admin@test.org").post(
        "/composite/sobjects/Account", json={"ids": ["001000000000001AAA"], "fields": [5]}
    )
    assert response.status_code == 400, response.text
    assert response.json()[0]["errorCode"] == "JSON_PARSER_ERROR", response.text


def test_soap_envelope_in_an_unknown_encoding_is_a_soap_fault(sf_org: OrgHandle) -> None:
    envelope = (
        b'<?xml version="1.0" encoding="x-bogus"?><soapenv:Envelope '
        b'xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"/>'
    )
    response = requests.post(
        f"{sf_org.base_url}/services/Soap/u/59.0",
        data=envelope,
        headers={"Content-Type": "text/xml", "SOAPAction": "login"},
        timeout=10,
    )
    assert response.status_code == 500, response.text
    assert response.headers["Content-Type"].startswith("text/xml"), response.headers
    assert "INVALID_LOGIN" in response.text, response.text


@pytest.mark.parametrize(
    "path", [f"{V}//sobjects", "/services/data//v59.0/limits", "//services//data"]
)
def test_doubled_slashes_inside_a_path_answer_json_not_a_redirect(
    sf_org: OrgHandle, path: str
) -> None:
    response = requests.get(
        sf_org.base_url + path,
        headers={"Authorization": f"Bearer {sf_org.token('admin@test.org')}"},
        allow_redirects=False,
        timeout=10,
    )
    assert response.status_code == 200, (response.status_code, response.text[:200])
    assert response.headers["Content-Type"].startswith("application/json"), response.headers


def test_malformed_chunked_body_is_json_and_closes_the_connection(sf_org: OrgHandle) -> None:
    host, port = sf_org.base_url.rsplit("/", 1)[1].rsplit(":", 1)
    request = (
        f"POST {V}/sobjects/Account HTTP/1.1\r\nHost: {host}\r\n"
        f"Authorization: Bearer {sf_org.token('admin@test.org')}\r\n"
        "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nZZ\r\nabc\r\n0\r\n\r\n"
    )
    with socket.create_connection((host, int(port)), timeout=5) as conn:
        conn.sendall(request.encode())
        head = _first_response(conn)
    assert head.startswith("HTTP/1.1 400"), head[:300]
    assert "application/json" in head and "JSON_PARSER_ERROR" in head, head[:500]
    assert "Connection: close" in head, head[:500]


def _first_response(conn: socket.socket) -> str:
    """The status line, headers and body of the first response on ``conn``."""
    data = b""
    while b"\r\n\r\n" not in data:
        data += conn.recv(65536)
    head, _, body = data.partition(b"\r\n\r\n")
    length = int(re.search(rb"Content-Length: (\d+)", head, re.I).group(1))  # type: ignore[union-attr]
    while len(body) < length:
        body += conn.recv(65536)
    return (head + b"\r\n\r\n" + body[:length]).decode("latin-1")


def test_journal_limit_beyond_18_digits_is_a_400(sf_org: OrgHandle) -> None:
    response = requests.get(
        f"{sf_org.base_url}/_mock/orgs/{sf_org.id}/journal", params={"limit": HUGE}, timeout=10
    )
    assert response.status_code == 400, response.text[:300]
    assert "limit" in response.json()["error"], response.text[:300]
    assert len(response.text) < 500, "the error must not echo the number"


def test_string_too_long_does_not_echo_megabytes(sf_org: OrgHandle) -> None:
    response = sf_org.api("admin@test.org").post(
        "/sobjects/Account", json={"Name": "x" * 2_000_000}
    )
    assert response.status_code == 400, response.text[:300]
    [error] = response.json()
    assert error["errorCode"] == "STRING_TOO_LONG", error["errorCode"]
    assert len(error["message"]) < 1000, len(error["message"])
    assert error["message"].endswith("... (max length=255)"), error["message"][-60:]


# -- settings that would break an org ------------------------------------------------------------
@pytest.mark.parametrize(
    "change",
    [
        {"session_timeout_seconds": 1e20},
        {"session_timeout_seconds": 10**20},
        {"session_timeout_seconds": None},
        {"api_daily_limit": None},
        {"api_daily_limit": 10**30},
        {"journal_limit": 0},
    ],
)
def test_org_settings_that_break_the_org_are_refused(
    sf_org: OrgHandle, change: dict[str, Any]
) -> None:
    response = requests.patch(
        f"{sf_org.base_url}/_mock/orgs/{sf_org.id}/settings", json=change, timeout=10
    )
    assert response.status_code == 400, (change, response.text)
    check = sf_org.api("admin@test.org").get("/sobjects")
    assert check.status_code == 200, ("the org must still work", check.text[:300])


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("PUT", "/clock", {"now": "0999-01-01T00:00:00Z"}),
        ("PUT", "/clock", {"now": "4001-01-01T00:00:00Z"}),
        ("POST", "/clock/advance", {"days": 900_000}),
    ],
)
def test_clock_outside_salesforce_dates_is_refused(
    sf_org: OrgHandle, method: str, path: str, body: dict[str, Any]
) -> None:
    response = requests.request(
        method, f"{sf_org.base_url}/_mock/orgs/{sf_org.id}{path}", json=body, timeout=10
    )
    assert response.status_code == 400, response.text
    assert sf_org.api("admin@test.org").get("/sobjects").status_code == 200


# -- the body cap and the journal's bound --------------------------------------------------------
@pytest.fixture(scope="module")
def small_server() -> Iterator[LiveServer]:
    app: Flask = create_app({"MAX_BODY_BYTES": 4096})
    server = LiveServer(app).start()
    yield server
    server.stop()


def test_default_body_cap_is_32_megabytes() -> None:
    assert create_app().config["MAX_BODY_BYTES"] == 32 * 1024 * 1024


@pytest.mark.parametrize(
    ("path", "shape"),
    [
        (f"{V}/sobjects/Account", "rest"),
        ("/services/oauth2/token", "oauth"),
        ("/_mock/orgs", "control"),
    ],
)
def test_a_body_over_the_cap_is_a_413_in_the_routes_shape(
    small_server: LiveServer, path: str, shape: str
) -> None:
    response = requests.post(
        small_server.url + path,
        data=b"{" + b" " * 8000 + b"}",
        headers={"Content-Type": "application/json"},
        timeout=10,
    )
    assert response.status_code == 413, (response.status_code, response.text[:300])
    body = response.json()
    if shape == "rest":
        assert body[0]["errorCode"] == "REQUEST_ENTITY_TOO_LARGE", body
    elif shape == "oauth":
        assert body["error"] == "invalid_request", body
    else:
        assert "4096" in body["error"], body


def test_journal_keeps_the_newest_entries_and_counts_the_dropped(sf_org: OrgHandle) -> None:
    sf_org.control.settings(journal_limit=5)
    api = sf_org.api("admin@test.org")
    for n in range(8):
        assert api.get(f"/sobjects/Account/describe?n={n}").status_code == 200
    entries = sf_org.control.journal()
    assert len(entries) == 5, [e["path"] for e in entries]
    stats = sf_org.control.call("GET", "/journal/stats")
    assert stats["limit"] == 5 and stats["entries"] == 5, stats
    assert stats["dropped"] >= 3, stats
    raw = requests.get(f"{sf_org.base_url}/_mock/orgs/{sf_org.id}/journal", timeout=10)
    assert int(raw.headers["X-Mock-Journal-Dropped"]) == stats["dropped"], raw.headers


def test_journal_trimmed_in_steps_still_shows_exactly_its_limit(sf_org: OrgHandle) -> None:
    # A limit of 300 is trimmed every 3 entries: whatever step the table is at, readers see
    # the newest 300 and the stats count every entry beyond them as dropped.
    sf_org.control.settings(journal_limit=300)
    api = sf_org.api("admin@test.org")
    for n in range(305):
        assert api.get(f"/limits?n={n}").status_code == 200
        if n >= 300:
            entries = sf_org.control.journal()
            stats = sf_org.control.call("GET", "/journal/stats")
            seen = (len(entries), stats["entries"], stats["dropped"])
            written = entries[-1]["seq"]
            assert seen == (300, 300, written - 300), (n, seen, written)
            assert entries[0]["seq"] == written - 299, (n, entries[0]["seq"], written)
    sf_org.control.call("DELETE", "/journal")
    stats = sf_org.control.call("GET", "/journal/stats")
    assert stats == {"entries": 0, "limit": 300, "dropped": 0}, stats


@pytest.mark.parametrize(
    ("path", "headers"),
    [
        ("/services/async/59.0/job", "X-SFDC-Session"),
        (f"{V}/jobs/ingest", "Authorization"),
    ],
)
def test_bulk_job_with_a_5000_digit_number_is_refused_not_a_500(
    sf_org: OrgHandle, path: str, headers: str
) -> None:
    token = sf_org.token("admin@test.org")
    auth = {headers: token if headers == "X-SFDC-Session" else f"Bearer {token}"}
    body = '{"object":"Account","operation":"insert","lineEnding":' + "9" * 5000 + "}"
    response = requests.post(
        sf_org.base_url + path,
        data=body,
        headers={**auth, "Content-Type": "application/json"},
        timeout=10,
    )
    assert response.status_code == 400, (response.status_code, response.text[:300])
    assert len(response.text) < 1000, "the error must not echo the number"
