"""Slack's rate limits as token buckets, per method (the server is one workspace).

A bucket holds up to its burst allowance of calls and refills at its tier's rate; a call
that finds no token is refused with HTTP 429 and `Retry-After`, the whole seconds until
one will be there. `chat.postMessage` and `chat.postEphemeral` are limited per channel
(about one a second) and, on top of that, across the workspace.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

# Below this a wait is float noise, so a bucket refilled "exactly" on time admits the call.
EPSILON = 1e-9


@dataclass(frozen=True)
class Limit:
    """`per_minute` calls, in bursts of `burst` (None: the realism's burst allowance)."""

    per_minute: float
    burst: int | None = None


TIER_3 = Limit(per_minute=50)
TIER_4 = Limit(per_minute=100)
GENEROUS = Limit(per_minute=1000, burst=100)
PER_CHANNEL = Limit(per_minute=60)
# Slack documents "several hundred messages per minute" per workspace; these are our numbers.
WORKSPACE_MESSAGES = Limit(per_minute=300, burst=60)

METHOD_LIMITS = {
    "auth.test": GENEROUS,
    "chat.update": TIER_3,
    "chat.delete": TIER_3,
    "conversations.open": TIER_4,
    "users.info": TIER_4,
    "views.open": TIER_4,
    "views.update": TIER_4,
    "views.push": TIER_4,
    "views.publish": TIER_4,
    "chat.postMessage": WORKSPACE_MESSAGES,
    "chat.postEphemeral": WORKSPACE_MESSAGES,
}
PER_CHANNEL_METHODS = frozenset({"chat.postMessage", "chat.postEphemeral"})


class TokenBucket:
    def __init__(self, per_second: float, capacity: int, now: float) -> None:
        self._per_second = per_second
        self._capacity = float(capacity)
        self._tokens = float(capacity)
        self._updated = now

    def wait(self, now: float) -> float:
        """Seconds until a token is there (0: there is one now)."""
        elapsed = max(0.0, now - self._updated)
        self._tokens = min(self._capacity, self._tokens + elapsed * self._per_second)
        self._updated = max(self._updated, now)
        missing = 1.0 - self._tokens
        return missing / self._per_second if missing > EPSILON else 0.0

    def take(self) -> None:
        self._tokens -= 1.0


class RateLimiter:
    """Not thread-safe on its own; the server serialises access."""

    def __init__(self, burst: int) -> None:
        self._burst = burst
        # (method, channel); channel None is the method's workspace-wide bucket.
        self._buckets: dict[tuple[str, str | None], TokenBucket] = {}

    def retry_after(self, method: str, channel: str | None, now: float) -> int | None:
        """None when the call may go ahead (and its tokens are taken), else `Retry-After`."""
        buckets = [self._bucket(method, None, METHOD_LIMITS.get(method, TIER_3), now)]
        if method in PER_CHANNEL_METHODS:
            buckets.append(self._bucket(method, channel or "", PER_CHANNEL, now))
        wait = max(bucket.wait(now) for bucket in buckets)
        if wait > 0:
            return max(1, math.ceil(wait - EPSILON))
        for bucket in buckets:
            bucket.take()
        return None

    def _bucket(self, method: str, channel: str | None, limit: Limit, now: float) -> TokenBucket:
        key = (method, channel)
        bucket = self._buckets.get(key)
        if bucket is None:
            capacity = limit.burst if limit.burst is not None else self._burst
            bucket = TokenBucket(limit.per_minute / 60, capacity, now)
            self._buckets[key] = bucket
        return bucket
