"""Slack's request bodies turned into typed values; anything malformed is a PayloadError."""

from __future__ import annotations

import json
import re
from typing import Any, NamedTuple
from urllib.parse import parse_qs

MAX_COMMAND_TEXT = 4000
# JSON can write a surrogate code point as an escape ("\ud800"); alone, it decodes to a
# string that no UTF-8 encoder, and so no database or Slack call, accepts.
_ESCAPED_SURROGATE = re.compile(r"\\u[dD][89a-fA-F]")
_SURROGATE = re.compile("[\ud800-\udfff]")


class PayloadError(ValueError):
    """The request body is not a Slack payload we understand; the message is user-safe."""


class SlashCommand(NamedTuple):
    command: str
    text: str
    user_id: str
    user_name: str
    channel_id: str
    channel_name: str
    team_id: str
    trigger_id: str
    response_url: str


class BlockAction(NamedTuple):
    user_id: str
    team_id: str
    action_id: str
    value: str
    trigger_id: str
    channel_id: str | None
    message_ts: str | None
    view_id: str | None
    response_url: str | None = None  # a click on a message; none inside a modal


class ViewSubmission(NamedTuple):
    user_id: str
    team_id: str
    callback_id: str
    private_metadata: str
    view_id: str
    values: dict[str, dict[str, Any]]

    def input_value(self, block_id: str, action_id: str) -> str | None:
        element = self.values.get(block_id, {}).get(action_id, {})
        value = element.get("value") if isinstance(element, dict) else None
        return value if isinstance(value, str) else None

    def selected(self, block_id: str, action_id: str) -> frozenset[str]:
        """The values of the ticked checkboxes in a block."""
        element = self.values.get(block_id, {}).get(action_id, {})
        options = element.get("selected_options") if isinstance(element, dict) else None
        if not isinstance(options, list):
            return frozenset()
        return frozenset(
            o["value"] for o in options if isinstance(o, dict) and isinstance(o.get("value"), str)
        )


class IgnoredInteraction(NamedTuple):
    kind: str


Interaction = BlockAction | ViewSubmission | IgnoredInteraction


def _form(body: bytes) -> dict[str, str]:
    try:
        decoded = body.decode("utf-8")
    except UnicodeDecodeError:
        raise PayloadError("the body is not UTF-8") from None
    return {key: values[0] for key, values in parse_qs(decoded, keep_blank_values=True).items()}


def _field(form: dict[str, str], name: str, *, required: bool = True) -> str:
    value = form.get(name, "")
    if required and not value:
        raise PayloadError(f"the field '{name}' is missing")
    return value


def parse_slash_command(body: bytes) -> SlashCommand:
    form = _form(body)
    text = form.get("text", "")
    if len(text) > MAX_COMMAND_TEXT:
        raise PayloadError("the command text is too long")
    return SlashCommand(
        command=_field(form, "command"),
        text=text,
        user_id=_field(form, "user_id"),
        user_name=_field(form, "user_name", required=False),
        channel_id=_field(form, "channel_id"),
        channel_name=_field(form, "channel_name", required=False),
        team_id=_field(form, "team_id", required=False),
        trigger_id=_field(form, "trigger_id"),
        response_url=_field(form, "response_url", required=False),
    )


def _object(value: Any, name: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise PayloadError(f"'{name}' is missing or not an object")
    return value


def _string(obj: dict[str, Any], key: str, *, required: bool = True) -> str:
    value = obj.get(key)
    if value is None and not required:
        return ""
    if not isinstance(value, str) or (required and not value):
        raise PayloadError(f"'{key}' is missing or not a string")
    return value


def parse_interaction(body: bytes) -> Interaction:
    raw = _form(body).get("payload")
    if not raw:
        raise PayloadError("the field 'payload' is missing")
    try:
        payload = json.loads(raw)
    except RecursionError:
        raise PayloadError("'payload' is nested too deeply") from None
    except ValueError:  # not JSON, or an integer longer than Python reads (4300 digits)
        raise PayloadError("'payload' is not valid JSON") from None
    if _ESCAPED_SURROGATE.search(raw) and _has_lone_surrogate(payload):
        raise PayloadError("'payload' holds text that isn't valid Unicode (a lone surrogate)")
    payload = _object(payload, "payload")
    kind = payload.get("type")
    user = _object(payload.get("user"), "user")
    user_id = _string(user, "id")
    team_id = _string(_object(payload.get("team") or {}, "team"), "id", required=False)
    if kind == "block_actions":
        return _block_action(payload, user_id, team_id)
    if kind == "view_submission":
        view = _object(payload.get("view"), "view")
        state = _object(view.get("state") or {}, "view.state")
        values = _object(state.get("values") or {}, "view.state.values")
        return ViewSubmission(
            user_id=user_id,
            team_id=team_id,
            callback_id=_string(view, "callback_id"),
            private_metadata=_string(view, "private_metadata", required=False),
            view_id=_string(view, "id"),
            values={k: v for k, v in values.items() if isinstance(v, dict)},
        )
    if isinstance(kind, str) and kind:
        return IgnoredInteraction(kind=kind[:40])
    raise PayloadError("'type' is missing")


def _has_lone_surrogate(value: Any) -> bool:
    """Any string in the decoded JSON, key or value, holding half a surrogate pair."""
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            if _SURROGATE.search(item):
                return True
        elif isinstance(item, dict):
            pending.extend(item)
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
    return False


def _block_action(payload: dict[str, Any], user_id: str, team_id: str) -> BlockAction:
    actions = payload.get("actions")
    if not isinstance(actions, list) or not actions:
        raise PayloadError("'actions' is missing or empty")
    action = _object(actions[0], "actions[0]")
    container = payload.get("container") if isinstance(payload.get("container"), dict) else {}
    channel = payload.get("channel") if isinstance(payload.get("channel"), dict) else {}
    view = payload.get("view") if isinstance(payload.get("view"), dict) else {}
    assert isinstance(container, dict) and isinstance(channel, dict) and isinstance(view, dict)
    channel_id = channel.get("id") or container.get("channel_id")
    message_ts = container.get("message_ts")
    view_id = view.get("id") or container.get("view_id")
    response_url = payload.get("response_url")
    return BlockAction(
        user_id=user_id,
        team_id=team_id,
        action_id=_string(action, "action_id"),
        value=_string(action, "value", required=False),
        trigger_id=_string(payload, "trigger_id", required=False),
        channel_id=channel_id if isinstance(channel_id, str) else None,
        message_ts=message_ts if isinstance(message_ts, str) else None,
        view_id=view_id if isinstance(view_id, str) else None,
        response_url=response_url if isinstance(response_url, str) else None,
    )
