"""The mock clock: one per org. Everything time-based (audit fields, sessions, codes, limits,
query locators, date literals) reads it, so a test can freeze, set and advance time.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any


def system_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class ClockState:
    """Either frozen at an instant, or running with an offset from the real time."""

    frozen_at: datetime | None = None
    offset: timedelta = timedelta(0)

    def to_json(self) -> dict[str, Any]:
        return {
            "frozen_at": self.frozen_at.isoformat() if self.frozen_at else None,
            "offset_seconds": self.offset.total_seconds(),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ClockState:
        frozen = data.get("frozen_at")
        return cls(
            frozen_at=datetime.fromisoformat(frozen) if frozen else None,
            offset=timedelta(seconds=float(data.get("offset_seconds", 0))),
        )


class Clock:
    """An org's clock; ``on_change`` persists the state."""

    def __init__(
        self,
        state: ClockState | None = None,
        on_change: Callable[[ClockState], None] | None = None,
        source: Callable[[], datetime] = system_now,
    ) -> None:
        self._state = state or ClockState()
        self._on_change = on_change
        self._source = source
        self._lock = threading.Lock()

    def now(self) -> datetime:
        state = self._state
        if state.frozen_at is not None:
            return state.frozen_at
        return self._source() + state.offset

    def set(self, moment: datetime, frozen: bool = True) -> datetime:
        """Set the time to ``moment``; frozen unless ``frozen`` is False (then it runs on)."""
        moment = moment.astimezone(UTC)
        with self._lock:
            if frozen:
                self._state = ClockState(frozen_at=moment)
            else:
                self._state = ClockState(offset=moment - self._source())
            self._changed()
        return self.now()

    def advance(self, delta: timedelta) -> datetime:
        """Move the time forward by ``delta`` (negative moves it back), frozen or running."""
        with self._lock:
            state = self._state
            if state.frozen_at is not None:
                self._state = ClockState(frozen_at=state.frozen_at + delta)
            else:
                self._state = ClockState(offset=state.offset + delta)
            self._changed()
        return self.now()

    def resume(self) -> datetime:
        """Let a frozen clock run again from where it stands."""
        with self._lock:
            if self._state.frozen_at is not None:
                self._state = ClockState(offset=self._state.frozen_at - self._source())
                self._changed()
        return self.now()

    def reset(self) -> datetime:
        """Back to the real time."""
        with self._lock:
            self._state = ClockState()
            self._changed()
        return self.now()

    @property
    def state(self) -> ClockState:
        return self._state

    def load(self, state: ClockState) -> None:
        self._state = state

    def _changed(self) -> None:
        if self._on_change is not None:
            self._on_change(self._state)
