"""What a function needs to do its work, built once per process from the settings."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from slack_sdk import WebClient
from sqlalchemy import Engine

from shared.clock import Clock, SystemClock
from shared.db.engine import get_engine
from shared.settings import Settings, get_settings
from shared.slack.client import build_client


@dataclass
class Runtime:
    settings: Settings
    engine: Engine
    slack: WebClient
    clock: Clock


def build_runtime(settings: Settings, clock: Clock | None = None) -> Runtime:
    return Runtime(
        settings=settings,
        engine=get_engine(settings.database_url),
        slack=build_client(token=settings.slack_bot_token, base_url=settings.slack_api_url),
        clock=clock or SystemClock(),
    )


@lru_cache(maxsize=1)
def get_runtime() -> Runtime:
    return build_runtime(get_settings())
