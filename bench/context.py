"""What every benchmark shares: the database, the Slack API host, logs and settings."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from bench.database import BenchDatabase
from bench.servers import FunctionProcess, SlackHost, Target
from bench.slack_traffic import BOT_TOKEN, SIGNING_SECRET


@dataclass
class BenchContext:
    database: BenchDatabase
    slack: SlackHost
    log_dir: Path
    quick: bool

    def function_env(self) -> dict[str, str]:
        """The settings a deployed CoffeeBuddy function would read, pointed at local services."""
        return {
            "SLACK_SIGNING_SECRET": SIGNING_SECRET,
            "SLACK_BOT_TOKEN": BOT_TOKEN,
            "DATABASE_URL": self.database.url,
            "SLACK_API_URL": self.slack.url,
        }

    def function(
        self, target: Target, name: str, extra_env: dict[str, str] | None = None
    ) -> FunctionProcess:
        env = {**self.function_env(), **(extra_env or {})}
        return FunctionProcess(target, env, self.log_dir / f"{name}.log")


@contextmanager
def bench_context(*, quick: bool) -> Iterator[BenchContext]:
    with (
        tempfile.TemporaryDirectory(prefix="coffeebuddy-bench-") as logs,
        BenchDatabase() as database,
        SlackHost(BOT_TOKEN) as slack,
    ):
        yield BenchContext(database=database, slack=slack, log_dir=Path(logs), quick=quick)
