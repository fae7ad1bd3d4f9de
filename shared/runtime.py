"""What a function needs to do its work, built once per process from the settings."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

from slack_sdk import WebClient
from sqlalchemy import Engine

from shared.clock import Clock, SystemClock
from shared.db.engine import database_is_reachable, get_engine, use_password_from
from shared.events.publisher import EventPublisher, build_publisher
from shared.secrets import DATABASE_PASSWORD, SLACK_BOT_TOKEN, SecretProvider, load_secret_provider
from shared.settings import Settings, get_settings

__all__ = ["Runtime", "build_runtime", "get_runtime"]
from shared.slack.client import build_background_client, build_client


class _SlackClients:
    """Slack clients rebuilt when the bot token rotates (read through the secret provider)."""

    def __init__(self, secrets: SecretProvider, base_url: str) -> None:
        self._secrets = secrets
        self._base_url = base_url
        self._lock = threading.Lock()
        self._token = ""
        self._interactive: WebClient | None = None
        self._background: WebClient | None = None

    def _current(self) -> tuple[WebClient, WebClient]:
        token = self._secrets.get(SLACK_BOT_TOKEN)
        with self._lock:
            if token != self._token or self._interactive is None or self._background is None:
                self._interactive = build_client(token=token, base_url=self._base_url)
                self._background = build_background_client(token=token, base_url=self._base_url)
                self._token = token
            return self._interactive, self._background

    def interactive(self) -> WebClient:
        return self._current()[0]

    def background(self) -> WebClient:
        return self._current()[1]


@dataclass
class Runtime:
    settings: Settings
    engine: Engine
    secrets: SecretProvider = field(repr=False)
    clock: Clock
    publisher: EventPublisher = field(repr=False)
    # How a delivery waits out a Retry-After or a backoff; tests swap it.
    sleep: Callable[[float], None] = field(default=time.sleep, repr=False)
    _slack: _SlackClients = field(repr=False, init=False)

    def __post_init__(self) -> None:
        self._slack = _SlackClients(self.secrets, self.settings.slack_api_url)

    @property
    def slack(self) -> WebClient:
        """For Slack-facing requests: short timeouts, no waiting out rate limits."""
        return self._slack.interactive()

    def readiness(self) -> dict[str, str]:
        """What /health/ready reports down: the database, when it doesn't answer."""
        return {} if database_is_reachable(self.engine) else {"database": "unreachable"}

    @property
    def background_slack(self) -> WebClient:
        """For event-driven work: longer timeouts; its caller (the delivery worker) decides
        how to wait out rate limits and outages."""
        return self._slack.background()


def build_runtime(settings: Settings, clock: Clock | None = None) -> Runtime:
    clock = clock or SystemClock()
    secrets = load_secret_provider(clock=clock)
    engine = get_engine(settings.database_url)
    use_password_from(engine, lambda: secrets.get_optional(DATABASE_PASSWORD))
    return Runtime(
        settings=settings,
        engine=engine,
        secrets=secrets,
        clock=clock,
        publisher=build_publisher(settings),
    )


@lru_cache(maxsize=1)
def get_runtime() -> Runtime:
    return build_runtime(get_settings())
