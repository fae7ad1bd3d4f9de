from __future__ import annotations

from collections.abc import Iterator

import pytest
from slack_sdk import WebClient

from shared.local.slack_api import SlackApiServer
from tests.local.helpers import TOKEN


@pytest.fixture
def slack_server() -> Iterator[SlackApiServer]:
    with SlackApiServer(TOKEN) as server:
        yield server


@pytest.fixture
def slack_client(slack_server: SlackApiServer) -> WebClient:
    return WebClient(token=TOKEN, base_url=slack_server.url)
