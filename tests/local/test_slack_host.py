"""The benchmarks' Slack server process (`bench/slack_host.py`): its stdin commands."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest

from bench.slack_host import TimedSlackApiServer, answer_line
from local.slack_api import Realism
from tests.local.helpers import TOKEN, api_status, post_json

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


@pytest.fixture
def host() -> Iterator[TimedSlackApiServer]:
    with TimedSlackApiServer(token=TOKEN) as server:
        yield server


def ask(host: TimedSlackApiServer, **command: Any) -> dict[str, Any]:
    return answer_line(host, json.dumps(command))


def test_realistic_switches_realism_on_with_the_given_fields(host: TimedSlackApiServer) -> None:
    reply = ask(host, op="realistic", latency_median=0, latency_p99=0, burst=2, seed=4)
    assert reply["ok"] is True
    assert host.realism == Realism(latency_median=0, latency_p99=0, burst=2, seed=4)
    assert reply["realism"]["burst"] == 2

    assert ask(host, op="realistic")["realism"]["latency_median"] == 0.150
    assert ask(host, op="fast") == {"ok": True, "realism": None}
    assert host.realism is None


def test_schedule_fault_and_call_statuses(host: TimedSlackApiServer) -> None:
    assert ask(host, op="schedule_fault", method="users.info", status=503, seconds=60) == {
        "ok": True
    }
    ask(host, op="schedule_fault", method=None, status=429, seconds=60, retry_after=2)
    assert api_status(host, "users.info", user="U1")[0] == 503
    assert api_status(host, "auth.test")[1]["Retry-After"] == "2"
    assert ask(host, op="call_statuses")["statuses"] == {
        "users.info": {"503": 1},
        "auth.test": {"429": 1},
    }


def test_rate_limited_posts_are_not_stamped(host: TimedSlackApiServer) -> None:
    ask(host, op="realistic", latency_median=0, latency_p99=0, burst=1)
    statuses = [api_status(host, "chat.postMessage", channel="C1", text="hi")[0] for _ in "ab"]
    assert statuses == [200, 429]
    assert len(host.posts_since(0)) == 1
    assert ask(host, op="call_statuses")["statuses"] == {"chat.postMessage": {"200": 1, "429": 1}}


def test_response_urls_can_be_issued_and_read_back(host: TimedSlackApiServer) -> None:
    url = ask(host, op="new_response_url", channel="C1", user="U1")["url"]
    post_json(url, {"text": "No open run here."})
    (posted,) = ask(host, op="responses", url=url)["responses"]
    assert (posted["channel"], posted["user"], posted["text"]) == ("C1", "U1", "No open run here.")


@pytest.mark.parametrize(
    "line",
    [
        "not json",
        "[1]",
        '{"op": "realistic", "burst": 0}',
        '{"op": "realistic", "colour": "blue"}',
        '{"op": "schedule_fault", "method": "chat.update"}',
        '{"op": "schedule_fault", "method": "coffee.brew", "status": 500, "seconds": 1}',
        '{"op": "brew"}',
    ],
)
def test_a_malformed_command_gets_an_error_reply(host: TimedSlackApiServer, line: str) -> None:
    reply = answer_line(host, line)
    assert reply["ok"] is False
    assert reply["error"]


def test_the_host_process_speaks_json_lines() -> None:
    commands = [
        {"op": "add_user", "id": "U1", "name": "ann"},
        {"op": "realistic", "latency_median": 0, "latency_p99": 0},
        {"op": "schedule_fault", "method": "auth.test", "status": 500, "seconds": 60},
        {"op": "fast"},
    ]
    process = subprocess.run(
        [sys.executable, "-m", "bench.slack_host", TOKEN],
        cwd=ROOT,
        input="".join(json.dumps(command) + "\n" for command in commands),
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    first, *replies = [json.loads(line) for line in process.stdout.splitlines()]
    assert first["url"].endswith("/api/")
    assert [reply["ok"] for reply in replies] == [True] * 4
