"""Helpers shared by the control-plane views (the registry and URL helpers live in
``pipeline.state``, shared with the Salesforce routes)."""

from __future__ import annotations

from typing import Any

from flask import request

from ..errors import ControlError
from ..pipeline import safejson
from ..pipeline.state import base_url, instance_url, org, registry

__all__ = ["base_url", "body", "instance_url", "org", "registry"]


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
