"""Signed Slack requests (commands, order submissions, cancel clicks) for the functions.

The bodies come from the test suite's helpers so the bench sends exactly what the tests
send; only the signing clock differs (the real time, as Slack would sign).
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


def signed(body: bytes) -> Signed:
    return body, sign(SIGNING_SECRET, body, int(time.time()))


def coffee_command(text: str, *, user: str, channel: str) -> Signed:
    return signed(command_body(text, user=user, channel=channel))


def order_submission(run_id: str, text: str, *, user: str) -> Signed:
    return signed(interaction_body(view_submission(run_id, text, user=user)))


def cancel_click(run_id: str, *, user: str, channel: str) -> Signed:
    return signed(interaction_body(block_action("run_cancel", run_id, user=user, channel=channel)))
