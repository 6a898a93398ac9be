"""An org's call log: calls that changed nothing, recorded by appending one line to a file.

A read (a record GET) writes nothing but its record: its journal entry and its count against
the daily allocation. Committing those to the org's database on every read costs more than the
read itself once two worker processes serve the org: a write transaction (the writer lock,
SQLite's shared-memory locks, a commit) and, for the other worker, a page cache SQLite drops
and reads again after every commit it did not make (docs/performance.md, "Reads recorded in
a log"). So such a call appends one line to ``<org file>-calls`` instead: one ``write`` on a
file opened ``O_APPEND``, which the kernel keeps whole and in order between processes.

The log is folded into the database, in order, at the start of every write transaction
(``OrgStore.transaction`` calls the pipeline's fold): each line becomes a journal entry, with
the next ``seq``, and a usage row, before anything the transaction itself writes. So the
journal's one order holds across the file and the table, and whoever reads the journal folds
first. How far the log is folded, ``(log id, offset)``, is kept in the database and moves in
the same commit as the rows; a rolled back fold moves nothing.

Each log file starts with a line naming it (``#calls <random id>``). A file that grows past
``rotate_bytes`` is folded whole and removed, under an exclusive ``flock`` that appenders
(which take it shared around their ``write``) wait for; the next append starts a new file
with a new id. A process that dies between that commit and the removal leaves a file whose
id and offset the database already holds: nothing is folded twice.
"""

from __future__ import annotations

import os
import secrets
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .ddl import CALL_LOG_TABLE

try:
    import fcntl
except ImportError:  # not POSIX: no log, every call is recorded in the database
    fcntl = None  # type: ignore[assignment]

SUFFIX = "-calls"
HEADER = b"#calls "
ROTATE_BYTES = 256 * 1024  # by default (the app's ``CALL_LOG_BYTES``)

Position = tuple[str | None, int]  # (log id, offset): a line ending at or before it is folded
Line = tuple[int, bytes]  # (offset of its end, its text without the newline)


def available() -> bool:
    return fcntl is not None


class CallLog:
    """The call log beside the org file ``org_path``; its methods are safe across threads."""

    def __init__(self, org_path: Path, rotate_bytes: int = ROTATE_BYTES) -> None:
        self.org_path = org_path
        self.path = Path(str(org_path) + SUFFIX)
        self.closed = False  # the org was closed (deleted): nothing more is appended
        self.rotate_bytes = rotate_bytes  # a larger file is folded whole and replaced
        self._lock = threading.Lock()  # the reading file (never held while waiting for a flock)
        self._append_lock = threading.Lock()  # the appending file
        self._append_fd: int | None = None
        self._read_fd: int | None = None
        self._read_id: str | None = None
        self._header = 0  # where the reading file's lines start

    # -- appending -----------------------------------------------------------------------
    def append(self, line: bytes) -> int:
        """Write one line (``line`` starts and ends with a newline, so a line a killed process
        left half written ends there and spoils no other); returns the file's size after it."""
        with self._append_lock:
            while True:
                if self.closed:
                    raise OSError(f"call log {self.path.name}: the org is closed")
                fd = self._append_fd
                if fd is None:
                    fd = self._append_fd = self._open_for_append()
                fcntl.flock(fd, fcntl.LOCK_SH)
                try:
                    if os.fstat(fd).st_nlink == 0:  # folded and removed: a new file
                        self._append_fd = None
                        os.close(fd)
                        continue
                    written = os.write(fd, line)
                    if written != len(line):
                        raise OSError(f"call log {self.path.name}: short write")
                    return os.fstat(fd).st_size
                finally:
                    if self._append_fd == fd:
                        fcntl.flock(fd, fcntl.LOCK_UN)

    def _open_for_append(self) -> int:
        """The log for appending; made (with its id line) when there is none, by whichever
        process gets there first. None is made beside an org file that is gone (deleted)."""
        while True:
            try:
                return os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CLOEXEC)
            except FileNotFoundError:
                if not self.org_path.exists():
                    raise
            draft = self._draft()
            try:
                os.link(draft, self.path)
            except FileExistsError:
                pass  # another process made it first
            finally:
                os.unlink(draft)

    def _draft(self) -> Path:
        """A new log with its id line, under a hidden name: linked or moved into place whole,
        so no one sees a log without its id."""
        draft = self.path.with_name(f".{self.path.name}.{os.getpid()}.{secrets.token_hex(4)}")
        fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o600)
        try:
            os.write(fd, HEADER + secrets.token_hex(8).encode() + b"\n")
        finally:
            os.close(fd)
        return draft

    def ensure(self) -> None:
        """Make the log when there is none (the org is opened): a write transaction that
        finds the file need not try to open a missing one."""
        if not self.path.exists():
            os.close(self._open_for_append())

    # -- reading -------------------------------------------------------------------------
    def read(self, since: Position) -> tuple[str | None, list[Line], int]:
        """The log's id (None: there is none), its whole lines after ``since`` (all of them
        when ``since`` names another file), and the offset they end at (where to read from
        next)."""
        with self._lock:
            size = self._current()
            fd = self._read_fd
            if fd is None:
                return None, [], 0
            start = since[1] if since[0] == self._read_id else self._header
            if size <= start:
                return self._read_id, [], start
            data = os.pread(fd, size - start, start)
            log_id = self._read_id
        end = data.rfind(b"\n") + 1  # a line still being written is read next time
        lines: list[Line] = []
        offset = start
        for text in data[:end].split(b"\n")[:-1]:
            offset += len(text) + 1
            lines.append((offset, text))
        return log_id, lines, start + end

    def unfolded(self, position: Position) -> bool:
        """Whether the log holds lines after ``position`` (how far it is folded)."""
        with self._lock:
            size = self._current()
            if self._read_fd is None:
                return False
            return size > (position[1] if position[0] == self._read_id else self._header)

    def size(self) -> int:
        """Bytes in the current log past its id line (0 when there is none)."""
        with self._lock:
            size = self._current()
            return max(0, size - self._header) if self._read_fd is not None else 0

    def end(self) -> Position:
        """The current file's id and size: every line in it ends at or before that."""
        with self._lock:
            size = self._current()
            return (self._read_id, size) if self._read_fd is not None else (None, 0)

    def _current(self) -> int:
        """The current file open for reading (reopened when the one open was removed, folded
        whole); its size (0 when there is none)."""
        fd = self._read_fd
        if fd is not None:
            found = os.fstat(fd)
            if found.st_nlink > 0:
                return found.st_size
            os.close(fd)
            self._read_fd = self._read_id = None
        try:
            fd = os.open(self.path, os.O_RDONLY | os.O_CLOEXEC)
        except FileNotFoundError:
            return 0
        first = os.pread(fd, 64, 0)
        newline = first.find(b"\n")
        if not first.startswith(HEADER) or newline < 0:  # not a call log: leave it alone
            os.close(fd)
            return 0
        self._read_fd = fd
        self._read_id = first[len(HEADER) : newline].decode("ascii", "replace")
        self._header = newline + 1
        return os.fstat(fd).st_size

    # -- rotation ------------------------------------------------------------------------
    @contextmanager
    def exclusive(self) -> Iterator[bool]:
        """No appender writes while the block runs (an exclusive ``flock`` on the current
        file, through a descriptor of its own: a lock is shared by every descriptor of one
        opening, so two threads of one process would not exclude each other through the
        reading one); yields whether there is a file."""
        while True:
            try:
                fd = os.open(self.path, os.O_RDONLY | os.O_CLOEXEC)
            except FileNotFoundError:
                yield False
                return
            fcntl.flock(fd, fcntl.LOCK_EX)
            if os.fstat(fd).st_nlink > 0:
                break
            os.close(fd)  # removed meanwhile (closing lets the lock go): lock the new one
        try:
            yield True
        finally:
            os.close(fd)

    def remove(self) -> None:
        """Replace the current file (its lines folded, under ``exclusive``) with a new one, in
        one step: there is always a file to lock."""
        draft = self._draft()
        try:
            os.replace(draft, self.path)
        except BaseException:
            draft.unlink(missing_ok=True)
            raise

    def close(self) -> None:
        """Close the files (not under the org's lock: an append may be waiting for a fold
        that needs it)."""
        self.closed = True
        with self._append_lock, self._lock:
            for fd in (self._append_fd, self._read_fd):
                if fd is not None:
                    os.close(fd)
            self._append_fd = self._read_fd = self._read_id = None


def save_position(conn: sqlite3.Connection, position: Position) -> None:
    """How far the log is folded, in the caller's transaction (the table is made in files
    from before it)."""
    conn.execute(CALL_LOG_TABLE)
    conn.execute(
        "INSERT INTO _mock_call_log (id, log_id, offset) VALUES (1, ?, ?) "
        "ON CONFLICT (id) DO UPDATE SET log_id = excluded.log_id, offset = excluded.offset",
        (position[0] or "", position[1]),
    )


def parse_line(text: bytes) -> tuple[bool, str, bytes] | None:
    """A line's parts: whether the call counts against the daily allocation, its time, and the
    rest of its journal entry (JSON); None for an empty line or one that is not a call's (a
    line a killed process left half written). A line is ``<0|1> <time> <JSON>``: the window
    reads the first two without parsing the JSON."""
    if len(text) < 5 or text[1:2] != b" " or text[:1] not in (b"0", b"1"):
        return None
    space = text.find(b" ", 2)
    if space < 0:
        return None
    try:
        when = text[2:space].decode("ascii")
    except UnicodeDecodeError:
        return None
    return text[:1] == b"1", when, text[space + 1 :]
