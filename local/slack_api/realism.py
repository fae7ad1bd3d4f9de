"""How much like real Slack the local server behaves: latency, rate limits, burst allowance.

The fast mode (no `Realism`) answers in about a millisecond and never refuses a call, which
is what the playground and most tests want. A `Realism` adds what hides bugs otherwise:
Slack's latency, and its per-method rate limits answered with HTTP 429 and `Retry-After`.
The latency figures are assumptions, not measurements of Slack.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from statistics import NormalDist

from local.slack_api.ratelimits import RateLimiter

Z_99 = NormalDist().inv_cdf(0.99)


@dataclass(frozen=True)
class Realism:
    """Latency is lognormal with the given median and 99th percentile (seconds)."""

    latency_median: float = 0.150
    latency_p99: float = 0.600
    rate_limits: bool = True
    burst: int = 5
    seed: int | None = None

    def __post_init__(self) -> None:
        if not self.latency_median >= 0:
            raise ValueError("latency_median must not be negative")
        if not self.latency_p99 >= self.latency_median:
            raise ValueError("latency_p99 must be at least latency_median")
        if self.burst < 1:
            raise ValueError("burst must be at least 1")


class LatencyModel:
    """Draws one latency per call; seeded, the sequence is the same on every run.

    Not thread-safe on its own; the server draws under its lock and sleeps outside it.
    """

    def __init__(self, realism: Realism) -> None:
        self._median = realism.latency_median
        self._sigma = 0.0
        if realism.latency_median > 0:
            self._sigma = math.log(realism.latency_p99 / realism.latency_median) / Z_99
        self._rng = random.Random(realism.seed)  # noqa: S311 - a simulation, not a secret

    def sample(self) -> float:
        if self._median == 0:
            return 0.0
        return self._median * math.exp(self._sigma * self._rng.gauss())


class Conditions:
    """The realism in force: its latency draws and its rate-limit buckets.

    Not thread-safe on its own; the server serialises access.
    """

    def __init__(self, realism: Realism | None) -> None:
        self.realism = realism
        self._latency = LatencyModel(realism) if realism is not None else None
        self._limiter = (
            RateLimiter(realism.burst) if realism is not None and realism.rate_limits else None
        )

    def latency(self) -> float:
        return self._latency.sample() if self._latency is not None else 0.0

    def retry_after(self, method: str, channel: str | None, now: float) -> int | None:
        """None when the call is within its limits, else the `Retry-After` to answer."""
        if self._limiter is None:
            return None
        return self._limiter.retry_after(method, channel, now)
