"""The JWT bearer flow: an RS256 assertion signed with the key of the app's certificate
(Salesforce Help, "OAuth 2.0 JWT Bearer Flow for Server-to-Server Integration"). Never returns a
refresh token.
"""

from __future__ import annotations

import math
from datetime import timedelta
from typing import Any

import jwt
from cryptography import x509

from ..errors import OAuthError
from ..pipeline.state import base_url
from . import clients, credentials, grants
from .clients import Client

JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer"
LOGIN_AUDIENCES = ("https://login.salesforce.com", "https://test.salesforce.com")
CLOCK_SKEW = timedelta(minutes=3)
# Salesforce wants an assertion that expires "within 3 minutes"; with the skew above, an ``exp``
# more than 6 minutes ahead of the org's clock is refused (a long-lived assertion is a replayable
# credential).
MAX_LIFETIME = timedelta(minutes=3)
INVALID_ASSERTION = "invalid assertion"


def jwt_bearer_grant(assertion: str) -> tuple[Client, str]:
    """Check the assertion; the app and the user the token is for."""
    claims = _unverified_claims(assertion)
    username = str(claims.get("prn") or claims.get("sub") or "")
    client = clients.find_client(str(claims.get("iss") or ""), username=username)
    clients.check_not_blocked(client)
    _verify_signature(client, assertion)
    _check_audience(claims.get("aud"))
    _check_expiry(client, claims.get("exp"))
    _check_not_before(client, claims.get("nbf"))
    user_id = credentials.user_id_for(client.store, username)
    if user_id is None:
        raise OAuthError("invalid_grant", "user hasn't approved this consumer")
    credentials.check_can_log_in(client.store, user_id)
    _check_pre_approval(client, user_id)
    return client, user_id


def _unverified_claims(assertion: str) -> dict[str, Any]:
    try:
        header = jwt.get_unverified_header(assertion)
        claims: dict[str, Any] = jwt.decode(assertion, options={"verify_signature": False})
    except jwt.PyJWTError as exc:
        raise OAuthError("invalid_grant", INVALID_ASSERTION) from exc
    if header.get("alg") != "RS256":
        raise OAuthError("invalid_grant", INVALID_ASSERTION)
    return claims


def _verify_signature(client: Client, assertion: str) -> None:
    pem = client.app.get("certificate")
    if not pem:
        raise OAuthError("invalid_grant", INVALID_ASSERTION)
    try:
        key = x509.load_pem_x509_certificate(str(pem).encode()).public_key()
        jwt.decode(
            assertion,
            key,  # type: ignore[arg-type]
            algorithms=["RS256"],
            options={
                "verify_exp": False,
                "verify_aud": False,
                "verify_iat": False,
                "verify_nbf": False,
                "verify_iss": False,
            },
        )
    except (jwt.PyJWTError, ValueError) as exc:
        raise OAuthError("invalid_grant", INVALID_ASSERTION) from exc


def _check_audience(aud: Any) -> None:
    """Login hosts, or the mock's own URL (which plays the role of the Experience site)."""
    accepted = {*LOGIN_AUDIENCES, base_url()}
    values = aud if isinstance(aud, list) else [aud]
    if not any(isinstance(v, str) and v.rstrip("/") in accepted for v in values):
        raise OAuthError("invalid_grant", "Audience validation failed")


def expiry_seconds(exp: Any) -> float | None:
    """``exp`` as seconds since the epoch: a number or a string, in seconds or milliseconds."""
    if isinstance(exp, bool):
        return None
    try:
        value = float(exp)
    except (TypeError, ValueError, OverflowError):
        return None
    if not math.isfinite(value):
        return None
    return value / 1000 if value > 1e11 else value


def _check_expiry(client: Client, exp: Any) -> None:
    seconds = expiry_seconds(exp)
    if seconds is None:
        raise OAuthError("invalid_grant", INVALID_ASSERTION)
    now = client.store.now().timestamp()
    if seconds < now - CLOCK_SKEW.total_seconds():
        raise OAuthError("invalid_grant", "expired authorization code")
    if seconds > now + (MAX_LIFETIME + CLOCK_SKEW).total_seconds():
        raise OAuthError("invalid_grant", INVALID_ASSERTION)


def _check_not_before(client: Client, nbf: Any) -> None:
    """An assertion that is not valid yet (``nbf`` beyond the skew) is refused; a malformed
    ``nbf`` too."""
    if nbf is None:
        return
    seconds = expiry_seconds(nbf)
    if seconds is None or seconds > client.store.now().timestamp() + CLOCK_SKEW.total_seconds():
        raise OAuthError("invalid_grant", INVALID_ASSERTION)


def _check_pre_approval(client: Client, user_id: str) -> None:
    """Admin-approved apps need the profile or a permission set assigned; self-authorized apps
    need an earlier interactive approval."""
    if client.app.get("permitted_users") == "admin_approved":
        if not clients.admin_approved(client, user_id):
            raise OAuthError("invalid_app_access", "user is not admin approved to access this app")
        return
    if not grants.has_approved(client.store, user_id, client.client_id):
        raise OAuthError("invalid_grant", "user hasn't approved this consumer")
