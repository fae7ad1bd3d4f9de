"""`chat.*` methods and the channel history they leave behind."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from local.slack_api.blockkit import message_block_problems
from local.slack_api.payloads import (
    BotIdentity,
    JsonObject,
    error,
    missing,
    ok,
    resolve_channel,
    str_arg,
)

MAX_MESSAGE_TEXT = 40_000
FIRST_TS_MICROS = 1_700_000_000_000_000
TS_STEP_MICROS = 100


@dataclass(frozen=True)
class MessageContent:
    text: str | None
    blocks: list[Any] | None
    attachments: list[Any] | None


def read_content(args: JsonObject) -> MessageContent | JsonObject:
    """The message body of a call, or the error reply Slack would give for it."""
    text = args.get("text")
    if text is not None and not isinstance(text, str):
        return error("invalid_arguments", "[ERROR] must be a string [json-pointer:/text]")
    blocks = args.get("blocks")
    if blocks is not None and not isinstance(blocks, list):
        return error("invalid_blocks_format", "[ERROR] must be a JSON array [json-pointer:/blocks]")
    attachments = args.get("attachments")
    if attachments is not None and not isinstance(attachments, list):
        return error("invalid_attachments", "[ERROR] must be a JSON array")
    if not (text and text.strip()) and not blocks and not attachments:
        return error("no_text")
    if text is not None and len(text) > MAX_MESSAGE_TEXT:
        return error("msg_too_long", f"[ERROR] text must be at most {MAX_MESSAGE_TEXT} characters")
    if blocks:
        problems = message_block_problems(blocks)
        if problems:
            return error("invalid_blocks", *problems)
    return MessageContent(text=text, blocks=blocks, attachments=attachments)


class ChatMethods:
    """Not thread-safe on its own; the server serialises access."""

    def __init__(self, identity: BotIdentity) -> None:
        self._identity = identity
        self._history: dict[str, list[JsonObject]] = {}
        self._ephemerals: list[JsonObject] = []
        self._issued = 0

    def next_ts(self) -> str:
        self._issued += 1
        micros = FIRST_TS_MICROS + self._issued * TS_STEP_MICROS
        return f"{micros // 1_000_000}.{micros % 1_000_000:06d}"

    # -- methods ----------------------------------------------------------------------------

    def post_message(self, args: JsonObject) -> JsonObject:
        channel = str_arg(args, "channel")
        if channel is None:
            return error("channel_not_found")
        content = read_content(args)
        if not isinstance(content, MessageContent):
            return content
        channel = resolve_channel(channel)
        message: JsonObject = {
            "type": "message",
            "user": self._identity.user_id,
            "bot_id": self._identity.bot_id,
            "app_id": self._identity.app_id,
            "team": self._identity.team_id,
            "ts": self.next_ts(),
            "text": content.text or "",
        }
        _apply(message, content)
        for optional in ("thread_ts", "metadata"):
            if args.get(optional) is not None:
                message[optional] = copy.deepcopy(args[optional])
        self._history.setdefault(channel, []).append(message)
        return ok(channel=channel, ts=message["ts"], message=copy.deepcopy(message))

    def _located(self, args: JsonObject) -> tuple[str, JsonObject] | JsonObject:
        """The channel and message ``args`` name, or Slack's error for a missing one."""
        channel = str_arg(args, "channel")
        if channel is None:
            return error("channel_not_found")
        channel = resolve_channel(channel)
        message = self._find(channel, str_arg(args, "ts"))
        if message is None:
            return error("message_not_found")
        return channel, message

    def update(self, args: JsonObject) -> JsonObject:
        located = self._located(args)
        if not isinstance(located, tuple):
            return located
        channel, message = located
        content = read_content(args)
        if not isinstance(content, MessageContent):
            return content
        _apply(message, content)
        message["edited"] = {"user": self._identity.user_id, "ts": self.next_ts()}
        return ok(
            channel=channel,
            ts=message["ts"],
            text=message["text"],
            message=copy.deepcopy(message),
        )

    def delete(self, args: JsonObject) -> JsonObject:
        located = self._located(args)
        if not isinstance(located, tuple):
            return located
        channel, message = located
        self._history[channel].remove(message)
        return ok(channel=channel, ts=message["ts"])

    def post_ephemeral(self, args: JsonObject) -> JsonObject:
        channel = str_arg(args, "channel")
        if channel is None:
            return error("channel_not_found")
        user = str_arg(args, "user")
        if user is None:
            return missing("user")
        content = read_content(args)
        if not isinstance(content, MessageContent):
            return content
        ephemeral: JsonObject = {
            "channel": resolve_channel(channel),
            "user": user,
            "ts": self.next_ts(),
            "text": content.text or "",
        }
        _apply(ephemeral, content)
        if args.get("thread_ts") is not None:
            ephemeral["thread_ts"] = args["thread_ts"]
        self._ephemerals.append(ephemeral)
        return ok(message_ts=ephemeral["ts"])

    # -- inspection -------------------------------------------------------------------------

    def messages(self, channel: str) -> list[JsonObject]:
        return copy.deepcopy(self._history.get(resolve_channel(channel), []))

    def ephemerals(self, channel: str | None, user: str | None) -> list[JsonObject]:
        wanted_channel = resolve_channel(channel) if channel is not None else None
        return [
            copy.deepcopy(ephemeral)
            for ephemeral in self._ephemerals
            if wanted_channel in (None, ephemeral["channel"]) and user in (None, ephemeral["user"])
        ]

    def _find(self, channel: str, ts: str | None) -> JsonObject | None:
        for message in self._history.get(channel, []):
            if message["ts"] == ts:
                return message
        return None


def _apply(message: JsonObject, content: MessageContent) -> None:
    # Like chat.update: omitted fields keep their old value, an empty array removes them.
    if content.text is not None:
        message["text"] = content.text
    for name, value in (("blocks", content.blocks), ("attachments", content.attachments)):
        if value:
            message[name] = copy.deepcopy(value)
        elif value is not None:
            message.pop(name, None)
