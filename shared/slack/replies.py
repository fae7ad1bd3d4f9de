"""What a Slack-facing handler answers: an HTTP status and an optional JSON body.

The value types on the slash intake's cold path (this, the payloads, the command grammar,
the plain HTTP request and response) are NamedTuples: defining a frozen dataclass costs
~1.3 ms at import, a NamedTuple ~0.2 ms, and ~20 of them were ~25 ms of a cold `/coffee`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple, Protocol


class BlockKit(Protocol):
    """A slack-sdk Block Kit object (a block, a view); named here without importing
    slack-sdk, which the slash intake's cold path leaves out."""

    def to_dict(self) -> dict[str, Any]: ...


def _json(item: BlockKit | dict[str, Any]) -> dict[str, Any]:
    return item if isinstance(item, dict) else item.to_dict()


class SlackReply(NamedTuple):
    status: int = 200
    body: dict[str, Any] | None = None


def ephemeral(text: str, blocks: Sequence[BlockKit | dict[str, Any]] | None = None) -> SlackReply:
    body: dict[str, Any] = {"response_type": "ephemeral", "text": text}
    if blocks:
        body["blocks"] = [_json(block) for block in blocks]
    return SlackReply(body=body)


def empty() -> SlackReply:
    return SlackReply()


def view_errors(errors: dict[str, str]) -> SlackReply:
    return SlackReply(body={"response_action": "errors", "errors": errors})


def bad_request(message: str) -> SlackReply:
    return SlackReply(status=400, body={"ok": False, "error": message})


def view_update(view: BlockKit | dict[str, Any]) -> SlackReply:
    """A modal submission answered by replacing the modal with ``view``."""
    return SlackReply(body={"response_action": "update", "view": _json(view)})
