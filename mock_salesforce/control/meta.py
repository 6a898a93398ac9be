"""The control plane about itself: a health check and its OpenAPI description."""

from __future__ import annotations

from flask import Response, current_app, jsonify

from .. import __version__
from . import bp
from .common import registry
from .openapi import describe


@bp.get("/health")
def health() -> Response:
    """Liveness for orchestrators: ``{"status": "ok", "version": ..., "orgs": <count>}``."""
    return jsonify({"status": "ok", "version": __version__, "orgs": len(registry().all())})


@bp.get("/openapi.json")
def openapi() -> Response:
    """This control plane as OpenAPI 3.1, built from its routes and their input checks."""
    return jsonify(describe(current_app))
