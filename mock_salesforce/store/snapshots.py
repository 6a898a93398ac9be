"""An org's named snapshots (the reset point among them), kept as files beside the org's.

Each snapshot is a whole database copied with the backup API, so it survives a restart, is
seen by every worker process, and costs no memory while unused.
"""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path

from .files import copy_closed_database, copy_database, restore_database

RESET_POINT = "__initial__"


def _file_name(name: str) -> str:
    return name.encode().hex() + ".sqlite"


def _name(file_name: str) -> str | None:
    try:
        return bytes.fromhex(file_name.removesuffix(".sqlite")).decode()
    except ValueError:
        return None


class Snapshots:
    """The snapshots of one org: ``folder/<hex of the name>.sqlite``."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def save(self, name: str, source: sqlite3.Connection) -> int:
        """Keep ``source``'s whole state under ``name``; returns the snapshot's size in bytes."""
        self.folder.mkdir(parents=True, exist_ok=True)
        return copy_database(source, self.folder / _file_name(name))

    def save_file(self, name: str, source: Path) -> int:
        """Keep the database file ``source``, which no connection has open, under ``name``."""
        self.folder.mkdir(parents=True, exist_ok=True)
        return copy_closed_database(source, self.folder / _file_name(name))

    def restore(
        self,
        name: str,
        target: sqlite3.Connection,
        prepare: Callable[[sqlite3.Connection], None] | None = None,
    ) -> bool:
        """Put snapshot ``name`` back into ``target``, changed by ``prepare`` on the way (in a
        copy: ``target`` sees one commit); False when there is no such snapshot."""
        path = self.folder / _file_name(name)
        if not path.exists():
            return False
        restore_database(path, target, prepare)
        return True

    def has(self, name: str) -> bool:
        return (self.folder / _file_name(name)).exists()

    def sizes(self) -> dict[str, int]:
        """Every snapshot's name and size, oldest first."""
        if not self.folder.is_dir():
            return {}
        paths = sorted(self.folder.glob("*.sqlite"), key=lambda p: p.stat().st_mtime_ns)
        found = {_name(p.name): p.stat().st_size for p in paths}
        return {name: size for name, size in found.items() if name is not None}

    def remove_all(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)
