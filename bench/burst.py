"""Burst: 30 people submit their orders to one run at the same moment, round after round.

Each round opens a new run, prepares 30 signed submissions, and releases 30 threads with
a barrier. Afterwards Postgres must hold exactly one active order per person with the text
they sent, and the run message on the Slack API server must say "30 people".
"""

from __future__ import annotations

import json
import os
import threading
import time
from dataclasses import dataclass
from typing import Any

from bench.context import BenchContext
from bench.http_client import Reply, post
from bench.servers import INTERACTIONS, SLASH, BenchError, FunctionProcess
from bench.slack_traffic import coffee_command, order_submission
from bench.stats import summarize

PEOPLE = 30
ACK_BUDGET_MS = 2000.0  # DESIGN.md: answer Slack well inside 2 s
INITIATOR = "UBURSTLEAD"
CHANNEL_PREFIX = "CBURST"


@dataclass(frozen=True)
class RoundCheck:
    round: int
    answered_ok: int
    order_rows: int
    active_orders: int
    distinct_people: int
    texts_match: bool
    message_says: str

    @property
    def correct(self) -> bool:
        return (
            self.answered_ok == PEOPLE
            and self.order_rows == PEOPLE
            and self.active_orders == PEOPLE
            and self.distinct_people == PEOPLE
            and self.texts_match
            and self.message_says == f"{PEOPLE} people"
        )


def _person(index: int) -> str:
    return f"UBURST{index:02d}"


def _fire(
    interactions: FunctionProcess, run_id: str, texts: dict[str, str]
) -> list[Reply | BaseException]:
    barrier = threading.Barrier(len(texts))
    results: list[Reply | BaseException] = [RuntimeError("not run")] * len(texts)

    def submit(slot: int, user: str, text: str) -> None:
        body, headers = order_submission(run_id, text, user=user)
        try:
            barrier.wait()
            results[slot] = post(interactions.port, body, headers)
        except BaseException as error:
            results[slot] = error

    threads = [
        threading.Thread(target=submit, args=(slot, user, text), name=f"burst-{user}")
        for slot, (user, text) in enumerate(texts.items())
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def _message_count(ctx: BenchContext, channel: str, ts: str) -> str:
    """The "N people" the run message's Orders field shows, as the Slack server holds it."""
    for message in ctx.slack.messages(channel):
        if message.get("ts") != ts:
            continue
        blocks = json.dumps(message.get("blocks", []))
        for fragment in blocks.split("*Orders*\\n")[1:]:
            return fragment.split('"', 1)[0]
    return "message not found"


def run_round(
    ctx: BenchContext, slash: FunctionProcess, interactions: FunctionProcess, index: int
) -> tuple[RoundCheck, list[float]]:
    channel = f"{CHANNEL_PREFIX}{index:03d}"
    body, headers = coffee_command("", user=INITIATOR, channel=channel)
    started = post(slash.port, body, headers)
    run = ctx.database.open_run(channel)
    if started.status != 200 or run is None or run[1] is None:
        raise BenchError(f"burst round {index}: /coffee failed: {started.body[:300]!r}")
    run_id, message_ts = run[0], run[1]
    texts = {_person(i): f"round {index}: oat flat white for person {i}" for i in range(PEOPLE)}
    results = _fire(interactions, run_id, texts)
    timings = [r.seconds for r in results if isinstance(r, Reply)]
    answered_ok = sum(1 for r in results if isinstance(r, Reply) and r.status == 200 and not r.body)
    rows = ctx.database.orders(run_id)
    active = {(user, text) for user, text, is_active in rows if is_active}
    check = RoundCheck(
        round=index,
        answered_ok=answered_ok,
        order_rows=len(rows),
        active_orders=sum(1 for row in rows if row[2]),
        distinct_people=len({user for user, _, _ in rows}),
        texts_match=active == set(texts.items()),
        message_says=_message_count(ctx, channel, message_ts),
    )
    return check, timings


def run_burst(ctx: BenchContext, rounds: int) -> dict[str, Any]:
    ctx.slack.add_user(INITIATOR, "burstlead")
    with (
        ctx.function(SLASH, "burst-slash") as slash,
        ctx.function(INTERACTIONS, "burst-interactions") as interactions,
    ):
        slash.wait_until_live()
        interactions.wait_until_live()
        run_round(ctx, slash, interactions, 0)  # warm-up round, not counted
        checks: list[RoundCheck] = []
        timings: list[float] = []
        for index in range(1, rounds + 1):
            check, round_timings = run_round(ctx, slash, interactions, index)
            checks.append(check)
            timings.extend(round_timings)
            state = "ok" if check.correct else "WRONG"
            print(
                f"  burst round {index:<2} {state}: {check.active_orders} active orders, "
                f"message says {check.message_says!r}, max {max(round_timings) * 1000:.0f} ms",
                flush=True,
            )
    summary = summarize(timings)
    wrong = [vars(check) for check in checks if not check.correct]
    return {
        "measured_at": time.strftime("%Y-%m-%d %H:%M %Z"),
        "people": PEOPLE,
        "gunicorn_threads": int(os.environ.get("THREADS", (os.cpu_count() or 1) * 4)),
        "rounds": rounds,
        "latency": summary,
        "ack_budget_ms": ACK_BUDGET_MS,
        "met_latency": summary["max_ms"] <= ACK_BUDGET_MS,
        "rounds_correct": len(checks) - len(wrong),
        "met_correctness": not wrong and len(timings) == rounds * PEOPLE,
        "lost_orders": sum(max(0, PEOPLE - c.active_orders) for c in checks),
        "duplicate_orders": sum(max(0, c.order_rows - c.distinct_people) for c in checks),
        "wrong_counts": sum(1 for c in checks if c.message_says != f"{PEOPLE} people"),
        "failed_requests": rounds * PEOPLE - sum(c.answered_ok for c in checks),
        "wrong_rounds": wrong,
        "samples_ms": [round(s * 1000, 3) for s in timings],
    }
