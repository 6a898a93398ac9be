"""The identity URL, UserInfo, introspection and revocation."""

from __future__ import annotations

from typing import Any

import jwt
import requests

from mock_salesforce.pytest_plugin import OrgHandle
from tests.contract.test_oauth_authorize import authorize, exchange, oauth_error
from tests.contract.test_oauth_token import password_call


def get(url: str, token: str, **params: str) -> requests.Response:
    return requests.get(
        url, headers={"Authorization": f"Bearer {token}"}, params=params or None, timeout=10
    )


def tokens(sf_org: OrgHandle) -> dict[str, Any]:
    body: dict[str, Any] = password_call(sf_org).json()
    return body


def test_identity_url_describes_the_tokens_user(sf_org: OrgHandle) -> None:
    body = tokens(sf_org)
    response = get(body["id"], body["access_token"])
    assert response.status_code == 200, response.text
    doc = response.json()
    user_id = sf_org.users["user@test.org"]
    assert (doc["user_id"], doc["organization_id"]) == (user_id, sf_org.id), doc
    assert doc["username"] == "user@test.org" and doc["display_name"] == "Uma User", doc
    assert doc["urls"]["rest"] == f"{sf_org.base_url}/services/data/v{{version}}/", doc["urls"]
    assert doc["urls"]["partner"].endswith(f"/services/Soap/u/{{version}}/{sf_org.id[:15]}")
    assert doc["active"] is True and doc["user_type"] == "STANDARD"


def test_identity_url_fills_the_version(sf_org: OrgHandle) -> None:
    body = tokens(sf_org)
    doc = get(body["id"], body["access_token"], version="59.0").json()
    assert doc["urls"]["sobjects"] == f"{sf_org.base_url}/services/data/v59.0/sobjects/", doc


def test_identity_url_with_a_bad_token_is_403_bad_oauth_token(sf_org: OrgHandle) -> None:
    body = tokens(sf_org)
    response = get(body["id"], sf_org.id[:15] + "!garbage")
    assert (response.status_code, response.text) == (403, "Bad_OAuth_Token"), response.text


def test_identity_works_with_a_token_without_api_scope(sf_org: OrgHandle) -> None:
    body = exchange(sf_org, authorize(sf_org, scope="id")["code"]).json()
    assert get(body["id"], body["access_token"]).status_code == 200


def test_identity_of_another_user_needs_api_scope(sf_org: OrgHandle) -> None:
    admin_url = f"{sf_org.base_url}/id/{sf_org.id}/{sf_org.users['admin@test.org']}"
    with_api = tokens(sf_org)["access_token"]
    response = get(admin_url, with_api)
    assert response.status_code == 200, response.text
    assert response.json()["username"] == "admin@test.org"
    assert response.json()["asserted_user"] is False
    id_only = exchange(sf_org, authorize(sf_org, scope="id")["code"]).json()["access_token"]
    assert get(admin_url, id_only).status_code == 403


def test_identity_calls_are_journaled(sf_org: OrgHandle) -> None:
    body = tokens(sf_org)
    get(body["id"], body["access_token"])
    entries = sf_org.control.journal(operation="identity")
    assert [(e["username"], e["status"]) for e in entries] == [("user@test.org", 200)], entries


def test_userinfo_uses_oidc_names(sf_org: OrgHandle) -> None:
    body = tokens(sf_org)
    response = get(f"{sf_org.base_url}/services/oauth2/userinfo", body["access_token"])
    assert response.status_code == 200, response.text
    info = response.json()
    assert info["sub"] == body["id"] and info["preferred_username"] == "user@test.org", info
    assert info["is_salesforce_integration_user"] is False, info


def test_userinfo_marks_salesforce_integration_users(sf_org: OrgHandle) -> None:
    sf_org.control.create_user(
        "integ@test.org",
        profile="Minimum Access - API Only Integrations",
        password="integ-pass-1",
        security_token="INTEG",
    )
    body = password_call(sf_org, username="integ@test.org", password="integ-pass-1INTEG").json()
    info = get(f"{sf_org.base_url}/services/oauth2/userinfo", body["access_token"]).json()
    assert info["is_salesforce_integration_user"] is True, info


def introspect(sf_org: OrgHandle, token: str) -> dict[str, Any]:
    response = requests.post(
        f"{sf_org.base_url}/services/oauth2/introspect",
        data={"token": token, "token_type_hint": "access_token"},
        auth=(sf_org.app["client_id"], sf_org.app["client_secret"]),
        timeout=10,
    )
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


def test_introspect_live_access_token(sf_org: OrgHandle) -> None:
    body = tokens(sf_org)
    result = introspect(sf_org, body["access_token"])
    assert result["active"] is True and result["token_type"] == "access_token", result
    assert result["username"] == "user@test.org" and result["sub"] == body["id"], result
    assert result["exp"] - result["iat"] == 7200, result


def test_introspect_refresh_token(sf_org: OrgHandle) -> None:
    body = exchange(sf_org, authorize(sf_org, scope="api refresh_token")["code"]).json()
    result = introspect(sf_org, body["refresh_token"])
    assert result["active"] is True and result["token_type"] == "refresh_token", result


def test_introspect_revoked_or_unknown_token_is_inactive(sf_org: OrgHandle) -> None:
    body = tokens(sf_org)
    requests.get(
        f"{sf_org.base_url}/services/oauth2/revoke",
        params={"token": body["access_token"]},
        timeout=10,
    )
    assert introspect(sf_org, body["access_token"]) == {"active": False}
    assert introspect(sf_org, "whatever") == {"active": False}


def test_introspect_needs_the_client_secret(sf_org: OrgHandle) -> None:
    response = requests.post(
        f"{sf_org.base_url}/services/oauth2/introspect",
        data={"token": "x", "client_id": sf_org.app["client_id"], "client_secret": "bad"},
        timeout=10,
    )
    assert oauth_error(response)["error"] == "invalid_client"


def test_revoke_access_token_by_get_ends_the_session(sf_org: OrgHandle) -> None:
    body = tokens(sf_org)
    response = requests.get(
        f"{sf_org.base_url}/services/oauth2/revoke",
        params={"token": body["access_token"]},
        timeout=10,
    )
    assert response.status_code == 200, response.text
    limits = get(f"{sf_org.base_url}/services/data/v59.0/limits", body["access_token"])
    assert limits.status_code == 401, limits.text


def test_revoke_unknown_or_revoked_token_is_invalid_token(sf_org: OrgHandle) -> None:
    body = tokens(sf_org)
    url = f"{sf_org.base_url}/services/oauth2/revoke"
    assert requests.post(url, data={"token": body["access_token"]}, timeout=10).status_code == 200
    again = requests.post(url, data={"token": body["access_token"]}, timeout=10)
    assert oauth_error(again) == {
        "error": "invalid_token",
        "error_description": "Token was invalid",
    }
    assert oauth_error(requests.post(url, data={"token": "junk"}, timeout=10))["error"] == (
        "invalid_token"
    )


def test_openid_scope_brings_an_id_token_verifiable_with_id_keys(sf_org: OrgHandle) -> None:
    body = exchange(sf_org, authorize(sf_org, scope="api openid")["code"]).json()
    assert list(body)[:5] == ["access_token", "signature", "scope", "id_token", "instance_url"]
    jwks = requests.get(f"{sf_org.base_url}/id/keys", timeout=10).json()
    header = jwt.get_unverified_header(body["id_token"])
    (jwk,) = [k for k in jwks["keys"] if k["kid"] == header["kid"]]
    key = jwt.PyJWK(jwk).key
    claims = jwt.decode(
        body["id_token"], key, algorithms=["RS256"], audience=sf_org.app["client_id"]
    )
    assert claims["sub"] == body["id"] and claims["preferred_username"] == "user@test.org", claims
    assert claims["iss"] == sf_org.base_url, claims


def test_no_id_token_without_openid_scope(sf_org: OrgHandle) -> None:
    body = exchange(sf_org, authorize(sf_org, scope="api")["code"]).json()
    assert "id_token" not in body, body


def test_discovery_document_points_at_the_mock(sf_org: OrgHandle) -> None:
    doc = requests.get(f"{sf_org.base_url}/.well-known/openid-configuration", timeout=10).json()
    assert doc["token_endpoint"] == f"{sf_org.base_url}/services/oauth2/token", doc
    assert doc["jwks_uri"] == f"{sf_org.base_url}/id/keys", doc
