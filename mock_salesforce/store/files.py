"""Org database files: copied with SQLite's backup API, written whole or not at all, versioned.

A database in WAL mode is the main file plus its ``-wal`` log: a raw copy of the main file can
miss committed pages. Every copy here goes through the backup API into a hidden temporary file
that is renamed into place once complete, so a failed copy leaves no file behind and a reader
never sees half a database. Each file carries the mock's format version in ``user_version``.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

from .ddl import JOURNAL_TABLES, generation_triggers

# The layout of the mock's own tables. Bump it when a table or trigger changes shape, and
# upgrade files of the version before in ``upgrade`` when the change allows it.
FORMAT_VERSION = 2
# Versions whose files are upgraded in place when opened.
UPGRADED = (1,)


class OrgFileError(Exception):
    """An org file this mock cannot serve (unreadable, half-written, or another version)."""


def check_format(conn: sqlite3.Connection, path: Path) -> None:
    """Refuse a file written by another version of the mock, saying which."""
    try:
        found = int(conn.execute("PRAGMA user_version").fetchone()[0])
        names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    except sqlite3.DatabaseError as exc:
        raise OrgFileError(f"org file {path.name} cannot be read: {exc}") from exc
    if "_mock_setting" not in names or "Organization" not in names:
        raise OrgFileError(f"org file {path.name} is not a mock-salesforce org database")
    if found != FORMAT_VERSION and found not in UPGRADED:
        raise OrgFileError(
            f"org file {path.name} has format version {found}; this mock-salesforce reads "
            f"format version {FORMAT_VERSION} and upgrades "
            f"{' and '.join(str(v) for v in UPGRADED)} (start it with an empty --db folder, or "
            "the version that wrote the file)"
        )


def _version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def upgrade(conn: sqlite3.Connection) -> None:
    """Bring a database of an older format (``check_format`` accepted it) to this one, in one
    transaction: a killed process leaves it as it was, and a second process opening the same
    file at once waits, then finds it done. ``conn`` is in autocommit mode."""
    if _version(conn) not in UPGRADED:
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        if _version(conn) == 1:
            _from_1(conn)
        conn.execute(f"PRAGMA user_version = {FORMAT_VERSION}")
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise


def _from_1(conn: sqlite3.Connection) -> None:
    """Format 1 to 2: the journal loses AUTOINCREMENT (its counter becomes the journal's floor,
    so sequence numbers go on), the API-usage rows their time index, and their trigger fires
    only when the table is emptied, not for every row pruned."""
    row = conn.execute("SELECT seq FROM sqlite_sequence WHERE name = '_mock_journal'").fetchone()
    conn.execute("ALTER TABLE _mock_journal RENAME TO _mock_journal_format_1")
    for statement in _statements(JOURNAL_TABLES):
        conn.execute(statement)
    conn.execute("INSERT INTO _mock_journal SELECT * FROM _mock_journal_format_1")
    conn.execute("DROP TABLE _mock_journal_format_1")
    conn.execute("UPDATE _mock_journal_floor SET seq = ?", (int(row[0]) if row else 0,))
    conn.execute("DROP INDEX IF EXISTS ix_api_call_time")
    conn.execute('DROP TRIGGER IF EXISTS "gen__mock_api_call_delete"')
    for statement in generation_triggers("_mock_api_call"):
        conn.execute(statement)


def _statements(script: str) -> list[str]:
    """The statements of ``script`` one by one (``executescript`` would commit first)."""
    statements: list[str] = []
    current = ""
    for line in script.splitlines(keepends=True):
        if not current and line.lstrip().startswith("--"):
            continue
        current += line
        if sqlite3.complete_statement(current):
            statements.append(current.strip())
            current = ""
    return statements


def raise_open_file_limit() -> None:
    """Each open org holds up to six descriptors (the database, its WAL and shared memory, its
    writer lock, its call log for reading and for appending): let a server with a thousand
    orgs have the descriptors the system allows it."""
    try:
        import resource
    except ImportError:  # not POSIX
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = hard if hard != resource.RLIM_INFINITY else max(soft, 65536)
    if soft != resource.RLIM_INFINITY and soft < wanted:
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))


def temporary_path(path: Path) -> Path:
    """A hidden name beside ``path`` that no listing of org files matches."""
    return path.with_name(f".{path.name}.{os.getpid()}.tmp")


def remove_database(path: Path) -> None:
    """The file and whatever SQLite keeps beside it."""
    for suffix in ("", "-wal", "-shm", "-journal", "-lock", "-calls"):
        Path(str(path) + suffix).unlink(missing_ok=True)


@contextlib.contextmanager
def _written_whole(path: Path) -> Iterator[Path]:
    """A hidden file to write ``path``'s content to, renamed into place once the block ends
    and removed if it fails: readers see the old file or the whole new one, nothing between."""
    temporary = temporary_path(path)
    remove_database(temporary)
    try:
        yield temporary
        os.replace(temporary, path)
    except BaseException:
        remove_database(temporary)
        raise


def copy_database(source: sqlite3.Connection, path: Path) -> int:
    """Copy ``source`` (a consistent read of it) to ``path`` atomically; returns its size."""
    with _written_whole(path) as temporary:
        target = sqlite3.connect(str(temporary))
        try:
            # No fsync while copying: a copy is renamed into place only once complete, and a
            # file cut short by a power loss is reported and skipped at the next start.
            target.execute("PRAGMA synchronous=OFF")
            source.backup(target)
        finally:
            target.close()
    return path.stat().st_size


def copy_closed_database(source: Path, path: Path) -> int:
    """Copy the database in ``source``, which no connection has open, to ``path`` atomically;
    returns its size. A closed database is its main file alone (the last connection to close
    checkpoints its WAL into it and deletes the log), so the file is copied as it is: a fifth
    of the backup API's time. Should a log be left beside it, the backup API copies it."""
    if Path(f"{source}-wal").exists():
        copy = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        try:
            return copy_database(copy, path)
        finally:
            copy.close()
    with _written_whole(path) as temporary:
        shutil.copyfile(source, temporary)
    return path.stat().st_size


def image_to_file(image: bytes, path: Path) -> None:
    """Write a serialized database image to ``path`` (a new file, hidden until complete)."""
    source = sqlite3.connect(":memory:")
    try:
        source.deserialize(image)
        copy_database(source, path)
    finally:
        source.close()


def restore_database(
    path: Path,
    target: sqlite3.Connection,
    prepare: Callable[[sqlite3.Connection], None] | None = None,
) -> None:
    """Overwrite ``target``'s content with the database in ``path`` (backup API). With
    ``prepare``, or for a file of an older format, the snapshot is loaded into memory first,
    upgraded and changed by ``prepare`` in one transaction there: ``target`` (a live org other
    processes read) goes from one complete database of this format to another, in one commit."""
    source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        if prepare is not None or _version(source) in UPGRADED:
            copy = sqlite3.connect(":memory:", isolation_level=None)
            source.backup(copy)
            source.close()
            source = copy
            upgrade(source)
            if prepare is not None:
                source.execute("BEGIN")
                prepare(source)
                source.execute("COMMIT")
        source.backup(target)
    finally:
        source.close()
