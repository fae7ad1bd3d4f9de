"""Answer a slash command after its HTTP answer: a post to the command's `response_url`.

Slack signs the request that carries the URL, so it is Slack's; still, a reply only goes to
Slack's hooks host over https, or to the host `SLACK_API_URL` names (an on-prem proxy, the
local Slack API server), never anywhere a payload field could point it.
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import urlsplit

from slack_sdk.errors import SlackClientError
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    ServerErrorRetryHandler,
)
from slack_sdk.webhook import WebhookClient

from shared.observability.metrics import ERRORS

log = logging.getLogger(__name__)

SLACK_HOOKS_HOST = "hooks.slack.com"
TIMEOUT_SECONDS = 5


def response_url_allowed(url: str, slack_api_url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme == "https" and parts.hostname == SLACK_HOOKS_HOST:
        return True
    api = urlsplit(slack_api_url)
    return (
        parts.scheme in ("http", "https")
        and bool(parts.hostname)
        and (
            parts.scheme,
            parts.hostname,
        )
        == (api.scheme, api.hostname)
    )


def send_to_response_url(url: str, body: dict[str, Any], *, slack_api_url: str) -> bool:
    """Post `body` (an ephemeral reply) to `url`; False, logged and counted, if it failed."""
    if not response_url_allowed(url, slack_api_url):
        ERRORS.labels("slack_api").inc()
        log.warning(
            "reply not sent: response_url is not a Slack URL",
            extra={"host": urlsplit(url).hostname},
        )
        return False
    client = WebhookClient(
        url,
        timeout=TIMEOUT_SECONDS,
        retry_handlers=[
            ConnectionErrorRetryHandler(max_retry_count=1),
            ServerErrorRetryHandler(max_retry_count=1),
        ],
    )
    try:
        response = client.send_dict(body)
    except (SlackClientError, OSError) as error:
        ERRORS.labels("slack_api").inc()
        log.warning("reply not sent to response_url", extra={"reason": type(error).__name__})
        return False
    if response.status_code != 200:
        ERRORS.labels("slack_api").inc()
        log.warning(
            "reply refused by response_url",
            extra={"status": response.status_code, "reason": response.body[:100]},
        )
        return False
    return True
