"""The realistic mode's latency, and the fast mode staying as it was."""

from __future__ import annotations

import statistics
import threading
from typing import Any

import pytest
from slack_sdk import WebClient

from local.slack_api import Realism, SlackApiServer
from local.slack_api.realism import LatencyModel
from tests.local.conftest import SEED
from tests.local.helpers import TOKEN, FakeTime, api_status, post_json, slack_error

SAMPLES = 20_000


def latencies(realism: Realism, count: int = SAMPLES) -> list[float]:
    model = LatencyModel(realism)
    return [model.sample() for _ in range(count)]


def p99(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=100)[98]


# -- the latency model ------------------------------------------------------------------------


def test_default_latency_has_a_median_of_150ms_and_a_p99_of_600ms() -> None:
    samples = latencies(Realism(seed=SEED))
    assert statistics.median(samples) == pytest.approx(0.150, rel=0.03)
    assert p99(samples) == pytest.approx(0.600, rel=0.08)
    assert min(samples) > 0


def test_latency_follows_the_configured_median_and_p99() -> None:
    samples = latencies(Realism(latency_median=0.040, latency_p99=0.400, seed=SEED))
    assert statistics.median(samples) == pytest.approx(0.040, rel=0.03)
    assert p99(samples) == pytest.approx(0.400, rel=0.08)


def test_latency_is_lognormal_so_the_tail_is_long() -> None:
    samples = latencies(Realism(seed=SEED))
    # A lognormal's mean sits above its median; p90 = 0.15 * 4 ** (z90 / z99) ~ 0.322 s.
    assert statistics.fmean(samples) > statistics.median(samples) * 1.1
    assert statistics.quantiles(samples, n=10)[8] == pytest.approx(0.322, rel=0.05)


def test_a_seed_repeats_the_same_latencies() -> None:
    assert latencies(Realism(seed=1), 50) == latencies(Realism(seed=1), 50)
    assert latencies(Realism(seed=1), 50) != latencies(Realism(seed=2), 50)


def test_equal_median_and_p99_give_a_constant_latency() -> None:
    assert set(latencies(Realism(latency_median=0.2, latency_p99=0.2), 100)) == {0.2}
    assert set(latencies(Realism(latency_median=0, latency_p99=0), 100)) == {0.0}


@pytest.mark.parametrize(
    "options",
    [{"latency_median": -0.1}, {"latency_median": 0.5, "latency_p99": 0.4}, {"burst": 0}],
)
def test_realism_rejects_nonsense(options: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        Realism(**options)


# -- latency in the server --------------------------------------------------------------------


def test_every_call_waits_its_latency_even_failures(
    realistic_server: SlackApiServer, fake_time: FakeTime
) -> None:
    realistic_server.fail_next("users.info", status=500)
    anonymous = WebClient(base_url=realistic_server.url)
    client = WebClient(token=TOKEN, base_url=realistic_server.url)

    assert slack_error(anonymous.auth_test)["error"] == "not_authed"
    assert slack_error(client.api_call, api_method="coffee.brew").status_code == 404
    assert slack_error(client.users_info, user="U1").status_code == 500
    assert client.chat_postMessage(channel="C1", text="hi")["ok"] is True
    url = realistic_server.new_response_url(channel="C1", user="U1")
    assert post_json(url, {"text": "later"})[0] == 200

    assert fake_time.sleeps == latencies(Realism(seed=SEED), 5)


def test_concurrent_calls_wait_their_latency_at_the_same_time() -> None:
    # Each call's latency only ends once both calls are in it: if the server slept while
    # holding its lock, the second could not start and the barrier would break.
    both_waiting = threading.Barrier(2, timeout=5)

    def sleep(_: float) -> None:
        both_waiting.wait()

    replies: list[tuple[int, bool]] = []
    with SlackApiServer(TOKEN, realism=Realism(seed=SEED), sleep=sleep) as server:

        def call(n: int) -> None:
            status, _, body = api_status(server, "chat.postMessage", channel=f"C{n}", text="hi")
            replies.append((status, body["ok"]))

        threads = [threading.Thread(target=call, args=(n,)) for n in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    assert replies == [(200, True), (200, True)]
    assert not both_waiting.broken


# -- switching modes --------------------------------------------------------------------------


def test_fast_mode_never_waits_and_never_refuses(fake_time: FakeTime) -> None:
    with SlackApiServer(TOKEN, sleep=fake_time.sleep, monotonic=fake_time.monotonic) as server:
        client = WebClient(token=TOKEN, base_url=server.url)
        ts = client.chat_postMessage(channel="C1", text="run")["ts"]
        for n in range(60):
            client.chat_update(channel="C1", ts=ts, text=f"update {n}")
        assert server.realism is None
        assert {call.status for call in server.calls} == {200}
    assert fake_time.sleeps == []


def test_set_realism_switches_at_runtime(
    slack_server: SlackApiServer, slack_client: WebClient
) -> None:
    ts = slack_client.chat_postMessage(channel="C1", text="run")["ts"]
    realism = Realism(latency_median=0, latency_p99=0, burst=2)
    slack_server.set_realism(realism)
    assert slack_server.realism == realism
    statuses = [api_status(slack_server, "chat.update", channel="C1", ts=ts, text="x")[0]]
    statuses += [api_status(slack_server, "chat.update", channel="C1", ts=ts, text="y")[0]]
    statuses += [api_status(slack_server, "chat.update", channel="C1", ts=ts, text="z")[0]]
    assert statuses == [200, 200, 429]

    slack_server.set_realism(None)
    assert slack_client.chat_update(channel="C1", ts=ts, text="fast again")["ok"] is True


def test_realism_without_rate_limits_only_adds_latency(fake_time: FakeTime) -> None:
    realism = Realism(rate_limits=False, seed=SEED)
    with SlackApiServer(TOKEN, realism=realism, sleep=fake_time.sleep) as server:
        client = WebClient(token=TOKEN, base_url=server.url)
        for _ in range(20):
            client.conversations_open(users="U1")
    assert len(fake_time.sleeps) == 20


def test_reset_goes_back_to_the_realism_the_server_was_built_with(
    slack_server: SlackApiServer, realistic_server: SlackApiServer
) -> None:
    slack_server.set_realism(Realism())
    slack_server.reset()
    assert slack_server.realism is None

    for _ in range(5):
        api_status(realistic_server, "chat.update", channel="C1", ts="1.2", text="x")
    assert api_status(realistic_server, "chat.update", channel="C1", ts="1.2", text="x")[0] == 429
    realistic_server.set_realism(None)
    realistic_server.reset()
    assert realistic_server.realism == Realism(seed=SEED)
    assert api_status(realistic_server, "chat.update", channel="C1", ts="1.2", text="x")[0] == 200
