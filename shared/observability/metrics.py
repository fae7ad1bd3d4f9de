"""The Prometheus metrics every function exposes.

Label values are a small fixed vocabulary (never user or channel ids) so the series
count stays bounded.
"""

from __future__ import annotations

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    Counter,
    Histogram,
    disable_created_metrics,
    generate_latest,
)

disable_created_metrics()  # type: ignore[no-untyped-call]

RUNS = Counter("coffeebuddy_runs", "Coffee runs by final or starting status", ["status"])
RUN_DURATION = Histogram(
    "coffeebuddy_run_duration_seconds",
    "Time from a run being opened to it being closed",
    buckets=(60, 300, 600, 900, 1800, 3600, 7200, 14400),
)
REQUESTS = Counter("coffeebuddy_requests", "Requests handled, by kind", ["type"])
ERRORS = Counter("coffeebuddy_errors", "Errors, by kind", ["type"])


def render_metrics() -> tuple[bytes, str]:
    """The exposition body and its content type."""
    return generate_latest(REGISTRY), CONTENT_TYPE_LATEST


FORGOTTEN = Counter("coffeebuddy_forget_me", "People who asked to be forgotten")
PURGED = Counter(
    "coffeebuddy_retention_purged", "Rows deleted by the retention purge, by kind", ["kind"]
)
