"""Small helpers shared by the local Slack API tests."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Callable
from typing import Any

import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.web import SlackResponse

from local.slack_api import SlackApiServer

TOKEN = "xoxb-local-slack-api-test"


def slack_error(call: Callable[..., SlackResponse], /, **kwargs: Any) -> SlackResponse:
    """The response of a call that must fail with SlackApiError."""
    with pytest.raises(SlackApiError) as caught:
        call(**kwargs)
    response: SlackResponse = caught.value.response
    return response


def section(text: str = "hello", **extra: Any) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}, **extra}


def button(text: str = "Go", action_id: str = "go", **extra: Any) -> dict[str, Any]:
    return {
        "type": "button",
        "text": {"type": "plain_text", "text": text},
        "action_id": action_id,
        **extra,
    }


def modal(*blocks: dict[str, Any], title: str = "Coffee run", **extra: Any) -> dict[str, Any]:
    return {
        "type": "modal",
        "title": {"type": "plain_text", "text": title},
        "blocks": list(blocks),
        **extra,
    }


def home(*blocks: dict[str, Any]) -> dict[str, Any]:
    return {"type": "home", "blocks": list(blocks)}


class FakeTime:
    """A monotonic clock that moves only when told, and a sleep that only records."""

    def __init__(self, start: float = 1_000.0) -> None:
        self.now = start
        self.sleeps: list[float] = []

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)

    def advance(self, seconds: float) -> None:
        self.now += seconds


def api_status(
    server: SlackApiServer, method: str, **args: Any
) -> tuple[int, dict[str, str], dict[str, Any]]:
    """HTTP status, headers and body of one authenticated JSON call, whatever its outcome."""
    return post_json(server.url + method, args, headers={"Authorization": f"Bearer {TOKEN}"})


def post_json(
    url: str, body: object, *, headers: dict[str, str] | None = None
) -> tuple[int, dict[str, str], dict[str, Any]]:
    data = json.dumps(body).encode()
    request = urllib.request.Request(
        url,
        data=data,
        headers={"Content-Type": "application/json; charset=utf-8", **(headers or {})},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, dict(response.headers), json.loads(response.read())
    except urllib.error.HTTPError as failure:
        return failure.code, dict(failure.headers), json.loads(failure.read())
