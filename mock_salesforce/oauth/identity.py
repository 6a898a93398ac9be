"""Who a token is: the identity URL, UserInfo, introspection and revocation
(Salesforce Help, "Revoke OAuth Tokens", "Identity URLs", "OpenID Connect Token Introspection
Endpoint").
"""

from __future__ import annotations

from typing import Any

from flask import Response, g, jsonify, request

from .. import pipeline
from ..errors import OAuthError, SalesforceError
from ..pipeline.sessions import (
    Session,
    bearer_token,
    lookup_session,
    revoke_token_hash,
    session_timeout,
    token_hash,
)
from ..pipeline.state import base_url, registry
from ..schema.values import parse_datetime
from ..store import OrgStore
from . import bp, clients, grants
from .clients import identity_url

# Identity and UserInfo answer a bad token with a bare 403 "Bad_OAuth_Token" (observed in
# forum reports; the reference marks the exact status unconfirmed).
BAD_TOKEN = "Bad_OAuth_Token"


class BadOAuthToken(Exception):
    """A missing, expired or foreign token on the identity endpoints."""


@bp.errorhandler(BadOAuthToken)
def _bad_token(exc: BadOAuthToken) -> tuple[str, int, dict[str, str]]:
    return BAD_TOKEN, 403, {"Content-Type": "text/plain;charset=UTF-8"}


def _session() -> Session:
    token = bearer_token(request.headers.get("Authorization")) or request.args.get("oauth_token")
    try:
        session = lookup_session(registry(), token, require_api=False)
    except SalesforceError as exc:
        raise BadOAuthToken() from exc
    g.sf_org = session.org
    clients.note_user(session.org, session.user_id)
    return session


def _user_row(session: Session, user_id: str) -> dict[str, Any]:
    rows = session.org.query(
        'SELECT u.*, p.UserLicenseId FROM "User" u LEFT JOIN "Profile" p ON p.Id = u.ProfileId '
        "WHERE u.Id = ?",
        (user_id,),
    )
    if not rows:
        raise BadOAuthToken()
    return dict(rows[0])


def urls(session: Session) -> dict[str, str]:
    """The ``urls`` block, on the mock's host, with ``{version}`` (or ``?version=``) filled."""
    base = base_url()
    org15 = session.org.org_id[:15]
    version = request.args.get("version") or "{version}"
    rest = f"{base}/services/data/v{version}/"
    return {
        "enterprise": f"{base}/services/Soap/c/{version}/{org15}",
        "metadata": f"{base}/services/Soap/m/{version}/{org15}",
        "partner": f"{base}/services/Soap/u/{version}/{org15}",
        "rest": rest,
        "sobjects": rest + "sobjects/",
        "search": rest + "search/",
        "query": rest + "query/",
        "recent": rest + "recent/",
        "tooling_soap": f"{base}/services/Soap/T/{version}/{org15}",
        "tooling_rest": rest + "tooling/",
        "profile": f"{base}/{session.user_id}",
        "feeds": rest + "chatter/feeds",
        "groups": rest + "chatter/groups",
        "users": rest + "chatter/users",
        "feed_items": rest + "chatter/feed-items",
        "feed_elements": rest + "chatter/feed-elements",
        "custom_domain": base,
    }


def identity_document(session: Session, user: dict[str, Any]) -> dict[str, Any]:
    base = base_url()
    store = session.org
    return {
        "id": identity_url(store, user["Id"]),
        "asserted_user": user["Id"] == session.user_id,
        "user_id": user["Id"],
        "organization_id": store.org_id,
        "username": user["Username"],
        "nick_name": user["CommunityNickname"],
        "display_name": user["Name"],
        "email": user["Email"],
        "email_verified": True,
        "first_name": user["FirstName"],
        "last_name": user["LastName"],
        "timezone": user["TimeZoneSidKey"],
        "photos": {
            "picture": f"{base}/profilephoto/005/F",
            "thumbnail": f"{base}/profilephoto/005/T",
        },
        "addr_street": None,
        "addr_city": None,
        "addr_state": None,
        "addr_country": "US",
        "addr_zip": None,
        "mobile_phone": None,
        "mobile_phone_verified": False,
        "is_lightning_login_user": False,
        "status": {"created_date": None, "body": None},
        "urls": urls(session),
        "active": bool(user["IsActive"]),
        "user_type": str(user["UserType"] or "Standard").upper(),
        "language": user["LanguageLocaleKey"],
        "locale": user["LocaleSidKey"],
        "utcOffset": -28800000,
        "last_modified_date": user["LastModifiedDate"],
        "is_app_installed": True,
    }


@bp.get("/id/<org_id>/<user_id>")
def identity(org_id: str, user_id: str) -> Response:
    """A token reads its own identity; another user's needs the ``api`` or ``full`` scope."""
    pipeline.begin("oauth")
    session = _session()
    if org_id[:15] != session.org.org_id[:15]:
        raise BadOAuthToken()
    own = user_id[:15] == session.user_id[:15]
    if not own and not {"api", "full"} & set(session.scope.split()):
        raise BadOAuthToken()
    return jsonify(identity_document(session, _user_row(session, user_id)))


@bp.get("/services/oauth2/userinfo")
def userinfo() -> Response:
    """The token's own user, in OpenID Connect's names."""
    pipeline.begin("oauth")
    session = _session()
    user = _user_row(session, session.user_id)
    doc = identity_document(session, user)
    return jsonify(
        {
            "sub": doc["id"],
            "user_id": doc["user_id"],
            "organization_id": doc["organization_id"],
            "preferred_username": doc["username"],
            "nickname": doc["nick_name"],
            "name": doc["display_name"],
            "email": doc["email"],
            "email_verified": True,
            "given_name": doc["first_name"],
            "family_name": doc["last_name"],
            "zoneinfo": doc["timezone"],
            "photos": doc["photos"],
            "profile": f"{base_url()}/{session.user_id}",
            "picture": doc["photos"]["picture"],
            "address": {"country": "US"},
            "is_salesforce_integration_user": user["UserLicenseId"] == "Salesforce Integration",
            "urls": doc["urls"],
            "active": doc["active"],
            "user_type": doc["user_type"],
            "language": doc["language"],
            "locale": doc["locale"],
            "utcOffset": doc["utcOffset"],
            "updated_at": doc["last_modified_date"],
            "is_app_installed": True,
        }
    )


@bp.route("/services/oauth2/revoke", methods=["GET", "POST"])
def revoke() -> tuple[str, int]:
    """Revoke an access token (that session) or a refresh token (its grant and sessions)."""
    pipeline.begin("oauth")
    token = request.values.get("token", "")
    store = registry().find(token.split("!", 1)[0]) if "!" in token else None
    store = store or grants.org_of(registry(), grants.REFRESH_PREFIX, token)
    if store is None:
        raise OAuthError("invalid_token", "Token was invalid")
    g.sf_org = store
    revoked = revoke_token_hash(store, token_hash(token)) or grants.revoke_refresh_token(
        store, token
    )
    if not revoked:
        raise OAuthError("invalid_token", "Token was invalid")
    return "", 200


@bp.post("/services/oauth2/introspect")
def introspect() -> Response:
    """RFC 7662 for the app that owns the token; ``{"active": false}`` for anything else."""
    pipeline.begin("oauth")
    client_id, secret = clients.client_auth()
    token = request.form.get("token", "")
    client = clients.find_client(client_id, _org_of_token(token))
    clients.check_secret(client, secret)
    return jsonify(introspection(client, token))


def _org_of_token(token: str) -> OrgStore | None:
    if "!" in token:
        return registry().find(token.split("!", 1)[0])
    return grants.org_of(registry(), grants.REFRESH_PREFIX, token)


def introspection(client: clients.Client, token: str) -> dict[str, Any]:
    store = client.store
    digest = token_hash(token)
    try:
        session = lookup_session(registry(), token, touch=False, require_api=False)
    except SalesforceError:
        session = None
    if session is not None and session.client_id == client.client_id:
        row = store.query("SELECT * FROM _mock_access_token WHERE token_hash = ?", (digest,))[0]
        issued = int(parse_datetime(row["issued_at"]).timestamp())
        expires = parse_datetime(row["last_used"]) + session_timeout(store)
        return _active(session.org, session.user_id, row["scope"], client, "access_token") | {
            "exp": int(expires.timestamp()),
            "iat": issued,
            "nbf": issued,
        }
    try:
        found = grants.find_refresh_token(store, token, client.app)
    except OAuthError:
        return {"active": False}
    return _active(store, found.user_id, found.scope, client, "refresh_token")


def _active(
    store: OrgStore, user_id: str, scope: str, client: clients.Client, kind: str
) -> dict[str, Any]:
    rows = store.query('SELECT Username FROM "User" WHERE Id = ?', (user_id,))
    return {
        "active": True,
        "scope": scope,
        "client_id": client.client_id,
        "username": rows[0]["Username"] if rows else None,
        "sub": identity_url(store, user_id),
        "token_type": kind,
    }
