"""Scheduled faults: windows of 429, 5xx or permanent errors, on the fake monotonic clock."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from slack_sdk import WebClient

from local.slack_api import SlackApiServer
from tests.local.helpers import TOKEN, FakeTime, api_status, slack_error


@pytest.fixture
def server(fake_time: FakeTime) -> Iterator[SlackApiServer]:
    """Fast mode (incidents need no realism), on the fake clock."""
    with SlackApiServer(TOKEN, monotonic=fake_time.monotonic) as server:
        yield server


def test_a_429_window_refuses_the_method_until_it_ends(
    server: SlackApiServer, fake_time: FakeTime
) -> None:
    server.schedule_fault("chat.update", status=429, seconds=6, retry_after=3)

    status, headers, body = api_status(server, "chat.update", channel="C1", ts="1.2", text="x")
    assert (status, headers["Retry-After"], body) == (
        429,
        "3",
        {"ok": False, "error": "ratelimited"},
    )
    fake_time.advance(5.9)
    assert api_status(server, "chat.update")[0] == 429
    fake_time.advance(0.1)
    assert api_status(server, "chat.update")[0] == 200
    assert [call.status for call in server.calls] == [429, 429, 200]


def test_a_window_only_hits_its_method(server: SlackApiServer) -> None:
    server.schedule_fault("chat.update", status=503, seconds=60)
    assert api_status(server, "chat.postMessage", channel="C1", text="hi")[0] == 200
    assert api_status(server, "auth.test")[0] == 200


def test_a_server_error_window_answers_slacks_error_shape(server: SlackApiServer) -> None:
    server.schedule_fault("users.info", status=503, seconds=10, error="service_unavailable")
    server.schedule_fault("chat.delete", status=500, seconds=10)
    status, headers, body = api_status(server, "users.info", user="U1")
    assert (status, body) == (503, {"ok": False, "error": "service_unavailable"})
    assert "Retry-After" not in headers
    assert api_status(server, "chat.delete")[2] == {"ok": False, "error": "internal_error"}


def test_a_permanent_error_window_answers_200_not_ok(server: SlackApiServer) -> None:
    client = WebClient(token=TOKEN, base_url=server.url)
    server.schedule_fault("chat.postMessage", status=200, seconds=30, error="not_in_channel")
    response = slack_error(client.chat_postMessage, channel="C1", text="hi")
    assert (response.status_code, response["error"]) == (200, "not_in_channel")
    assert server.messages("C1") == []


def test_windows_for_one_method_chain_one_after_the_other(
    server: SlackApiServer, fake_time: FakeTime
) -> None:
    server.schedule_fault("chat.update", status=429, seconds=6)
    fake_time.advance(2)
    server.schedule_fault("chat.update", status=503, seconds=6)

    observed = []
    for at in (3, 5.9, 6, 11.9, 12):  # seconds since the first window began
        fake_time.now = 1_000.0 + at
        observed.append(api_status(server, "chat.update")[0])
    assert observed == [429, 429, 503, 503, 200]


@pytest.mark.parametrize("target", [None, "*"])
def test_a_window_for_every_method(
    server: SlackApiServer, fake_time: FakeTime, target: str | None
) -> None:
    server.schedule_fault(target, status=502, seconds=1)
    assert {api_status(server, m)[0] for m in ("auth.test", "views.open", "users.info")} == {502}
    fake_time.advance(1)
    assert api_status(server, "auth.test")[0] == 200


def test_fail_next_still_comes_first_and_counts_calls(server: SlackApiServer) -> None:
    server.schedule_fault("auth.test", status=503, seconds=60)
    server.fail_next("auth.test", status=200, error="fatal_error")
    assert api_status(server, "auth.test")[2]["error"] == "fatal_error"
    assert api_status(server, "auth.test")[0] == 503


def test_windows_wait_for_an_authenticated_call(server: SlackApiServer) -> None:
    server.schedule_fault(None, status=500, seconds=60)
    anonymous = slack_error(WebClient(base_url=server.url).auth_test)
    assert (anonymous.status_code, anonymous["error"]) == (200, "not_authed")


def test_refused_calls_do_not_use_rate_limit_tokens(
    realistic_server: SlackApiServer, fake_time: FakeTime
) -> None:
    realistic_server.schedule_fault("users.info", status=429, seconds=1)
    assert {api_status(realistic_server, "users.info")[0] for _ in range(10)} == {429}
    fake_time.advance(1)  # refills under two tokens: had the 429s used tokens, 1 or 2 would pass
    assert [api_status(realistic_server, "users.info")[0] for _ in range(6)] == [200] * 5 + [429]


def test_reset_forgets_scheduled_windows(server: SlackApiServer) -> None:
    server.schedule_fault("auth.test", status=500, seconds=60)
    server.reset()
    assert api_status(server, "auth.test")[0] == 200


@pytest.mark.parametrize(
    ("method", "options"),
    [
        ("chat.brew", {"status": 500, "seconds": 1}),
        ("auth.test", {"status": 500, "seconds": 0}),
        ("auth.test", {"status": 302, "seconds": 1}),
        ("auth.test", {"status": 200, "seconds": 1}),
        ("auth.test", {"status": 429, "seconds": 1, "retry_after": -1}),
    ],
)
def test_schedule_fault_rejects_nonsense(
    server: SlackApiServer, method: str, options: dict[str, Any]
) -> None:
    with pytest.raises(ValueError):
        server.schedule_fault(method, **options)
