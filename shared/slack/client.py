"""The one Slack Web API client per process, pointed at SLACK_API_URL."""

from __future__ import annotations

from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    ServerErrorRetryHandler,
)

from shared.slack.errors import SLACK_ERRORS

__all__ = ["SLACK_ERRORS", "build_background_client", "build_client"]

# Slack-facing requests must answer within 3 s, so this client retries a dropped
# connection or a 5xx once and does not wait out rate limits (a Retry-After can be long);
# the event-driven functions (summaries, DMs) build their own client with more patience.
INTERACTIVE_TIMEOUT_SECONDS = 2


def build_client(
    *, token: str, base_url: str, timeout: int = INTERACTIVE_TIMEOUT_SECONDS
) -> WebClient:
    client = WebClient(token=token, base_url=base_url, timeout=timeout)
    client.retry_handlers = [
        ConnectionErrorRetryHandler(max_retry_count=1),
        ServerErrorRetryHandler(max_retry_count=1),
    ]
    return client


def build_background_client(*, token: str, base_url: str) -> WebClient:
    """For the event-driven functions: no retries of its own. The delivery worker waits
    out 429s and backs off after 5xx itself (shared.delivery.worker), so the waiting is
    bounded per request and a delivery that has to wait longer is handed on, not lost."""
    client = WebClient(token=token, base_url=base_url, timeout=10)
    client.retry_handlers = []
    return client
