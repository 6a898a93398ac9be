"""The core's own persistence: one SQLite database (a path or ":memory:"), thread-safe.

Tokens and PKCE verifiers are encrypted at rest with Fernet; the key comes from configuration.
"""

from __future__ import annotations

from integration.storage.base import Clock, utc_now
from integration.storage.credentials import CredentialStore
from integration.storage.crypto import TokenCipher
from integration.storage.outbox import OutboxStore
from integration.storage.records import RecordStore
from integration.storage.schema import SCHEMA
from integration.storage.teams import TeamStore


class Store(TeamStore, CredentialStore, RecordStore, OutboxStore):
    def __init__(self, path: str, encryption_key: str | bytes, clock: Clock = utc_now) -> None:
        super().__init__(path, TokenCipher(encryption_key), clock)
        with self._lock:
            self._db.executescript(SCHEMA)


__all__ = ["Store", "TokenCipher"]
