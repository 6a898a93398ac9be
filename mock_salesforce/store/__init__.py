"""SQLite-backed org state, the clock, and the registry of orgs."""

from __future__ import annotations

from .clock import Clock, ClockState
from .org import OrgStore
from .registry import OrgNotFound, Registry

__all__ = ["Clock", "ClockState", "OrgNotFound", "OrgStore", "Registry"]
