from __future__ import annotations

from collections.abc import Iterator

import pytest
from slack_sdk import WebClient

from local.slack_api import Realism, SlackApiServer
from tests.local.helpers import TOKEN, FakeTime

SEED = 20261201


@pytest.fixture
def slack_server() -> Iterator[SlackApiServer]:
    with SlackApiServer(TOKEN) as server:
        yield server


@pytest.fixture
def slack_client(slack_server: SlackApiServer) -> WebClient:
    return WebClient(token=TOKEN, base_url=slack_server.url)


@pytest.fixture
def fake_time() -> FakeTime:
    return FakeTime()


@pytest.fixture
def realistic_server(fake_time: FakeTime) -> Iterator[SlackApiServer]:
    """Slack's latency and rate limits, on a fake monotonic clock and a sleep that only records."""
    server = SlackApiServer(
        TOKEN, realism=Realism(seed=SEED), sleep=fake_time.sleep, monotonic=fake_time.monotonic
    )
    with server:
        yield server


@pytest.fixture
def realistic_client(realistic_server: SlackApiServer) -> WebClient:
    return WebClient(token=TOKEN, base_url=realistic_server.url)
