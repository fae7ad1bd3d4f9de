"""Summaries of latency samples (seconds in, milliseconds out)."""

from __future__ import annotations

import math
import statistics
from typing import TypedDict


class Summary(TypedDict):
    n: int
    p50_ms: float
    p99_ms: float
    max_ms: float
    mean_ms: float


def percentile(samples: list[float], fraction: float) -> float:
    """Nearest-rank percentile: the smallest sample with at least `fraction` at or below it."""
    if not samples:
        raise ValueError("no samples")
    ordered = sorted(samples)
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[rank - 1]


def summarize(samples: list[float]) -> Summary:
    return Summary(
        n=len(samples),
        p50_ms=round(statistics.median(samples) * 1000, 2),
        p99_ms=round(percentile(samples, 0.99) * 1000, 2),
        max_ms=round(max(samples) * 1000, 2),
        mean_ms=round(statistics.fmean(samples) * 1000, 2),
    )
