"""OpenID Connect: the ``id_token`` issued with the ``openid`` scope, the keys that verify it
(``/id/keys``) and the discovery document (Salesforce Help, "OAuth Endpoints").

One RSA key (RS256) per server signs every org's id tokens, as Salesforce's global keys do.
"""

from __future__ import annotations

import base64
import hashlib
import threading
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from flask import Response, current_app, jsonify

from ..pipeline.state import base_url
from . import bp, clients
from .clients import Client

EXTENSION = "mock_salesforce_oidc_key"
ID_TOKEN_LIFETIME = 300
_KEY_LOCK = threading.Lock()


def signing_key() -> rsa.RSAPrivateKey:
    """The server's signing key, made on first use (like Salesforce, one set of keys signs the
    id tokens of every org); it lives as long as the app."""
    with _KEY_LOCK:
        key = current_app.extensions.get(EXTENSION)
        if not isinstance(key, rsa.RSAPrivateKey):
            key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
            current_app.extensions[EXTENSION] = key
        return key


def key_id(key: rsa.RSAPrivateKey) -> str:
    """A key id derived from the public key."""
    der = key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return hashlib.sha256(der).hexdigest()[:16]


def at_hash(access_token: str) -> str:
    """OIDC ``at_hash``: base64url of the left half of SHA-256 of the access token."""
    digest = hashlib.sha256(access_token.encode()).digest()
    return base64.urlsafe_b64encode(digest[:16]).decode().rstrip("=")


def id_token(client: Client, user_id: str, access_token: str) -> str:
    """A signed id token describing ``user_id`` for ``client``."""
    store = client.store
    user = store.query('SELECT * FROM "User" WHERE Id = ?', (user_id,))[0]
    now = int(store.now().timestamp())
    claims: dict[str, Any] = {
        "at_hash": at_hash(access_token),
        "sub": clients.identity_url(store, user_id),
        "aud": client.client_id,
        "iss": base_url(),
        "exp": now + ID_TOKEN_LIFETIME,
        "iat": now,
        "auth_time": now,
        "name": user["Name"],
        "preferred_username": user["Username"],
        "nickname": user["CommunityNickname"],
        "given_name": user["FirstName"],
        "family_name": user["LastName"],
        "email": user["Email"],
        "email_verified": True,
        "zoneinfo": user["TimeZoneSidKey"],
        "locale": user["LocaleSidKey"],
        "address": {"country": "US"},
    }
    key = signing_key()
    return jwt.encode(claims, key, algorithm="RS256", headers={"kid": key_id(key)})


@bp.get("/id/keys")
def keys() -> Response:
    """The public key that verifies id tokens, as a JWK set."""
    key = signing_key()
    jwk = jwt.algorithms.RSAAlgorithm.to_jwk(key.public_key(), as_dict=True)
    return jsonify({"keys": [{**jwk, "kid": key_id(key), "use": "sig", "alg": "RS256"}]})


@bp.get("/.well-known/openid-configuration")
def discovery() -> Response:
    base = base_url()
    return jsonify(
        {
            "issuer": base,
            "authorization_endpoint": f"{base}/services/oauth2/authorize",
            "token_endpoint": f"{base}/services/oauth2/token",
            "revocation_endpoint": f"{base}/services/oauth2/revoke",
            "userinfo_endpoint": f"{base}/services/oauth2/userinfo",
            "introspection_endpoint": f"{base}/services/oauth2/introspect",
            "jwks_uri": f"{base}/id/keys",
            "scopes_supported": ["id", "api", "web", "full", "openid", "refresh_token"],
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "token_endpoint_auth_methods_supported": ["client_secret_post", "client_secret_basic"],
            "code_challenge_methods_supported": ["S256"],
        }
    )
