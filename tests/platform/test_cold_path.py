"""The slash intake's cold path stays small: a `/coffee` is answered without importing the
database stack, pydantic or slack-sdk (DESIGN.md, "The cold path is small")."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("sqlalchemy", "sqlmodel", "pydantic", "psycopg", "slack_sdk", "hvac", "alembic")

PROBE = """
import json, sys, time
from functions_framework import create_app
from tests.support.slack_requests import command_body, sign
app = create_app(target="slash", source="functions/slash/main.py")
client = app.test_client()
answers = []
for text in ("in 20m Blue Bottle", "stats", "help", "10:30"):
    body = command_body(text)
    headers = sign("cold-path-secret", body, int(time.time()))
    response = client.post("/", data=body, headers=headers)
    answers.append(response.status_code)
loaded = sorted({name.split(".")[0] for name in sys.modules})
print(json.dumps({"answers": answers, "loaded": loaded}))
"""


def test_answering_coffee_imports_no_database_or_slack_client() -> None:
    env = {
        **os.environ,
        "DATABASE_URL": "postgresql://nobody@127.0.0.1:1/none",
        "SLACK_SIGNING_SECRET": "cold-path-secret",
        "SLACK_BOT_TOKEN": "xoxb-cold-path",
        "KAFKA_BROKERS": "",
        "VAULT_ADDR": "",
    }
    result = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    probe = json.loads(result.stdout.strip().splitlines()[-1])
    assert probe["answers"] == [200, 200, 200, 200]
    assert [name for name in HEAVY if name in probe["loaded"]] == []
