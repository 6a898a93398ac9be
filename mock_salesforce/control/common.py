"""Helpers shared by the control-plane views (the registry and URL helpers live in
``pipeline.state``, shared with the Salesforce routes)."""

from __future__ import annotations

from typing import Any

from flask import request

from ..errors import ControlError
from ..pipeline.state import base_url, instance_url, org, registry

__all__ = ["base_url", "body", "instance_url", "org", "registry"]


def body() -> dict[str, Any]:
    """The JSON object sent (an empty object when there is no body)."""
    if not request.get_data():
        return {}
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise ControlError("the body must be a JSON object")
    return data
