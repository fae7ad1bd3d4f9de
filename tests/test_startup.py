"""A function with a bad setting stops at start-up with one line that names the setting."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_missing_setting_stops_startup_with_one_clear_line():
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DATABASE_"))}
    env.update({"SLACK_SIGNING_SECRET": "very-secret-value", "DATABASE_URL": "sqlite:///:memory:"})
    result = subprocess.run(
        [sys.executable, "-c", "import functions.slash.main"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert lines == [
        "coffeebuddy slash: configuration error: SLACK_BOT_TOKEN is required but not set"
    ]
    assert "very-secret-value" not in result.stderr + result.stdout
