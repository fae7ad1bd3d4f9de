"""Whether an authenticated call reaches its method, and how long it takes on the way.

In order: a failure planned with `fail_next`, then a scheduled incident, then the rate
limits of the realism in force. A call refused by the first two uses no rate-limit token.
"""

from __future__ import annotations

from collections.abc import Callable

from local.slack_api.incidents import IncidentSchedule
from local.slack_api.payloads import error
from local.slack_api.realism import Conditions, Realism
from local.slack_api.recording import FailurePlan, InjectedFailure
from local.slack_api.transport import ApiResponse


class Admission:
    """Not thread-safe on its own; the server serialises access."""

    def __init__(self, realism: Realism | None, monotonic: Callable[[], float]) -> None:
        self._built_realism = realism
        self._monotonic = monotonic
        self._failures = FailurePlan()
        self._incidents = IncidentSchedule()
        self._conditions = Conditions(realism)

    @property
    def realism(self) -> Realism | None:
        return self._conditions.realism

    def set_realism(self, realism: Realism | None) -> None:
        self._conditions = Conditions(realism)

    def fail_next(self, method: str, failure: InjectedFailure, times: int) -> None:
        self._failures.add(method, failure, times)

    def schedule(self, target: str, failure: InjectedFailure, seconds: float) -> None:
        self._incidents.add(target, failure, seconds, self._monotonic())

    def reset(self) -> None:
        """Forget planned failures and incidents; the built realism, with full buckets."""
        self._failures.clear()
        self._incidents.clear()
        self._conditions = Conditions(self._built_realism)

    def latency(self) -> float:
        return self._conditions.latency()

    def refusal(self, method: str, channel: str | None) -> ApiResponse | None:
        """The answer that stops the call before its method runs, if any."""
        now = self._monotonic()
        failure = self._failures.take(method) or self._incidents.failure(method, now)
        if failure is not None:
            return ApiResponse(failure.status, error(failure.error), failure.headers)
        retry_after = self._conditions.retry_after(method, channel, now)
        if retry_after is not None:
            return ApiResponse(429, error("ratelimited"), {"Retry-After": str(retry_after)})
        return None
