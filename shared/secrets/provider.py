"""Secrets cached per process and read again when their time is up.

A value is trusted for the Vault lease (`lease_duration`) when Vault gives one, else for the
refresh interval (`VAULT_REFRESH_SECONDS`, 300 s), never longer than the hard max age: a
rotated secret is picked up on the first read after that. When a refresh fails the last good
values keep being served (a warning is logged, naming the failure, never a value) and the
source is asked again after a short retry interval, until the values are older than the max
age (1 h): from then on every read raises :class:`SecretsError` until a refresh succeeds.

One thread refreshes at a time; while it does, other threads are served the last good values
instead of queueing behind a slow Vault.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from shared.clock import Clock
from shared.secrets.secret import SECRET_NAMES, Secret, SecretsError
from shared.secrets.sources import SecretSource

logger = logging.getLogger(__name__)

DEFAULT_REFRESH = timedelta(seconds=300)
DEFAULT_MAX_AGE = timedelta(hours=1)
DEFAULT_RETRY = timedelta(seconds=30)


@dataclass(frozen=True)
class _Snapshot:
    values: Mapping[str, Secret]
    fetched_at: datetime
    refresh_at: datetime


class SecretProvider:
    """Thread-safe access to the process's secrets; `get` reveals one value to its caller."""

    def __init__(
        self,
        source: SecretSource,
        *,
        clock: Clock,
        required: Collection[str] = (),
        names: Collection[str] = SECRET_NAMES,
        refresh: timedelta = DEFAULT_REFRESH,
        max_age: timedelta = DEFAULT_MAX_AGE,
        retry: timedelta = DEFAULT_RETRY,
    ) -> None:
        unknown = set(required) - set(names)
        if unknown:
            raise ValueError(f"required secrets are not known names: {sorted(unknown)}")
        if refresh <= timedelta(0) or max_age <= timedelta(0) or retry <= timedelta(0):
            raise ValueError("refresh, max_age and retry must be positive")
        self._source = source
        self._clock = clock
        self._required = tuple(required)
        self._names = frozenset(names)
        self._refresh = refresh
        self._max_age = max_age
        self._retry = min(retry, refresh)
        self._snapshot: _Snapshot | None = None
        self._refresh_lock = threading.Lock()

    def __repr__(self) -> str:
        return f"SecretProvider(source={self._source.description!r})"

    def load(self) -> None:
        """Read every secret now; start-up calls this so a bad source stops the process early."""
        with self._refresh_lock:
            self._snapshot = self._fetch(self._clock.now())

    def get(self, name: str) -> str:
        """The current value of `name`; :class:`SecretsError` if no source holds it."""
        value = self.secret(name)
        if value is None:
            raise SecretsError(f"{name} is not set: looked in {self._source.description}")
        return value.reveal()

    def get_optional(self, name: str) -> str | None:
        """The current value of `name`, or None when no source holds it (DATABASE_PASSWORD)."""
        value = self.secret(name)
        return None if value is None else value.reveal()

    def secret(self, name: str) -> Secret | None:
        """The current value of `name`, still wrapped, for passing on without revealing it."""
        if name not in self._names:
            raise ValueError(f"unknown secret name {name!r}")
        return self._current().values.get(name)

    def _current(self) -> _Snapshot:
        now = self._clock.now()
        snapshot = self._snapshot
        if snapshot is not None and now < snapshot.refresh_at:
            return snapshot
        servable = snapshot is not None and now - snapshot.fetched_at < self._max_age
        if not self._refresh_lock.acquire(blocking=not servable):
            assert snapshot is not None  # only a servable snapshot skips the wait
            return snapshot  # another thread is refreshing
        try:
            snapshot = self._snapshot  # refreshed while this thread waited?
            now = self._clock.now()
            if snapshot is not None and now < snapshot.refresh_at:
                return snapshot
            self._snapshot = self._refreshed(snapshot, now)
            return self._snapshot
        finally:
            self._refresh_lock.release()

    def _refreshed(self, previous: _Snapshot | None, now: datetime) -> _Snapshot:
        try:
            snapshot = self._fetch(now)
        except SecretsError as error:
            if previous is None:
                raise
            age = now - previous.fetched_at
            if age >= self._max_age:
                raise SecretsError(
                    f"{error}; the last good secrets are {int(age.total_seconds())} s old, "
                    f"past the {int(self._max_age.total_seconds())} s limit"
                ) from None
            logger.warning(
                "secrets refresh failed; serving the last good values",
                extra={"error": str(error), "age_seconds": int(age.total_seconds())},
            )
            return _Snapshot(previous.values, previous.fetched_at, now + self._retry)
        if previous is not None:
            rotated = sorted(
                name
                for name, value in snapshot.values.items()
                if previous.values.get(name) != value
            )
            if rotated:
                logger.info("secrets rotated", extra={"secrets": rotated})
        return snapshot

    def _fetch(self, now: datetime) -> _Snapshot:
        reading = self._source.read()
        missing = [name for name in self._required if name not in reading.values]
        if missing:
            raise SecretsError(
                f"{', '.join(missing)} not set: looked in {self._source.description}"
            )
        ttl = min(reading.ttl or self._refresh, self._max_age)
        values = {name: value for name, value in reading.values.items() if name in self._names}
        return _Snapshot(values, now, now + ttl)
