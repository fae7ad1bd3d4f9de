from __future__ import annotations

import json
from urllib.parse import urlencode

import pytest

from shared.slack.payloads import (
    BlockAction,
    IgnoredInteraction,
    PayloadError,
    ViewSubmission,
    parse_interaction,
    parse_slash_command,
)
from tests.support.slack_requests import (
    block_action,
    command_body,
    interaction_body,
    view_submission,
)


def test_slash_command_fields():
    cmd = parse_slash_command(command_body("10:30 hi", user="U9", trigger_id="t.1"))
    assert (cmd.user_id, cmd.text, cmd.trigger_id, cmd.command) == (
        "U9",
        "10:30 hi",
        "t.1",
        "/coffee",
    )


@pytest.mark.parametrize(
    "body",
    [b"", b"text=hi", b"\xff\xfe", urlencode({"command": "/coffee", "user_id": "U1"}).encode()],
)
def test_malformed_slash_bodies(body):
    with pytest.raises(PayloadError):
        parse_slash_command(body)


def test_oversize_command_text_is_refused():
    with pytest.raises(PayloadError, match="too long"):
        parse_slash_command(command_body("x" * 4001))


def test_block_action_from_a_message_and_from_a_modal():
    from_message = parse_interaction(interaction_body(block_action("order_open", "r1", user="U2")))
    assert isinstance(from_message, BlockAction)
    assert (from_message.action_id, from_message.channel_id, from_message.view_id) == (
        "order_open",
        "C0COFFEE",
        None,
    )
    from_modal = parse_interaction(
        interaction_body(block_action("x", "r", view_id="V1", channel=None))
    )
    assert isinstance(from_modal, BlockAction)
    assert from_modal.view_id == "V1" and from_modal.channel_id is None


def test_view_submission_values():
    parsed = parse_interaction(interaction_body(view_submission("run-1", "latte")))
    assert isinstance(parsed, ViewSubmission)
    assert parsed.private_metadata == "run-1"
    assert parsed.input_value("order", "text") == "latte"
    assert parsed.input_value("missing", "text") is None


def test_other_interaction_types_are_ignored_not_errors():
    body = interaction_body({"type": "view_closed", "user": {"id": "U1"}})
    assert parse_interaction(body) == IgnoredInteraction(kind="view_closed")


@pytest.mark.parametrize(
    "payload",
    [
        None,
        "[]",
        "{not json",
        json.dumps({"type": "block_actions"}),
        json.dumps({"type": "block_actions", "user": {"id": "U1"}, "actions": []}),
        json.dumps({"type": "block_actions", "user": {"id": "U1"}, "actions": ["x"]}),
        json.dumps({"type": "view_submission", "user": {"id": "U1"}}),
        json.dumps({"user": {"id": "U1"}}),
        json.dumps({"type": "block_actions", "user": {"id": 5}, "actions": [{}]}),
    ],
)
def test_malformed_interactions(payload):
    body = b"" if payload is None else urlencode({"payload": payload}).encode()
    with pytest.raises(PayloadError):
        parse_interaction(body)
