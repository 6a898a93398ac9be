"""OAuth 2.0 against a Salesforce login host: web-server + PKCE, refresh, JWT, client credentials.

Endpoints (Salesforce Help, "OAuth Endpoints"): GET /services/oauth2/authorize,
POST /services/oauth2/token, POST /services/oauth2/revoke, GET <identity URL>.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode, urlsplit

import jwt
import requests

from integration.salesforce.errors import OAuthError, Retryable, raise_for_oauth
from integration.salesforce.types import AuthorizationRequest, Identity, TokenGrant

JWT_BEARER_GRANT = "urn:ietf:params:oauth:grant-type:jwt-bearer"
JWT_LIFETIME_SECONDS = 180


@dataclass(frozen=True)
class OAuthSettings:
    """A connected app as seen from the sales app.

    `login_host`: https://login.salesforce.com, https://test.salesforce.com, a My Domain or a
    mock URL. `token_host` defaults to it. `my_domain` is the org's own host: Salesforce serves
    client credentials there only, so that grant goes to it (or to the login host when that is
    itself a My Domain), and refreshes of it go to the connection's own instance.
    `jwt_audience` defaults to the login host (Salesforce wants login/test, never My Domain).
    """

    login_host: str
    client_id: str
    client_secret: str | None = None
    redirect_uri: str = ""
    scope: str = "api refresh_token id"
    private_key_pem: str | None = None
    token_host: str | None = None
    my_domain: str | None = None
    jwt_audience: str | None = None
    timeout_seconds: float = 30.0

    @property
    def token_url(self) -> str:
        return f"{(self.token_host or self.login_host).rstrip('/')}/services/oauth2/token"


GENERIC_LOGIN_HOSTS = frozenset({"login.salesforce.com", "test.salesforce.com"})


def is_generic_login_host(url: str) -> bool:
    """login.salesforce.com or test.salesforce.com: shared by every org, so never its own."""
    return urlsplit(url).netloc.split(":")[0].lower() in GENERIC_LOGIN_HOSTS


def pkce_pair() -> tuple[str, str]:
    """A code verifier and its S256 challenge: base64url(SHA-256(verifier)) without padding."""
    verifier = secrets.token_urlsafe(64)
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


class SalesforceOAuth:
    def __init__(self, settings: OAuthSettings, http: requests.Session) -> None:
        self.settings = settings
        self.http = http

    def authorization_request(self, login_hint: str | None = None) -> AuthorizationRequest:
        """The authorize URL with PKCE (S256) and a fresh `state`."""
        verifier, challenge = pkce_pair()
        state = secrets.token_urlsafe(24)
        params = {
            "response_type": "code",
            "client_id": self.settings.client_id,
            "redirect_uri": self.settings.redirect_uri,
            "scope": self.settings.scope,
            "state": state,
            "code_challenge": challenge,
            "code_challenge_method": "S256",
        }
        if login_hint:
            params["login_hint"] = login_hint
        base = self.settings.login_host.rstrip("/")
        return AuthorizationRequest(
            f"{base}/services/oauth2/authorize?{urlencode(params)}", state, verifier
        )

    def exchange_code(self, code: str, code_verifier: str) -> TokenGrant:
        form = {
            "grant_type": "authorization_code",
            "code": code,
            "client_id": self.settings.client_id,
            "redirect_uri": self.settings.redirect_uri,
            "code_verifier": code_verifier,
        }
        if self.settings.client_secret:
            form["client_secret"] = self.settings.client_secret
        return self._token(form)

    def refresh(self, refresh_token: str) -> TokenGrant:
        """Refresh; with rotation on, the answer carries a new refresh token."""
        form = {
            "grant_type": "refresh_token",
            "refresh_token": refresh_token,
            "client_id": self.settings.client_id,
        }
        if self.settings.client_secret:
            form["client_secret"] = self.settings.client_secret
        return self._token(form)

    def jwt_bearer(self, username: str) -> TokenGrant:
        """JWT bearer flow: RS256 assertion, iss client id, sub username, aud login host."""
        if not self.settings.private_key_pem:
            raise OAuthError("invalid_request", "no private key configured for the JWT flow")
        claims = {
            "iss": self.settings.client_id,
            "sub": username,
            "aud": (self.settings.jwt_audience or self.settings.login_host).rstrip("/"),
            "exp": int(time.time()) + JWT_LIFETIME_SECONDS,
        }
        assertion = jwt.encode(claims, self.settings.private_key_pem, algorithm="RS256")
        return self._token({"grant_type": JWT_BEARER_GRANT, "assertion": assertion})

    def client_credentials(self, my_domain: str | None = None) -> TokenGrant:
        """Client credentials with HTTP Basic client auth; tokens act as the run-as user. Sent
        to the org's own host (`my_domain`, else the settings'): never to login/test."""
        settings = self.settings
        host = my_domain or settings.my_domain or settings.token_host or settings.login_host
        if is_generic_login_host(host):
            raise OAuthError(
                "invalid_request",
                "client credentials need the org's My Domain host (OAuthSettings.my_domain)",
            )
        auth = (self.settings.client_id, self.settings.client_secret or "")
        url = f"{host.rstrip('/')}/services/oauth2/token"
        return self._token({"grant_type": "client_credentials"}, auth=auth, url=url)

    def revoke(self, token: str) -> None:
        url = f"{self.settings.login_host.rstrip('/')}/services/oauth2/revoke"
        response = self._oauth_request("POST", url, data={"token": token})
        raise_for_oauth(response)

    def identity(self, grant: TokenGrant) -> Identity:
        """GET the identity URL with the bearer token: org id, user id, username."""
        headers = {"Authorization": f"Bearer {grant.access_token}", "Accept": "application/json"}
        response = self._oauth_request("GET", grant.identity_url, headers=headers)
        raise_for_oauth(response)
        body: dict[str, Any] = response.json()
        return Identity(
            org_id=str(body["organization_id"]),
            user_id=str(body["user_id"]),
            username=str(body.get("username", "")),
            display_name=str(body.get("display_name") or ""),
            user_type=str(body.get("user_type") or ""),
            active=bool(body.get("active", True)),
        )

    def _token(
        self, form: dict[str, str], auth: tuple[str, str] | None = None, url: str | None = None
    ) -> TokenGrant:
        headers = {"Accept": "application/json"}
        response = self._oauth_request(
            "POST", url or self.settings.token_url, data=form, headers=headers, auth=auth
        )
        raise_for_oauth(response)
        body: dict[str, Any] = response.json()
        return TokenGrant(
            access_token=str(body["access_token"]),
            instance_url=str(body["instance_url"]).rstrip("/"),
            identity_url=str(body["id"]),
            refresh_token=body.get("refresh_token"),
            issued_at=body.get("issued_at"),
            scope=body.get("scope"),
        )

    def _oauth_request(self, method: str, url: str, **kwargs: Any) -> requests.Response:
        try:
            return self.http.request(method, url, timeout=self.settings.timeout_seconds, **kwargs)
        except (requests.ConnectionError, requests.Timeout) as exc:
            raise Retryable("TIMEOUT", f"{type(exc).__name__}: {exc}") from exc
