"""Org database files: copied with SQLite's backup API, written whole or not at all, versioned.

A database in WAL mode is the main file plus its ``-wal`` log: a raw copy of the main file can
miss committed pages. Every copy here goes through the backup API into a hidden temporary file
that is renamed into place once complete, so a failed copy leaves no file behind and a reader
never sees half a database. Each file carries the mock's format version in ``user_version``.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from pathlib import Path

# The layout of the mock's own tables. Bump it when a table or trigger changes shape.
FORMAT_VERSION = 1


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
    if found != FORMAT_VERSION:
        raise OrgFileError(
            f"org file {path.name} has format version {found}; this mock-salesforce reads "
            f"format version {FORMAT_VERSION} (start it with an empty --db folder, or the "
            "version that wrote the file)"
        )


def raise_open_file_limit() -> None:
    """Each open org holds up to three files (the database, its WAL and shared memory): let a
    server with a thousand orgs have the descriptors the system allows it."""
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
    for suffix in ("", "-wal", "-shm", "-journal", "-lock"):
        Path(str(path) + suffix).unlink(missing_ok=True)


def copy_database(source: sqlite3.Connection, path: Path) -> int:
    """Copy ``source`` (a consistent read of it) to ``path`` atomically; returns its size."""
    temporary = temporary_path(path)
    remove_database(temporary)
    try:
        target = sqlite3.connect(str(temporary))
        try:
            # No fsync while copying: a copy is renamed into place only once complete, and a
            # file cut short by a power loss is reported and skipped at the next start.
            target.execute("PRAGMA synchronous=OFF")
            source.backup(target)
        finally:
            target.close()
        os.replace(temporary, path)
    except BaseException:
        remove_database(temporary)
        raise
    return path.stat().st_size


def image_to_file(image: bytes, path: Path) -> None:
    """Write a serialized database image to ``path`` (a new file, hidden until complete)."""
    source = sqlite3.connect(":memory:")
    try:
        source.deserialize(image)
        copy_database(source, path)
    finally:
        source.close()


def restore_database(path: Path, target: sqlite3.Connection) -> None:
    """Overwrite ``target``'s content with the database in ``path`` (backup API)."""
    source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        source.backup(target)
    finally:
        source.close()
