"""One org's state: a SQLite database file, guarded by a lock, shared by worker processes.

All of an org's state lives in its database (records, setup objects, apps, tokens, journal,
faults, settings, the clock); snapshots are files beside it. What a process keeps in memory
(settings, schema, the clock, caches of permissions and apps) is revalidated on every lookup
of the org: ``PRAGMA data_version`` tells whether another connection committed, and then the
generation counter (moved by triggers) whether anything cached changed.
"""

from __future__ import annotations

import functools
import json
import sqlite3
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager, nullcontext
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from .. import ids
from ..errors import ControlError
from ..schema import FieldDef, ObjectDef, Schema, standard_schema
from ..schema.memo import PerDefinition
from ..schema.values import format_datetime, to_storage
from .calllog import ROTATE_BYTES, CallLog, Position, save_position
from .clock import Clock, ClockState
from .ddl import (
    CACHED_MOCK_TABLES,
    JOURNAL_HIGH_WATER,
    MOCK_TABLES,
    column_sql,
    generation_triggers,
    index_sql,
    quote,
    table_sql,
)
from .files import FORMAT_VERSION, OrgFileError, check_format, upgrade
from .snapshots import RESET_POINT, Snapshots
from .writer_lock import WriterLock

_TEMPLATE_LOCK = threading.Lock()
_TEMPLATE: bytes | None = None
# How long a writer waits for another process's write transaction to end.
BUSY_TIMEOUT_MS = 10_000


def _template_image() -> bytes:
    """The serialized empty database (standard tables and the mock's), built once."""
    global _TEMPLATE
    with _TEMPLATE_LOCK:
        if _TEMPLATE is None:
            conn = sqlite3.connect(":memory:")
            conn.executescript(MOCK_TABLES)
            for obj in standard_schema():
                for statement in table_sql(obj):
                    conn.execute(statement)
            cached = [*CACHED_MOCK_TABLES, *(o.name for o in standard_schema() if o.setup)]
            for table in cached:
                for statement in generation_triggers(table):
                    conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {FORMAT_VERSION}")
            conn.commit()
            _TEMPLATE = conn.serialize()
            conn.close()
        return _TEMPLATE


def template_image() -> bytes:
    return _template_image()


class OrgStore:
    """The database of one org, with its schema, clock and id sequences.

    ``path`` is the org's file (every served org has one); without it the database lives in
    memory, which only scratch databases use (images built once per process).
    """

    def __init__(
        self,
        org_id: str,
        pod: str,
        path: Path | None = None,
        image: bytes | None = None,
        snapshots: Snapshots | None = None,
        durable: bool = True,
        shared: bool = True,
        fold: Callable[[OrgStore], None] | None = None,
        call_log_bytes: int = ROTATE_BYTES,
    ) -> None:
        """``shared``: other processes may open the file too (not a hidden file being built,
        nor one in a process's private temporary folder), so write transactions take its
        writer lock (writer_lock.py). ``fold`` (the pipeline's): the org keeps a call log
        (calllog.py) beside its file, and every write transaction first folds it in with it."""
        self.org_id = org_id
        self.pod = pod
        self.path = path
        self.lock = threading.RLock()
        self.closed = False  # set when the org is deleted (or the server stops)
        self._depth = 0
        # A call whose journal entry is written at its end asks for its first write
        # transaction to stay open until then (``hold_commit``): one commit per call.
        self._hold_wanted: set[int] = set()  # threads that asked
        self._held_by: int | None = None  # the thread whose transaction is open and held
        self._version = 0  # moves with every security-relevant change (caches key on it)
        self.conn = self._open(path, image or _template_image(), durable, shared)
        self._writer = WriterLock(path if shared else None, BUSY_TIMEOUT_MS / 1000)
        self._data_version = self._read_data_version()
        self._generation = self._read_generation()
        self._settings: dict[str, str] | None = None
        self.schema = self._load_schema()
        self.clock = Clock(self._load_clock(), on_change=self._save_clock)
        self.snapshots = snapshots
        # Per-org caches other modules keep (the security evaluator, ...); never persisted.
        self.cache: dict[str, Any] = {}
        self._fold = fold
        self.calls = (
            CallLog(path, call_log_bytes) if fold is not None and path is not None else None
        )
        if self.calls is not None:
            self.calls.ensure()

    # -- opening -------------------------------------------------------------------------
    @staticmethod
    def _open(
        path: Path | None, image: bytes, durable: bool = True, shared: bool = True
    ) -> sqlite3.Connection:
        """The org's connection: its file (checked), or a copy of ``image`` in memory.

        ``durable`` (``--db``): WAL with synchronous=NORMAL, so a killed process loses no
        committed write. Otherwise (a private temporary folder, or a file being built) nothing
        is synced to disk: the files live only as long as the server.

        A file no other process opens (not ``shared``) is locked once, for as long as it is
        open, instead of at every transaction: no lock calls and no shared memory per call.
        """
        if path is None:
            conn = sqlite3.connect(":memory:", check_same_thread=False, isolation_level=None)
            conn.deserialize(image)
        else:
            if not path.exists():
                raise OrgFileError(f"org file {path.name} does not exist")
            conn = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
            try:
                if not shared:  # before the first read: the WAL index then lives in memory
                    conn.execute("PRAGMA locking_mode=EXCLUSIVE")
                check_format(conn, path)
                conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
                conn.execute("PRAGMA journal_mode=WAL")
                conn.execute(f"PRAGMA synchronous={'NORMAL' if durable else 'OFF'}")
                upgrade(conn)
            except (sqlite3.DatabaseError, OrgFileError) as exc:
                conn.close()
                if isinstance(exc, OrgFileError):
                    raise
                raise OrgFileError(f"org file {path.name} cannot be read: {exc}") from exc
        conn.row_factory = sqlite3.Row
        return conn

    def close(self) -> None:
        with self.lock:
            self.closed = True
            self.conn.close()
            self._writer.close()
        if self.calls is not None:  # after the lock: an append may wait for a fold needing it
            self.calls.close()

    # -- one truth across processes ------------------------------------------------------
    @property
    def version(self) -> int:
        """A number that moves whenever something cached about this org may have changed."""
        return self._version

    @version.setter
    def version(self, value: int) -> None:
        # ``store.version += 1`` after a change: every process's caches move too.
        with self.lock:
            self._version = value
            self.conn.execute("UPDATE _mock_generation SET value = value + 1")

    @property
    def seen_data_version(self) -> int:
        """``PRAGMA data_version`` as last read (on every lookup of the org): it moves when
        another connection committed."""
        return self._data_version

    def _read_data_version(self) -> int:
        return int(self.conn.execute("PRAGMA data_version").fetchone()[0])

    def _read_generation(self) -> int:
        row = self.conn.execute("SELECT value FROM _mock_generation").fetchone()
        return int(row[0]) if row else 0

    def refresh(self) -> None:
        """Drop what this process keeps in memory if another process changed it (cheap).

        This process's own changes update its caches as they are made and leave the counter
        it last read alone, so a change made elsewhere meanwhile is never taken for its own.
        """
        with self.lock:
            if self._depth:
                return
            data_version = self._read_data_version()
            if data_version == self._data_version:
                return
            self._data_version = data_version
            generation = self._read_generation()
            if generation != self._generation:
                self._generation = generation
                self._reload()

    def _reload(self) -> None:
        self.schema = self._load_schema()
        self._settings = None
        self.clock.load(self._load_clock())
        self.cache.clear()
        self._version += 1

    # -- transactions --------------------------------------------------------------------
    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """A transaction (a savepoint when nested): committed on success, rolled back on error.

        After ``hold_commit()`` the first one this thread completes is not committed: it stays
        open, with the org's lock, until ``end_call`` (later ones nest in it as savepoints).
        """
        with self.lock:
            depth = self._depth
            name = f"sp{depth}"
            if depth == 0:
                self._writer.acquire()
                try:
                    self.conn.execute("BEGIN IMMEDIATE")
                except BaseException:
                    self._writer.release()
                    raise
            else:
                self.conn.execute(f"SAVEPOINT {name}")
            self._depth += 1
            try:
                if depth == 0 and self._fold is not None:
                    self._fold(self)  # the call log's lines first: the journal keeps one order
                yield self.conn
            except BaseException:
                self._depth -= 1
                self._end(depth, name, committed=False)
                self._reload_after_rollback()
                raise
            if depth == 0 and self._hold_wanted:
                thread = threading.get_ident()
                if thread in self._hold_wanted:
                    self._hold_wanted.discard(thread)
                    self._held_by = thread
                    self.lock.acquire()  # kept past this block, until end_call
                    return  # open, at depth 1, until end_call commits it
            self._depth -= 1
            self._end(depth, name, committed=True)

    def _end(self, depth: int, name: str, committed: bool) -> None:
        """End a transaction (``depth`` 0, letting the writer lock go) or a savepoint."""
        if depth == 0:
            try:
                self.conn.execute("COMMIT" if committed else "ROLLBACK")
            finally:
                self._writer.release()
        else:
            if not committed:
                self.conn.execute(f"ROLLBACK TO {name}")
            self.conn.execute(f"RELEASE {name}")

    def hold_commit(self) -> None:
        """Keep this thread's next write transaction open until ``end_call``, so that what the
        call records at its end (journal, API usage) is committed with its write, once."""
        with self.lock:
            if self._held_by is None:
                self._hold_wanted.add(threading.get_ident())

    @contextmanager
    def end_call(self) -> Iterator[sqlite3.Connection]:
        """What a call writes at its end, in one transaction with the write it held (else in a
        transaction of its own); committed on success. On error everything held is rolled back
        (the call answers an error, not its write)."""
        with self.lock:
            self._hold_wanted.discard(threading.get_ident())
            if not self._holding():
                with self.transaction() as conn:
                    yield conn
                return
            try:
                yield self.conn
            except BaseException:
                self.abandon_call()
                raise
            self._release_held("COMMIT")

    def release_call(self) -> None:
        """The call is over: a write transaction it still holds is committed (its write
        succeeded), and a hold it asked for is forgotten. Safe to call more than once."""
        with self.lock:
            self._hold_wanted.discard(threading.get_ident())
            if self._holding():
                self._release_held("COMMIT")

    def abandon_call(self) -> None:
        """The call failed: a write transaction it still holds is rolled back, and a hold it
        asked for is forgotten (the call is then answered, and recorded, elsewhere)."""
        with self.lock:
            self._hold_wanted.discard(threading.get_ident())
            if self._holding():
                self._release_held("ROLLBACK")
                self._reload_after_rollback()

    def holds_call_write(self) -> bool:
        """Whether this thread's call holds a write transaction open for ``end_call``."""
        with self.lock:
            return self._holding()

    def _holding(self) -> bool:
        return self._held_by is not None and self._held_by == threading.get_ident()

    def _release_held(self, statement: str) -> None:
        self._held_by = None
        self._depth -= 1
        try:
            if not self.closed:
                self.conn.execute(statement)
        finally:
            self._writer.release()
            self.lock.release()

    def settle_calls(self) -> None:
        """Fold the call log into the database now (before reading the journal or usage)."""
        if self.calls is not None and self.calls.unfolded(self.call_log_position()):
            with self.transaction():
                pass  # the transaction folds the log first

    def call_log_position(self) -> Position:
        """How far the call log is folded into the database."""
        with self.lock:
            try:
                row = self.conn.execute("SELECT log_id, offset FROM _mock_call_log").fetchone()
            except sqlite3.OperationalError:  # no such table: nothing folded yet
                return None, 0
        return (str(row[0]), int(row[1])) if row else (None, 0)

    def _reload_after_rollback(self) -> None:
        self.schema = self._load_schema()
        self._settings = None
        self._version += 1
        # The API window may hold calls counted in the transaction rolled back.
        self.cache.pop("api_window", None)

    def execute(self, sql: str, params: Any = ()) -> sqlite3.Cursor:
        with self.lock:
            return self.conn.execute(sql, params)

    def query(self, sql: str, params: Any = ()) -> list[sqlite3.Row]:
        with self.lock:
            return self.conn.execute(sql, params).fetchall()

    # -- settings ------------------------------------------------------------------------
    def setting(self, key: str, default: Any = None) -> Any:
        """A setting's value; settings are read on every request, so they are kept in memory
        (as JSON text, so callers never share a mutable value) beside their table."""
        with self.lock:
            if self._settings is None:
                rows = self.conn.execute("SELECT key, value FROM _mock_setting").fetchall()
                self._settings = {row["key"]: row["value"] for row in rows}
            text = self._settings.get(key)
        if text is None:
            return default
        value = _immutable_setting(text)
        return json.loads(text) if value is _MUTABLE else value

    def set_setting(self, key: str, value: Any) -> None:
        text = json.dumps(value)
        with self.lock:
            self.conn.execute(
                "INSERT INTO _mock_setting (key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (key, text),
            )
            if self._settings is not None:
                self._settings[key] = text
            self._version += 1

    def settings(self, prefix: str = "") -> dict[str, Any]:
        rows = self.query("SELECT key, value FROM _mock_setting WHERE key LIKE ?", (prefix + "%",))
        return {row["key"]: json.loads(row["value"]) for row in rows}

    # -- clock ---------------------------------------------------------------------------
    def _load_clock(self) -> ClockState:
        data = self.setting("clock")
        return ClockState.from_json(data) if data else ClockState()

    def _save_clock(self, state: ClockState) -> None:
        self.set_setting("clock", state.to_json())

    def now(self) -> datetime:
        return self.clock.now()

    def now_text(self) -> str:
        """The current mock time in Salesforce's datetime format."""
        return format_datetime(self.clock.now())

    # -- ids -----------------------------------------------------------------------------
    def new_id(self, prefix: str) -> str:
        """The next 18-character id for key prefix ``prefix`` in this org (deterministic)."""
        with self.lock:
            row = self.conn.execute(
                "INSERT INTO _mock_sequence (prefix, next) VALUES (?, 2) "
                "ON CONFLICT(prefix) DO UPDATE SET next = next + 1 RETURNING next - 1",
                (prefix,),
            ).fetchone()
            return ids.make_id(prefix, self.pod, int(row[0]))

    def new_ids(self, prefix: str, count: int) -> list[str]:
        """``count`` consecutive new ids for ``prefix``, reserved with one statement."""
        if count <= 0:
            return []
        with self.lock:
            row = self.conn.execute(
                "INSERT INTO _mock_sequence (prefix, next) VALUES (?, ?) "
                "ON CONFLICT(prefix) DO UPDATE SET next = next + ? RETURNING next - ?",
                (prefix, count + 1, count, count),
            ).fetchone()
            first = int(row[0])
        stems = [prefix + self.pod + ids.base62(first + n, 9) for n in range(count)]
        return [stem + ids.checksum(stem) for stem in stems]

    # -- schema --------------------------------------------------------------------------
    def _load_schema(self) -> Schema:
        rows = self.conn.execute(
            "SELECT object, definition FROM _mock_custom_field ORDER BY rowid"
        ).fetchall()
        return schema_with_custom_fields(tuple((row[0], row[1]) for row in rows))

    def add_custom_field(self, obj: ObjectDef, field: FieldDef) -> None:
        """Add a custom field to ``obj``: a column, an index for lookups and external ids."""
        definition = {
            k: v for k, v in field.__dict__.items() if v != FieldDef.__dataclass_fields__[k].default
        }
        with self.transaction() as conn:
            conn.execute(f"ALTER TABLE {quote(obj.name)} ADD COLUMN {column_sql(field)}")
            if field.is_reference or field.external_id or field.unique:
                conn.execute(index_sql(obj, field))
            conn.execute(
                "INSERT INTO _mock_custom_field (object, name, definition) VALUES (?, ?, ?)",
                (obj.name, field.name, json.dumps(definition)),
            )
        current = self.schema.object(obj.name) or obj
        self.schema = self.schema.with_object(current.with_fields([field]))
        # Describe's If-Modified-Since compares with the last metadata change (bumps version).
        self.set_setting("schema_modified_at", self.now_text())

    # -- rows ----------------------------------------------------------------------------
    def insert_row(self, obj: ObjectDef, values: Mapping[str, Any]) -> None:
        """Insert a row given JSON values by canonical field name (no validation here)."""
        sql, fields = _insert_plan(obj, tuple(values))
        self.execute(sql, [to_storage(f, values[f.name]) for f in fields])

    def update_row(self, obj: ObjectDef, record_id: str, values: Mapping[str, Any]) -> None:
        if not values:
            return
        fields = [_field(obj, n) for n in values]
        assignments = ", ".join(f"{quote(f.name)} = ?" for f in fields)
        params = [to_storage(f, values[f.name]) for f in fields]
        self.execute(
            f"UPDATE {quote(obj.name)} SET {assignments} WHERE Id = ?", [*params, record_id]
        )

    def get_row(self, obj: ObjectDef, record_id: str) -> dict[str, Any] | None:
        """A row as JSON values by canonical field name (deleted rows included)."""
        rows = self.query(f"SELECT * FROM {quote(obj.name)} WHERE Id = ?", (record_id,))
        return self.decode(obj, rows[0]) if rows else None

    def find_rows(
        self, obj: ObjectDef, where: Mapping[str, Any] | None = None, include_deleted: bool = False
    ) -> list[dict[str, Any]]:
        """Rows whose fields equal the given values, in creation order."""
        clauses, params = [], []
        for name, value in (where or {}).items():
            field = _field(obj, name)
            clauses.append(f"{quote(field.name)} IS ?")
            params.append(to_storage(field, value))
        if not include_deleted and obj.field("IsDeleted") is not None:
            clauses.append('"IsDeleted" = 0')
        sql = f"SELECT * FROM {quote(obj.name)}"
        if clauses:
            sql += " WHERE " + " AND ".join(clauses)
        return [self.decode(obj, row) for row in self.query(sql + " ORDER BY rowid", params)]

    def decode(self, obj: ObjectDef, row: sqlite3.Row) -> dict[str, Any]:
        """A whole row (``SELECT *``) as JSON values by canonical field name."""
        result: dict[str, Any] = {}
        for index, name, convert in _decoder(obj, row):
            raw = row[index]
            result[name] = raw if convert is None or raw is None else convert(raw)
        return result

    def delete_row(self, obj: ObjectDef, record_id: str) -> None:
        self.execute(f"DELETE FROM {quote(obj.name)} WHERE Id = ?", (record_id,))

    # -- snapshots -----------------------------------------------------------------------
    def snapshot(self) -> bytes:
        """The whole database as bytes (images built once per process)."""
        with self.lock:
            return self.conn.serialize()

    def save_snapshot(self, name: str = RESET_POINT) -> int:
        """Keep the org's whole state under ``name`` (a file); returns its size in bytes."""
        if self.snapshots is None:
            raise OrgFileError("this org keeps no snapshots")
        self.settle_calls()  # the journal so far is in the snapshot
        with self.lock:
            return self.snapshots.save(name, self.conn)

    def restore(self, name: str = RESET_POINT) -> bool:
        """Back to snapshot ``name``; False when there is none. Every process sees it, in one
        commit: the snapshot is changed in a copy in memory (``_restored``), then copied in."""
        if self.snapshots is None:
            return False
        # No call is logged while the org is restored; the ones logged before are folded
        # first (their seqs are handed out), and the restored org starts after them.
        exclusive = self.calls.exclusive() if self.calls is not None else nullcontext(False)
        with exclusive, self.lock:
            self.settle_calls()
            logged = self.calls.end() if self.calls is not None else None
            # Held while the journal's last seq is read and the copy made, so no other process
            # hands out a seq in between that the copy would then wipe and this one reuse. Not
            # taken again under this thread's own transaction (whose lock it would let go): the
            # copy refuses a database in use anyway.
            take = self._depth == 0
            if take and not self._writer.acquire():
                raise OrgBusy(
                    f"org {self.org_id} is busy: another process kept its write open for "
                    f"{self._writer.timeout:g} s; restore again"
                )
            try:
                handed_out = self.conn.execute(f"SELECT {JOURNAL_HIGH_WATER}").fetchone()[0]
                prepare = functools.partial(
                    _restored, handed_out=int(handed_out or 0), logged=logged
                )
                if not self.snapshots.restore(name, self.conn, prepare):
                    return False
            finally:
                if take:
                    self._writer.release()
            self._reload()
        return True


class OrgBusy(ControlError):
    """Another process held the org's write lock past the timeout: a 409, to try again."""

    def __init__(self, message: str) -> None:
        super().__init__(message, status=409)


def _restored(conn: sqlite3.Connection, handed_out: int, logged: Position | None) -> None:
    """A snapshot made ready to replace the live org whose journal last handed out seq
    ``handed_out``: its journal entries (and their kept bodies) renumbered to end there, so
    the next call takes the one after, and its cache generation moved past any other process's.
    The org's call log, all of it folded (``logged``: its end), stays folded.

    Sequence numbers never go back, so a client tailing the journal with ``since_seq`` misses no
    call after a restore or reset and sees no restored entry again; and they keep without gaps,
    which the journal's window and trimming count on (pipeline/journal.py).
    """
    low, top = conn.execute("SELECT MIN(seq), MAX(seq) FROM _mock_journal").fetchone()
    shift = handed_out - int(top) if top is not None else 0
    if shift > 0:
        tables = ["_mock_journal"]
        if conn.execute("SELECT 1 FROM sqlite_master WHERE name = '_mock_journal_body'").fetchone():
            tables.append("_mock_journal_body")  # kept bodies, by their entry's seq
        for table in tables:
            if shift > int(top) - int(low):  # every new seq is above every old one
                conn.execute(f"UPDATE {table} SET seq = seq + ?", (shift,))
            else:  # in two steps: no row lands on a seq still taken
                conn.execute(f"UPDATE {table} SET seq = -seq")
                conn.execute(f"UPDATE {table} SET seq = ? - seq", (shift,))
    conn.execute("UPDATE _mock_journal_floor SET seq = MAX(seq, ?)", (handed_out,))
    if logged is not None:
        save_position(conn, logged)
    # The restored counter may equal one another process holds: move it past.
    conn.execute("UPDATE _mock_generation SET value = value + ?", (1 << 32,))


# Orgs with the same custom fields (a template's clones) share one immutable Schema, built
# once, and with it what is worked out once per object definition (row decoding, write plans,
# describe's field entries).
@lru_cache(maxsize=256)
def schema_with_custom_fields(rows: tuple[tuple[str, str], ...]) -> Schema:
    """The standard schema plus the custom fields ``rows`` (object, definition) define."""
    schema = standard_schema()
    extra: dict[str, list[FieldDef]] = {}
    for name, definition in rows:
        extra.setdefault(name, []).append(FieldDef(**_field_kwargs(definition)))
    changed = [
        base.with_fields(fields)
        for name, fields in extra.items()
        if (base := schema.object(name)) is not None
    ]
    return schema.with_objects(changed) if changed else schema


_MUTABLE = object()


@lru_cache(maxsize=4096)
def _immutable_setting(text: str) -> Any:
    """A setting's JSON text decoded, once per text, when its value is immutable (and so may
    be shared); ``_MUTABLE`` for a list or object, which each caller decodes anew."""
    value = json.loads(text)
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return _MUTABLE


_CONVERTERS: dict[str, Any] = {
    "boolean": bool,
    "int": int,
    "double": float,
    "currency": float,
    "percent": float,
}
# Per object (by identity: a schema change makes a new ObjectDef) and row width: each
# column's index, field name and conversion from storage (``values.from_storage``).
_Decoder = list[tuple[int, str, Any]]
_DECODERS: PerDefinition[_Decoder] = PerDefinition(1024)  # by object and row length


def _decoder(obj: ObjectDef, row: sqlite3.Row) -> _Decoder:
    plan = _DECODERS.get(obj, len(row))
    if plan is not None:
        return plan
    plan = []
    for index, key in enumerate(row.keys()):
        field = obj.field(key)
        if field is not None:
            plan.append((index, field.name, _CONVERTERS.get(field.type)))
    return _DECODERS.put(obj, plan, len(row))


# Per object and the names a write sets: its INSERT and fields.
_INSERTS: PerDefinition[tuple[str, list[FieldDef]]] = PerDefinition(1024)


def _insert_plan(obj: ObjectDef, names: tuple[str, ...]) -> tuple[str, list[FieldDef]]:
    plan = _INSERTS.get(obj, names)
    if plan is not None:
        return plan
    fields = [_field(obj, n) for n in names]
    sql = (
        f"INSERT INTO {quote(obj.name)} ({', '.join(quote(f.name) for f in fields)}) "
        f"VALUES ({', '.join('?' for _ in fields)})"
    )
    return _INSERTS.put(obj, (sql, fields), names)


def _field(obj: ObjectDef, name: str) -> FieldDef:
    field = obj.field(name)
    if field is None:
        raise KeyError(f"{obj.name} has no field {name}")
    return field


def _field_kwargs(definition: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(definition)
    for key in ("picklist", "reference_to"):
        if key in data:
            data[key] = tuple(data[key])
    return data
