"""``POST /services/oauth2/token``: one function per grant type (Salesforce Help, "OAuth
Endpoints")."""

from __future__ import annotations

from collections.abc import Callable

from flask import Response, jsonify, request

from .. import pipeline
from ..errors import OAuthError
from ..pipeline.sessions import issue_access_token
from ..pipeline.state import registry
from . import bp, clients, credentials, grants, oidc
from .clients import INTERACTIVE_SCOPES, REFRESH_SCOPES, Client
from .jwt_bearer import JWT_BEARER, jwt_bearer_grant

NO_STORE = "no-cache,must-revalidate,max-age=0,no-store,private"
TokenBody = dict[str, str]


@bp.post("/services/oauth2/token")
def token() -> Response:
    pipeline.begin("oauth")
    grant_type = request.form.get("grant_type", "")
    handler = GRANT_TYPES.get(grant_type)
    if handler is None:
        raise OAuthError("unsupported_grant_type", "grant type not supported")
    pipeline.note(operation=OPERATIONS.get(grant_type, grant_type))
    response = jsonify(handler())
    response.headers["Cache-Control"] = NO_STORE
    return response


def run_faults(client: Client, user_id: str) -> None:
    """Faults run once the org and the user are known (they can throw OAuth errors)."""
    clients.note_user(client.store, user_id)
    pipeline.check_faults(client.store)


def oidc_token(client: Client, user_id: str, access_token: str, scope: str) -> str | None:
    """An ``id_token`` when the grant holds ``openid`` (code and refresh flows only)."""
    if "openid" not in scope.split():
        return None
    return oidc.id_token(client, user_id, access_token)


def authorization_code_grant() -> TokenBody:
    client_id, secret = clients.client_auth()
    code = request.form.get("code", "")
    store = grants.org_of(registry(), grants.CODE_PREFIX, code)
    client = clients.find_client(client_id, store)
    clients.check_secret(client, secret, required=bool(client.app.get("require_secret", True)))
    clients.check_not_blocked(client)
    granted = grants.redeem_code(
        client.store,
        code,
        client.client_id,
        request.form.get("redirect_uri"),
        request.form.get("code_verifier"),
    )
    credentials.check_can_log_in(client.store, granted.user_id)
    run_faults(client, granted.user_id)
    return _tokens_for_code(client, granted)


def _tokens_for_code(client: Client, granted: grants.CodeGrant) -> TokenBody:
    """An access token, plus a grant and its refresh token when the scope asks for one."""
    user_id, scope = granted.user_id, granted.scope
    grant_id = refresh = None
    if REFRESH_SCOPES & set(scope.split()):
        grant_id, refresh = grants.create_grant(client.store, user_id, client.client_id, scope)
    access = issue_access_token(client.store, user_id, client.client_id, grant_id, scope)
    grants.note_code_use(client.store, granted.code_hash, access, grant_id)
    id_token = oidc_token(client, user_id, access, scope)
    return clients.token_response(client, user_id, access, scope, refresh, id_token)


def refresh_token_grant() -> TokenBody:
    client_id, secret = clients.client_auth()
    presented = request.form.get("refresh_token", "")
    store = grants.org_of(registry(), grants.REFRESH_PREFIX, presented)
    client = clients.find_client(client_id, store)
    clients.check_secret(client, secret, required=False)
    clients.check_not_blocked(client)
    found = grants.find_refresh_token(client.store, presented, client.app)
    with grants.refreshing(client.store, found.token_hash):
        credentials.check_can_log_in(client.store, found.user_id)
        run_faults(client, found.user_id)
        grants.touch_refresh_token(client.store, found.token_hash)
        rotated = None
        if client.app.get("rotation"):
            rotated = grants.new_refresh_token(client.store, found.grant_id)
        access = issue_access_token(
            client.store, found.user_id, client.client_id, found.grant_id, found.scope
        )
    return clients.token_response(
        client,
        found.user_id,
        access,
        found.scope,
        rotated,
        oidc_token(client, found.user_id, access, found.scope),
    )


def password_grant() -> TokenBody:
    client_id, secret = clients.client_auth()
    username = request.form.get("username", "")
    client = clients.find_client(client_id, username=username)
    clients.check_secret(client, secret)
    clients.check_not_blocked(client)
    # "Allow OAuth Username-Password Flows" switched off: the flow fails like a bad password.
    if not client.store.setting("password_flow_enabled", True):
        raise OAuthError("invalid_grant", credentials.AUTHENTICATION_FAILURE)
    user = credentials.log_in(client.store, username, request.form.get("password", ""))
    run_faults(client, user.user_id)
    scope = clients.granted_scopes(client, REFRESH_SCOPES)
    access = issue_access_token(client.store, user.user_id, client.client_id, None, scope)
    return clients.token_response(client, user.user_id, access, scope)


def client_credentials_grant() -> TokenBody:
    client_id, secret = clients.client_auth()
    client = clients.find_client(client_id)
    # Salesforce serves this grant on the org's My Domain only; an org with
    # ``client_credentials_own_domain`` also refuses it on any host that is not its own.
    own_only = client.store.setting("client_credentials_own_domain", False)
    if clients.is_login_host() or (own_only and not clients.is_own_host(client.store)):
        raise OAuthError("invalid_grant", "request not supported on this domain")
    clients.check_secret(client, secret)
    clients.check_not_blocked(client)
    run_as = client.app.get("client_credentials_user")
    user_id = credentials.resolve_user(client.store, str(run_as)) if run_as else None
    if user_id is None:
        raise OAuthError("invalid_grant", "no client credentials user enabled")
    credentials.check_can_log_in(client.store, user_id)
    run_faults(client, user_id)
    scope = clients.granted_scopes(client, INTERACTIVE_SCOPES)
    access = issue_access_token(client.store, user_id, client.client_id, None, scope)
    return clients.token_response(client, user_id, access, scope)


def jwt_grant() -> TokenBody:
    client, user_id = jwt_bearer_grant(request.form.get("assertion", ""))
    run_faults(client, user_id)
    scope = clients.granted_scopes(client, REFRESH_SCOPES)
    access = issue_access_token(client.store, user_id, client.client_id, None, scope)
    return clients.token_response(client, user_id, access, scope)


GRANT_TYPES: dict[str, Callable[[], TokenBody]] = {
    "authorization_code": authorization_code_grant,
    "refresh_token": refresh_token_grant,
    "password": password_grant,
    "client_credentials": client_credentials_grant,
    JWT_BEARER: jwt_grant,
}
OPERATIONS = {JWT_BEARER: "jwt_bearer"}
