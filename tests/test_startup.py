"""A function with a bad setting or unreachable secrets stops at start-up with one clear line."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.support.tansu import free_port

ROOT = Path(__file__).resolve().parents[1]


def _start(env_changes: dict[str, str]) -> subprocess.CompletedProcess[str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SLACK_", "DATABASE_", "VAULT_", "SECRETS_"))
    }
    env.update(env_changes)
    return subprocess.run(
        [sys.executable, "-c", "import functions.slash.main"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_missing_secret_stops_startup_with_one_line_naming_it():
    result = _start({"SLACK_SIGNING_SECRET": "very-secret-value", "DATABASE_URL": "sqlite://"})
    assert result.returncode == 2
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("coffeebuddy slash: secrets error: SLACK_BOT_TOKEN not set")
    assert "very-secret-value" not in result.stderr + result.stdout


def test_malformed_setting_stops_startup_naming_it_not_its_value():
    result = _start({"DATABASE_URL": "sqlite://", "PORT": "eighty-eighty"})
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "coffeebuddy slash: configuration error: PORT must be a whole number from 1 to 65535"
    ]


def test_vault_down_at_startup_is_one_clear_line():
    port = free_port()
    result = _start(
        {
            "DATABASE_URL": "sqlite://",
            "VAULT_ADDR": f"http://127.0.0.1:{port}",
            "VAULT_TOKEN": "s.topsecret-token",
        }
    )
    assert result.returncode == 2
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("coffeebuddy slash: secrets error:") and f"127.0.0.1:{port}" in line
    assert "s.topsecret-token" not in result.stderr + result.stdout
