"""Helpers shared by the control-plane views (the registry and URL helpers live in
``pipeline.state``, shared with the Salesforce routes)."""

from __future__ import annotations

from typing import Any

from flask import current_app, request

from ..errors import ControlError
from ..pipeline import safejson
from ..pipeline.state import base_url, instance_url, org, registry
from .openapi import check_body

__all__ = ["base_url", "body", "instance_url", "org", "registry"]


def body() -> dict[str, Any]:
    """The JSON object sent (an empty object when there is no body), checked against what the
    view declares with ``@accepts`` (``openapi.py``)."""
    raw = request.get_data(cache=True)
    data: Any = {}
    try:
        data = safejson.loads(raw.decode("utf-8")) if raw else {}
    except safejson.JsonRefused as exc:
        raise ControlError(f"the body is not JSON the mock accepts: {exc}") from None
    except ValueError:
        data = None
    if not isinstance(data, dict):
        raise ControlError("the body must be a JSON object")
    check_body(current_app.view_functions.get(request.endpoint or ""), data)
    return data
