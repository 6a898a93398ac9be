"""Which org a refused call belongs to, so that its journal shows it.

A call refused before its org was known (an invalid or expired token, an unknown client id, a
wrong password) still names an org somewhere: an access token carries the org id before its
``!``, a refresh token and an authorization code after a fixed prefix, a client id or a
username belongs to one org. A call that names no org at all (a token of no org, an unknown
client id and no username) cannot be journaled anywhere; the request log still shows it.
"""

from __future__ import annotations

from flask import request

from ..store import OrgStore, Registry
from .sessions import bearer_token, connected_app

PREFIXED = {"refresh_token": "5Aep861", "code": "aPrx", "token": ""}


def org_of_refused_call(registry: Registry) -> OrgStore | None:
    return _by_token(registry) or _by_form(registry)


def _by_token(registry: Registry) -> OrgStore | None:
    token = bearer_token(request.headers.get("Authorization"))
    if token and "!" in token:
        return registry.find(token.split("!", 1)[0])
    return None


def _by_form(registry: Registry) -> OrgStore | None:
    form = request.form if request.mimetype == "application/x-www-form-urlencoded" else {}
    for key, prefix in PREFIXED.items():
        value = str(form.get(key) or "")
        if value.startswith(prefix) and len(value) >= len(prefix) + 15:
            org15 = value.split("!", 1)[0] if "!" in value else value[len(prefix) :][:15]
            if (store := registry.find(org15[:15])) is not None:
                return store
    client_id = str(form.get("client_id") or "")
    username = str(form.get("username") or "")
    for store in registry.accepting_logins():
        if client_id and connected_app(store, client_id) is not None:
            return store
        if username and store.query('SELECT 1 FROM "User" WHERE Username = ?', (username,)):
            return store
    return None
