"""A record read by id, answered without Flask when the call is plain (the app's lane).

``GET /services/data/vNN.0/sobjects/{object}/{id}`` is the call a client makes most, and Flask's
own work per request (the request and app contexts, the request and response objects, the
hooks, the proxies every pipeline step reads through) cost more than the read itself: about
0.25 ms of a two-worker GET's 0.6 ms of CPU (docs/performance.md, "A record read without
Flask"). The lane sits between the app's outer middleware and Flask. For a plain call it runs
the same steps as the Flask path, calling the same functions: the token (``lookup_session``),
the API permission and the daily allocation, the object, id, sharing and field checks and the
rendering (``reads.retrieve``, ``resources.found_reply``), then the call's record (session use,
API usage, journal entry: ``pipeline.record_call``) committed in one transaction, the
``Sforce-Limit-Info`` header and the request log's line. The answer's status, headers and body
are byte for byte Flask's (``tests/contract/test_lane.py`` compares them, and the journal
entries, with the lane turned off).

It answers only when the whole call succeeds, and commits only as its last step, after the
answer is built. Anything else goes to Flask, unchanged: a call that is not plain (a query
string, a body, ``If-Modified-Since``, another method or path, an API version the mock does
not serve), an org with a fault defined or journal bodies kept, an app whose hooks, views,
rules or request signals differ from what ``create_app`` set up, and any call the lane's steps
refuse (a bad token, a missing record, no access, the allocation used up: Flask answers them
with its error handlers, as before). A read changes nothing before its record, so Flask
serving such a call again gives the same answer and the call is recorded once. The config key
``LANE`` (``True``) turns it off.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable, Iterable
from typing import Any

import flask
from flask import Flask
from werkzeug.wsgi import get_host

from .. import pipeline
from ..pipeline import faults, journal, journal_bodies, limits, requestlog
from ..pipeline.sessions import bearer_token, lookup_session
from ..records import reads, resources
from ..records.context import Caller
from . import valid_version

ENDPOINT = "rest.retrieve_record"
OPERATION = ENDPOINT.rpartition(".")[2]
JSON_TYPE = "application/json;charset=UTF-8"
_PATH = re.compile(
    r"/services/data/v([0-9]{1,3}\.0)/sobjects/([A-Za-z][A-Za-z0-9_]*)/"
    r"([0-9A-Za-z]{15}|[0-9A-Za-z]{18})"
)
# Headers that change a GET's answer or that only Flask's path reads.
_DECLINED = ("HTTP_IF_MODIFIED_SINCE", "HTTP_IF_NONE_MATCH", "HTTP_TRANSFER_ENCODING")
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

Answer = tuple[str, list[tuple[str, str]], bytes]


def _unchanged(_modified: Any) -> bool:
    return False  # no If-Modified-Since: the lane declines calls that send one


class Lane:
    """WSGI: plain record reads answered here, everything else by ``inner`` (Flask)."""

    def __init__(self, app: Flask, inner: Callable[..., Iterable[bytes]]) -> None:
        self.app = app
        self.inner = inner
        self._setup: tuple[Any, ...] | None = None  # the app as create_app left it
        self._checked = False  # the app was found as create_app left it, and its setup closed
        self._rules = -1  # URL rules the map had when the lane's route was last checked
        self._routed: dict[tuple[str, str], bool] = {}
        self.served = 0  # calls the lane answered (a count for tests and curious readers)

    def seal(self) -> None:
        """Remember the app's hooks, views and error handlers as ``create_app`` left them:
        anything added or changed later (a test's own hook) sends every call to Flask."""
        self._setup = self._fingerprint()

    def _fingerprint(self) -> tuple[Any, ...]:
        app = self.app
        return (
            _frozen(app.url_value_preprocessors),
            _frozen(app.before_request_funcs),
            _frozen(app.after_request_funcs),
            _frozen(app.teardown_request_funcs),
            tuple(app.teardown_appcontext_funcs),
            _frozen(app.url_default_functions),
            app.view_functions.get(ENDPOINT),
            type(app.json),
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
        if (
            environ["REQUEST_METHOD"] != "GET"
            or environ.get("QUERY_STRING")
            or environ.get("CONTENT_LENGTH") not in (None, "", "0")
            or any(name in environ for name in _DECLINED)
            or not self.app.config.get("LANE", True)
            or any(signal.receivers for signal in _SIGNALS)
        ):
            return False
        if not self._checked:
            if self._setup is None or self._setup != self._fingerprint():
                return False
            # Serving a request closes a Flask app's setup (hooks can no longer be added), as
            # Flask's own first request does; from then on the check holds.
            self.app._got_first_request = True
            self._checked = True
        setup = self._setup
        return (
            setup is not None
            and self.app.view_functions.get(ENDPOINT) is setup[6]
            and type(self.app.json) is setup[7]  # the app's JSON encoder, with its encode()
        )

    def _routes_here(self, path: str, version: str, sobject: str) -> bool:
        """Whether the app's URL map sends this path to the record read (checked once per
        version and object, again when a rule is added)."""
        url_map = self.app.url_map
        added = getattr(url_map, "added", None)
        if added != self._rules:
            self._routed = {}
            self._rules = added if isinstance(added, int) else -1
        key = (version, sobject)
        known = self._routed.get(key)
        if known is None:
            try:
                endpoint, _ = url_map.bind("localhost").match(path, "GET")
            except Exception:  # not found, not allowed, a redirect: Flask answers
                endpoint = None
            known = endpoint == ENDPOINT and isinstance(added, int)
            if len(self._routed) >= 1024:
                self._routed.clear()
            self._routed[key] = known
        return known

    def _answer(self, environ: dict[str, Any]) -> Answer | None:
        path = environ.get("PATH_INFO", "")
        found_path = _PATH.fullmatch(path)
        if found_path is None:
            return None
        version, sobject, raw_id = found_path.groups()
        if not valid_version(version) or not self._routes_here(path, version, sobject):
            return None
        started = time.perf_counter()
        state = self.app.extensions["mock_salesforce"]
        try:
            answer = self._read(environ, state.registry, path, version, sobject, raw_id, started)
        except Exception:  # refused, or failed before its record was committed: Flask's turn
            return None
        if answer is not None and requestlog.log.isEnabledFor(logging.INFO):
            ms = (time.perf_counter() - started) * 1000
            requestlog.write(requestlog.text("GET", path, 200, ms, answer[3], answer[4]))
        return None if answer is None else answer[:3]

    def _read(
        self,
        environ: dict[str, Any],
        registry: Any,
        path: str,
        version: str,
        sobject: str,
        raw_id: str,
        started: float,
    ) -> tuple[str, list[tuple[str, str]], bytes, str | None, str] | None:
        token = bearer_token(environ.get("HTTP_AUTHORIZATION"))
        session = lookup_session(registry, token, touch=False)
        store = session.org
        if faults.any_defined(store) or journal_bodies.enabled(store):
            return None
        if not session.perms.api_enabled:
            return None
        used = limits.check(store)
        auto_assign = environ.get("HTTP_SFORCE_AUTO_ASSIGN", "TRUE").strip().lower() != "false"
        caller = Caller(session, version, auto_assign)
        obj = store.schema.object(sobject)
        if obj is None:
            return None
        found = reads.retrieve(caller, sobject, raw_id, None)
        reply = resources.found_reply(found, _unchanged)
        body = self.app.json.encode(reply.body) + b"\n"  # type: ignore[attr-defined]
        headers = [("Content-Type", JSON_TYPE), ("Content-Length", str(len(body)))]
        headers += list(reply.headers.items())
        headers.append(("Sforce-Limit-Info", limits.usage_header(store, used + 1)))
        entry = journal.JournalEntry(
            method="GET",
            path=path,
            api="rest",
            host=get_host(environ),
            operation=OPERATION,
            sobject=obj.name,
            record_ids=[found.id],
            user_id=session.user_id,
            username=session.username,
            client_id=session.client_id,
            status=reply.status,
        )
        with store.transaction():  # the call's record, committed last
            pipeline.record_call(store, entry, session, True, started)
        return "200 OK", headers, body, entry.username, store.org_id


def _frozen(hooks: dict[Any, list[Any]]) -> tuple[tuple[Any, tuple[Any, ...]], ...]:
    return tuple((key, tuple(funcs)) for key, funcs in hooks.items() if funcs)


def install(app: Flask) -> Lane:
    """Put the lane in front of the app's Flask handling (inside its outer middleware)."""
    lane = Lane(app, app.wsgi_app)
    app.wsgi_app = lane  # type: ignore[method-assign]
    app.extensions["mock_salesforce.lane"] = lane
    return lane
