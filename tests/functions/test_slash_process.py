"""The slash function as deployed: a functions-framework process (gunicorn), started cold.

Its import stays light (no database stack, no Slack client: they would cost over a second of
every cold start), and its first `/coffee` is answered, then the run saved and posted.
"""

from __future__ import annotations

import http.client
import json
import os
import subprocess
import sys
import time
from pathlib import Path

from sqlmodel import Session, select

from shared.db.models import Run
from tests.conftest import BOT_TOKEN, SIGNING_SECRET
from tests.support.slack_requests import command_body, sign
from tests.support.tansu import free_port

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("sqlalchemy", "sqlmodel", "pydantic", "psycopg", "slack_sdk", "confluent_kafka", "hvac")
CHANNEL = "C0COLDPROC"


def _env(**extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SLACK_", "DATABASE_", "VAULT_", "SECRETS_", "KAFKA_"))
    }
    env.update(SLACK_SIGNING_SECRET=SIGNING_SECRET, SLACK_BOT_TOKEN=BOT_TOKEN, **extra)
    return env


def test_importing_the_slash_function_loads_no_database_stack_or_slack_client():
    probe = (
        "import sys, json; import functions.slash.main; "
        f"print(json.dumps(sorted({{m.split('.')[0] for m in sys.modules}} & set({HEAVY!r}))))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=ROOT,
        env=_env(DATABASE_URL="sqlite://"),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr[-500:]
    assert json.loads(result.stdout) == []


def _post(port: int, body: bytes) -> tuple[int, bytes]:
    headers = sign(SIGNING_SECRET, body, int(time.time()))
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("POST", "/", body=body, headers=headers)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def test_a_cold_process_answers_its_first_coffee_then_saves_and_posts_the_run(
    runtime, slack_api, postgres_url
):
    slack_api.add_user("U1", "u1", tz="Europe/London")
    port = free_port()
    env = _env(DATABASE_URL=postgres_url, SLACK_API_URL=slack_api.url, PORT=str(port))
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "functions_framework",
            "--source",
            "functions/slash/main.py",
            "--target",
            "slash",
            "--port",
            str(port),
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        body = command_body(
            "in 20m", channel=CHANNEL, response_url=slack_api.response_url(CHANNEL, "U1")
        )
        deadline = time.monotonic() + 60
        while True:
            try:
                status, answer = _post(port, body)
                break
            except (ConnectionRefusedError, ConnectionResetError, http.client.RemoteDisconnected):
                assert process.poll() is None, process.stderr.read().decode()[-800:]  # type: ignore[union-attr]
                assert time.monotonic() < deadline, "the slash function never answered"
                time.sleep(0.05)
        assert (status, answer) == (200, b"")

        while time.monotonic() < deadline:
            with Session(runtime.engine) as session:
                run = session.exec(select(Run).where(Run.channel_id == CHANNEL)).first()
            if run is not None and run.message_ts:
                break
            time.sleep(0.1)
        else:
            raise AssertionError("the run was never saved and posted")
        assert run.status == "open"
        [posted] = slack_api.messages(CHANNEL)
        assert posted["ts"] == run.message_ts
    finally:
        process.terminate()
        process.wait(timeout=30)
