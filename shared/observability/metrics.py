"""The Prometheus metrics every function exposes.

Label values are a small fixed vocabulary (never user or channel ids) so the series
count stays bounded.

prometheus_client costs ~25 ms to import, which the slash intake's cold start can't
spare (DESIGN.md, "The cold path is small"). So a metric here is created in
prometheus_client's registry on :func:`load_metrics` (every function but the intake calls
it at start; the intake when it is first scraped), and what is counted before that is kept
and added then: nothing counted is lost, and no import happens on the way to an answer.
"""

from __future__ import annotations

import threading
from typing import Any

_lock = threading.Lock()
_pending: list[tuple[Metric, tuple[str, ...], str, float]] = []
_loaded = False


class Metric:
    """A Counter or Histogram, created for real by :func:`load_metrics`."""

    def __init__(self, kind: str, name: str, documentation: str, **options: Any) -> None:
        self.kind, self.name, self.documentation, self.options = kind, name, documentation, options
        self.real: Any = None

    def labels(self, *values: str) -> _Labelled:
        return _Labelled(self, values)

    def inc(self, amount: float = 1) -> None:
        _record(self, (), "inc", amount)

    def observe(self, value: float) -> None:
        _record(self, (), "observe", value)


class _Labelled:
    def __init__(self, metric: Metric, values: tuple[str, ...]) -> None:
        self.metric, self.values = metric, values

    def inc(self, amount: float = 1) -> None:
        _record(self.metric, self.values, "inc", amount)


def _record(metric: Metric, labels: tuple[str, ...], method: str, value: float) -> None:
    with _lock:
        if not _loaded:
            _pending.append((metric, labels, method, value))
            return
    _apply(metric, labels, method, value)


def _apply(metric: Metric, labels: tuple[str, ...], method: str, value: float) -> None:
    target = metric.real.labels(*labels) if labels else metric.real
    getattr(target, method)(value)


RUNS = Metric(
    "counter", "coffeebuddy_runs", "Coffee runs by final or starting status", labelnames=["status"]
)
RUN_DURATION = Metric(
    "histogram",
    "coffeebuddy_run_duration_seconds",
    "Time from a run being opened to it being closed",
    buckets=(60, 300, 600, 900, 1800, 3600, 7200, 14400),
)
REQUESTS = Metric(
    "counter", "coffeebuddy_requests", "Requests handled, by kind", labelnames=["type"]
)
ERRORS = Metric("counter", "coffeebuddy_errors", "Errors, by kind", labelnames=["type"])
FORGOTTEN = Metric("counter", "coffeebuddy_forget_me", "People who asked to be forgotten")
PURGED = Metric(
    "counter",
    "coffeebuddy_retention_purged",
    "Rows deleted by the retention purge, by kind",
    labelnames=["kind"],
)
ALL = (RUNS, RUN_DURATION, REQUESTS, ERRORS, FORGOTTEN, PURGED)


def load_metrics() -> None:
    """Create every metric in prometheus_client's registry and add what was counted so far."""
    global _loaded
    with _lock:
        if _loaded:
            return
        from prometheus_client import Counter, Histogram, disable_created_metrics

        disable_created_metrics()  # type: ignore[no-untyped-call]
        for metric in ALL:
            kind = Counter if metric.kind == "counter" else Histogram
            metric.real = kind(metric.name, metric.documentation, **metric.options)
        pending, _pending[:] = list(_pending), []
        _loaded = True
    for metric, labels, method, value in pending:
        _apply(metric, labels, method, value)


def render_metrics() -> tuple[bytes, str]:
    """The exposition body and its content type."""
    load_metrics()
    from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, generate_latest

    return generate_latest(REGISTRY), CONTENT_TYPE_LATEST
