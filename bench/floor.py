"""The storage a create needs, and nothing else: a floor under the mock's create.

``python -m bench.floor --port P --workers N`` serves the mock's own app (``create_app``, its
control plane and org files, in N pre-forked workers on the mock's server configuration) with
one more route in front, ``POST /_bench/floor/Contact``. That route does what a create must do
in storage and no more:

- find the org (``Registry.get``, which looks for other workers' changes, as every call does);
- read the daily allocation (``limits.check``);
- in one write transaction (the org's writer lock, ``BEGIN IMMEDIATE``, the call log folded,
  ``COMMIT``): the next id, the row with the fields a create of ``{"LastName": ...}`` stores,
  the usage row and the journal entry (``pipeline.record_call``);
- answer 201 with the id.

``?per_commit=K`` makes K creates in that one transaction (``python -m bench.commits``): what
sharing a commit between calls could save, at the storage's end.

It skips everything that is not storage: the token is checked once per process and then
trusted, and there are no permission, field, owner or duplicate rules. So no create the mock
serves can go faster than this route on the same machine: ``bench.http`` reports its ratio to
the bare route beside the create's, which shows how much of the gap is the storage itself.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

import orjson
from flask import Flask

from mock_salesforce.app import create_app
from mock_salesforce.pipeline import journal, limits, record_call
from mock_salesforce.pipeline.sessions import Session, bearer_token, lookup_session
from mock_salesforce.store import OrgStore

PATH = "/_bench/floor/Contact"


class FloorCreate:
    """WSGI middleware answering ``POST PATH`` from storage alone; anything else goes on."""

    def __init__(self, app: Flask) -> None:
        self.inner = app.wsgi_app
        self.registry = app.extensions["mock_salesforce"].registry
        self.sessions: dict[str, Session] = {}

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        if environ.get("PATH_INFO") != PATH or environ["REQUEST_METHOD"] != "POST":
            return self.inner(environ, start_response)
        started = time.perf_counter()
        token = bearer_token(environ.get("HTTP_AUTHORIZATION")) or ""
        session = self.sessions.get(token)
        if session is None:  # once per process: the token is then trusted
            session = self.sessions[token] = lookup_session(self.registry, token, touch=False)
        store = self.registry.get(session.org.org_id)
        limits.check(store)
        body = orjson.loads(environ["wsgi.input"].read(int(environ["CONTENT_LENGTH"])))
        per_commit = _per_commit(environ.get("QUERY_STRING", ""))
        with store.transaction():
            made = [
                self._create(store, session, body["LastName"], started) for _ in range(per_commit)
            ]
        answer = orjson.dumps({"id": made[-1], "success": True, "errors": []})
        start_response(
            "201 Created",
            [
                ("Content-Type", "application/json;charset=UTF-8"),
                ("Content-Length", str(len(answer))),
            ],
        )
        return [answer]

    @staticmethod
    def _create(store: OrgStore, session: Session, last_name: str, started: float) -> str:
        """What one create stores: its row, its usage row and its journal entry."""
        obj = store.schema.object("Contact")
        assert obj is not None
        user, now = session.user_id, store.now_text()
        row: dict[str, Any] = dict(obj.defaults)
        row.update(
            {
                "LastName": last_name,
                "Name": last_name,
                "Id": store.new_id(obj.key_prefix),
                "IsDeleted": False,
                "CreatedDate": now,
                "CreatedById": user,
                "LastModifiedDate": now,
                "LastModifiedById": user,
                "SystemModstamp": now,
                "OwnerId": user,
            }
        )
        store.insert_row(obj, row)
        entry = journal.JournalEntry(
            method="POST",
            path=PATH,
            api="rest",
            sobject=obj.name,
            user_id=user,
            username=session.username,
            client_id=session.client_id,
            operation="create_record",
            record_ids=[row["Id"]],
            status=201,
        )
        record_call(store, entry, session, True, started)
        return str(row["Id"])


def _per_commit(query: str) -> int:
    """``per_commit=K`` (1 to 64): K creates in the call's one commit (default 1)."""
    name, _, value = query.partition("=")
    if name == "per_commit" and value.isdigit():
        return max(1, min(64, int(value)))
    return 1


def make_app(folder: Path) -> Flask:
    """The mock's app on ``folder`` (as ``serve --workers N`` without ``--db``), floor in front."""
    app = create_app({"DB_DIR": str(folder), "DB_DURABLE": False})
    app.wsgi_app = FloorCreate(app)  # type: ignore[method-assign]
    return app


def main() -> None:
    from mock_salesforce.serving.workers import Workers, listening_socket

    parser = argparse.ArgumentParser(prog="python -m bench.floor")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=16)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="mock-salesforce-floor-"))
    try:
        sock = listening_socket("127.0.0.1", args.port)
        Workers(lambda: make_app(folder), sock, args.workers, args.threads).run()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
