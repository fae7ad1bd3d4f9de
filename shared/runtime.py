"""What a function needs to do its work, built once per process from the settings."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from slack_sdk import WebClient
from sqlalchemy import Engine

from shared.clock import Clock, SystemClock
from shared.db.engine import get_engine
from shared.events.publisher import EventPublisher, InProcessBus, ResilientKafkaPublisher
from shared.settings import Settings, get_settings
from shared.slack.client import build_background_client, build_client

# Without KAFKA_BROKERS, events stay in this process: the embedded default.
IN_PROCESS_BUS = InProcessBus()


@dataclass
class Runtime:
    settings: Settings
    engine: Engine
    slack: WebClient
    clock: Clock
    publisher: EventPublisher = field(repr=False)

    @cached_property
    def background_slack(self) -> WebClient:
        """For event-driven work: longer timeouts, waits out rate limits."""
        return build_background_client(
            token=self.settings.slack_bot_token, base_url=self.settings.slack_api_url
        )


def build_runtime(settings: Settings, clock: Clock | None = None) -> Runtime:
    return Runtime(
        settings=settings,
        engine=get_engine(settings.database_url),
        slack=build_client(token=settings.slack_bot_token, base_url=settings.slack_api_url),
        clock=clock or SystemClock(),
        publisher=build_publisher(settings),
    )


def build_publisher(settings: Settings) -> EventPublisher:
    if not settings.kafka_brokers:
        return IN_PROCESS_BUS
    return ResilientKafkaPublisher(settings.kafka_brokers, settings.kafka_client_id)


@lru_cache(maxsize=1)
def get_runtime() -> Runtime:
    return build_runtime(get_settings())
