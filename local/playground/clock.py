"""The local run's clock: system time plus an offset the playground moves forward."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from typing import Protocol


class AdjustableClock(Protocol):
    """A clock the playground can move forward (OffsetClock here, ManualClock in tests)."""

    def now(self) -> datetime: ...

    def advance(self, delta: timedelta) -> datetime: ...


class OffsetClock:
    """Real time, shifted by however far the playground has advanced it; thread-safe.

    It keeps ticking like the system clock, so Slack's five-minute signature window and
    the per-minute ticker behave as usual; advancing it makes reminders fall due at once.
    """

    def __init__(self) -> None:
        self._offset = timedelta(0)
        self._lock = threading.Lock()

    def now(self) -> datetime:
        with self._lock:
            offset = self._offset
        return datetime.now(UTC) + offset

    def advance(self, delta: timedelta) -> datetime:
        if delta < timedelta(0):
            raise ValueError("the playground clock only moves forward")
        with self._lock:
            self._offset += delta
        return self.now()
