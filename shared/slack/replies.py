"""What a Slack-facing handler answers: an HTTP status and an optional JSON body."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class SlackReply:
    status: int = 200
    body: dict[str, Any] | None = field(default=None)


def ephemeral(text: str, blocks: list[dict[str, Any]] | None = None) -> SlackReply:
    body: dict[str, Any] = {"response_type": "ephemeral", "text": text}
    if blocks:
        body["blocks"] = blocks
    return SlackReply(body=body)


def empty() -> SlackReply:
    return SlackReply()


def view_errors(errors: dict[str, str]) -> SlackReply:
    return SlackReply(body={"response_action": "errors", "errors": errors})


def bad_request(message: str) -> SlackReply:
    return SlackReply(status=400, body={"ok": False, "error": message})


def view_update(view: dict[str, Any]) -> SlackReply:
    """A modal submission answered by replacing the modal with ``view``."""
    return SlackReply(body={"response_action": "update", "view": view})
