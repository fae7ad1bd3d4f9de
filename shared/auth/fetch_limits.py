"""How often the verifier may ask the issuer for its keys: after a failure, and for strangers.

Both run on the injected clock, so tests move time instead of sleeping.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta


@dataclass
class FailureBackoff:
    """After a failed fetch, none until `retry_at`: 1 s, then doubling up to 30 s.

    So an issuer that is down costs one fetch per interval, not one per request.
    """

    first: timedelta = timedelta(seconds=1)
    longest: timedelta = timedelta(seconds=30)
    failures: int = 0
    retry_at: datetime | None = None

    def failed(self, now: datetime) -> None:
        self.failures += 1
        delay = min(self.first * 2 ** min(self.failures - 1, 16), self.longest)
        self.retry_at = now + delay

    def succeeded(self) -> None:
        self.failures, self.retry_at = 0, None

    @property
    def last_failed(self) -> bool:
        return self.failures > 0

    def waiting(self, now: datetime) -> bool:
        return self.retry_at is not None and now < self.retry_at


@dataclass
class RefetchBudget:
    """Refetches for a `kid` the cached keys don't have: `burst` at once, then one per `every`.

    A token bucket. One stranger's made-up kid costs one of `burst`, so the key the issuer
    publishes next is still fetched at once; a stream of made-up kids gets one fetch per
    `every`, and that fetch brings in whatever the issuer has published meanwhile.
    """

    burst: int = 3
    every: timedelta = timedelta(seconds=10)
    tokens: int = field(init=False)
    accruing_since: datetime | None = field(default=None, init=False)

    def __post_init__(self) -> None:
        self.tokens = self.burst

    def take(self, now: datetime) -> bool:
        self._refill(now)
        if self.tokens == 0:
            return False
        if self.tokens == self.burst:
            self.accruing_since = now
        self.tokens -= 1
        return True

    def _refill(self, now: datetime) -> None:
        if self.accruing_since is None or self.tokens >= self.burst:
            return
        earned = max(0, int((now - self.accruing_since) / self.every))
        if earned:
            self.tokens = min(self.burst, self.tokens + earned)
            self.accruing_since += earned * self.every
