"""The bodies Slack sends an app: slash-command forms and interaction payloads."""

from __future__ import annotations

import json
import time
import uuid
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from local.slack_api.payloads import BotIdentity

JsonObject = dict[str, Any]
IDENTITY = BotIdentity()
TEAM_DOMAIN = "coffeebuddy-local"
VERIFICATION_TOKEN = "playground-deprecated-token"  # noqa: S105  (Slack's old, unused field)


@dataclass(frozen=True)
class Person:
    id: str
    name: str
    tz: str


@dataclass(frozen=True)
class Channel:
    id: str
    name: str


def new_trigger_id() -> str:
    """Shaped like Slack's (``<seconds>.<number>.<hex>``) and never reused."""
    return f"{int(time.time())}.{uuid.uuid4().int % 10**12}.{uuid.uuid4().hex}"


def _user(person: Person) -> JsonObject:
    return {
        "id": person.id,
        "username": person.name,
        "name": person.name,
        "team_id": IDENTITY.team_id,
    }


def _envelope(kind: str, person: Person, trigger_id: str | None) -> JsonObject:
    payload: JsonObject = {
        "type": kind,
        "user": _user(person),
        "api_app_id": IDENTITY.app_id,
        "token": VERIFICATION_TOKEN,
        "team": {"id": IDENTITY.team_id, "domain": TEAM_DOMAIN},
        "enterprise": None,
        "is_enterprise_install": False,
    }
    if trigger_id is not None:
        payload["trigger_id"] = trigger_id
    return payload


def command_body(
    person: Person, channel: Channel, text: str, *, trigger_id: str, response_url: str
) -> bytes:
    """Slack escapes ``&``, ``<`` and ``>`` in what the person typed."""
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    form = {
        "token": VERIFICATION_TOKEN,
        "team_id": IDENTITY.team_id,
        "team_domain": TEAM_DOMAIN,
        "channel_id": channel.id,
        "channel_name": channel.name,
        "user_id": person.id,
        "user_name": person.name,
        "command": "/coffee",
        "text": escaped,
        "api_app_id": IDENTITY.app_id,
        "is_enterprise_install": "false",
        "response_url": response_url,
        "trigger_id": trigger_id,
    }
    return urlencode(form).encode()


def interaction_body(payload: JsonObject) -> bytes:
    return urlencode({"payload": json.dumps(payload)}).encode()


def button_action(element: JsonObject, block_id: str) -> JsonObject:
    action: JsonObject = {
        "type": element.get("type", "button"),
        "action_id": element.get("action_id", ""),
        "block_id": block_id,
        "text": element.get("text"),
        "action_ts": f"{time.time():.6f}",
    }
    for optional in ("value", "style"):
        if optional in element:
            action[optional] = element[optional]
    return action


def message_action(
    person: Person,
    channel: Channel,
    message: JsonObject,
    action: JsonObject,
    *,
    ephemeral: bool,
    trigger_id: str,
    response_url: str,
) -> JsonObject:
    """A click in a message; Slack leaves the message itself out for ephemeral ones."""
    payload = _envelope("block_actions", person, trigger_id)
    payload["container"] = {
        "type": "message",
        "message_ts": message["ts"],
        "channel_id": channel.id,
        "is_ephemeral": ephemeral,
    }
    payload["channel"] = {"id": channel.id, "name": channel.name}
    if not ephemeral:
        payload["message"] = message
    payload["state"] = {"values": {}}
    payload["response_url"] = response_url
    payload["actions"] = [action]
    return payload


def view_action(
    person: Person, view: JsonObject, values: JsonObject, action: JsonObject, *, trigger_id: str
) -> JsonObject:
    payload = _envelope("block_actions", person, trigger_id)
    payload["container"] = {"type": "view", "view_id": view["id"]}
    payload["view"] = {**view, "state": {"values": values}}
    payload["actions"] = [action]
    return payload


def view_submission(
    person: Person, view: JsonObject, values: JsonObject, *, trigger_id: str
) -> JsonObject:
    payload = _envelope("view_submission", person, trigger_id)
    payload["view"] = {**view, "state": {"values": values}}
    payload["response_urls"] = []
    return payload


def view_closed(person: Person, view: JsonObject) -> JsonObject:
    payload = _envelope("view_closed", person, None)
    payload["view"] = view
    payload["is_cleared"] = False
    return payload
