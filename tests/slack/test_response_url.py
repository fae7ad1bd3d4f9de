"""Replies after the answer: posts to a slash command's response_url, and where they may go."""

from __future__ import annotations

import urllib.request
from collections.abc import Iterator

import pytest

from shared.local.slack_api import SlackApiServer
from shared.slack.response_url import response_url_allowed, send_to_response_url

TOKEN = "xoxb-response-url-test"
REPLY = {"response_type": "ephemeral", "text": "A run is already open here."}


@pytest.fixture
def server() -> Iterator[SlackApiServer]:
    with SlackApiServer(TOKEN) as running:
        yield running


@pytest.mark.parametrize(
    ("url", "api", "allowed"),
    [
        ("https://hooks.slack.com/commands/T1/2/abc", "https://slack.com/api/", True),
        ("http://hooks.slack.com/commands/T1/2/abc", "https://slack.com/api/", False),
        ("https://hooks.slack.com.evil.test/x", "https://slack.com/api/", False),
        ("https://metadata.internal/latest", "https://slack.com/api/", False),
        ("http://127.0.0.1:9/responses/C/U", "http://127.0.0.1:8/api/", True),
        ("https://127.0.0.1:9/responses/C/U", "http://127.0.0.1:8/api/", False),
        ("file:///etc/passwd", "https://slack.com/api/", False),
        ("", "https://slack.com/api/", False),
    ],
)
def test_replies_go_only_to_slack_or_the_configured_slack_host(url, api, allowed):
    assert response_url_allowed(url, api) is allowed


def test_an_ephemeral_reply_reaches_the_person_in_the_channel(server):
    url = server.response_url("C1", "U1")
    assert send_to_response_url(url, REPLY, slack_api_url=server.url) is True
    [ephemeral] = server.ephemerals("C1", "U1")
    assert ephemeral["text"] == REPLY["text"]
    [call] = server.calls_to("response_url")
    assert call.ok and call.args["channel"] == "C1" and call.args["user"] == "U1"


def test_an_in_channel_reply_is_a_channel_message(server):
    url = server.response_url("C1", "U1")
    body = {"response_type": "in_channel", "text": "Coffee run closed."}
    assert send_to_response_url(url, body, slack_api_url=server.url) is True
    assert [m["text"] for m in server.messages("C1")] == ["Coffee run closed."]
    assert server.ephemerals("C1") == []


def test_a_reply_slack_refuses_is_reported_not_raised(server):
    url = server.response_url("C1", "U1")
    assert send_to_response_url(url, {"text": "  "}, slack_api_url=server.url) is False
    [call] = server.calls_to("response_url")
    assert (call.status, call.error) == (400, "no_text")


def test_a_reply_to_a_foreign_host_is_never_sent(server):
    sent = send_to_response_url("https://attacker.example/collect", REPLY, slack_api_url=server.url)
    assert sent is False
    assert server.calls == []


def test_an_unreachable_response_url_is_reported_not_raised(server):
    url, api = server.response_url("C1", "U1"), server.url
    server.stop()
    assert send_to_response_url(url, REPLY, slack_api_url=api) is False


def test_the_local_hooks_answer_plain_text_like_slack(server):
    request = urllib.request.Request(
        server.response_url("C1", "U1"),
        data=b'{"text": "hi"}',
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=5) as response:
        assert response.read() == b"ok"
        assert response.headers["Content-Type"].startswith("text/plain")


def test_a_response_url_without_channel_and_user_is_unknown(server):
    request = urllib.request.Request(
        server.base_url + "/responses/only-one-part",
        data=b'{"text": "hi"}',
        headers={"Content-Type": "application/json"},
    )
    with pytest.raises(urllib.error.HTTPError) as failure:
        urllib.request.urlopen(request, timeout=5)
    assert failure.value.code == 404
    assert failure.value.read() == b"no_service"
