"""Transport, auth, call recording and failure injection of the local Slack Web API."""

from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.request
from typing import Any
from urllib.parse import urlencode

import pytest
from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler

from local.slack_api import RecordedCall, SlackApiServer
from tests.local.helpers import TOKEN, section, slack_error

BLOCKS = [section("*Coffee run* at 10:00", block_id="intro")]


def raw_call(
    server: SlackApiServer,
    method: str,
    *,
    body: bytes | None = None,
    query: dict[str, str] | None = None,
    headers: dict[str, str] | None = None,
    verb: str = "POST",
) -> tuple[int, dict[str, str], dict[str, Any]]:
    url = server.url + method + (f"?{urlencode(query)}" if query else "")
    request = urllib.request.Request(url, data=body, headers=headers or {}, method=verb)
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, dict(response.headers), json.loads(response.read())
    except urllib.error.HTTPError as failure:
        return failure.code, dict(failure.headers), json.loads(failure.read())


def bearer(token: str = TOKEN) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


# -- lifecycle --------------------------------------------------------------------------------


def test_url_points_at_the_api_root_with_a_trailing_slash(slack_server: SlackApiServer) -> None:
    assert slack_server.url.startswith("http://127.0.0.1:")
    assert slack_server.url.endswith("/api/")
    assert int(slack_server.url.split(":")[2].split("/")[0]) > 0


def test_url_needs_a_running_server() -> None:
    server = SlackApiServer(TOKEN)
    with pytest.raises(RuntimeError):
        _ = server.url
    with server:
        url = server.url
    server.stop()  # stopping twice is harmless
    with pytest.raises(urllib.error.URLError):
        urllib.request.urlopen(url + "auth.test", timeout=1)


# -- auth -------------------------------------------------------------------------------------


def test_missing_token_is_not_authed(slack_server: SlackApiServer) -> None:
    response = slack_error(WebClient(base_url=slack_server.url).auth_test)
    assert response.status_code == 200
    assert response["error"] == "not_authed"
    assert slack_server.calls == [
        RecordedCall(method="auth.test", args={}, ok=False, error="not_authed", status=200)
    ]


def test_wrong_token_is_invalid_auth(slack_server: SlackApiServer) -> None:
    client = WebClient(token="xoxb-someone-else", base_url=slack_server.url)
    response = slack_error(client.chat_postMessage, channel="C1", text="hi")
    assert (response.status_code, response["error"]) == (200, "invalid_auth")
    assert slack_server.messages("C1") == []


def test_token_form_field_authenticates_and_is_not_recorded(slack_server: SlackApiServer) -> None:
    body = urlencode({"token": TOKEN, "channel": "C1", "text": "hi"}).encode()
    status, _, reply = raw_call(slack_server, "chat.postMessage", body=body)
    assert (status, reply["ok"]) == (200, True)
    assert slack_server.calls[0].args == {"channel": "C1", "text": "hi"}


def test_unknown_method(slack_client: WebClient, slack_server: SlackApiServer) -> None:
    response = slack_error(slack_client.api_call, api_method="coffee.brew")
    assert response["error"] == "unknown_method"
    assert response.status_code == 404
    assert slack_server.calls[0].method == "coffee.brew"
    assert slack_server.calls[0].error == "unknown_method"


# -- encodings --------------------------------------------------------------------------------


def test_responses_are_json_with_utf8_charset(slack_server: SlackApiServer) -> None:
    status, headers, reply = raw_call(slack_server, "auth.test", headers=bearer())
    assert status == 200
    assert headers["Content-Type"] == "application/json; charset=utf-8"
    assert reply["ok"] is True


def test_json_body_blocks_arrive_as_lists(
    slack_client: WebClient, slack_server: SlackApiServer
) -> None:
    slack_client.chat_postMessage(channel="C1", text="Coffee run", blocks=BLOCKS)
    assert slack_server.calls[0].args == {"channel": "C1", "text": "Coffee run", "blocks": BLOCKS}
    assert slack_server.messages("C1")[0]["blocks"] == BLOCKS


def test_form_body_blocks_are_decoded_from_json_text(
    slack_client: WebClient, slack_server: SlackApiServer
) -> None:
    params = {"channel": "C1", "text": "Coffee run", "blocks": json.dumps(BLOCKS)}
    slack_client.api_call("chat.postMessage", params=params)
    assert slack_server.calls[0].args["blocks"] == BLOCKS
    assert slack_server.messages("C1")[0]["blocks"] == BLOCKS


def test_form_body_blocks_given_as_a_list_are_malformed(slack_client: WebClient) -> None:
    # urlencode() writes the Python repr of a list, which is not JSON; Slack rejects it too.
    params = {"channel": "C1", "text": "Coffee run", "blocks": BLOCKS}
    response = slack_error(slack_client.api_call, api_method="chat.postMessage", params=params)
    assert response["error"] == "invalid_blocks_format"


def test_json_body_may_carry_blocks_as_text(slack_server: SlackApiServer) -> None:
    payload = {"channel": "C1", "text": "hi", "blocks": json.dumps(BLOCKS)}
    headers = {**bearer(), "Content-Type": "application/json;charset=utf-8"}
    _, _, reply = raw_call(
        slack_server, "chat.postMessage", body=json.dumps(payload).encode(), headers=headers
    )
    assert reply["ok"] is True
    assert slack_server.messages("C1")[0]["blocks"] == BLOCKS


def test_get_with_query_string(slack_server: SlackApiServer) -> None:
    slack_server.add_user("U1", "ann")
    status, _, reply = raw_call(
        slack_server, "users.info", query={"user": "U1"}, headers=bearer(), verb="GET"
    )
    assert (status, reply["user"]["name"]) == (200, "ann")
    assert slack_server.calls[0].args == {"user": "U1"}


def test_unparseable_json_body_is_invalid_json(slack_server: SlackApiServer) -> None:
    headers = {**bearer(), "Content-Type": "application/json"}
    _, _, reply = raw_call(slack_server, "chat.postMessage", body=b"{nope", headers=headers)
    assert reply == {"ok": False, "error": "invalid_json"}


# -- recording --------------------------------------------------------------------------------


def test_calls_are_recorded_with_parsed_args(
    slack_client: WebClient, slack_server: SlackApiServer
) -> None:
    slack_client.auth_test()
    posted = slack_client.chat_postMessage(channel="C1", text="one")
    slack_error(slack_client.chat_update, channel="C1", ts="1.2", text="two")
    slack_client.chat_update(channel="C1", ts=posted["ts"], text="two")

    assert [call.method for call in slack_server.calls] == [
        "auth.test",
        "chat.postMessage",
        "chat.update",
        "chat.update",
    ]
    updates = slack_server.calls_to("chat.update")
    assert [(c.ok, c.error, c.status) for c in updates] == [
        (False, "message_not_found", 200),
        (True, None, 200),
    ]
    assert updates[1].args == {"channel": "C1", "ts": posted["ts"], "text": "two"}


def test_reset_forgets_everything_but_users(
    slack_client: WebClient, slack_server: SlackApiServer
) -> None:
    slack_server.add_user("U1", "ann")
    slack_client.chat_postMessage(channel="C1", text="hi")
    slack_client.chat_postEphemeral(channel="C1", user="U1", text="psst")
    slack_client.views_open(
        trigger_id="t1",
        view={"type": "modal", "title": {"type": "plain_text", "text": "Hi"}, "blocks": []},
    )
    slack_server.fail_next("auth.test", status=200, error="fatal_error")

    slack_server.reset()

    assert slack_server.calls == []
    assert slack_server.messages("C1") == []
    assert slack_server.ephemerals() == []
    assert slack_server.views() == {}
    assert slack_client.auth_test()["ok"] is True
    assert slack_client.users_info(user="U1")["user"]["name"] == "ann"


def test_concurrent_posts_get_unique_increasing_ts(
    slack_client: WebClient, slack_server: SlackApiServer
) -> None:
    def post(n: int) -> None:
        slack_client.chat_postMessage(channel="C1", text=f"message {n}")

    threads = [threading.Thread(target=post, args=(n,)) for n in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    stamps = [message["ts"] for message in slack_server.messages("C1")]
    assert len(set(stamps)) == 16
    assert stamps == sorted(stamps, key=float)


# -- failure injection ------------------------------------------------------------------------


def test_rate_limit_is_retried_after_retry_after(slack_server: SlackApiServer) -> None:
    client = WebClient(
        token=TOKEN,
        base_url=slack_server.url,
        retry_handlers=[RateLimitErrorRetryHandler(max_retry_count=1)],
    )
    slack_server.fail_next("chat.postMessage", status=429, retry_after=1)

    started = time.monotonic()
    response = client.chat_postMessage(channel="C1", text="hi")

    assert time.monotonic() - started >= 1.0
    assert response["ok"] is True
    calls = slack_server.calls_to("chat.postMessage")
    assert [(c.status, c.ok, c.error) for c in calls] == [
        (429, False, "ratelimited"),
        (200, True, None),
    ]
    assert len(slack_server.messages("C1")) == 1


def test_rate_limit_without_retry_carries_retry_after(
    slack_client: WebClient, slack_server: SlackApiServer
) -> None:
    slack_server.fail_next("users.info", status=429, retry_after=1)
    response = slack_error(slack_client.users_info, user="U1")
    assert response.status_code == 429
    assert response["error"] == "ratelimited"
    assert response.headers["Retry-After"] == "1"


def test_server_error_surfaces_as_slack_api_error(
    slack_client: WebClient, slack_server: SlackApiServer
) -> None:
    slack_server.fail_next("chat.postMessage", status=500)
    response = slack_error(slack_client.chat_postMessage, channel="C1", text="hi")
    assert response.status_code == 500
    assert slack_server.calls[0].status == 500
    assert slack_server.messages("C1") == []
    assert slack_client.chat_postMessage(channel="C1", text="hi")["ok"] is True


def test_injected_error_code_with_http_200(
    slack_client: WebClient, slack_server: SlackApiServer
) -> None:
    slack_server.fail_next("conversations.open", status=200, error="user_disabled", times=2)
    for _ in range(2):
        response = slack_error(slack_client.conversations_open, users="U1")
        assert (response.status_code, response["error"]) == (200, "user_disabled")
    assert slack_client.conversations_open(users="U1")["channel"]["id"] == "DU1"
    assert [c.ok for c in slack_server.calls] == [False, False, True]


def test_failures_only_hit_their_method(
    slack_client: WebClient, slack_server: SlackApiServer
) -> None:
    slack_server.fail_next("chat.update", status=500)
    assert slack_client.auth_test()["ok"] is True
    assert slack_client.chat_postMessage(channel="C1", text="hi")["ok"] is True


def test_failures_wait_for_an_authenticated_call(slack_server: SlackApiServer) -> None:
    slack_server.fail_next("auth.test", status=500)
    anonymous = slack_error(WebClient(base_url=slack_server.url).auth_test)
    assert anonymous["error"] == "not_authed"
    failed = slack_error(WebClient(token=TOKEN, base_url=slack_server.url).auth_test)
    assert failed.status_code == 500


@pytest.mark.parametrize(
    ("method", "options"),
    [
        ("chat.brew", {}),
        ("auth.test", {"status": 200}),
        ("auth.test", {"status": 302}),
        ("auth.test", {"times": 0}),
        ("auth.test", {"retry_after": -1}),
    ],
)
def test_fail_next_rejects_nonsense(
    slack_server: SlackApiServer, method: str, options: dict[str, Any]
) -> None:
    with pytest.raises(ValueError):
        slack_server.fail_next(method, **options)
