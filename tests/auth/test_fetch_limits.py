"""How often the key cache may fetch: the failure backoff and the budget for unknown kids."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from shared.auth.fetch_limits import FailureBackoff, RefetchBudget

T0 = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)


def _at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


def test_backoff_doubles_from_one_second_to_thirty_and_resets_on_success():
    backoff = FailureBackoff()
    delays = []
    for _ in range(8):
        backoff.failed(T0)
        assert backoff.retry_at is not None
        delays.append((backoff.retry_at - T0).total_seconds())

    assert delays == [1, 2, 4, 8, 16, 30, 30, 30]
    assert backoff.waiting(_at(29.9)) and not backoff.waiting(_at(30))
    backoff.succeeded()
    assert not backoff.last_failed and not backoff.waiting(T0)


def test_backoff_after_very_many_failures_stays_at_thirty_seconds():
    backoff = FailureBackoff()
    for _ in range(10_000):
        backoff.failed(T0)

    assert backoff.retry_at == _at(30)


def test_budget_gives_a_burst_then_one_per_interval_and_never_more_than_the_burst():
    budget = RefetchBudget(burst=3, every=timedelta(seconds=10))

    assert [budget.take(T0) for _ in range(4)] == [True, True, True, False]
    assert not budget.take(_at(9.9))
    assert budget.take(_at(10)) and not budget.take(_at(10))
    assert budget.take(_at(20)) and not budget.take(_at(20))
    assert [budget.take(_at(1000)) for _ in range(4)] == [True, True, True, False]


def test_budget_ignores_a_clock_that_goes_back():
    budget = RefetchBudget(burst=1, every=timedelta(seconds=10))

    assert budget.take(T0)
    assert not budget.take(_at(-100))
    assert budget.take(_at(10))
