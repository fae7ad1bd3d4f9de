"""How a Slack client shows the app's direct answer to a slash command."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from local.playground.sender import AppAnswer
from local.playground.state import APP_NAME, SLACKBOT, JsonObject

type CommandReply = tuple[str, list[JsonObject], bool, str]  # text, blocks, everyone, author
DETAIL_CHARS = 160
# Slack's rule, which the app applies too: a signature whose timestamp is further than
# this from the receiver's clock is refused, whatever else is right about it.
SIGNATURE_WINDOW = timedelta(minutes=5)


def failure_text(answer: AppAnswer, *, clock_ahead: timedelta = timedelta(0)) -> str:
    """A short, readable account of a refused or failed request, for the person playing.

    ``clock_ahead``: how far the playground's clock has been moved. The page signs with
    that clock, so an app that checks signatures against a clock that was not moved
    refuses every request once they are 5 minutes apart, and only says "invalid signature".
    """
    if answer.status == 0:
        return "no answer from the app"
    body = answer.json()
    detail: Any = body.get("error") if body else answer.body.decode("utf-8", "replace")
    detail = str(detail or "").strip()[:DETAIL_CHARS]
    text = f"HTTP {answer.status}" + (f" ({detail})" if detail else "")
    if answer.status == 401 and clock_ahead >= SIGNATURE_WINDOW:
        minutes = int(clock_ahead.total_seconds() // 60)
        text += (
            f". The playground signs requests with its clock, moved {minutes} min ahead, and"
            " a signature more than 5 minutes off the app's own clock is refused, as Slack"
            " refuses it, so an app that is not on the playground's clock refuses everything"
            " after such a move. Restart the local run to put the clock back."
        )
    return text


def command_reply(
    answer: AppAnswer, *, clock_ahead: timedelta = timedelta(0)
) -> CommandReply | None:
    """The message the answer puts in the channel, or None for a bare acknowledgement."""
    if answer.status != 200:
        # Slack's own words when an app fails a command, with what the app said.
        failure = failure_text(answer, clock_ahead=clock_ahead)
        text = f'`/coffee` failed with the error "dispatch_failed": {failure}'
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
