"""How a Slack client shows the app's direct answer to a slash command."""

from __future__ import annotations

from typing import Any

from local.playground.sender import AppAnswer
from local.playground.state import APP_NAME, SLACKBOT, JsonObject

type CommandReply = tuple[str, list[JsonObject], bool, str]  # text, blocks, everyone, author
DETAIL_CHARS = 160


def failure_text(answer: AppAnswer) -> str:
    """A short, readable account of a refused or failed request, for the person playing."""
    if answer.status == 0:
        return "no answer from the app"
    body = answer.json()
    detail: Any = body.get("error") if body else answer.body.decode("utf-8", "replace")
    detail = str(detail or "").strip()[:DETAIL_CHARS]
    return f"HTTP {answer.status}" + (f" ({detail})" if detail else "")


def command_reply(answer: AppAnswer) -> CommandReply | None:
    """The message the answer puts in the channel, or None for a bare acknowledgement."""
    if answer.status != 200:
        # Slack's own words when an app fails a command, with what the app said.
        text = f'`/coffee` failed with the error "dispatch_failed": {failure_text(answer)}'
        return text, [], False, SLACKBOT
    body = answer.json()
    if body is None:
        return None
    raw_text, raw_blocks = body.get("text"), body.get("blocks")
    text = raw_text if isinstance(raw_text, str) else ""
    blocks = [b for b in raw_blocks if isinstance(b, dict)] if isinstance(raw_blocks, list) else []
    if not text and not blocks:
        return None
    return text, blocks, body.get("response_type") == "in_channel", APP_NAME
