"""The app's orgs: create, find, list, delete. One registry per ``create_app()``."""

from __future__ import annotations

import threading
from pathlib import Path

from .. import ids
from .org import OrgStore


class OrgNotFound(KeyError):
    """No org with that id in this server."""


class Registry:
    """Every org of one server. With ``data_dir`` each org is a file and survives a restart."""

    def __init__(self, data_dir: Path | None = None) -> None:
        self.data_dir = data_dir
        self._orgs: dict[str, OrgStore] = {}
        self._lock = threading.Lock()
        self._next_pod = 0
        if data_dir is not None:
            data_dir.mkdir(parents=True, exist_ok=True)
            for path in sorted(data_dir.glob("00D*.sqlite")):
                org_id = path.stem
                self._orgs[org_id] = OrgStore(org_id, org_id[3:6], path)
                self._next_pod = max(self._next_pod, _pod_number(org_id[3:6]) + 1)

    def allocate(self, case_like: str | None = None) -> tuple[str, str]:
        """A new org id and the 3-character pod its record ids carry.

        With ``case_like`` the pod has upper-case letters where that pod has them: an id moved
        from one pod to the other then keeps its case-safe suffix (a clone's ids move in SQL).
        """
        with self._lock:
            while True:
                number = self._next_pod
                self._next_pod += 1
                pod = ids.base62(number + 62 * 62 * 5, 3)  # "5..": never "000"
                if case_like is None or _upper_pattern(pod) == _upper_pattern(case_like):
                    break
        return ids.make_id("00D", pod, 1), pod

    def add(self, org_id: str, pod: str, image: bytes | None = None) -> OrgStore:
        """A new org, its database copied from ``image`` (default: the empty template)."""
        path = self.data_dir / f"{org_id}.sqlite" if self.data_dir is not None else None
        store = OrgStore(org_id, pod, path, image)
        with self._lock:
            self._orgs[org_id] = store
        return store

    def get(self, org_id: str) -> OrgStore:
        """The org with 15- or 18-character id ``org_id``; raises OrgNotFound."""
        normalized = ids.normalize(org_id) if org_id else None
        store = self._orgs.get(normalized or "")
        if store is None:
            raise OrgNotFound(org_id)
        return store

    def find(self, org_id: str) -> OrgStore | None:
        try:
            return self.get(org_id)
        except OrgNotFound:
            return None

    def all(self) -> list[OrgStore]:
        with self._lock:
            return list(self._orgs.values())

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
            for suffix in ("", "-wal", "-shm"):
                Path(str(store.path) + suffix).unlink(missing_ok=True)

    def close(self) -> None:
        for store in self.all():
            store.close()


def _upper_pattern(pod: str) -> tuple[bool, ...]:
    return tuple(char.isupper() for char in pod)


def _pod_number(pod: str) -> int:
    alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
    value = 0
    for char in pod:
        value = value * 62 + alphabet.index(char)
    return value - 62 * 62 * 5
