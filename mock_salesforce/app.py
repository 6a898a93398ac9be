"""The application factory: one app, one registry of orgs, the blueprints, errors rendered once."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from flask import Flask, Response, g, jsonify, request
from werkzeug.exceptions import HTTPException, MethodNotAllowed

from . import pipeline
from .errors import ControlError, OAuthError, SalesforceError, UnknownException
from .pipeline.state import MockState
from .store import OrgNotFound, Registry

log = logging.getLogger("mock_salesforce")
JSON_MIMETYPE = "application/json;charset=UTF-8"


class TrailingSlash:
    """WSGI middleware: ``/x/`` is served as ``/x`` so routing never redirects, and ``//x`` as
    ``/x`` (an instance URL ending in ``/`` joined with ``/services/...``, as the sf CLI's
    jsforce sends it; see ``server.SalesforceRequest``)."""

    def __init__(self, wsgi_app: Any) -> None:
        self.wsgi_app = wsgi_app

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        path = environ.get("PATH_INFO", "")
        if path.startswith("//"):
            path = "/" + path.lstrip("/")
        if len(path) > 1 and path.endswith("/"):
            path = path.rstrip("/") or "/"
        environ["PATH_INFO"] = path
        return self.wsgi_app(environ, start_response)


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """A new world: a Flask app with its own registry of orgs.

    Config keys: ``DB_DIR`` (a folder: one SQLite file per org, survives restarts),
    ``BASE_URL`` (the URL clients reach the app at; otherwise taken from each request).
    """
    app = Flask(__name__)
    app.config.update(config or {})
    db_dir = app.config.get("DB_DIR")
    registry = Registry(Path(db_dir) if db_dir else None)
    app.extensions["mock_salesforce"] = MockState(registry, app.config.get("BASE_URL"))
    app.json.sort_keys = False  # type: ignore[attr-defined]
    app.json.compact = True  # type: ignore[attr-defined]
    app.json.mimetype = JSON_MIMETYPE  # type: ignore[attr-defined]
    app.url_map.strict_slashes = False
    app.wsgi_app = TrailingSlash(app.wsgi_app)  # type: ignore[method-assign]
    _register_blueprints(app)
    _register_errors(app)
    app.after_request(pipeline.finish)
    return app


def _register_blueprints(app: Flask) -> None:
    from .bulk import bp as bulk_bp
    from .control import bp as control_bp
    from .oauth import bp as oauth_bp
    from .rest import bp as rest_bp

    app.register_blueprint(control_bp)
    app.register_blueprint(oauth_bp)
    app.register_blueprint(rest_bp)
    app.register_blueprint(bulk_bp)


def is_control_path(path: str) -> bool:
    return path.startswith("/_mock")


def is_oauth_path(path: str) -> bool:
    return path.startswith("/services/oauth2")


def _register_errors(app: Flask) -> None:
    @app.errorhandler(SalesforceError)
    def _salesforce(exc: SalesforceError) -> tuple[Response, int]:
        g.sf_error_code = exc.error_code
        if exc.http_status >= 500:
            log.warning("%s %s -> %s", request.method, request.path, exc.error_code)
        return jsonify([exc.to_json()]), exc.http_status

    @app.errorhandler(OAuthError)
    def _oauth(exc: OAuthError) -> tuple[Response, int]:
        g.sf_error_code = exc.error
        response = jsonify(exc.to_json())
        response.headers["Cache-Control"] = "no-cache,must-revalidate,max-age=0,no-store,private"
        return response, exc.status

    @app.errorhandler(ControlError)
    def _control(exc: ControlError) -> tuple[Response, int]:
        return jsonify({"error": exc.message}), exc.status

    @app.errorhandler(OrgNotFound)
    def _org(exc: OrgNotFound) -> tuple[Response, int]:
        if is_control_path(request.path):
            return jsonify({"error": f"no org '{exc.args[0]}' in this server"}), 404
        return _salesforce(UnknownException("org not found"))

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException) -> tuple[Response, int]:
        status = exc.code or 500
        if is_control_path(request.path):
            return jsonify({"error": exc.description or exc.name}), status
        if is_oauth_path(request.path):
            return _oauth(OAuthError("invalid_request", exc.description or exc.name, status))
        if isinstance(exc, MethodNotAllowed):
            allowed = ",".join(sorted(exc.valid_methods or ()))
            message = f"HTTP Method '{request.method}' not allowed. Allowed are {allowed}"
            body = [{"message": message, "errorCode": "METHOD_NOT_ALLOWED"}]
            g.sf_error_code = "METHOD_NOT_ALLOWED"
            return jsonify(body), 405
        if status == 404:
            g.sf_error_code = "NOT_FOUND"
            body = [{"errorCode": "NOT_FOUND", "message": "The requested resource does not exist"}]
            return jsonify(body), 404
        g.sf_error_code = "UNKNOWN_EXCEPTION"
        return jsonify(
            [{"message": exc.description or exc.name, "errorCode": "UNKNOWN_EXCEPTION"}]
        ), status

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception) -> tuple[Response, int]:
        log.exception("unexpected error on %s %s", request.method, request.path)
        if is_control_path(request.path):
            return jsonify({"error": f"internal error: {type(exc).__name__}"}), 500
        if is_oauth_path(request.path):
            return _oauth(OAuthError("server_error", "internal server error", 500))
        return _salesforce(UnknownException(f"An unexpected error occurred: {type(exc).__name__}"))
