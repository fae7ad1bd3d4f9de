"""Requests exactly as Slack sends them: form bodies, v0 signatures, interaction payloads."""

from __future__ import annotations

import hashlib
import hmac
import json
import uuid
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl, urlencode

from shared.clock import Clock

CHANNEL = "C0COFFEE"
TEAM = "T0TEAM"
# What command_body puts in response_url unless told otherwise; a sender with a Slack API
# server swaps it for a real one that server hands out (so replies to it are recorded).
PLACEHOLDER_RESPONSE_URL = "https://hooks.slack.test/commands/1"


def sign(secret: str, body: bytes, timestamp: int) -> dict[str, str]:
    base = f"v0:{timestamp}:".encode() + body
    digest = hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()
    return {
        "X-Slack-Request-Timestamp": str(timestamp),
        "X-Slack-Signature": f"v0={digest}",
        "Content-Type": "application/x-www-form-urlencoded",
    }


def command_body(
    text: str,
    *,
    user: str = "U1",
    channel: str = CHANNEL,
    trigger_id: str | None = None,
    response_url: str = PLACEHOLDER_RESPONSE_URL,
) -> bytes:
    form = {
        "token": "deprecated",
        "team_id": TEAM,
        "team_domain": "acme",
        "channel_id": channel,
        "channel_name": "coffee",
        "user_id": user,
        "user_name": user.lower(),
        "command": "/coffee",
        "text": text,
        "api_app_id": "A0APP",
        "response_url": response_url,
        "trigger_id": trigger_id or f"trig.{uuid.uuid4().hex}",
    }
    return urlencode(form).encode()


def interaction_body(payload: dict[str, Any]) -> bytes:
    return urlencode({"payload": json.dumps(payload)}).encode()


def block_action(
    action_id: str,
    value: str,
    *,
    user: str = "U1",
    channel: str | None = CHANNEL,
    message_ts: str | None = "1.000",
    view_id: str | None = None,
    response_url: str | None = None,
) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "type": "block_actions",
        "user": {"id": user, "username": user.lower(), "team_id": TEAM},
        "team": {"id": TEAM, "domain": "acme"},
        "api_app_id": "A0APP",
        "trigger_id": f"trig.{uuid.uuid4().hex}",
        "actions": [{"type": "button", "action_id": action_id, "block_id": "b", "value": value}],
    }
    if view_id is not None:
        payload["container"] = {"type": "view", "view_id": view_id}
        payload["view"] = {"id": view_id, "type": "modal"}
    else:
        payload["container"] = {"type": "message", "message_ts": message_ts, "channel_id": channel}
        payload["channel"] = {"id": channel, "name": "coffee"}
    if response_url is not None:
        payload["response_url"] = response_url
    return payload


def view_submission(run_id: str, text: str | None, *, user: str = "U1") -> dict[str, Any]:
    value: dict[str, Any] = {"type": "plain_text_input"}
    if text is not None:
        value["value"] = text
    return {
        "type": "view_submission",
        "user": {"id": user, "username": user.lower(), "team_id": TEAM},
        "team": {"id": TEAM, "domain": "acme"},
        "view": {
            "id": "V0MODAL",
            "type": "modal",
            "callback_id": "order_submit",
            "private_metadata": run_id,
            "state": {"values": {"order": {"text": value}}},
        },
    }


class SlackSender:
    """Posts signed requests to a function's test client, the way Slack would.

    ``after`` runs once the answer is back: the tests' fixture delivers the events the
    request caused there (what Kafka and the Broker do once the function has answered), so
    a test sees the whole system's end state; set it to None to look in between."""

    def __init__(
        self,
        client: Any,
        secret: str,
        clock: Clock,
        after: Callable[[], object] | None = None,
        response_urls: Callable[[str, str], str] | None = None,
    ) -> None:
        self.client = client
        self.secret = secret
        self.clock = clock
        self.after = after
        self.response_urls = response_urls

    def post(self, body: bytes, *, headers: dict[str, str] | None = None) -> Any:
        body = self._with_response_url(body)
        signed = sign(self.secret, body, int(self.clock.now().timestamp()))
        signed.update(headers or {})
        response = self.client.post("/", data=body, headers=signed)
        if self.after is not None:
            self.after()
        return response

    def _with_response_url(self, body: bytes) -> bytes:
        """A command carrying the placeholder gets a response_url from the Slack server."""
        if self.response_urls is None or b"response_url=" not in body:
            return body
        form = dict(parse_qsl(body.decode(), keep_blank_values=True))
        if form.get("response_url") != PLACEHOLDER_RESPONSE_URL:
            return body
        form["response_url"] = self.response_urls(form.get("channel_id", ""), form["user_id"])
        return urlencode(form).encode()


def replies(slack_api: Any, user: str = "U1") -> list[str]:
    """The texts that reached ``user`` through their commands' response_urls."""
    return [r.text or "" for r in slack_api.responses(user=user)]
