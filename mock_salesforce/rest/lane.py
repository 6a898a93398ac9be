"""A record read by id, a create and an update, answered without Flask when the call is plain
(the app's lane).

``GET /services/data/vNN.0/sobjects/{object}/{id}``, ``POST .../sobjects/{object}`` and
``PATCH .../sobjects/{object}/{id}`` are the calls a client makes most, and Flask's own work
per request (the request and app contexts, the request and response objects, the hooks, the
proxies every pipeline step reads through) cost more than the read itself: about 0.2 ms of a
two-worker GET's 0.6 ms of CPU (docs/performance.md, "Reads and creates without Flask"). The
lane sits between the app's outer middleware and Flask. For a plain call it runs the same
steps as the Flask path, calling the same functions: the token (``lookup_session``),
the API permission and the daily allocation, the object, id, sharing and field checks and the
rendering (``reads.retrieve``, ``resources.found_reply``), or the body's JSON
(``http.parse_body``) and the write with every rule of a create or an update (``dml.create``
and ``resources.created_reply``, ``dml.update`` and its 204); then the call's record
(session use, API usage, journal entry: ``pipeline.record_call``) committed in one
transaction with the write, the ``Sforce-Limit-Info`` header and the request log's line.
The answer's status, headers and body are byte for byte Flask's
(``tests/contract/test_lane.py`` compares them, and the journal entries, with the lane
turned off).

It answers only when the whole call succeeds, and commits only as its last step, after the
answer is built. Anything else goes to Flask, unchanged: a call that is not plain (a query
string, a read with a body or ``If-Modified-Since``, a create or update without a
``Content-Length``, with more than ``BODY_BYTES`` or than Flask's caps, or whose body is not
as long as its ``Content-Length`` says, an update with ``If-Match`` or
``If-Unmodified-Since``, a WebSocket upgrade, another method or path, an API version the mock
does not serve), an app that checks the ``Host`` (a server name, trusted hosts, host or
subdomain matching), an org with a fault defined or journal bodies kept, an app whose
hooks, views, rules or request signals differ from what ``create_app`` set up, and any call
the lane's steps refuse (a bad token, a missing record, no access, a body that is not JSON, a
required field missing, the allocation used up: Flask answers them with its error handlers,
as before).
Nothing is kept before that last commit: a refused write's transaction is rolled back (and
the org's caches reloaded, as for any rolled back write), and its body is handed to Flask as
read, so Flask serving the call again gives the same answer and the call is recorded once.
The config key ``LANE`` (``True``) turns it off.
"""

from __future__ import annotations

import io
import logging
import re
import time
from collections.abc import Callable, Iterable
from typing import Any

import flask
from flask import Flask
from werkzeug.wsgi import get_host

from .. import pipeline
from ..pipeline import call_log, faults, journal, journal_bodies, limits, requestlog
from ..pipeline.sessions import bearer_token, lookup_session
from ..records import dml, reads, resources
from ..records.context import Caller
from . import valid_version
from .http import auto_assigns, parse_body

READ = "rest.retrieve_record"
CREATE = "rest.create_record"
UPDATE = "rest.update_record"
ENDPOINTS = (READ, CREATE, UPDATE)
# Each method's call: its endpoint, and whether its path names a record.
_CALLS = {"GET": (READ, True), "POST": (CREATE, False), "PATCH": (UPDATE, True)}
JSON_TYPE = "application/json;charset=UTF-8"
BODY_BYTES = 65_536  # a create with a larger body goes to Flask
_PATH = re.compile(
    r"/services/data/v([0-9]{1,3}\.0)/sobjects/([A-Za-z][A-Za-z0-9_]*)"
    r"(?:/([0-9A-Za-z]{15}|[0-9A-Za-z]{18}))?"
)
# Headers that change a read's answer, and a body sent in chunks.
_DECLINED = ("HTTP_IF_MODIFIED_SINCE", "HTTP_IF_NONE_MATCH", "HTTP_TRANSFER_ENCODING")
# An update's preconditions (REST guide, "Conditional Requests"): Flask's path checks them.
_CONDITIONS = ("HTTP_IF_MATCH", "HTTP_IF_UNMODIFIED_SINCE")
# Flask's request signals: a receiver (a test tool, an error reporter) expects every request.
_SIGNALS = (
    flask.request_started,
    flask.request_finished,
    flask.request_tearing_down,
    flask.got_request_exception,
    flask.appcontext_pushed,
    flask.appcontext_popped,
    flask.appcontext_tearing_down,
)

OPERATIONS = {endpoint: endpoint.rpartition(".")[2] for endpoint in ENDPOINTS}
_STATUS = {200: "200 OK", 201: "201 CREATED", 204: "204 NO CONTENT"}

Answer = tuple[str, list[tuple[str, str]], bytes]
# An answer, and the request log's user and org.
Served = tuple[str, list[tuple[str, str]], bytes, str | None, str]


def _unchanged(_modified: Any) -> bool:
    return False  # no If-Modified-Since: the lane declines calls that send one


class Lane:
    """WSGI: plain record reads, creates and updates answered here, the rest by ``inner``."""

    def __init__(self, app: Flask, inner: Callable[..., Iterable[bytes]]) -> None:
        self.app = app
        self.inner = inner
        self._setup: tuple[Any, ...] | None = None  # the app's hooks as create_app left them
        self._views: tuple[Any, ...] = ()  # the lane's endpoints' views then
        self._json: type | None = None  # and the app's JSON provider (its ``encode``)
        self._checked = False  # the app was found as create_app left it, and its setup closed
        self._rules = -1  # URL rules the map had when the lane's route was last checked
        self._routed: dict[tuple[str, str, str], str | None] = {}
        self._hosts: dict[tuple[Any, ...], str] = {}
        self.served = 0  # calls the lane answered (a count for tests and curious readers)

    def seal(self) -> None:
        """Remember the app's hooks, views and JSON provider as ``create_app`` left them:
        anything added or changed later (a test's own hook) sends every call to Flask."""
        self._setup = self._fingerprint()
        self._views = self._endpoint_views()
        self._json = type(self.app.json)

    def _endpoint_views(self) -> tuple[Any, ...]:
        return tuple(self.app.view_functions.get(endpoint) for endpoint in ENDPOINTS)

    def _fingerprint(self) -> tuple[Any, ...]:
        app = self.app
        return (
            _frozen(app.url_value_preprocessors),
            _frozen(app.before_request_funcs),
            _frozen(app.after_request_funcs),
            _frozen(app.teardown_request_funcs),
            tuple(app.teardown_appcontext_funcs),
            _frozen(app.url_default_functions),
        )

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        answer = self._answer(environ) if self._serves(environ) else None
        if answer is None:
            return self.inner(environ, start_response)
        status, headers, body = answer
        self.served += 1
        start_response(status, headers)
        return [body]

    def _serves(self, environ: dict[str, Any]) -> bool:
        app = self.app
        config = app.config
        if (
            not config.get("LANE", True)
            or environ.get("QUERY_STRING")
            or "HTTP_UPGRADE" in environ  # Flask matches an upgrade as a WebSocket: 405 here
            # As ``MockApp.create_url_adapter``: a server name, trusted hosts, host or
            # subdomain matching make Flask check the Host; the lane leaves those to it.
            or config.get("SERVER_NAME") is not None
            or config.get("TRUSTED_HOSTS") is not None
            or getattr(app.request_class, "trusted_hosts", None) is not None
            or app.url_map.host_matching
            or app.subdomain_matching
            or any(signal.receivers for signal in _SIGNALS)
        ):
            return False
        method = environ["REQUEST_METHOD"]
        length = str(environ.get("CONTENT_LENGTH") or "")
        if method == "GET":
            plain = length in ("", "0") and not any(name in environ for name in _DECLINED)
        elif method in ("POST", "PATCH"):
            plain = (
                length.isascii()
                and length.isdigit()
                and 0 < int(length) <= self._body_cap()  # larger: Flask's guard answers 413
                and "HTTP_TRANSFER_ENCODING" not in environ
                and not any(name in environ for name in _CONDITIONS)
            )
        else:
            return False
        if not plain:
            return False
        if not self._checked:
            if self._setup is None or self._setup != self._fingerprint():
                return False
            # Serving a request closes a Flask app's setup (hooks can no longer be added), as
            # Flask's own first request does; from then on the check holds.
            self.app._got_first_request = True
            self._checked = True
        # Views and the JSON provider can still be replaced: checked on every call.
        return self._endpoint_views() == self._views and type(self.app.json) is self._json

    def _body_cap(self) -> int:
        """The largest body the lane reads: its own cap, and no more than Flask would take."""
        config = self.app.config
        caps = [BODY_BYTES, int(config.get("MAX_BODY_BYTES") or 0)]
        if config.get("MAX_CONTENT_LENGTH") is not None:
            caps.append(int(config["MAX_CONTENT_LENGTH"]))
        return min(caps)

    def _endpoint(self, method: str, path: str, version: str, sobject: str) -> str | None:
        """Where the app's URL map sends this call (checked once per method, version and
        object, again when a rule is added)."""
        url_map = self.app.url_map
        added = getattr(url_map, "added", None)
        if added != self._rules:
            self._routed = {}
            self._rules = added if isinstance(added, int) else -1
        key = (method, version, sobject)
        if key not in self._routed:
            try:
                endpoint, _ = url_map.bind("localhost").match(path, method)
            except Exception:  # not found, not allowed, a redirect: Flask answers
                endpoint = None
            if len(self._routed) >= 1024:
                self._routed.clear()
            self._routed[key] = endpoint if isinstance(added, int) else None
        return self._routed[key]

    def _answer(self, environ: dict[str, Any]) -> Answer | None:
        path = environ.get("PATH_INFO", "")
        found_path = _PATH.fullmatch(path)
        if found_path is None:
            return None
        version, sobject, raw_id = found_path.groups()
        method = environ["REQUEST_METHOD"]
        expected, names_record = _CALLS[method]
        if names_record != (raw_id is not None) or not valid_version(version):
            return None
        if self._endpoint(method, path, version, sobject) != expected:
            return None
        started = time.perf_counter()
        registry = self.app.extensions["mock_salesforce"].registry
        raw = b""
        if method != "GET":
            raw, whole = self._body(environ)
            environ["wsgi.input"] = io.BytesIO(raw)  # Flask reads it again if it must
            if not whole:
                return None
        try:
            served = self._serve(environ, registry, path, version, sobject, raw_id, raw, started)
        except Exception:  # refused, or failed before its record was committed: Flask's turn
            served = None
        if served is None:  # the body Flask reads is still the one set above, unread
            return None
        if requestlog.log.isEnabledFor(logging.INFO):
            ms = (time.perf_counter() - started) * 1000
            status = int(served[0][:3])
            requestlog.write(requestlog.text(method, path, status, ms, served[3], served[4]))
        return served[:3]

    @staticmethod
    def _body(environ: dict[str, Any]) -> tuple[bytes, bool]:
        """The body as sent, and whether it is exactly ``Content-Length`` bytes. A shorter one
        (the client went away) or, where the server ends the stream itself
        (``wsgi.input_terminated``), a longer one is Flask's to refuse, as werkzeug reads it."""
        length = int(environ["CONTENT_LENGTH"])
        stream = environ["wsgi.input"]
        terminated = "wsgi.input_terminated" in environ
        try:
            raw = stream.read(length + 1 if terminated else length)
            if len(raw) > length:
                raw += stream.read()
        except Exception:  # the client went away: Flask finds the body short, as it is
            return b"", False
        return raw, len(raw) == length

    def _serve(
        self,
        environ: dict[str, Any],
        registry: Any,
        path: str,
        version: str,
        sobject: str,
        raw_id: str | None,
        raw: bytes,
        started: float,
    ) -> Served | None:
        token = bearer_token(environ.get("HTTP_AUTHORIZATION"))
        session = lookup_session(registry, token, touch=False)
        store = session.org
        if faults.any_defined(store) or journal_bodies.enabled(store):
            return None
        if not session.perms.api_enabled:
            return None
        used = limits.check(store)
        caller = Caller(session, version, auto_assigns(environ.get("HTTP_SFORCE_AUTO_ASSIGN")))
        obj = store.schema.object(sobject)
        if obj is None:
            return None
        entry = journal.JournalEntry(
            method=environ["REQUEST_METHOD"],
            path=path,
            api="rest",
            host=self._host(environ),
            sobject=obj.name,
            user_id=session.user_id,
            username=session.username,
            client_id=session.client_id,
        )
        if environ["REQUEST_METHOD"] == "GET" and raw_id is not None:  # read, then record it
            found = reads.retrieve(caller, sobject, raw_id, None)
            reply = resources.found_reply(found, _unchanged)
            entry.operation, entry.record_ids = OPERATIONS[READ], [found.id]
            body, headers = self._encoded(reply, store, used)
            entry.status = reply.status
            if call_log.keeps(store):  # a line in the org's call log
                call_log.log_call(store, entry, session, True, started)
            else:
                with store.transaction():
                    pipeline.record_call(store, entry, session, True, started)
        else:  # a create or an update: the write and its record, one commit
            # As on Flask's path: the body is parsed, and the write's checks that need no lock
            # run, before the write opens its transaction (and takes the org's writer lock);
            # that transaction is held open so the call's record is committed with it.
            fields = parse_body(raw)
            store.hold_commit()
            try:
                if raw_id is None:
                    record_id = dml.create(caller, sobject, fields)
                else:
                    record_id = dml.update(caller, sobject, raw_id, fields)
            except BaseException:
                store.abandon_call()  # nothing kept, nothing held: Flask serves the call anew
                raise
            with store.end_call():
                if raw_id is None:
                    reply = resources.created_reply(caller, sobject, record_id)
                    entry.operation = OPERATIONS[CREATE]
                else:
                    reply = resources.Reply(204)
                    entry.operation = OPERATIONS[UPDATE]
                entry.record_ids = [record_id]
                body, headers = self._encoded(reply, store, used)
                entry.status = reply.status
                pipeline.record_call(store, entry, session, True, started)
        return _STATUS[reply.status], headers, body, entry.username, store.org_id

    def _host(self, environ: dict[str, Any]) -> str:
        """werkzeug's ``get_host`` (Flask's ``request.host``), kept per set of inputs."""
        key = (
            environ.get("HTTP_HOST"),
            environ.get("wsgi.url_scheme"),
            environ.get("SERVER_NAME"),
            environ.get("SERVER_PORT"),
        )
        host = self._hosts.get(key)
        if host is None:
            host = get_host(environ)
            if len(self._hosts) >= 256:
                self._hosts.clear()
            self._hosts[key] = host
        return host

    def _encoded(
        self, reply: resources.Reply, store: Any, used: int
    ) -> tuple[bytes, list[tuple[str, str]]]:
        """The answer's body and headers, as Flask's ``respond`` and ``finish`` make them (a
        204 has neither body nor content headers)."""
        if reply.status == 204 and reply.body is None:
            body, headers = b"", []
        else:
            body = self.app.json.encode(reply.body) + b"\n"  # type: ignore[attr-defined]
            headers = [("Content-Type", JSON_TYPE), ("Content-Length", str(len(body)))]
        headers += list(reply.headers.items())
        headers.append(("Sforce-Limit-Info", limits.usage_header(store, used + 1)))
        return body, headers


def _frozen(hooks: dict[Any, list[Any]]) -> tuple[tuple[Any, tuple[Any, ...]], ...]:
    return tuple((key, tuple(funcs)) for key, funcs in hooks.items() if funcs)


def install(app: Flask) -> Lane:
    """Put the lane in front of the app's Flask handling (inside its outer middleware)."""
    lane = Lane(app, app.wsgi_app)
    app.wsgi_app = lane  # type: ignore[method-assign]
    app.extensions["mock_salesforce.lane"] = lane
    return lane
