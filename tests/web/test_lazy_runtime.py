"""The process's Runtime, built on first need: once, without blocking the secrets, in context."""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from types import SimpleNamespace

import pytest

from shared.clock import ManualClock
from shared.lazy_runtime import LazyRuntime
from shared.observability.logging import correlation, current_correlation_id
from shared.secrets import SLACK_SIGNING_SECRET

BEFORE = ManualClock(datetime(2026, 11, 25, 8, 0, tzinfo=UTC))
AFTER = ManualClock(datetime(2026, 11, 25, 12, 0, tzinfo=UTC))


@pytest.fixture(autouse=True)
def _secrets(monkeypatch):
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "signing")
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-bot")
    monkeypatch.delenv("VAULT_ADDR", raising=False)


class Builds:
    """A build that counts its calls and can be held until released."""

    def __init__(self, *, hold: bool = False) -> None:
        self.count = 0
        self.started = threading.Event()
        self.release = threading.Event()
        if not hold:
            self.release.set()

    def __call__(self, secrets):
        self.count += 1
        self.started.set()
        assert self.release.wait(10)
        return SimpleNamespace(secrets=secrets, clock=AFTER, n=self.count)


def test_nothing_is_built_until_asked():
    build = Builds()
    lazy = LazyRuntime(build, clock=BEFORE)
    assert lazy.secrets().get(SLACK_SIGNING_SECRET) == "signing"
    assert lazy.built() is None and build.count == 0
    assert lazy.clock is BEFORE


def test_built_once_however_many_ask_at_the_same_moment():
    build = Builds(hold=True)
    lazy = LazyRuntime(build, clock=BEFORE)
    got = []
    threads = [threading.Thread(target=lambda: got.append(lazy.get())) for _ in range(8)]
    for thread in threads:
        thread.start()
    assert build.started.wait(5)
    build.release.set()
    for thread in threads:
        thread.join(5)
    assert build.count == 1
    assert len(got) == 8 and all(runtime is got[0] for runtime in got)
    assert lazy.built() is got[0] and lazy.clock is AFTER


def test_reading_the_secrets_never_waits_for_a_build_in_progress():
    build = Builds(hold=True)
    lazy = LazyRuntime(build, clock=BEFORE)
    lazy.warm_up()
    assert build.started.wait(5)
    try:
        assert lazy.secrets().get(SLACK_SIGNING_SECRET) == "signing"
        assert lazy.built() is None and lazy.clock is BEFORE
    finally:
        build.release.set()
    assert lazy.wait_for_deferred(5)
    assert lazy.built() is not None


def test_the_runtime_shares_the_secrets_read_at_start():
    lazy = LazyRuntime(Builds(), clock=BEFORE)
    at_start = lazy.secrets()
    assert lazy.get().secrets is at_start
    assert lazy.secrets() is at_start


def test_deferred_work_runs_on_the_runtime_with_the_callers_correlation_id():
    lazy = LazyRuntime(Builds(), clock=BEFORE)
    seen = []
    with correlation("corr-123"):
        lazy.defer(lambda rt: seen.append((rt.n, current_correlation_id())), name="job")
    assert lazy.wait_for_deferred(5)
    assert seen == [(1, "corr-123")]


def test_a_failing_deferred_job_is_logged_and_does_not_stop_later_ones(caplog):
    lazy = LazyRuntime(Builds(), clock=BEFORE)
    done = []

    def boom(_):
        raise RuntimeError("kaput")

    lazy.defer(boom, name="boom")
    lazy.defer(lambda rt: done.append(rt.n), name="after")
    assert lazy.wait_for_deferred(5)
    assert done == [1]
    assert any(r.getMessage() == "deferred work failed" for r in caplog.records)


def test_warm_up_starts_one_build_and_stops_once_built():
    build = Builds(hold=True)
    lazy = LazyRuntime(build, clock=BEFORE)
    lazy.warm_up()
    lazy.warm_up()
    assert build.started.wait(5)
    build.release.set()
    assert lazy.wait_for_deferred(5)
    lazy.warm_up()
    assert lazy.wait_for_deferred(5)
    assert build.count == 1


def test_forget_reads_the_environment_again(monkeypatch):
    build = Builds()
    lazy = LazyRuntime(build, clock=BEFORE)
    lazy.get()
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "rotated")
    lazy.forget()
    assert lazy.built() is None
    assert lazy.secrets().get(SLACK_SIGNING_SECRET) == "rotated"
    assert lazy.get().n == 2
