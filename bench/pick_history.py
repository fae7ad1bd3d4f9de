"""The close function's runner pick with 1k and with 1M runs of history in Postgres.

A database of its own (created, migrated, dropped): 1,001 channels, and run history made
with `INSERT … SELECT generate_series` (90% closed with a runner, 8% canceled, 2% failed,
over five years), part of it in the benchmark channel itself (10 runs a day for years),
the rest spread over 1,000 other channels; `runner_stats` is rebuilt from it and the table
is `VACUUM ANALYZE`d, as a database in steady state would be.

Each pick: a `closing` run with 30 active orders is inserted (not timed), then the clock
runs around exactly what the close function does for it, `shared.runs.closing.
assign_runner` inside `shared.db.engine.transaction` (lock the run, read its orders and
the channel, `candidates_for` + `previous_runner`, choose, update `runner_stats`, write
the outbox row, commit), on the engine `get_engine` builds. Every statement is also
timed on its own (SQLAlchemy cursor events) and `EXPLAIN (ANALYZE, BUFFERS)`ed once at
each size, so a statement that grows with history shows itself and its plan.
"""

from __future__ import annotations

import re
import statistics
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, event
from sqlmodel import Session

from bench.database import BenchDatabase
from bench.servers import BenchError
from bench.stats import summarize

BENCH_CHANNEL = "CPICK"
PEOPLE = 30
OTHER_CHANNELS = 1000
OPT_IN_PEOPLE = 3  # "happy to go again"
WARMUP_PICKS = 10
TARGET_RATIO = 2.0


@dataclass(frozen=True)
class History:
    label: str
    total_runs: int
    bench_channel_runs: int


SMALL = History("1k", 1_000, 200)
LARGE = History("1M", 1_000_000, 20_000)
QUICK_LARGE = History("100k", 100_000, 5_000)

CHANNELS_SQL = """
INSERT INTO channel (id, team_id, name, enabled, reminders_enabled, reminder_offset_minutes,
    fairness_window_runs, data_retention_days, last_call_enabled, last_call_minutes,
    auto_close_minutes, idle_cancel_minutes, created_at, updated_at)
SELECT c, 'T0BENCH', c, true, true, 5, 20, 90, false, 10, NULL, 120, now(), now()
FROM (SELECT %(bench)s AS c UNION ALL
      SELECT 'CHIST' || lpad(g::text, 4, '0') FROM generate_series(0, %(others)s - 1) g) s
"""

PREFERENCES_SQL = """
INSERT INTO user_preference (user_id, last_order_text, last_used_at, allow_repeat_runner)
SELECT 'UPICK' || lpad(g::text, 2, '0'), 'flat white', now(), g < %(opt_in)s
FROM generate_series(0, %(people)s - 1) g
"""

# One statement per batch of history. `slot` orders the benchmark channel's runs in time
# (10 a day, the newest just before now); other channels get random times over 5 years.
HISTORY_SQL = """
INSERT INTO run (id, channel_id, initiator_id, status, pickup_at, runner_id, message_ts,
    correlation_id, started_at, closed_at, closed_by, runner_reason, summary_ts, runner_dm_ts,
    runner_assigned_at)
SELECT gen_random_uuid(), channel_id, initiator, status, started + interval '20 minutes',
    CASE WHEN status = 'closed' THEN runner END,
    '1700000000.' || lpad((g %% 1000000)::text, 6, '0'), '', started,
    started + interval '10 minutes', initiator,
    CASE WHEN status = 'closed' THEN 'fewest runs: 0 in the last 20 runs, last ran 2 days ago' END,
    CASE WHEN status = 'closed' THEN '1700000001.000100' END,
    CASE WHEN status = 'closed' THEN '1700000001.000200' END,
    CASE WHEN status = 'closed' THEN started + interval '10 minutes' END
FROM (
    SELECT g,
        CASE WHEN %(bench)s THEN %(channel)s
             ELSE 'CHIST' || lpad((g %% %(others)s)::text, 4, '0') END AS channel_id,
        %(prefix)s || lpad((g %% %(people)s)::text, 2, '0') AS initiator,
        %(prefix)s || lpad(((g * 7 + (random() * 5)::int) %% %(people)s)::text, 2, '0') AS runner,
        CASE WHEN r < 0.90 THEN 'closed' WHEN r < 0.98 THEN 'canceled' ELSE 'failed' END
            AS status,
        CASE WHEN %(bench)s
             THEN now() - interval '1 hour' - (%(offset)s + %(count)s - g) * interval '144 minutes'
             ELSE now() - interval '1 day' - random() * interval '5 years' END AS started
    FROM (SELECT g, random() AS r FROM generate_series(1, %(count)s) g) numbered
) s
"""

STATS_SQL = """
INSERT INTO runner_stats (channel_id, user_id, runs_served_count, last_run_at)
SELECT channel_id, runner_id, count(*), max(closed_at) FROM run
WHERE status = 'closed' AND runner_id IS NOT NULL GROUP BY channel_id, runner_id
ON CONFLICT (channel_id, user_id) DO UPDATE
SET runs_served_count = EXCLUDED.runs_served_count, last_run_at = EXCLUDED.last_run_at
"""

PICK_RUN_SQL = """
INSERT INTO run (id, channel_id, initiator_id, status, pickup_at, message_ts, correlation_id,
    started_at, closed_by)
VALUES (gen_random_uuid(), %(channel)s, 'UPICK00', 'closing', now() + interval '30 minutes',
    '1800000000.000001', '', now() - interval '5 minutes', 'UPICK00')
RETURNING id::text
"""

PICK_ORDERS_SQL = """
INSERT INTO coffee_order (id, run_id, user_id, text, volunteer, created_at, updated_at)
SELECT gen_random_uuid(), %(run)s, 'UPICK' || lpad(g::text, 2, '0'), 'oat flat white', false,
    now() - interval '4 minutes' + g * interval '1 second', now()
FROM generate_series(0, %(people)s - 1) g
"""


class StatementTimer:
    """Per-statement times (and one set of statements with their parameters) from the
    engine's cursor events, only while `recording` is set."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.recording = False
        self.times: dict[int, list[float]] = {}
        self.statements: dict[int, tuple[str, Any]] = {}
        self._ordinal = 0
        self._started = 0.0
        event.listen(engine, "before_cursor_execute", self._before)
        event.listen(engine, "after_cursor_execute", self._after)

    def start_pick(self, record: bool) -> None:
        self._ordinal = 0
        self.recording = record

    def reset(self) -> None:
        self.times = {}
        self.statements = {}

    def _before(self, *_args: Any) -> None:
        self._started = time.perf_counter()

    def _after(
        self, _conn: Any, _cursor: Any, statement: str, parameters: Any, *_rest: Any
    ) -> None:
        if not self.recording:
            return
        elapsed = time.perf_counter() - self._started
        self._ordinal += 1
        self.times.setdefault(self._ordinal, []).append(elapsed)
        self.statements.setdefault(self._ordinal, (statement, parameters))

    def remove(self) -> None:
        event.remove(self.engine, "before_cursor_execute", self._before)
        event.remove(self.engine, "after_cursor_execute", self._after)


def describe(statement: str) -> str:
    """A short, readable name for a SQL statement: its verb, table and conditions."""
    text = " ".join(statement.split())
    text = re.sub(r"^SELECT .*? FROM ", "SELECT … FROM ", text)
    text = re.sub(r"^INSERT INTO (\S+) \(.*", r"INSERT INTO \1 …", text)
    text = re.sub(r"^UPDATE (\S+) SET .*? WHERE", r"UPDATE \1 SET … WHERE", text)
    text = re.sub(r"%\((\w+?)\)s", "?", text)
    text = re.sub(r"(\?, )+\?", "…", text)
    return text[:160]


def _insert_history(db: BenchDatabase, history: History, already: tuple[int, int]) -> float:
    """Bring the history up to `history`'s size; returns the seconds the inserts took."""
    had_bench, had_total = already
    bench_more = history.bench_channel_runs - had_bench
    others_more = history.total_runs - had_total - bench_more
    started = time.perf_counter()
    for is_bench, count in ((True, bench_more), (False, others_more)):
        if count <= 0:
            continue
        db.conn.execute(
            HISTORY_SQL,
            {
                "bench": is_bench,
                "channel": BENCH_CHANNEL,
                "others": OTHER_CHANNELS,
                "people": PEOPLE,
                "prefix": "UPICK" if is_bench else "UHIST",
                "offset": had_bench if is_bench else 0,
                "count": count,
            },
        )
    db.conn.execute("DELETE FROM runner_stats")
    db.conn.execute(STATS_SQL)
    db.conn.execute("VACUUM ANALYZE")
    return time.perf_counter() - started


def _new_closing_run(db: BenchDatabase) -> uuid.UUID:
    row = db.conn.execute(PICK_RUN_SQL, {"channel": BENCH_CHANNEL}).fetchone()
    if row is None:
        raise BenchError("could not insert a run to pick a runner for")
    db.conn.execute(PICK_ORDERS_SQL, {"run": row[0], "people": PEOPLE})
    return uuid.UUID(str(row[0]))


def _pick(
    engine: Engine, run_id: uuid.UUID, timer: StatementTimer, *, record: bool
) -> tuple[float, float]:
    """(the close function's pick transaction, `candidates_for` + `previous_runner` alone);
    the timer records the transaction's statements."""
    from shared.db.engine import transaction
    from shared.fairness.repository import candidates_for, previous_runner
    from shared.runs.closing import assign_runner
    from shared.runs.repository import active_orders

    with Session(engine) as session:
        orders = active_orders(session=session, run_id=run_id)
        started = time.perf_counter()
        candidates_for(session=session, channel_id=BENCH_CHANNEL, orders=orders, window=20)
        previous_runner(session=session, channel_id=BENCH_CHANNEL)
        queries = time.perf_counter() - started
        session.rollback()
    timer.start_pick(record)
    started = time.perf_counter()
    try:
        with transaction(engine) as session:
            result = assign_runner(session=session, run_id=run_id, now=datetime.now(UTC))
    finally:
        pick = time.perf_counter() - started
        timer.recording = False
    if result is None or result.run.status != "closed" or not result.run.runner_id:
        raise BenchError(f"the pick for run {run_id} did not close it with a runner")
    return pick, queries


def _explain(db: BenchDatabase, statement: str, parameters: Any) -> list[str]:
    if not statement.lstrip().upper().startswith("SELECT"):
        return []
    rows = db.conn.execute(f"EXPLAIN (ANALYZE, BUFFERS) {statement}", parameters).fetchall()
    return [str(row[0]) for row in rows]


def _measure_size(
    db: BenchDatabase, engine: Engine, timer: StatementTimer, picks: int
) -> dict[str, Any]:
    for _ in range(WARMUP_PICKS):
        _pick(engine, _new_closing_run(db), timer, record=False)
    timer.reset()
    pick_times: list[float] = []
    query_times: list[float] = []
    for _ in range(picks):
        pick, queries = _pick(engine, _new_closing_run(db), timer, record=True)
        pick_times.append(pick)
        query_times.append(queries)
    counts = db.conn.execute(
        "SELECT count(*), count(*) FILTER (WHERE channel_id = %s) FROM run", (BENCH_CHANNEL,)
    ).fetchone()
    assert counts is not None
    statements = []
    for ordinal in sorted(timer.statements):
        statement, parameters = timer.statements[ordinal]
        samples = timer.times[ordinal]
        statements.append(
            {
                "ordinal": ordinal,
                "sql": describe(statement),
                "median_ms": round(statistics.median(samples) * 1000, 3),
                "plan": _explain(db, statement, parameters),
            }
        )
    return {
        "runs_in_database": int(str(counts[0])),
        "runs_in_bench_channel": int(str(counts[1])),
        "pick": summarize(pick_times),
        "queries": summarize(query_times),
        "statements": statements,
    }


def run_pick_history(picks: int, *, quick: bool) -> dict[str, Any]:
    from shared.db.engine import get_engine

    large = QUICK_LARGE if quick else LARGE
    sizes: dict[str, Any] = {}
    inserts: dict[str, float] = {}
    with BenchDatabase() as db:
        db.conn.execute(CHANNELS_SQL, {"bench": BENCH_CHANNEL, "others": OTHER_CHANNELS})
        db.conn.execute(PREFERENCES_SQL, {"opt_in": OPT_IN_PEOPLE, "people": PEOPLE})
        engine = get_engine(db.url)
        timer = StatementTimer(engine)
        try:
            had = (0, 0)
            for history in (SMALL, large):
                inserts[history.label] = round(_insert_history(db, history, had), 1)
                had = (history.bench_channel_runs, history.total_runs)
                print(
                    f"  pick: {history.total_runs:,} runs of history "
                    f"(inserted in {inserts[history.label]:.0f} s), {picks} picks",
                    flush=True,
                )
                sizes[history.label] = _measure_size(db, engine, timer, picks)
        finally:
            timer.remove()
            engine.dispose()
    small, big = sizes[SMALL.label], sizes[large.label]
    ratio_p50 = big["pick"]["p50_ms"] / small["pick"]["p50_ms"]
    ratio_p99 = big["pick"]["p99_ms"] / small["pick"]["p99_ms"]
    return {
        "measured_at": time.strftime("%Y-%m-%d %H:%M %Z"),
        "picks": picks,
        "participants": PEOPLE,
        "other_channels": OTHER_CHANNELS,
        "small": SMALL.label,
        "large": large.label,
        "sizes": sizes,
        "insert_seconds": inserts,
        "ratio_p50": round(ratio_p50, 2),
        "ratio_p99": round(ratio_p99, 2),
        "target_ratio": TARGET_RATIO,
        "met": ratio_p50 <= TARGET_RATIO,
    }
