"""The issuer's signing keys, cached: what a request waits for, and what it never waits for.

- A request whose key is cached and fresh is answered from the cache at once; it never waits
  for a fetch someone else started (keys are refreshed early, by one request, without making
  any other wait).
- A failed fetch keeps the cached keys: they are served until `ttl` after they were fetched,
  never longer, so a withdrawn key stops verifying in time even while the issuer is down.
- One fetch at a time, within one overall deadline. Requests that need it wait for it (no
  longer than the deadline) and share its result.
- A failed fetch is remembered and backed off (`FailureBackoff`); refetches for kids the cache
  doesn't have are budgeted (`RefetchBudget`), so strangers can't turn requests into fetches.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from shared.auth.fetch_limits import FailureBackoff, RefetchBudget
from shared.auth.issuer_http import fetch_json
from shared.auth.oidc import (
    DISCOVERY_PATH,
    IssuerUnavailableError,
    VerificationKey,
    jwks_uri_of,
    parse_jwks,
)
from shared.clock import Clock

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class KeySet:
    keys: Mapping[str, VerificationKey]
    fetched_at: datetime


class IssuerKeys:
    """Signing keys of one issuer, served for `ttl` and refreshed `refresh_ahead` before that."""

    def __init__(
        self,
        issuer: str,
        *,
        clock: Clock,
        ttl: timedelta,
        fetch_deadline: float,
        read_timeout: float,
        refresh_ahead: timedelta = timedelta(seconds=60),
        backoff: FailureBackoff | None = None,
        budget: RefetchBudget | None = None,
    ) -> None:
        self._issuer = issuer
        self._clock = clock
        self._ttl = ttl
        self._refresh_after = ttl - min(refresh_ahead, ttl / 2)
        self._fetch_deadline = fetch_deadline
        self._read_timeout = read_timeout
        self._backoff = backoff or FailureBackoff()
        self._budget = budget or RefetchBudget()
        self._state = threading.Lock()  # held for moments only, never across a fetch
        self._fetching = threading.Lock()  # held by the one fetch in flight
        self._cached: KeySet | None = None
        self._jwks_uri: str | None = None
        self._attempts = 0  # fetches finished, either way

    def key_for(self, kid: str) -> VerificationKey | None:
        """The key with this kid, or None if the issuer doesn't publish it.

        Raises IssuerUnavailableError when the answer needs the issuer and it can't be read.
        """
        now = self._clock.now()
        with self._state:
            cached, arrived = self._fresh(now), self._attempts
        if cached is not None and kid in cached.keys:
            if now >= cached.fetched_at + self._refresh_after:
                return self._refreshed_early(kid, cached)
            return cached.keys[kid]
        if not self._fetching.acquire(timeout=self._fetch_deadline):
            raise IssuerUnavailableError("another fetch of the issuer's keys is taking too long")
        try:
            return self._after_waiting(kid, arrived)
        finally:
            self._fetching.release()

    def _fresh(self, now: datetime) -> KeySet | None:
        cached = self._cached
        if cached is None or now >= cached.fetched_at + self._ttl:
            return None
        return cached

    def _refreshed_early(self, kid: str, cached: KeySet) -> VerificationKey | None:
        """Due for refresh: this request refreshes, unless a fetch is in flight or backed off;
        either way it is answered from a fresh set."""
        if not self._fetching.acquire(blocking=False):
            return cached.keys[kid]
        try:
            now = self._clock.now()
            with self._state:
                current = self._fresh(now) or cached
                if current is not cached or self._backoff.waiting(now):
                    return current.keys.get(kid)
            try:
                return self._fetch(now).keys.get(kid)
            except IssuerUnavailableError:
                return cached.keys[kid]  # still fresh: serve it until it expires
        finally:
            self._fetching.release()

    def _after_waiting(self, kid: str, arrived: int) -> VerificationKey | None:
        """Holding the fetch lock: answer from a fetch that finished meanwhile, or fetch."""
        now = self._clock.now()
        with self._state:
            cached = self._fresh(now)
            if cached is not None and kid in cached.keys:
                return cached.keys[kid]
            if self._attempts != arrived or self._backoff.waiting(now):
                # A fetch ended while this request waited, or the last one failed moments ago:
                # its outcome is this request's answer too.
                if self._backoff.last_failed or cached is None:
                    raise IssuerUnavailableError("the issuer's keys could not be fetched")
                return None
            if cached is not None and not self._budget.take(now):
                return None  # a kid the issuer did not publish a moment ago, most likely
        return self._fetch(now).keys.get(kid)

    def _fetch(self, now: datetime) -> KeySet:
        """Discovery (when its JWKS address isn't known yet) and the JWKS, in one deadline."""
        deadline = time.monotonic() + self._fetch_deadline
        try:
            jwks_uri = self._jwks_uri or jwks_uri_of(
                self._issuer, self._get(self._issuer.removesuffix("/") + DISCOVERY_PATH, deadline)
            )
            keys = parse_jwks(self._get(jwks_uri, deadline))
        except IssuerUnavailableError as exc:
            with self._state:
                self._attempts += 1
                self._jwks_uri = None  # the next attempt reads the discovery document again
                self._backoff.failed(now)
                retry_at = self._backoff.retry_at
            logger.warning(
                "could not fetch the issuer's signing keys; cached keys are kept until they expire",
                extra={"reason": str(exc), "retry_at": retry_at.isoformat() if retry_at else None},
            )
            raise
        fetched = KeySet(keys, now)
        with self._state:
            self._attempts += 1
            self._jwks_uri, self._cached = jwks_uri, fetched
            self._backoff.succeeded()
        logger.info("fetched issuer signing keys", extra={"keys": len(keys)})
        return fetched

    def _get(self, url: str, deadline: float) -> dict[str, Any]:
        return fetch_json(url, deadline=deadline, read_timeout=self._read_timeout)
