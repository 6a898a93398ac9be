"""Where a real client (simple-salesforce, jsforce) disagreed with the mock: one test per fix.

Each test names the client behaviour it reproduces and where that behaviour lives in the
client's source; the client suites themselves are in tests/clients/.
"""

from __future__ import annotations

import http.client
import json
from urllib.parse import urlsplit

import requests
from flask import Flask
from werkzeug.test import EnvironBuilder, run_wsgi_app

from mock_salesforce.pytest_plugin import OrgHandle


def test_version_root_lists_the_callers_identity_url(sf_org: OrgHandle) -> None:
    # jsforce Connection.identity() (src/connection.ts): with no userInfo (a connection built
    # from instanceUrl + accessToken) it GETs /services/data/vXX.X and follows `identity`.
    api = sf_org.api("user@test.org")
    listed = api.get("/services/data/v59.0").json()
    user_id = sf_org.users["user@test.org"]
    assert listed["identity"] == f"{sf_org.base_url}/id/{sf_org.id}/{user_id}", listed
    identity = api.get(listed["identity"], params={"format": "json"})
    assert identity.status_code == 200, identity.text
    assert identity.json()["user_id"] == user_id, identity.json()


def test_trailing_slash_write_is_served_not_redirected(sf_org: OrgHandle) -> None:
    # jsforce performRedirectRequest (src/request-helper.ts) re-sends a redirected call as a GET
    # without its body, and simple-salesforce's base URL ends in "/": a redirect would lose writes.
    api = sf_org.api("user@test.org")
    created = api.post("/sobjects/Contact/", json={"LastName": "Slash"}, allow_redirects=False)
    assert created.status_code == 201, created.text
    record = f"/sobjects/Contact/{created.json()['id']}/"
    patched = api.patch(record, json={"Title": "CTO"}, allow_redirects=False)
    assert patched.status_code == 204, patched.text
    assert api.get(record, allow_redirects=False).json()["Title"] == "CTO"


def soap_logout(sf_org: OrgHandle, session_id: str) -> requests.Response:
    # The envelope jsforce's Connection.logoutBySoap() (src/connection.ts) sends.
    envelope = (
        '<se:Envelope xmlns:se="http://schemas.xmlsoap.org/soap/envelope/"><se:Header>'
        f'<SessionHeader xmlns="urn:partner.soap.sforce.com"><sessionId>{session_id}</sessionId>'
        '</SessionHeader></se:Header><se:Body><logout xmlns="urn:partner.soap.sforce.com"/>'
        "</se:Body></se:Envelope>"
    )
    return requests.post(
        f"{sf_org.base_url}/services/Soap/u/59.0",
        data=envelope,
        headers={"Content-Type": "text/xml", "SOAPAction": '""'},
        timeout=10,
    )


def test_soap_logout_ends_the_session(sf_org: OrgHandle) -> None:
    token = sf_org.token("user@test.org")
    response = soap_logout(sf_org, token)
    assert response.status_code == 200, response.text
    assert "<logoutResponse/>" in response.text, response.text
    after = requests.get(
        f"{sf_org.base_url}/services/data/v59.0/sobjects",
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
    )
    assert after.status_code == 401, after.text
    entries = sf_org.control.journal(api="soap", operation="logout")
    assert [e["username"] for e in entries] == ["user@test.org"], entries


def test_soap_logout_of_a_dead_session_is_an_invalid_session_fault(sf_org: OrgHandle) -> None:
    response = soap_logout(sf_org, sf_org.id[:15] + "!not-a-session")
    assert response.status_code == 500, response.text
    assert "<faultcode>sf:INVALID_SESSION_ID</faultcode>" in response.text, response.text
    assert "<sf:exceptionCode>INVALID_SESSION_ID</sf:exceptionCode>" in response.text


def test_path_with_doubled_leading_slash_is_served_over_http(sf_org: OrgHandle) -> None:
    # The sf CLI keeps instance URLs with a trailing "/" and its jsforce joins them with
    # "services/data/..." (src/connection.ts _baseUrl), so the request line is
    # `GET //services/data/v64.0/query?q=...`; the server must not read "//services" as an
    # authority (cheroot answered 400 "Absolute URI not allowed if server is not a proxy.").
    host = urlsplit(sf_org.base_url).netloc
    connection = http.client.HTTPConnection(host, timeout=10)
    try:
        connection.request(
            "GET",
            "//services/data/v59.0/query?q=SELECT+Id+FROM+Contact",
            headers={"Authorization": f"Bearer {sf_org.token('user@test.org')}"},
        )
        response = connection.getresponse()
        body = response.read()
    finally:
        connection.close()
    assert response.status == 200, body
    assert json.loads(body)["totalSize"] == 0, body


def test_path_with_doubled_leading_slash_is_served_in_process(
    sf_org: OrgHandle, sf_inprocess: requests.Session
) -> None:
    response = sf_inprocess.get(
        f"{sf_org.base_url}//services/data/v59.0/sobjects",
        headers={"Authorization": f"Bearer {sf_org.token('user@test.org')}"},
        timeout=10,
    )
    assert response.status_code == 200, response.text


def test_app_serves_a_wsgi_path_with_doubled_leading_slash(mock_salesforce_app: Flask) -> None:
    # Any WSGI server that passes PATH_INFO through as sent (gunicorn, ...).
    environ = EnvironBuilder(path="/").get_environ()
    environ["PATH_INFO"] = "//services/data"
    body, status, _ = run_wsgi_app(mock_salesforce_app, environ, buffered=True)
    assert status.startswith("200"), status
    assert json.loads(b"".join(body))[0]["url"] == "/services/data/v31.0"


def test_query_columns_true_answers_column_metadata(sf_org: OrgHandle) -> None:
    # `sf data query` (@salesforce/plugin-data retrieveColumns) asks `/query?q=...&columns=true`
    # and reads `columnMetadata` (columnName, joinColumns, aggregate, displayName).
    api = sf_org.api("user@test.org")
    soql = "SELECT Id, Name, Owner.Name, (SELECT LastName FROM Contacts) FROM Account"
    answer = api.get("/query", params={"q": soql, "columns": "true"}).json()
    assert (answer["entityName"], answer["keyPrefix"], answer["idSelected"]) == (
        "Account",
        "001",
        True,
    ), answer
    columns = {c["columnName"]: c for c in answer["columnMetadata"]}
    assert list(columns) == ["Id", "Name", "Owner", "Contacts"], list(columns)
    assert (columns["Id"]["apexType"], columns["Name"]["textType"]) == ("Id", True), columns
    owner = columns["Owner"]["joinColumns"]
    assert [(c["columnName"], c["displayName"]) for c in owner] == [("Name", "Owner.Name")], owner
    contacts = columns["Contacts"]
    assert contacts["aggregate"] is True, contacts
    assert [c["columnName"] for c in contacts["joinColumns"]] == ["LastName"], contacts


def test_query_columns_true_for_an_aggregate_query(sf_org: OrgHandle) -> None:
    api = sf_org.api("user@test.org")
    soql = "SELECT LeadSource, COUNT(Id), MAX(CreatedDate) latest FROM Lead GROUP BY LeadSource"
    answer = api.get("/query", params={"q": soql, "columns": "true"}).json()
    assert answer["groupBy"] is True, answer
    found = [(c["columnName"], c["aggregate"]) for c in answer["columnMetadata"]]
    assert found == [("LeadSource", False), ("expr0", True), ("latest", True)], found
