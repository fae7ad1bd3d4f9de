"""The README's local run really works: SQLite, in-process events, local Slack API."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from shared.clock import SystemClock
from tests.support.slack_requests import (
    block_action,
    command_body,
    interaction_body,
    sign,
    view_submission,
)
from tests.support.tansu import free_port

ROOT = Path(__file__).resolve().parents[2]
SECRET = "local-signing-secret"


def _post(base: str, path: str, body: bytes) -> tuple[int, bytes]:
    headers = sign(SECRET, body, int(SystemClock().now().timestamp()))
    request = urllib.request.Request(base + path, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def _wait(condition, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError("timed out")


def _ready_line(log: Path, base: str) -> str | None:
    """The plain line `scripts/run-local` shows among the JSON logs once it listens."""
    text = log.read_text(errors="replace") if log.exists() else ""
    return next((line for line in text.splitlines() if line.endswith(f"open {base}/")), None)


@pytest.fixture
def local_server(tmp_path):
    port = free_port()
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DATABASE_", "KAFKA_"))
    }
    env.update(
        {
            "PORT": str(port),
            "COFFEEBUDDY_STATE_DIR": str(tmp_path),
            "COFFEEBUDDY_TICK_SECONDS": "0.5",
            "PROMETHEUS_METRICS_PORT": "0",
        }
    )
    log = tmp_path / "run.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "local"], cwd=ROOT, env=env, stdout=output, stderr=output
        )
    base = f"http://127.0.0.1:{port}"
    try:
        # As a person would: wait for the line saying it is running, then use it at once.
        _wait(lambda: _ready_line(log, base) or process.poll() is not None)
        assert process.poll() is None, log.read_text()
        yield base, tmp_path / "coffeebuddy.db", log
    finally:
        process.terminate()
        process.wait(timeout=10)


def _query(db: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql).fetchall()


def test_local_run_says_in_one_plain_line_where_to_open_it_once_it_is_ready(local_server):
    base, _db, log = local_server
    with urllib.request.urlopen(base + "/health/ready", timeout=5) as response:
        assert response.status == 200  # already listening when the line appeared
    with urllib.request.urlopen(base + "/", timeout=5) as response:
        assert response.url == f"{base}/playground/"
    lines = log.read_text().splitlines()
    assert f"CoffeeBuddy is running: open {base}/" in lines
    assert sum("CoffeeBuddy is running: open" in line for line in lines) == 1
    assert any(
        line.startswith("{") and '"event": "CoffeeBuddy is running"' in line for line in lines
    )


def test_the_line_names_this_machine_and_without_the_playground_the_slack_paths(capsys):
    from local.__main__ import _say_where

    _say_where("http://0.0.0.0:8080", playground=True)
    _say_where("http://127.0.0.1:9000", playground=False)
    playground, workspace = capsys.readouterr().out.splitlines()
    assert playground == "CoffeeBuddy is running: open http://127.0.0.1:8080/"
    assert workspace.startswith("CoffeeBuddy is running on http://127.0.0.1:9000 ")
    assert "/slack/commands and /slack/interactions" in workspace


def test_local_run_serves_a_whole_coffee_run(local_server):
    base, db, _log = local_server
    status, body = _post(
        base, "/slack/commands", command_body("in 30m corner cafe", user="U0ALICE")
    )
    assert status == 200 and body == b""
    # The command went onto the in-process bus; the close function's handler starts the run.
    _wait(lambda: _query(db, "SELECT count(*) FROM run WHERE message_ts IS NOT NULL") == [(1,)])
    [(run_id, status)] = _query(db, "SELECT id, status FROM run")
    run_uuid = f"{run_id[:8]}-{run_id[8:12]}-{run_id[12:16]}-{run_id[16:20]}-{run_id[20:]}"
    for user, drink in (("U0ALICE", "latte"), ("U0BOB", "tea")):
        status, _ = _post(
            base,
            "/slack/interactions",
            interaction_body(view_submission(run_uuid, drink, user=user)),
        )
        assert status == 200
    assert _query(db, "SELECT count(*) FROM coffee_order WHERE canceled_at IS NULL") == [(2,)]
    _post(
        base,
        "/slack/interactions",
        interaction_body(block_action("run_close", run_uuid, user="U0ALICE")),
    )
    _wait(lambda: _query(db, "SELECT runner_dm_ts IS NOT NULL FROM run") == [(1,)])
    assert _query(db, "SELECT status FROM run") == [("closed",)]
    _wait(lambda: _query(db, "SELECT count(*) FROM reminder") == [(1,)])
    assert _query(db, "SELECT count(*) FROM outbox WHERE published_at IS NULL") == [(0,)]


def test_local_run_refuses_unsigned_requests_and_serves_health(local_server):
    base, db, _log = local_server
    request = urllib.request.Request(
        base + "/slack/commands", data=command_body("in 5m"), method="POST"
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=5)
    assert refused.value.code == 401
    with urllib.request.urlopen(base + "/health/live", timeout=5) as response:
        assert json.load(response) == {"status": "ok"}
    with urllib.request.urlopen(base + "/metrics", timeout=5) as response:
        assert b"coffeebuddy_errors_total" in response.read()
    assert _query(db, "SELECT count(*) FROM run") == [(0,)]
