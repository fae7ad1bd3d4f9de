"""response_urls: handed out per command or action, five replies within 30 minutes."""

from __future__ import annotations

import urllib.error
import urllib.request
from collections.abc import Iterator
from urllib.parse import urlencode

import pytest
from slack_sdk.webhook import WebhookClient

from local.slack_api import PostedResponse, SlackApiServer
from tests.local.helpers import TOKEN, FakeTime, post_json, section


@pytest.fixture
def server(fake_time: FakeTime) -> Iterator[SlackApiServer]:
    with SlackApiServer(TOKEN, monotonic=fake_time.monotonic) as server:
        yield server


@pytest.fixture
def url(server: SlackApiServer) -> str:
    return server.new_response_url(channel="C1", user="U1")


def test_response_urls_are_distinct_hooks_on_the_same_server(
    server: SlackApiServer, url: str
) -> None:
    assert url.startswith(server.base_url + "/response/")
    assert server.new_response_url(channel="C1", user="U1") != url


def test_a_post_is_recorded_with_its_channel_and_user(server: SlackApiServer, url: str) -> None:
    reply = WebhookClient(url).send(text="That channel already has an open run.")
    assert (reply.status_code, reply.body) == (200, '{"ok": true}')
    assert server.responses() == [
        PostedResponse(
            url=url,
            channel="C1",
            user="U1",
            text="That channel already has an open run.",
            blocks=None,
            response_type="ephemeral",
            replace_original=False,
            delete_original=False,
            body={"text": "That channel already has an open run."},
        )
    ]


def test_a_post_keeps_blocks_response_type_and_replace_original(
    server: SlackApiServer, url: str
) -> None:
    WebhookClient(url).send(
        text="Run closed",
        blocks=[section("*Closed*")],
        response_type="in_channel",
        replace_original=True,
    )
    posted = server.responses(url)[0]
    assert (posted.blocks, posted.response_type, posted.replace_original) == (
        [section("*Closed*")],
        "in_channel",
        True,
    )


def test_delete_original_needs_no_text(server: SlackApiServer, url: str) -> None:
    assert WebhookClient(url).send_dict({"delete_original": True}).status_code == 200
    assert server.responses(url)[0].delete_original is True


def test_responses_filter_by_url_channel_and_user(server: SlackApiServer, url: str) -> None:
    other = server.new_response_url(channel="U2", user="U2")
    post_json(url, {"text": "one"})
    post_json(other, {"text": "two"})
    assert [p.text for p in server.responses()] == ["one", "two"]
    assert [p.text for p in server.responses(other)] == ["two"]
    assert [p.text for p in server.responses(channel="DU2")] == ["two"]
    assert [p.text for p in server.responses(user="U1")] == ["one"]
    assert server.responses(channel="C1", user="U2") == []


def test_blocks_are_checked_like_chat_post_message(server: SlackApiServer, url: str) -> None:
    status, _, body = post_json(url, {"text": "hi", "blocks": [{"type": "carousel"}]})
    assert (status, body["error"]) == (400, "invalid_blocks")
    assert body["response_metadata"]["messages"] == [
        "[ERROR] unknown block type 'carousel' [json-pointer:/blocks/0/type]"
    ]
    assert server.responses() == []


@pytest.mark.parametrize(
    ("body", "error"),
    [({}, "no_text"), ({"text": "hi", "response_type": "broadcast"}, "invalid_payload")],
)
def test_unusable_posts_are_refused(url: str, body: dict[str, object], error: str) -> None:
    status, _, reply = post_json(url, body)
    assert (status, reply["ok"], reply["error"]) == (400, False, error)


def test_a_body_that_is_not_a_json_object_is_invalid_payload(url: str) -> None:
    status, _, body = post_json(url, ["text"])
    assert (status, body) == (400, {"ok": False, "error": "invalid_payload"})


def test_a_form_payload_is_accepted_like_an_incoming_webhook(
    server: SlackApiServer, url: str
) -> None:
    form = urlencode({"payload": '{"text": "from a form"}'}).encode()
    request = urllib.request.Request(url, data=form, method="POST")
    with urllib.request.urlopen(request, timeout=5) as response:
        assert response.status == 200
    assert server.responses()[0].text == "from a form"


def test_five_replies_then_used_up(server: SlackApiServer, url: str) -> None:
    assert post_json(url, {})[0] == 400  # refused posts don't count
    assert [post_json(url, {"text": f"{n}"})[0] for n in range(5)] == [200] * 5
    status, _, body = post_json(url, {"text": "sixth"})
    assert (status, body) == (404, {"ok": False, "error": "used_up"})
    assert len(server.responses(url)) == 5


def test_a_url_expires_thirty_minutes_after_it_was_issued(
    server: SlackApiServer, url: str, fake_time: FakeTime
) -> None:
    fake_time.advance(30 * 60)
    assert post_json(url, {"text": "just in time"})[0] == 200
    fake_time.advance(0.001)
    status, _, body = post_json(url, {"text": "too late"})
    assert (status, body) == (404, {"ok": False, "error": "expired_url"})


def test_an_unknown_url_is_404(server: SlackApiServer) -> None:
    status, _, body = post_json(server.base_url + "/response/nope", {"text": "hi"})
    assert (status, body) == (404, {"ok": False, "error": "no_service"})


def test_reset_forgets_response_urls(server: SlackApiServer, url: str) -> None:
    post_json(url, {"text": "hi"})
    server.reset()
    assert server.responses() == []
    assert post_json(url, {"text": "hi"})[0] == 404


def test_only_post_reaches_a_response_url(url: str) -> None:
    request = urllib.request.Request(url, method="GET")
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=5)
    assert refused.value.code == 404
