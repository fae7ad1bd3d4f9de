"""The one Slack Web API client per process, pointed at SLACK_API_URL."""

from __future__ import annotations

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)

# What a Web API call can raise besides bugs: Slack's own refusal, the client's, the network.
SLACK_ERRORS = (SlackApiError, SlackClientError, OSError)

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
    """For the event-driven functions: waits out 429s (Retry-After) and retries 5xx a few times."""
    client = WebClient(token=token, base_url=base_url, timeout=10)
    client.retry_handlers = [
        ConnectionErrorRetryHandler(max_retry_count=2),
        RateLimitErrorRetryHandler(max_retry_count=2),
        ServerErrorRetryHandler(max_retry_count=2),
    ]
    return client
