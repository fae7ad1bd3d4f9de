"""Time as a dependency: production reads the system clock, tests and the playground move it."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime:
        """The current time, timezone-aware UTC."""
        ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class ManualClock:
    """A clock that only moves when told to; thread-safe."""

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("ManualClock needs a timezone-aware start")
        self._now = start.astimezone(UTC)
        self._lock = threading.Lock()

    def now(self) -> datetime:
        with self._lock:
            return self._now

    def advance(self, delta: timedelta) -> datetime:
        with self._lock:
            self._now += delta
            return self._now

    def set(self, when: datetime) -> None:
        with self._lock:
            self._now = when.astimezone(UTC)


class HasClock(Protocol):
    clock: Clock


class ClockOf:
    """Whatever clock ``holder`` has right now: long-lived objects (the token verifier) follow
    the runtime when the playground or a test swaps its clock."""

    def __init__(self, holder: HasClock) -> None:
        self._holder = holder

    def now(self) -> datetime:
        return self._holder.clock.now()
