"""The process's one Runtime, built on first need, so a cold function can answer first.

Building the Runtime imports the database stack (SQLAlchemy, SQLModel, pydantic, psycopg),
slack-sdk's WebClient and the event publisher: over a second of a cold start. What the
Slack-facing intake needs before it can verify a request and answer it is far less: the
secrets (the signing secret) and a clock. This module hands out those without that import,
builds the Runtime when something first asks for it, and runs work deferred past an answer
on it. Importing this module stays cheap (no database or Slack client import): keep it so.
"""

from __future__ import annotations

import contextvars
import logging
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

from shared.clock import Clock, SystemClock
from shared.secrets import SecretProvider, load_secret_provider

if TYPE_CHECKING:
    from shared.runtime import Runtime

log = logging.getLogger(__name__)

type Job = Callable[[Runtime], None]


def _build_from_settings(secrets: SecretProvider) -> Runtime:
    from shared.runtime import build_runtime
    from shared.settings import get_settings

    return build_runtime(get_settings(), secrets=secrets)


class LazyRuntime:
    """A Runtime built at most once (until `forget`), by the first caller of `get`."""

    def __init__(
        self,
        build: Callable[[SecretProvider], Runtime] = _build_from_settings,
        *,
        clock: Clock | None = None,
    ) -> None:
        self._build = build
        # Two locks: reading the secrets must never wait behind a build in progress.
        self._secrets_lock = threading.Lock()
        self._build_lock = threading.RLock()
        self._secrets: SecretProvider | None = None
        self._runtime: Runtime | None = None
        self._clock_before = clock or SystemClock()
        self._deferred: list[threading.Thread] = []
        self._deferred_lock = threading.Lock()

    def secrets(self) -> SecretProvider:
        """The process's secrets, read on first call (a failing source: SecretsError)."""
        runtime = self._runtime
        if runtime is not None:
            return runtime.secrets
        with self._secrets_lock:
            if self._secrets is None:
                self._secrets = load_secret_provider()
            return self._secrets

    @property
    def clock(self) -> Clock:
        """The Runtime's clock once built (tests and benchmarks move it), else the system's."""
        runtime = self._runtime
        return runtime.clock if runtime is not None else self._clock_before

    def built(self) -> Runtime | None:
        """The Runtime if it exists already; never builds it."""
        return self._runtime

    def get(self) -> Runtime:
        runtime = self._runtime
        if runtime is not None:
            return runtime
        with self._build_lock:
            if self._runtime is None:
                self._runtime = self._build(self.secrets())
            return self._runtime

    def forget(self) -> None:
        """Drop the Runtime and the secrets: the next `get` reads the environment again."""
        with self._build_lock, self._secrets_lock:
            self._runtime = None
            self._secrets = None

    def defer(self, job: Job, *, name: str) -> None:
        """Run `job` on the Runtime in a thread of its own, after the caller has answered.

        The thread carries the caller's context (correlation id and request ids in every log
        line) and is not a daemon: a worker shutting down finishes it before exiting.
        """
        context = contextvars.copy_context()
        thread = threading.Thread(target=context.run, args=(self._run, job), name=name)
        with self._deferred_lock:
            self._deferred = [t for t in self._deferred if t.is_alive()]
            self._deferred.append(thread)
        thread.start()

    def warm_up(self) -> None:
        """Build the Runtime in the background, if nothing is building or has built it."""
        if self._runtime is not None:
            return
        with self._deferred_lock:
            if any(t.name == "coffeebuddy-warm-up" and t.is_alive() for t in self._deferred):
                return
        self.defer(lambda _: None, name="coffeebuddy-warm-up")

    def wait_for_deferred(self, timeout: float = 30.0) -> bool:
        """Wait for deferred work started so far; False if some is still running."""
        with self._deferred_lock:
            threads = list(self._deferred)
        for thread in threads:
            thread.join(timeout)
        return not any(thread.is_alive() for thread in threads)

    def _run(self, job: Job) -> None:
        try:
            job(self.get())
        except Exception:
            # Jobs answer their own failures to the person; this only keeps the trace.
            log.exception("deferred work failed")


# The process's one: functions and `shared.runtime.get_runtime` share it.
PROCESS_RUNTIME = LazyRuntime()
