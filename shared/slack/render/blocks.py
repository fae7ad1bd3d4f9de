"""Small Block Kit builders, so renderers read like the message they draw."""

from __future__ import annotations

from datetime import datetime
from typing import Any

Block = dict[str, Any]


def plain(text: str) -> dict[str, Any]:
    return {"type": "plain_text", "text": text, "emoji": True}


def mrkdwn(text: str) -> dict[str, Any]:
    return {"type": "mrkdwn", "text": text}


def section(text: str, *, block_id: str | None = None, accessory: Block | None = None) -> Block:
    block: Block = {"type": "section", "text": mrkdwn(text)}
    if block_id:
        block["block_id"] = block_id
    if accessory:
        block["accessory"] = accessory
    return block


def fields(*texts: str) -> Block:
    return {"type": "section", "fields": [mrkdwn(t) for t in texts]}


def context(*texts: str) -> Block:
    return {"type": "context", "elements": [mrkdwn(t) for t in texts]}


def button(
    text: str,
    action_id: str,
    value: str,
    *,
    style: str | None = None,
    confirm: Block | None = None,
) -> Block:
    element: Block = {
        "type": "button",
        "text": plain(text),
        "action_id": action_id,
        "value": value,
    }
    if style:
        element["style"] = style
    if confirm:
        element["confirm"] = confirm
    return element


def confirm_dialog(title: str, text: str, yes: str, no: str = "Keep it") -> Block:
    return {
        "title": plain(title),
        "text": mrkdwn(text),
        "confirm": plain(yes),
        "deny": plain(no),
        "style": "danger",
    }


def actions(*elements: Block, block_id: str | None = None) -> Block:
    block: Block = {"type": "actions", "elements": list(elements)}
    if block_id:
        block["block_id"] = block_id
    return block


def slack_time(when: datetime, fallback_format: str = "%H:%M UTC") -> str:
    """A time every reader sees in their own timezone (Slack's date formatting)."""
    return f"<!date^{int(when.timestamp())}^{{time}}|{when:{fallback_format}}>"
