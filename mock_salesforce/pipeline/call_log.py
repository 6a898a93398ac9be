"""Calls recorded in the org's call log (``store/calllog.py``), and the log folded into the
journal and the API usage.

A call that changed nothing in the org (a record read the lane answered, or a GET on the Flask
path that holds no write) is recorded by ``log_call``:
one line holding its journal entry and whether it counts against the daily allocation. Its
session's last use, when it is due (once a second), is still written to the database.
``fold`` runs at the start of every write transaction of the org (and before the journal is
read): each line becomes the journal entry and usage row the call would have written itself,
in the log's order, with the next ``seq``. ``limits`` counts the lines not yet folded.
"""

from __future__ import annotations

import logging
import time
from typing import Any

import orjson

from ..store import OrgStore
from ..store.calllog import ROTATE_BYTES, parse_line, save_position
from . import faults, journal, journal_bodies, limits
from .sessions import Session, touch_due, touch_session

# A line: ``<1 when the call counts, else 0> <time> <JSON>``, the JSON holding the journal
# entry's columns after its time (``journal.values``); those it must have, by place.
COLUMNS, METHOD, PATH, API, STATUS = 15, 3, 4, 5, 10
log = logging.getLogger("mock_salesforce")
__all__ = ["ROTATE_BYTES", "fold", "keeps", "log_call", "rotate"]


def keeps(store: OrgStore) -> bool:
    """Whether a read of ``store`` that wrote nothing is logged: the org keeps a call log, no
    journal bodies (which need the entry's seq at once) and no fault (whose counters the call
    writes)."""
    return (
        store.calls is not None
        and not journal_bodies.enabled(store)
        and not faults.any_defined(store)
    )


def log_call(
    store: OrgStore,
    entry: journal.JournalEntry,
    session: Session | None,
    counted: bool,
    started: float,
) -> None:
    """Record a call that wrote nothing, as ``pipeline.record_call`` would in a transaction."""
    calls = store.calls
    assert calls is not None
    if session is not None and touch_due(store, session.token_hash):
        with store.transaction():
            touch_session(store, session.token_hash)
    when, *columns = journal.values(entry, (time.perf_counter() - started) * 1000, store.now_text())
    line = b"1 " if counted else b"0 "
    line += when.encode() + b" " + orjson.dumps(columns)
    if calls.append(b"\n" + line + b"\n") > calls.rotate_bytes:
        try:
            rotate(store)
        except Exception:  # the call is recorded: a later one folds and replaces the log
            log.warning("the call log of org %s was not replaced", store.org_id, exc_info=True)


def rotate(store: OrgStore) -> None:
    """Fold the whole log and start a new one. The last lines are folded, and the file
    replaced, while no call is appended."""
    calls = store.calls
    if calls is None:
        return
    store.settle_calls()  # most of it, while calls are still logged
    with calls.exclusive() as present:
        if present and calls.size() > calls.rotate_bytes // 2:  # not just rotated elsewhere
            with store.transaction():
                pass  # which folds the lines logged meanwhile
            calls.remove()


def fold(store: OrgStore) -> None:
    """Write the log's lines not yet folded as journal entries and usage rows, in the caller's
    write transaction (``OrgStore.transaction`` calls it first)."""
    calls = store.calls
    if calls is None or calls.size() == 0:
        return
    log_id, lines, reached = calls.read(store.call_log_position())
    if log_id is None or not lines:
        return
    rows: list[tuple[Any, ...]] = []
    counted: list[str] = []
    for _end, text in lines:
        parts = parse_line(text)
        if parts is None:
            continue  # the empty line before each, or not a call's
        counts, when, rest = parts
        if counts:  # as the window counted it, from the line's start alone
            counted.append(when)
        columns = _columns(rest)
        if columns is not None:  # else a line a killed process left half written
            rows.append((when, *columns))
    journal.record_many(store, rows)
    limits.count_logged_calls(store, counted)
    with store.lock:
        save_position(store.conn, (log_id, reached))
    limits.resync(store)


def _columns(text: bytes) -> list[Any] | None:
    """A line's journal columns after its time (``journal.values``); None when they are not a
    call's: a line the journal would refuse (a required column missing) must not stop every
    fold."""
    try:
        columns = orjson.loads(text)
    except orjson.JSONDecodeError:
        return None
    if (
        type(columns) is not list
        or len(columns) != COLUMNS
        or type(columns[METHOD]) is not str
        or type(columns[PATH]) is not str
        or type(columns[API]) is not str
        or type(columns[STATUS]) is not int
    ):
        return None
    return columns
