"""Block Kit limits: payloads real Slack rejects are rejected, payloads at the limit pass."""

from __future__ import annotations

from typing import Any

import pytest
from slack_sdk import WebClient

from local.slack_api import SlackApiServer
from tests.local.helpers import button, home, modal, section, slack_error


def plain(text: str) -> dict[str, str]:
    return {"type": "plain_text", "text": text}


def actions(*elements: dict[str, Any]) -> dict[str, Any]:
    return {"type": "actions", "elements": list(elements)}


def text_input(**element: Any) -> dict[str, Any]:
    return {
        "type": "input",
        "block_id": "note",
        "label": plain("Note"),
        "element": {"type": "plain_text_input", "action_id": "note", **element},
    }


def fields(count: int, length: int = 5) -> dict[str, Any]:
    return {"type": "section", "fields": [{"type": "mrkdwn", "text": "f" * length}] * count}


def buttons(count: int) -> list[dict[str, Any]]:
    return [button(action_id=f"b{n}") for n in range(count)]


def context(count: int) -> dict[str, Any]:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": "c"}] * count}


def header(text: str, kind: str = "plain_text") -> dict[str, Any]:
    return {"type": "header", "text": {"type": kind, "text": text}}


AT_THE_LIMITS = [
    header("h" * 150),
    section("s" * 3000, block_id="b" * 255),
    fields(10, length=2000),
    actions(
        button("t" * 75, action_id="a" * 255, value="v" * 2000, style="primary"),
        button(action_id="other", url="https://example.com/" + "u" * 2980, style="danger"),
        *buttons(23),
    ),
    context(10),
    {"type": "divider"},
    {"type": "image", "image_url": "https://example.com/c.png", "alt_text": "coffee"},
    {"type": "rich_text", "elements": []},
] + [section(f"filler {n}") for n in range(42)]

MESSAGE_VIOLATIONS = {
    "51 blocks": ([section()] * 51, "/blocks]"),
    "section text 3001": ([section("s" * 3001)], "/blocks/0/text/text]"),
    "11 fields": ([fields(11)], "/blocks/0/fields]"),
    "field 2001": ([fields(1, length=2001)], "/blocks/0/fields/0/text]"),
    "section without text": ([{"type": "section"}], "/blocks/0]"),
    "header 151": ([header("h" * 151)], "/blocks/0/text/text]"),
    "mrkdwn header": ([header("h", kind="mrkdwn")], "/blocks/0/text/type]"),
    "unknown block type": ([{"type": "carousel"}], "/blocks/0/type]"),
    "block_id 256": ([section(block_id="b" * 256)], "/blocks/0/block_id]"),
    "duplicate block_id": (
        [section(block_id="same"), section(block_id="same")],
        "/blocks/1/block_id]",
    ),
    "26 actions": ([actions(*buttons(26))], "/blocks/0/elements]"),
    "empty actions": ([actions()], "/blocks/0/elements]"),
    "11 context elements": ([context(11)], "/blocks/0/elements]"),
    "button text 76": ([actions(button("t" * 76))], "/blocks/0/elements/0/text/text]"),
    "mrkdwn button": (
        [actions({**button(), "text": {"type": "mrkdwn", "text": "Go"}})],
        "/blocks/0/elements/0/text/type]",
    ),
    "action_id 256": ([actions(button(action_id="a" * 256))], "/blocks/0/elements/0/action_id]"),
    "duplicate action_id": (
        [actions(button(action_id="go"), button(action_id="go"))],
        "/blocks/0/elements/1/action_id]",
    ),
    "button value 2001": ([actions(button(value="v" * 2001))], "/blocks/0/elements/0/value]"),
    "button style": ([actions(button(style="secondary"))], "/blocks/0/elements/0/style]"),
    "button url 3001": ([actions(button(url="u" * 3001))], "/blocks/0/elements/0/url]"),
    "empty text": ([section("")], "/blocks/0/text/text]"),
    "unknown text type": (
        [{"type": "section", "text": {"type": "markdown", "text": "hi"}}],
        "/blocks/0/text/type]",
    ),
    "input in a message": ([text_input()], "/blocks/0/type]"),
    "image without alt_text": (
        [{"type": "image", "image_url": "https://example.com/c.png"}],
        "/blocks/0/alt_text]",
    ),
    "image in actions": (
        [actions({"type": "image", "image_url": "https://x/y.png", "alt_text": "y"})],
        "/blocks/0/elements/0/type]",
    ),
    "overflow with 6 options": (
        [
            actions(
                {
                    "type": "overflow",
                    "action_id": "more",
                    "options": [{"text": plain("o"), "value": str(n)} for n in range(6)],
                }
            )
        ],
        "/blocks/0/elements/0/options]",
    ),
}


def test_message_at_every_limit_is_accepted(
    slack_client: WebClient, slack_server: SlackApiServer
) -> None:
    assert len(AT_THE_LIMITS) == 50
    slack_client.chat_postMessage(channel="C1", text="limits", blocks=AT_THE_LIMITS)
    assert slack_server.messages("C1")[0]["blocks"] == AT_THE_LIMITS


@pytest.mark.parametrize(
    ("blocks", "pointer"), MESSAGE_VIOLATIONS.values(), ids=MESSAGE_VIOLATIONS.keys()
)
def test_message_limit_violations_are_rejected(
    slack_client: WebClient, slack_server: SlackApiServer, blocks: list[Any], pointer: str
) -> None:
    response = slack_error(slack_client.chat_postMessage, channel="C1", text="t", blocks=blocks)
    assert response["error"] == "invalid_blocks"
    messages = response["response_metadata"]["messages"]
    assert any(m.startswith("[ERROR] ") and m.endswith(pointer) for m in messages), messages
    assert slack_server.messages("C1") == []


def test_ephemeral_blocks_are_checked_too(slack_client: WebClient) -> None:
    response = slack_error(
        slack_client.chat_postEphemeral, channel="C1", user="U1", text="t", blocks=[section("")]
    )
    assert response["error"] == "invalid_blocks"


def test_modal_at_every_limit_is_accepted(slack_client: WebClient) -> None:
    view = modal(
        text_input(max_length=3000, initial_value="i" * 3000),
        *[section(f"s{n}") for n in range(99)],
        title="t" * 24,
        submit=plain("s" * 24),
        close=plain("c" * 24),
        private_metadata="m" * 3000,
        callback_id="c" * 255,
    )
    assert slack_client.views_open(trigger_id="t", view=view)["ok"] is True


VIEW_VIOLATIONS = {
    "title 25": (modal(title="t" * 25), "/view/title/text]"),
    "mrkdwn title": (
        {**modal(), "title": {"type": "mrkdwn", "text": "Coffee"}},
        "/view/title/type]",
    ),
    "no title": ({"type": "modal", "blocks": []}, "/view/title]"),
    "submit 25": (modal(submit=plain("s" * 25)), "/view/submit/text]"),
    "close 25": (modal(close=plain("c" * 25)), "/view/close/text]"),
    "private_metadata 3001": (modal(private_metadata="m" * 3001), "/view/private_metadata]"),
    "callback_id 256": (modal(callback_id="c" * 256), "/view/callback_id]"),
    "101 blocks": (modal(*[section()] * 101), "/view/blocks]"),
    "unknown view type": ({**modal(), "type": "dialog"}, "/view/type]"),
    "input without label": (
        modal({**text_input(), "label": None}, submit=plain("Save")),
        "/view/blocks/0/label]",
    ),
    "input without element": (
        modal({"type": "input", "label": plain("Note")}, submit=plain("Save")),
        "/view/blocks/0/element]",
    ),
    "label 2001": (
        modal({**text_input(), "label": plain("l" * 2001)}, submit=plain("Save")),
        "/view/blocks/0/label/text]",
    ),
    "max_length 3001": (
        modal(text_input(max_length=3001), submit=plain("Save")),
        "/view/blocks/0/element/max_length]",
    ),
    "initial_value over max_length": (
        modal(text_input(max_length=5, initial_value="123456"), submit=plain("Save")),
        "/view/blocks/0/element/initial_value]",
    ),
    "input without submit": (modal(text_input()), "/view/submit]"),
    "duplicate block_id": (
        modal(section(block_id="x"), section(block_id="x")),
        "/view/blocks/1/block_id]",
    ),
    "button style": (modal(actions(button(style="ghost"))), "/view/blocks/0/elements/0/style]"),
}


@pytest.mark.parametrize(("view", "pointer"), VIEW_VIOLATIONS.values(), ids=VIEW_VIOLATIONS.keys())
def test_view_limit_violations_are_rejected(
    slack_client: WebClient, slack_server: SlackApiServer, view: dict[str, Any], pointer: str
) -> None:
    response = slack_error(slack_client.views_open, trigger_id="t", view=view)
    assert response["error"] == "invalid_arguments"
    messages = response["response_metadata"]["messages"]
    assert any(m.startswith("[ERROR] ") and m.endswith(pointer) for m in messages), messages
    assert slack_server.views() == {}
    # A rejected view leaves the trigger usable.
    assert slack_client.views_open(trigger_id="t", view=modal())["ok"] is True


def test_home_tab_checks(slack_client: WebClient) -> None:
    accepted = home(*[section(f"s{n}") for n in range(100)])
    assert slack_client.views_publish(user_id="U1", view=accepted)["ok"] is True
    too_many = home(*[section()] * 101)
    response = slack_error(slack_client.views_publish, user_id="U1", view=too_many)
    assert response["error"] == "invalid_arguments"


def test_updates_are_checked_like_opens(slack_client: WebClient) -> None:
    opened = slack_client.views_open(trigger_id="t", view=modal())["view"]
    response = slack_error(
        slack_client.views_update, view_id=opened["id"], view=modal(title="t" * 25)
    )
    assert response["error"] == "invalid_arguments"
