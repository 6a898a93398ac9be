"""The application factory: one app, one registry of orgs, the blueprints, errors rendered once."""

from __future__ import annotations

import logging
import re
import sqlite3
from collections.abc import Callable
from functools import cached_property
from pathlib import Path
from typing import Any, NamedTuple

from flask import Flask, Response, g, jsonify, request
from flask.globals import request_ctx
from werkzeug.exceptions import HTTPException, MethodNotAllowed
from werkzeug.routing import MapAdapter
from werkzeug.wsgi import get_host

from . import pipeline
from .errors import (
    ControlError,
    InvalidSessionId,
    MalformedQuery,
    OAuthError,
    SalesforceError,
    UnknownException,
)
from .pipeline import guards, requestlog
from .pipeline.state import MockState
from .serving import fastjson
from .serving.routes import CountedMap, ShapedMapAdapter, Shapes
from .soql.complexity import TOO_COMPLICATED
from .store import OrgNotFound, OrgStore, Registry

log = logging.getLogger("mock_salesforce")
_SLASHES = re.compile("/{2,}")
JSON_MIMETYPE = "application/json;charset=UTF-8"


class TrailingSlash:
    """WSGI middleware: ``/x/`` is served as ``/x`` so routing never redirects, and ``//x`` as
    ``/x`` (an instance URL ending in ``/`` joined with ``/services/...``, as the sf CLI's
    jsforce sends it; see ``server.SalesforceRequest``). Doubled slashes inside a path are read
    as one too (``/services/data//v59.0``), where routing would answer an HTML 308 redirect."""

    def __init__(self, wsgi_app: Any) -> None:
        self.wsgi_app = wsgi_app

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        path = environ.get("PATH_INFO", "")
        if "//" in path:
            path = _SLASHES.sub("/", path)
        if len(path) > 1 and path.endswith("/"):
            path = path.rstrip("/") or "/"
        environ["PATH_INFO"] = path
        return self.wsgi_app(environ, start_response)


class MockApp(Flask):
    """Flask, asking once per function whether it is a coroutine (Flask asks for every hook
    and view on every request; none of the mock's is one)."""

    url_map_class = CountedMap  # kept URL matches forget when a rule is added

    def ensure_sync(self, func: Callable[..., Any]) -> Callable[..., Any]:
        known = self._sync_functions.get(func)
        if known is None:
            known = super().ensure_sync(func)
            if len(self._sync_functions) >= 4096:
                self._sync_functions.clear()
            self._sync_functions[func] = known
        return known

    @cached_property
    def _sync_functions(self) -> dict[Callable[..., Any], Callable[..., Any]]:
        return {}

    # Flask binds its URL map to every request's environ: the host parsed again, split for a
    # subdomain, checked for a WebSocket upgrade and IDNA-encoded, the same work for every call
    # to the same host. The bound name is kept per ``Host``, so a plain request binds with one
    # dictionary lookup. Anything else (a server name, trusted hosts in the
    # config or on the request class, host or subdomain matching, an upgrade) goes Flask's way.
    @cached_property
    def _bound_hosts(self) -> dict[str, str]:
        return {}

    def create_url_adapter(self, request: Any) -> MapAdapter | None:
        plain = (
            request is not None
            and self.config["SERVER_NAME"] is None
            and self.config["TRUSTED_HOSTS"] is None
            and getattr(request, "trusted_hosts", None) is None
            and not self.url_map.host_matching
            and not self.subdomain_matching
        )
        if not plain:
            return super().create_url_adapter(request)
        environ = request.environ
        host = get_host(environ)
        server_name = self._bound_hosts.get(host)
        if server_name is None or "HTTP_UPGRADE" in environ:
            adapter = super().create_url_adapter(request)
            if adapter is not None and "HTTP_UPGRADE" not in environ:
                if len(self._bound_hosts) >= 256:
                    self._bound_hosts.clear()
                self._bound_hosts[host] = adapter.server_name
            return adapter
        request.host = host
        # As werkzeug's ``bind_to_environ`` and ``bind``: each value decoded when present (an
        # empty path stays empty), "/" for a missing script name or path.
        script_name = _wsgi_text(environ.get("SCRIPT_NAME"))
        path_info = _wsgi_text(environ.get("PATH_INFO"))
        adapter = ShapedMapAdapter(
            self.url_map,
            server_name,
            "/" if script_name is None else script_name,
            self.url_map.default_subdomain or "",
            environ["wsgi.url_scheme"],
            "/" if path_info is None else path_info,
            environ["REQUEST_METHOD"],
            _wsgi_text(environ.get("QUERY_STRING")),
        )
        adapter.shapes = self._shapes
        return adapter

    # The request's match, kept per method and path shape (``serving/routes.py``).
    @cached_property
    def _shapes(self) -> Shapes:
        return Shapes(self.url_map)

    # Flask walks the blueprint names and looks up each one's hooks on every request. The hooks
    # cannot change once a request was served (Flask refuses setup after the first), so each
    # blueprint's are listed once, in Flask's order.
    @cached_property
    def _hook_plans(self) -> dict[str | None, _Hooks]:
        return {}

    def _hooks(self, blueprint: str | None) -> _Hooks:
        plan = self._hook_plans.get(blueprint)
        if plan is None:
            names = _blueprint_names(blueprint)  # innermost first, as request.blueprints
            outward = (None, *reversed(names))
            plan = _Hooks(
                tuple(f for n in outward for f in self.url_value_preprocessors.get(n, ())),
                tuple(
                    self.ensure_sync(f)
                    for n in outward
                    for f in self.before_request_funcs.get(n, ())
                ),
                tuple(
                    self.ensure_sync(f)
                    for n in (*names, None)
                    for f in reversed(self.after_request_funcs.get(n, []))
                ),
            )
            self._hook_plans[blueprint] = plan
        return plan

    def preprocess_request(self) -> Any:
        req = request._get_current_object()  # type: ignore[attr-defined]
        plan = self._hooks(req.blueprint)
        for url_func in plan.url_values:
            url_func(req.endpoint, req.view_args)
        for before in plan.before:
            answer = before()
            if answer is not None:
                return answer
        return None

    def process_response(self, response: Response) -> Response:
        ctx = request_ctx._get_current_object()  # type: ignore[attr-defined]
        for func in ctx._after_request_functions:
            response = self.ensure_sync(func)(response)
        for after in self._hooks(ctx.request.blueprint).after:
            response = after(response)
        if not self.session_interface.is_null_session(ctx._session):
            self.session_interface.save_session(self, ctx._session, response)
        return response


def _wsgi_text(value: str | None) -> str | None:
    """A WSGI string (latin-1 carrying UTF-8 bytes) as text, as werkzeug reads it."""
    if value is None:
        return None
    return value.encode("latin1").decode(errors="replace")


class _Hooks(NamedTuple):
    url_values: tuple[Callable[..., Any], ...]
    before: tuple[Callable[..., Any], ...]
    after: tuple[Callable[..., Any], ...]


def _blueprint_names(blueprint: str | None) -> list[str]:
    """``request.blueprints``: the blueprint's name, then its parents' (``a.b``, ``a``)."""
    names: list[str] = []
    while blueprint:
        names.append(blueprint)
        blueprint = blueprint.rpartition(".")[0]
    return names


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """A new world: a Flask app with its own registry of orgs.

    Config keys: ``DB_DIR`` (a folder: one SQLite file per org, survives restarts),
    ``DB_PRIVATE`` (no other process opens ``DB_DIR``: its files are locked once, not per call),
    ``DB_DURABLE`` (commits in ``DB_DIR`` survive a power loss; default true with a folder),
    ``BASE_URL`` (the URL clients reach the app at; otherwise taken from each request),
    ``MAX_BODY_BYTES`` (request body cap, 32 MB), ``CONTROL_TOKEN`` (required on ``/_mock``
    when set), ``CONTROL_HOSTS`` (more host names the control plane answers on); see guards.
    ``LANE`` (default true): plain record reads, creates and updates are answered without Flask's
    request handling, the same answers (``rest/lane.py``); false sends every call through Flask.
    ``CALL_LOG`` (default true): the lane's reads are recorded in each org's call log, folded
    into the journal and API usage in order (``pipeline/call_log.py``); false commits each one.
    ``CALL_LOG_BYTES``: the size past which a call log is folded whole and replaced (256 KB).
    """
    app = MockApp(__name__)
    app.config.update(config or {})
    db_dir = app.config.get("DB_DIR")
    from .pipeline import call_log

    registry = Registry(
        Path(db_dir) if db_dir else None,
        private=bool(app.config.get("DB_PRIVATE")),
        durable=app.config.get("DB_DURABLE"),
        fold=call_log.fold if app.config.get("CALL_LOG", True) else None,
        call_log_bytes=int(app.config.get("CALL_LOG_BYTES") or call_log.ROTATE_BYTES),
    )
    app.extensions["mock_salesforce"] = MockState(registry, app.config.get("BASE_URL"))
    fastjson.install(app, JSON_MIMETYPE)
    app.url_map.strict_slashes = False
    from .rest import lane

    record_lane = lane.install(app)  # inside TrailingSlash: paths come to it normalized
    app.wsgi_app = TrailingSlash(app.wsgi_app)  # type: ignore[method-assign]
    guards.install(app)
    _register_blueprints(app)
    _register_errors(app)
    # Flask runs after-request hooks last registered first: the log line is written after
    # ``finish`` has committed the call, not while the call holds the org's write lock.
    requestlog.install(app)
    app.after_request(pipeline.finish)
    app.teardown_request(pipeline.release)
    record_lane.seal()
    return app


def _register_blueprints(app: Flask) -> None:
    from .bulk import bp as bulk_bp
    from .control import bp as control_bp
    from .dashboard import bp as dashboard_bp
    from .oauth import bp as oauth_bp
    from .rest import bp as rest_bp

    app.register_blueprint(control_bp)
    app.register_blueprint(dashboard_bp)
    app.register_blueprint(oauth_bp)
    app.register_blueprint(rest_bp)
    app.register_blueprint(bulk_bp)


is_control_path = guards.is_control_path
is_oauth_path = guards.is_oauth_path


def is_too_complex(exc: Exception) -> bool:
    text = str(exc)
    return isinstance(exc, (sqlite3.OperationalError, RecursionError)) and (
        isinstance(exc, RecursionError)
        or any(part in text for part in ("too large", "stack overflow", "too many"))
    )


def _short(path: str) -> str:
    """A path as the log shows it: a fuzzer's megabyte path is not written out whole."""
    return path if len(path) <= 300 else path[:300] + "..."


def _register_errors(app: Flask) -> None:
    @app.errorhandler(SalesforceError)
    def _salesforce(exc: SalesforceError) -> tuple[Response, int]:
        g.sf_error_code = exc.error_code
        if exc.http_status >= 500:
            log.warning("%s %s -> %s", request.method, _short(request.path), exc.error_code)
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
        """No such org, or one deleted while the call ran: to an API client its session is
        gone (INVALID_SESSION_ID, as for any dead token); to the control plane a 404."""
        if is_control_path(request.path):
            return jsonify({"error": f"no org '{exc.args[0]}' in this server"}), 404
        if is_oauth_path(request.path):
            return _oauth(OAuthError("invalid_grant", "authentication failure"))
        return _salesforce(InvalidSessionId())

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException) -> tuple[Response, int]:
        status = exc.code or 500
        if status == 413:
            over_cap = (request.content_length or 0) > app.config["MAX_BODY_BYTES"]
            return guards.too_large(None if over_cap else exc.description)
        if is_control_path(request.path):
            response = jsonify({"error": exc.description or exc.name})
            if status == 400:
                response.headers["Connection"] = "close"
            return response, status
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
        if status == 400:
            return _unreadable_body()
        g.sf_error_code = "UNKNOWN_EXCEPTION"
        return jsonify(
            [{"message": exc.description or exc.name, "errorCode": "UNKNOWN_EXCEPTION"}]
        ), status

    def _unreadable_body() -> tuple[Response, int]:
        """A body the server could not read (a malformed chunk, a truncated form): what is left
        on the connection cannot be trusted, so the connection is closed after this answer."""
        g.sf_error_code = "JSON_PARSER_ERROR"
        message = "The HTTP entity body could not be read (malformed or truncated request)."
        response = jsonify([{"message": message, "errorCode": "JSON_PARSER_ERROR"}])
        response.headers["Connection"] = "close"
        return response, 400

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception) -> tuple[Response, int]:
        deleted: OrgStore | None = g.get("sf_org")
        if isinstance(exc, sqlite3.ProgrammingError) and deleted is not None and deleted.closed:
            return _org(OrgNotFound(deleted.org_id))
        if is_too_complex(exc) and not is_control_path(request.path):
            # A shape no specific check caught that SQLite cannot hold (an expression tree
            # too deep, too many terms): Salesforce's answer to an over-complex query.
            return _salesforce(MalformedQuery(TOO_COMPLICATED))
        log.exception("unexpected error on %s %s", request.method, _short(request.path))
        if is_control_path(request.path):
            return jsonify({"error": f"internal error: {type(exc).__name__}"}), 500
        if is_oauth_path(request.path):
            return _oauth(OAuthError("server_error", "internal server error", 500))
        return _salesforce(UnknownException(f"An unexpected error occurred: {type(exc).__name__}"))
