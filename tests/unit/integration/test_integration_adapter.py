"""The HTTP adapter: URLs, headers, bodies and error mapping, over an in-process transport."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qs, urlsplit

import jwt
import pytest
import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from requests.adapters import BaseAdapter

from integration.salesforce.errors import (
    InvalidSession,
    MultipleMatches,
    OAuthError,
    PermissionDenied,
    RecordError,
    RequestLimitExceeded,
    Retryable,
)
from integration.salesforce.gateway import HttpSalesforceGateway
from integration.salesforce.oauth import OAuthSettings
from integration.salesforce.types import ApiSession, TokenGrant

LOGIN = "https://login.mock.test"
INSTANCE = "https://acme.my.mock.test"
SESSION = ApiSession(INSTANCE, "00D!token")
TOKEN_BODY = {
    "access_token": "00D!new",
    "instance_url": INSTANCE,
    "token_type": "Bearer",
    "id": f"{LOGIN}/id/00DORG000000001AAA/005USR000000001AAA",
    "issued_at": "1718000000000",
}


class Transport(BaseAdapter):
    """Answers queued responses in order and keeps every request it saw."""

    def __init__(self) -> None:
        super().__init__()
        self.answers: list[tuple[int, Any, dict[str, str]]] = []
        self.requests: list[requests.PreparedRequest] = []

    def answer(
        self,
        status: int,
        body: Any = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        self.answers.append((status, body, dict(headers or {})))

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:
        self.requests.append(request)
        status, body, headers = self.answers.pop(0)
        if isinstance(body, Exception):
            raise body
        response = requests.Response()
        response.status_code = status
        response._content = b"" if body is None else json.dumps(body).encode()
        response.headers.update({"Content-Type": "application/json", **headers})
        response.url = request.url or ""
        response.request = request
        return response

    def close(self) -> None:
        return None


@pytest.fixture
def transport() -> Transport:
    return Transport()


def _gateway(transport: Transport, **settings: Any) -> HttpSalesforceGateway:
    http = requests.Session()
    http.mount("https://", transport)
    oauth = OAuthSettings(
        login_host=LOGIN,
        client_id="cid",
        client_secret="secret",
        redirect_uri="https://app.test/cb",
        **settings,
    )
    return HttpSalesforceGateway(oauth, http)


def _form(request: requests.PreparedRequest) -> dict[str, str]:
    body = request.body if isinstance(request.body, str) else (request.body or b"").decode()
    return {k: v[0] for k, v in parse_qs(body).items()}


def test_authorization_request_carries_pkce_s256_and_state(transport: Transport) -> None:
    request = _gateway(transport).authorization_request()
    query = parse_qs(urlsplit(request.url).query)
    assert request.url.startswith(f"{LOGIN}/services/oauth2/authorize?"), request.url
    assert query["state"] == [request.state]
    assert query["code_challenge_method"] == ["S256"]
    assert query["response_type"] == ["code"] and query["client_id"] == ["cid"]


def test_exchange_code_posts_verifier_and_reads_grant(transport: Transport) -> None:
    transport.answer(200, {**TOKEN_BODY, "refresh_token": "r1"})
    grant = _gateway(transport).exchange_code("aPrx==", "verifier")
    sent = transport.requests[0]
    assert (sent.method, sent.url) == ("POST", f"{LOGIN}/services/oauth2/token")
    form = _form(sent)
    assert (form["grant_type"], form["code"], form["code_verifier"]) == (
        "authorization_code",
        "aPrx==",
        "verifier",
    ), form
    assert (grant.access_token, grant.refresh_token, grant.instance_url) == (
        "00D!new",
        "r1",
        INSTANCE,
    )


def test_jwt_bearer_assertion_is_rs256_with_expected_claims(transport: Transport) -> None:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    transport.answer(200, TOKEN_BODY)
    _gateway(transport, private_key_pem=pem).jwt_bearer("int@acme")
    form = _form(transport.requests[0])
    assert form["grant_type"] == "urn:ietf:params:oauth:grant-type:jwt-bearer"
    claims = jwt.decode(form["assertion"], key.public_key(), algorithms=["RS256"], audience=LOGIN)
    assert (claims["iss"], claims["sub"], claims["aud"]) == ("cid", "int@acme", LOGIN), claims
    assert jwt.get_unverified_header(form["assertion"])["alg"] == "RS256"


def test_client_credentials_uses_basic_auth_on_token_host(transport: Transport) -> None:
    transport.answer(200, TOKEN_BODY)
    _gateway(transport, token_host=INSTANCE).client_credentials()
    sent = transport.requests[0]
    assert sent.url == f"{INSTANCE}/services/oauth2/token"
    assert str(sent.headers["Authorization"]).startswith("Basic "), sent.headers
    assert _form(sent) == {"grant_type": "client_credentials"}


@pytest.mark.parametrize(
    ("description", "permanent", "busy"),
    [
        ("expired access/refresh token", True, False),
        ("Token request is already being processed", False, True),
    ],
)
def test_oauth_error_body_maps_to_oauth_error(
    transport: Transport, description: str, permanent: bool, busy: bool
) -> None:
    transport.answer(400, {"error": "invalid_grant", "error_description": description})
    with pytest.raises(OAuthError) as caught:
        _gateway(transport).refresh("r1")
    assert (caught.value.error, caught.value.is_permanent, caught.value.is_busy) == (
        "invalid_grant",
        permanent,
        busy,
    )


def test_identity_reads_org_user_and_username_with_bearer(transport: Transport) -> None:
    transport.answer(
        200, {"organization_id": "00DORG", "user_id": "005USR", "username": "alice@acme"}
    )
    gateway = _gateway(transport)
    identity = gateway.identity(TokenGrant("00D!new", INSTANCE, str(TOKEN_BODY["id"])))
    sent = transport.requests[0]
    assert sent.url == TOKEN_BODY["id"]
    assert sent.headers["Authorization"] == "Bearer 00D!new"
    assert (identity.org_id, identity.user_id, identity.username) == (
        "00DORG",
        "005USR",
        "alice@acme",
    )


def test_revoke_posts_token_form(transport: Transport) -> None:
    transport.answer(200)
    _gateway(transport).revoke("r1")
    sent = transport.requests[0]
    assert (sent.url, _form(sent)) == (f"{LOGIN}/services/oauth2/revoke", {"token": "r1"})


def test_upsert_patches_external_id_url_with_auto_assign_header(transport: Transport) -> None:
    transport.answer(
        201,
        {"id": "003A", "success": True, "errors": [], "created": True},
        {"Sforce-Limit-Info": "api-usage=18/5000"},
    )
    gateway = _gateway(transport)
    result = gateway.upsert(
        SESSION, "Lead", "App_Id__c", "p 1", {"LastName": "D", "OwnerId": "005A"}, auto_assign=False
    )
    sent = transport.requests[0]
    assert (sent.method, sent.url) == (
        "PATCH",
        f"{INSTANCE}/services/data/v59.0/sobjects/Lead/App_Id__c/p%201",
    )
    assert sent.headers["Sforce-Auto-Assign"] == "FALSE"
    assert sent.headers["Authorization"] == "Bearer 00D!token"
    assert (result.record_id, result.created) == ("003A", True)
    usage = gateway.api_usage(INSTANCE)
    assert usage is not None and (usage.used, usage.limit) == (18, 5000)


def test_upsert_update_answer_200_is_not_created(transport: Transport) -> None:
    transport.answer(200, {"id": "003A", "success": True, "errors": [], "created": False})
    result = _gateway(transport).upsert(SESSION, "Contact", "App_Id__c", "p1", {})
    assert (result.record_id, result.created) == ("003A", False)


def test_upsert_300_raises_multiple_matches(transport: Transport) -> None:
    urls = [
        "/services/data/v59.0/sobjects/Contact/003A",
        "/services/data/v59.0/sobjects/Contact/003B",
    ]
    transport.answer(300, urls)
    with pytest.raises(MultipleMatches) as caught:
        _gateway(transport).upsert(SESSION, "Contact", "App_Id__c", "p1", {})
    assert caught.value.urls == urls


def test_update_sends_patch_without_header_when_not_asked(transport: Transport) -> None:
    transport.answer(204)
    _gateway(transport).update(SESSION, "Contact", "003A", {"Title": "CTO"})
    sent = transport.requests[0]
    assert (sent.method, sent.url) == (
        "PATCH",
        f"{INSTANCE}/services/data/v59.0/sobjects/Contact/003A",
    )
    assert "Sforce-Auto-Assign" not in sent.headers
    assert json.loads(sent.body or b"{}") == {"Title": "CTO"}


def test_query_follows_next_records_url(transport: Transport) -> None:
    transport.answer(
        200,
        {
            "totalSize": 2,
            "done": False,
            "records": [{"Id": "1"}],
            "nextRecordsUrl": "/services/data/v59.0/query/01gX-1",
        },
    )
    transport.answer(200, {"totalSize": 2, "done": True, "records": [{"Id": "2"}]})
    rows = _gateway(transport).query(SESSION, "SELECT Id FROM Contact")
    assert [r["Id"] for r in rows] == ["1", "2"]
    assert transport.requests[1].url == f"{INSTANCE}/services/data/v59.0/query/01gX-1"
    assert "q=SELECT+Id+FROM+Contact" in (transport.requests[0].url or "")


def test_describe_reads_object_and_field_flags(transport: Transport) -> None:
    transport.answer(
        200,
        {
            "name": "Contact",
            "queryable": True,
            "createable": True,
            "updateable": False,
            "fields": [
                {"name": "Title", "createable": True, "updateable": False},
                {"name": "App_Id__c", "createable": True, "updateable": True, "externalId": True},
            ],
        },
    )
    access = _gateway(
        transport,
    ).describe(SESSION, "Contact")
    assert transport.requests[0].url == f"{INSTANCE}/services/data/v59.0/sobjects/Contact/describe"
    assert (access.createable, access.updateable) == (True, False)
    assert access.fields["App_Id__c"].external_id and not access.fields["Title"].updateable


@pytest.mark.parametrize(
    ("status", "body", "error_type", "code"),
    [
        (
            401,
            [{"message": "Session expired or invalid", "errorCode": "INVALID_SESSION_ID"}],
            InvalidSession,
            "INVALID_SESSION_ID",
        ),
        (
            403,
            [{"message": "TotalRequests Limit exceeded.", "errorCode": "REQUEST_LIMIT_EXCEEDED"}],
            RequestLimitExceeded,
            "REQUEST_LIMIT_EXCEEDED",
        ),
        (
            400,
            [{"message": "unable to obtain exclusive access", "errorCode": "UNABLE_TO_LOCK_ROW"}],
            Retryable,
            "UNABLE_TO_LOCK_ROW",
        ),
        (
            503,
            [{"message": "down", "errorCode": "SERVER_UNAVAILABLE"}],
            Retryable,
            "SERVER_UNAVAILABLE",
        ),
        (
            400,
            [
                {
                    "message": "Required fields are missing: [LastName]",
                    "errorCode": "REQUIRED_FIELD_MISSING",
                    "fields": ["LastName"],
                }
            ],
            RecordError,
            "REQUIRED_FIELD_MISSING",
        ),
    ],
)
def test_rest_errors_map_to_typed_errors(
    transport: Transport, status: int, body: Any, error_type: type[Exception], code: str
) -> None:
    transport.answer(status, body)
    with pytest.raises(error_type) as caught:
        _gateway(transport).create(SESSION, "Contact", {"LastName": "D"})
    assert getattr(caught.value, "error_code", None) == code


def test_permission_error_names_the_field(transport: Transport) -> None:
    transport.answer(
        400,
        [
            {
                "message": "Unable to create/update fields: Title. Please check the "
                "security settings of this field.",
                "errorCode": "INVALID_FIELD_FOR_INSERT_UPDATE",
            }
        ],
    )
    with pytest.raises(PermissionDenied) as caught:
        _gateway(transport).create(SESSION, "Contact", {"Title": "CTO"})
    assert caught.value.field == "Title", caught.value.fields


def test_connection_error_is_retryable(transport: Transport) -> None:
    transport.answer(0, requests.ConnectionError("refused"))
    with pytest.raises(Retryable, match="TIMEOUT"):
        _gateway(transport).get(SESSION, "Contact", "003A")


def test_api_version_is_configurable(transport: Transport) -> None:
    http = requests.Session()
    http.mount("https://", transport)
    gateway = HttpSalesforceGateway(OAuthSettings(LOGIN, "cid"), http, api_version="v61.0")
    transport.answer(200, {"Id": "003A"})
    gateway.get(SESSION, "Contact", "003A", ["Id"])
    assert transport.requests[0].url == (
        f"{INSTANCE}/services/data/v61.0/sobjects/Contact/003A?fields=Id"
    )


def test_client_credentials_are_never_sent_to_a_generic_login_host() -> None:
    """The grant needs the org's own host: without one the core refuses before any call."""
    from integration.salesforce.errors import OAuthError
    from integration.salesforce.oauth import OAuthSettings, SalesforceOAuth

    class NoCalls(requests.Session):
        def request(self, *args: object, **kwargs: object) -> requests.Response:  # type: ignore[override]
            raise AssertionError(f"no call expected, got {args}")

    oauth = SalesforceOAuth(
        OAuthSettings("https://login.salesforce.com", "id", "secret"), NoCalls()
    )
    with pytest.raises(OAuthError) as refused:
        oauth.client_credentials()
    assert refused.value.error == "invalid_request", refused.value
    assert "My Domain" in refused.value.description, refused.value
