"""The app's orgs: create, find, list, delete. One registry per ``create_app()``.

Every org is a file in the registry's folder: the ``--db`` folder, or a private temporary one
removed when the registry closes. Several worker processes share one folder: an org created,
changed or deleted by one is found, seen changed or gone by the others, and org ids come from
a counter in the folder's ``registry.sqlite``, so two processes never hand out the same one.
"""

from __future__ import annotations

import logging
import os
import shutil
import sqlite3
import tempfile
import threading
import weakref
from collections.abc import Callable
from pathlib import Path

from .. import ids
from . import calllog
from .files import (
    OrgFileError,
    image_to_file,
    raise_open_file_limit,
    remove_database,
    temporary_path,
)
from .org import BUSY_TIMEOUT_MS, OrgStore, template_image
from .snapshots import RESET_POINT, Snapshots

log = logging.getLogger("mock_salesforce")
COUNTER_FILE = "registry.sqlite"


class OrgNotFound(KeyError):
    """No org with that id in this server."""


class Registry:
    """Every org of one server, each a file in ``data_dir`` (a private temporary folder if
    None). ``problems`` names the org files that could not be opened, and why."""

    def __init__(
        self,
        data_dir: Path | None = None,
        private: bool = False,
        durable: bool | None = None,
        fold: Callable[[OrgStore], None] | None = None,
        call_log_bytes: int = calllog.ROTATE_BYTES,
    ) -> None:
        """``private``: no other process opens ``data_dir`` (a folder of its own, as ``serve``
        with one worker and no ``--db`` makes); a temporary folder always is. ``durable``
        (default: when a folder is given): commits survive a power loss (``--db``); a folder
        that lives only as long as the server need not be synced to disk. ``fold``: its
        orgs keep a call log, folded into each org's database by this function (calllog.py),
        and replaced when it grows past ``call_log_bytes``."""
        self.temporary = data_dir is None
        self.fold = fold if calllog.available() else None
        self.call_log_bytes = call_log_bytes
        self.durable = (data_dir is not None) if durable is None else durable
        # Only this registry adds and removes files here, and only this process opens them.
        self.private = self.temporary or private
        self.data_dir = (
            Path(tempfile.mkdtemp(prefix="mock-salesforce-")) if data_dir is None else data_dir
        )
        self.data_dir.mkdir(parents=True, exist_ok=True)
        raise_open_file_limit()
        self._orgs: dict[str, OrgStore] = {}
        self._lock = threading.Lock()
        self.problems: dict[str, str] = {}
        self._counter = _open_counter(self.data_dir / COUNTER_FILE)
        self._cleanup = (
            weakref.finalize(self, shutil.rmtree, self.data_dir, True) if self.temporary else None
        )
        self._sync(starting=True)

    # -- files ---------------------------------------------------------------------------
    def _path(self, org_id: str) -> Path:
        return self.data_dir / f"{org_id}.sqlite"

    def _snapshots(self, org_id: str) -> Snapshots:
        return Snapshots(self.data_dir / "snapshots" / org_id)

    def _open(self, org_id: str) -> OrgStore | None:
        """The org in file ``org_id``; a file that cannot be served is reported and skipped."""
        path = self._path(org_id)
        try:
            store = OrgStore(
                org_id,
                org_id[3:6],
                path,
                snapshots=self._snapshots(org_id),
                durable=self.durable,
                # No other process opens a private folder's files (several ``serve`` workers
                # share theirs, and ``--db`` may be opened again).
                shared=not self.private,
                fold=self.fold,
                call_log_bytes=self.call_log_bytes,
            )
        except OrgFileError as exc:
            if self.problems.get(path.name) != str(exc):
                log.warning("skipping %s", exc)
            self.problems[path.name] = str(exc)
            return None
        self.problems.pop(path.name, None)
        return store

    def _sync(self, starting: bool = False) -> None:
        """Open the org files this process has not seen; forget orgs whose file is gone.

        Nothing to do for a private folder: only this registry's ``add`` and ``remove`` change
        it, and they keep ``_orgs`` in step (a listing there could otherwise open a file that
        ``add`` renamed into place, or ``remove`` is deleting, a second time); what the folder
        held when the registry was made is opened then (``starting``)."""
        if self.private and not starting:
            return
        on_disk = {p.stem for p in self.data_dir.glob("00D*.sqlite")}
        with self._lock:
            gone = [org_id for org_id in self._orgs if org_id not in on_disk]
            for org_id in gone:
                self._orgs.pop(org_id).close()
            new = sorted(on_disk - set(self._orgs))
        for org_id in new:
            self._adopt(org_id)
        self._bump_counter(on_disk)

    def _adopt(self, org_id: str) -> OrgStore | None:
        store = self._open(org_id)
        if store is None:
            return None
        with self._lock:
            existing = self._orgs.get(org_id)
            if existing is not None:
                store.close()
                return existing
            self._orgs[org_id] = store
        return store

    # -- ids -----------------------------------------------------------------------------
    def _bump_counter(self, org_ids: set[str]) -> None:
        """Never hand out a pod an org file already has (files from an older counter)."""
        if not org_ids:
            return
        highest = max(_pod_number(org_id[3:6]) for org_id in org_ids)
        with self._lock:
            self._counter.execute("UPDATE pod SET next = max(next, ?)", (highest + 1,))

    def allocate(self, case_like: str | None = None) -> tuple[str, str]:
        """A new org id and the 3-character pod its record ids carry.

        With ``case_like`` the pod has upper-case letters where that pod has them: an id moved
        from one pod to the other then keeps its case-safe suffix (a clone's ids move in SQL).
        """
        with self._lock:
            self._counter.execute("BEGIN IMMEDIATE")
            try:
                number = int(self._counter.execute("SELECT next FROM pod").fetchone()[0])
                while True:
                    pod = ids.base62(number + 62 * 62 * 5, 3)  # "5..": never "000"
                    number += 1
                    if case_like is None or _upper_pattern(pod) == _upper_pattern(case_like):
                        break
                self._counter.execute("UPDATE pod SET next = ?", (number,))
            finally:
                self._counter.execute("COMMIT")
        return ids.make_id("00D", pod, 1), pod

    # -- orgs ----------------------------------------------------------------------------
    def add(
        self,
        org_id: str,
        pod: str,
        image: bytes | None = None,
        source: OrgStore | None = None,
        prepare: Callable[[OrgStore], None] | None = None,
        reset_point: bool = False,
    ) -> OrgStore:
        """A new org, its database a copy of ``source`` or ``image`` (default: the empty
        template), then changed by ``prepare``; with ``reset_point``, that state is kept as the
        org's reset point. The file appears whole or not at all."""
        path = self._path(org_id)
        building = temporary_path(path)
        try:
            if source is not None:
                with source.lock:
                    source.conn.execute("SELECT 1")  # a consistent read of the source
                    _backup(source, building)
            else:
                image_to_file(image or template_image(), building)
            if prepare is not None:
                draft = OrgStore(
                    org_id,
                    pod,
                    building,
                    snapshots=self._snapshots(org_id),
                    durable=False,
                    shared=False,
                )
                try:
                    prepare(draft)
                finally:
                    draft.close()
            if reset_point:
                self._snapshots(org_id).save_file(RESET_POINT, building)
            building.replace(path)
        except BaseException:
            remove_database(building)
            self._snapshots(org_id).remove_all()
            raise
        store = self._adopt(org_id)
        if store is None:
            raise OrgNotFound(org_id)
        return store

    def get(self, org_id: str) -> OrgStore:
        """The org with 15- or 18-character id ``org_id``, up to date; raises OrgNotFound."""
        normalized = ids.normalize(org_id) if org_id else None
        if not normalized or not normalized.startswith("00D"):
            raise OrgNotFound(org_id)
        store = self._orgs.get(normalized)
        if self.private:
            # A private folder: only this registry adds or removes its files, and no other
            # process changes an org in it. An org not kept here does not exist (even if its
            # file is still being deleted).
            if store is None:
                raise OrgNotFound(org_id)
            return store
        if store is None:
            store = self._adopt(normalized) if self._path(normalized).exists() else None
        elif not store.path or not os.path.exists(store.path):  # os.path: no pathlib layers
            with self._lock:
                self._orgs.pop(normalized, None)
            store.close()
            store = None
        if store is None:
            raise OrgNotFound(org_id)
        store.refresh()
        return store

    def find(self, org_id: str) -> OrgStore | None:
        try:
            return self.get(org_id)
        except OrgNotFound:
            return None

    def all(self) -> list[OrgStore]:
        """Every org, oldest first (ids grow with each new org), as every process sees them."""
        self._sync()
        with self._lock:
            stores = [self._orgs[k] for k in sorted(self._orgs)]
        return [store for store in stores if _refreshed(store)]

    def accepting_logins(self) -> list[OrgStore]:
        """The orgs a login may land in: all but those set ``accepts_logins: false``
        (templates kept only to be cloned, whose usernames their clones reuse)."""
        return [store for store in self.all() if store.setting("accepts_logins", True)]

    def remove(self, org_id: str) -> None:
        store = self.get(org_id)
        with self._lock:
            self._orgs.pop(store.org_id, None)
        store.close()
        if store.path is not None:
            remove_database(store.path)
        self._snapshots(store.org_id).remove_all()

    def close(self) -> None:
        with self._lock:
            stores = list(self._orgs.values())
            self._orgs.clear()
        for store in stores:
            store.close()
        self._counter.close()
        if self._cleanup is not None:
            self._cleanup()


def _backup(source: OrgStore, path: Path) -> None:
    target = sqlite3.connect(str(path))
    try:
        target.execute("PRAGMA synchronous=OFF")  # see files.copy_database
        source.conn.backup(target)
    finally:
        target.close()


def _open_counter(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    # Not synced: after a power loss the counter is moved past every org file at start-up.
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=OFF")
    conn.execute("BEGIN IMMEDIATE")
    conn.execute("CREATE TABLE IF NOT EXISTS pod (next INTEGER NOT NULL)")
    conn.execute("INSERT INTO pod (next) SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM pod)")
    conn.execute("COMMIT")
    return conn


def _upper_pattern(pod: str) -> tuple[bool, ...]:
    return tuple(char.isupper() for char in pod)


def _pod_number(pod: str) -> int:
    alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
    value = 0
    for char in pod:
        value = value * 62 + alphabet.index(char)
    return value - 62 * 62 * 5


def _refreshed(store: OrgStore) -> bool:
    """Bring a store up to date; False when it was deleted meanwhile (another thread removed
    it between the listing and now): it is left out rather than failing the caller."""
    if store.closed:
        return False
    try:
        store.refresh()
    except sqlite3.ProgrammingError:
        if store.closed:
            return False
        raise
    return True
