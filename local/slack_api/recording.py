"""What the server keeps about calls: the log tests assert on and the failures queued for them."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class RecordedCall:
    method: str
    args: dict[str, Any]
    ok: bool
    error: str | None
    status: int


@dataclass(frozen=True)
class InjectedFailure:
    status: int
    error: str
    retry_after: int

    @property
    def headers(self) -> dict[str, str]:
        if self.status == 429:
            return {"Retry-After": str(self.retry_after)}
        return {}


def planned_failure(status: int, retry_after: int, error: str | None) -> InjectedFailure:
    if status == 200:
        if not error:
            raise ValueError("a status 200 failure needs an error code")
        return InjectedFailure(status=200, error=error, retry_after=0)
    if status == 429:
        if retry_after < 0:
            raise ValueError("retry_after must not be negative")
        return InjectedFailure(status=429, error=error or "ratelimited", retry_after=retry_after)
    if 400 <= status <= 599:
        return InjectedFailure(status=status, error=error or "internal_error", retry_after=0)
    raise ValueError(f"cannot inject a failure with HTTP status {status}")


class FailurePlan:
    """Per-method queues of failures, consumed in the order they were planned."""

    def __init__(self) -> None:
        self._queues: dict[str, deque[InjectedFailure]] = {}

    def add(self, method: str, failure: InjectedFailure, times: int) -> None:
        if times < 1:
            raise ValueError("times must be at least 1")
        self._queues.setdefault(method, deque()).extend([failure] * times)

    def take(self, method: str) -> InjectedFailure | None:
        queue = self._queues.get(method)
        if not queue:
            return None
        return queue.popleft()

    def clear(self) -> None:
        self._queues.clear()
