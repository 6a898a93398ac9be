"""One log line per call, written by the app (whatever server runs it).

``GET /services/data/v59.0/limits 200 1.4ms user=alice@acme.demo org=00D5000000000010AAA``
on the ``mock_salesforce.requests`` logger at INFO; ``serve --quiet`` raises that logger to
WARNING. The user is the caller's username (unknown for calls without a session: ``-``).
"""

from __future__ import annotations

import logging
import time

from flask import Flask, Response, g, request

log = logging.getLogger("mock_salesforce.requests")


def install(app: Flask) -> None:
    app.before_request(_started)
    app.after_request(_log)


def _started() -> None:
    g.request_log_started = time.perf_counter()


def _log(response: Response) -> Response:
    if log.isEnabledFor(logging.INFO):
        log.info("%s", line(response))
    return response


def line(response: Response) -> str:
    started: float = g.get("request_log_started", time.perf_counter())
    ms = (time.perf_counter() - started) * 1000
    entry = g.get("sf_journal")
    store = g.get("sf_org")
    user = getattr(entry, "username", None) or "-"
    org = getattr(store, "org_id", None) or (request.view_args or {}).get("org_id") or "-"
    return (
        f"{request.method} {request.path} {response.status_code} {ms:.1f}ms user={user} org={org}"
    )
