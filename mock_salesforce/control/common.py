"""Helpers shared by the control-plane views."""

from __future__ import annotations

from typing import Any

from flask import current_app, request

from ..errors import ControlError
from ..store import OrgStore, Registry
from .openapi import check_body


def registry() -> Registry:
    reg: Registry = current_app.extensions["mock_salesforce"].registry
    return reg


def org(org_id: str) -> OrgStore:
    return registry().get(org_id)


def body() -> dict[str, Any]:
    """The JSON object sent (an empty object when there is no body), checked against what the
    view declares with ``@accepts`` (``openapi.py``)."""
    data = request.get_json(silent=True) if request.get_data() else {}
    if not isinstance(data, dict):
        raise ControlError("the body must be a JSON object")
    check_body(current_app.view_functions.get(request.endpoint or ""), data)
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
