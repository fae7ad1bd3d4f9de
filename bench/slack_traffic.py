"""Signed Slack requests (commands, order submissions, close and cancel clicks).

The bodies come from the test suite's helpers so the bench sends exactly what the tests
send; only the signing clock differs (the real time, as Slack would sign, or the clock
of functions running in the bench's own process on a `ManualClock`).
"""

from __future__ import annotations

import time

from tests.support.slack_requests import (
    block_action,
    command_body,
    interaction_body,
    sign,
    view_submission,
)

SIGNING_SECRET = "bench-signing-secret-7c21"
BOT_TOKEN = "xoxb-bench-token-5e0a"

type Signed = tuple[bytes, dict[str, str]]


def signed(body: bytes, at: int | None = None) -> Signed:
    """Signed now, or at `at` (Unix seconds) for a function running on a bench clock."""
    return body, sign(SIGNING_SECRET, body, int(time.time()) if at is None else at)


def coffee_command(text: str, *, user: str, channel: str, at: int | None = None) -> Signed:
    return signed(command_body(text, user=user, channel=channel), at)


def order_submission(
    run_id: str, text: str, *, user: str, options: tuple[str, ...] = (), at: int | None = None
) -> Signed:
    """An order modal submission; `options` ticks "volunteer" and/or "repeat_ok"."""
    payload = view_submission(run_id, text, user=user)
    if options:
        payload["view"]["state"]["values"]["options"] = {
            "choices": {"selected_options": [{"value": value} for value in options]}
        }
    return signed(interaction_body(payload), at)


def cancel_click(run_id: str, *, user: str, channel: str) -> Signed:
    return signed(interaction_body(block_action("run_cancel", run_id, user=user, channel=channel)))


def close_click(run_id: str, *, user: str, channel: str, at: int | None = None) -> Signed:
    return signed(
        interaction_body(block_action("run_close", run_id, user=user, channel=channel)), at
    )
