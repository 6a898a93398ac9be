"""Helpers shared by the control-plane views."""

from __future__ import annotations

from typing import Any

from flask import current_app, request

from .. import safejson
from ..errors import ControlError
from ..store import OrgStore, Registry


def registry() -> Registry:
    reg: Registry = current_app.extensions["mock_salesforce"].registry
    return reg


def org(org_id: str) -> OrgStore:
    return registry().get(org_id)


def body() -> dict[str, Any]:
    """The JSON object sent (an empty object when there is no body)."""
    raw = request.get_data(cache=True)
    if not raw:
        return {}
    try:
        data = safejson.loads(raw.decode("utf-8"))
    except safejson.JsonRefused as exc:
        raise ControlError(f"the body is not JSON the mock accepts: {exc}") from None
    except ValueError:
        data = None
    if not isinstance(data, dict):
        raise ControlError("the body must be a JSON object")
    return data


def base_url() -> str:
    """Where clients reach this server (configured, else the request's own host)."""
    configured: str | None = current_app.extensions["mock_salesforce"].base_url
    return (configured or request.host_url).rstrip("/")


def instance_url(store: OrgStore) -> str:
    """Where the org's API answers: its ``instance_url`` setting (a My Domain of the mock's
    own), else the mock's base URL. Identity URLs stay on the login host, as in Salesforce."""
    configured = store.setting("instance_url")
    return str(configured).rstrip("/") if configured else base_url()
