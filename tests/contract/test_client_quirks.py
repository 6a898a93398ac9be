"""Where a real client (simple-salesforce, jsforce) disagreed with the mock: one test per fix.

Each test names the client behaviour it reproduces and where that behaviour lives in the
client's source; the client suites themselves are in tests/clients/.
"""

from __future__ import annotations

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
