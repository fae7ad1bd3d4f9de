"""The bench's own Postgres database: created and migrated at start, dropped at the end."""

from __future__ import annotations

import os
import uuid
from typing import Self

import psycopg

from bench.lifecycle import Managed

ADMIN_URL = os.environ.get("BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")


class BenchDatabase(Managed):
    """`coffeebuddy_bench_<random>`, migrated with the project's `upgrade(url)`."""

    def __init__(self, admin_url: str = ADMIN_URL) -> None:
        self.admin_url = admin_url
        self.name = f"coffeebuddy_bench_{uuid.uuid4().hex[:10]}"
        self.url = f"{admin_url.rsplit('/', 1)[0]}/{self.name}"
        self._created = False
        self._conn: psycopg.Connection[tuple[object, ...]] | None = None

    def create(self) -> Self:
        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{self.name}"')
        self._created = True
        from shared.db.migrate import upgrade

        upgrade(self.url)
        self._conn = psycopg.connect(self.url, autocommit=True)
        return self

    @property
    def conn(self) -> psycopg.Connection[tuple[object, ...]]:
        if self._conn is None:
            raise RuntimeError("BenchDatabase.create() first")
        return self._conn

    def server_version(self) -> str:
        row = self.conn.execute("SHOW server_version").fetchone()
        return str(row[0]) if row else "unknown"

    def open_run(self, channel_id: str) -> tuple[str, str | None] | None:
        """(id, message_ts) of the channel's open run, if there is one."""
        row = self.conn.execute(
            "SELECT id, message_ts FROM run WHERE channel_id = %s AND status = 'open'",
            (channel_id,),
        ).fetchone()
        return None if row is None else (str(row[0]), None if row[1] is None else str(row[1]))

    def run_counts(self, channel_prefix: str) -> dict[str, int]:
        """Runs per status in channels whose id starts with the prefix."""
        rows = self.conn.execute(
            "SELECT status, count(*) FROM run WHERE channel_id LIKE %s GROUP BY status",
            (channel_prefix + "%",),
        ).fetchall()
        return {str(status): int(str(count)) for status, count in rows}

    def create_floor_table(self) -> None:
        """The table the persist-in-request floor target writes to (bench/targets/floor)."""
        self.conn.execute(
            "CREATE TABLE IF NOT EXISTS bench_floor_run "
            "(id bigserial PRIMARY KEY, channel_id text NOT NULL, note text, kind text NOT NULL)"
        )

    def orders(self, run_id: str) -> list[tuple[str, str, bool]]:
        """Every order row of the run: (user_id, text, active)."""
        rows = self.conn.execute(
            "SELECT user_id, text, canceled_at IS NULL FROM coffee_order WHERE run_id = %s",
            (run_id,),
        ).fetchall()
        return [(str(user), str(text), bool(active)) for user, text, active in rows]

    def close_outcomes(self, run_ids: list[str]) -> dict[str, tuple[str, str | None, bool, bool]]:
        """Per run: (status, runner_id, summary recorded, runner DM recorded)."""
        rows = self.conn.execute(
            "SELECT id::text, status, runner_id, summary_ts IS NOT NULL, runner_dm_ts IS NOT NULL"
            " FROM run WHERE id::text = ANY(%s)",
            (run_ids,),
        ).fetchall()
        return {
            str(run_id): (str(status), None if runner is None else str(runner), bool(s), bool(d))
            for run_id, status, runner, s, d in rows
        }

    def start(self) -> Self:
        return self.create()

    def stop(self) -> None:
        self.drop()

    def drop(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None
        if self._created:
            with psycopg.connect(self.admin_url, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
            self._created = False
