"""Slack's rate limits in the realistic mode: tiers, per-channel posting, 429 and Retry-After.

The default burst allowance is 5; buckets run on the fake monotonic clock, so refills are
exact and nothing sleeps.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from slack_sdk import WebClient
from slack_sdk.http_retry import builtin_handlers
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler

from local.slack_api import Realism, SlackApiServer
from local.slack_api.ratelimits import RateLimiter
from tests.local.helpers import TOKEN, FakeTime, api_status, slack_error

BURST = 5
TIER_3_REFILL = 60 / 50
TIER_4_REFILL = 60 / 100

# (method, seconds per token, Retry-After right after the burst)
TIERED = [
    ("chat.update", TIER_3_REFILL, 2),
    ("chat.delete", TIER_3_REFILL, 2),
    ("views.open", TIER_4_REFILL, 1),
    ("views.update", TIER_4_REFILL, 1),
    ("views.push", TIER_4_REFILL, 1),
    ("views.publish", TIER_4_REFILL, 1),
    ("users.info", TIER_4_REFILL, 1),
    ("conversations.open", TIER_4_REFILL, 1),
]


def statuses(server: SlackApiServer, method: str, count: int, **args: str) -> list[int]:
    return [api_status(server, method, **args)[0] for _ in range(count)]


@pytest.mark.parametrize(("method", "refill", "retry_after"), TIERED)
def test_tier_allows_a_burst_then_answers_429_with_retry_after(
    realistic_server: SlackApiServer, method: str, refill: float, retry_after: int
) -> None:
    assert statuses(realistic_server, method, BURST) == [200] * BURST
    status, headers, body = api_status(realistic_server, method)
    assert (status, body) == (429, {"ok": False, "error": "ratelimited"})
    assert headers["Retry-After"] == str(retry_after)


@pytest.mark.parametrize(("method", "refill", "retry_after"), TIERED)
def test_tier_refills_one_call_per_its_share_of_a_minute(
    realistic_server: SlackApiServer,
    fake_time: FakeTime,
    method: str,
    refill: float,
    retry_after: int,
) -> None:
    statuses(realistic_server, method, BURST)
    fake_time.advance(refill * 0.9)
    assert api_status(realistic_server, method)[0] == 429
    fake_time.advance(refill * 0.1)
    assert statuses(realistic_server, method, 2) == [200, 429]


def test_retry_after_counts_whole_seconds_to_the_next_token(
    realistic_server: SlackApiServer, fake_time: FakeTime
) -> None:
    statuses(realistic_server, "chat.update", BURST)
    fake_time.advance(0.5)  # 0.7 s of Tier 3's 1.2 s left
    assert api_status(realistic_server, "chat.update")[1]["Retry-After"] == "1"


def test_refused_calls_are_recorded_with_status_429_and_do_nothing(
    realistic_server: SlackApiServer, realistic_client: WebClient
) -> None:
    ts = realistic_client.chat_postMessage(channel="C1", text="run")["ts"]
    for n in range(BURST + 2):
        api_status(realistic_server, "chat.update", channel="C1", ts=ts, text=f"v{n}")

    updates = realistic_server.calls_to("chat.update")
    assert [call.status for call in updates] == [200] * BURST + [429, 429]
    assert (updates[-1].ok, updates[-1].error) == (False, "ratelimited")
    assert realistic_server.messages("C1")[0]["text"] == f"v{BURST - 1}"


def test_methods_have_their_own_buckets(realistic_server: SlackApiServer) -> None:
    statuses(realistic_server, "chat.update", BURST + 1)
    assert statuses(realistic_server, "views.update", BURST) == [200] * BURST
    assert statuses(realistic_server, "chat.delete", BURST) == [200] * BURST


def test_the_burst_allowance_is_configurable(fake_time: FakeTime) -> None:
    realism = Realism(burst=8, seed=1)
    with SlackApiServer(
        TOKEN, realism=realism, sleep=fake_time.sleep, monotonic=fake_time.monotonic
    ) as server:
        assert statuses(server, "users.info", 9, user="U1") == [200] * 8 + [429]


def test_auth_test_is_generous(realistic_server: SlackApiServer) -> None:
    assert set(statuses(realistic_server, "auth.test", 100)) == {200}
    assert api_status(realistic_server, "auth.test")[0] == 429


# -- chat.postMessage and chat.postEphemeral: per channel -------------------------------------


@pytest.mark.parametrize("method", ["chat.postMessage", "chat.postEphemeral"])
def test_posting_is_limited_per_channel_to_about_one_a_second(
    realistic_server: SlackApiServer, fake_time: FakeTime, method: str
) -> None:
    args = {"channel": "C1", "user": "U1", "text": "hi"}
    assert statuses(realistic_server, method, BURST + 1, **args) == [200] * BURST + [429]
    assert api_status(realistic_server, method, **args)[1]["Retry-After"] == "1"
    assert statuses(realistic_server, method, BURST, **{**args, "channel": "C2"}) == [200] * BURST
    fake_time.advance(0.9)
    assert api_status(realistic_server, method, **args)[0] == 429
    fake_time.advance(0.1)
    assert statuses(realistic_server, method, 2, **args) == [200, 429]


def test_a_user_id_and_its_dm_channel_share_a_bucket(realistic_server: SlackApiServer) -> None:
    statuses(realistic_server, "chat.postMessage", BURST, channel="U1", text="hi")
    assert api_status(realistic_server, "chat.postMessage", channel="DU1", text="hi")[0] == 429


def test_messages_and_ephemerals_do_not_share_a_bucket(realistic_server: SlackApiServer) -> None:
    statuses(realistic_server, "chat.postMessage", BURST + 1, channel="C1", text="hi")
    ephemeral = {"channel": "C1", "user": "U1", "text": "psst"}
    assert api_status(realistic_server, "chat.postEphemeral", **ephemeral)[0] == 200


def test_posting_has_a_workspace_wide_limit_across_channels(
    realistic_server: SlackApiServer, fake_time: FakeTime
) -> None:
    posted = [
        api_status(realistic_server, "chat.postMessage", channel=f"C{n}", text="hi")[0]
        for n in range(61)
    ]
    assert posted == [200] * 60 + [429]
    fake_time.advance(60 / 300)
    assert api_status(realistic_server, "chat.postMessage", channel="C99", text="hi")[0] == 200


# -- through slack-sdk ------------------------------------------------------------------------


def test_web_client_sees_429_and_retry_after(realistic_client: WebClient) -> None:
    for _ in range(BURST):
        realistic_client.conversations_open(users="U1")
    response = slack_error(realistic_client.conversations_open, users="U1")
    assert (response.status_code, response["error"]) == (429, "ratelimited")
    assert response.headers["Retry-After"] == "1"


def test_rate_limit_retry_handler_waits_out_retry_after_and_succeeds(
    realistic_server: SlackApiServer, fake_time: FakeTime, monkeypatch: pytest.MonkeyPatch
) -> None:
    waited: list[float] = []

    def sleep(seconds: float) -> None:  # slack-sdk's wait, on the server's clock
        waited.append(seconds)
        fake_time.advance(seconds)

    monkeypatch.setattr(builtin_handlers, "time", SimpleNamespace(sleep=sleep))
    client = WebClient(
        token=TOKEN,
        base_url=realistic_server.url,
        retry_handlers=[RateLimitErrorRetryHandler(max_retry_count=2)],
    )
    ts = client.chat_postMessage(channel="C1", text="run")["ts"]
    for n in range(BURST):
        client.chat_update(channel="C1", ts=ts, text=f"v{n}")

    assert client.chat_update(channel="C1", ts=ts, text="final")["ok"] is True
    assert [int(seconds) for seconds in waited] == [2]
    assert [c.status for c in realistic_server.calls_to("chat.update")][-2:] == [429, 200]
    assert realistic_server.messages("C1")[0]["text"] == "final"


# -- the limiter on its own -------------------------------------------------------------------


def test_a_bucket_never_fills_past_its_burst() -> None:
    limiter = RateLimiter(burst=3)
    assert [limiter.retry_after("users.info", None, 0.0) for _ in range(3)] == [None] * 3
    later = 3600.0
    outcomes = [limiter.retry_after("users.info", None, later) for _ in range(4)]
    assert outcomes == [None, None, None, 1]


def test_unlisted_methods_get_tier_3() -> None:
    limiter = RateLimiter(burst=1)
    assert limiter.retry_after("reactions.add", None, 0.0) is None
    assert limiter.retry_after("reactions.add", None, 0.0) == 2
