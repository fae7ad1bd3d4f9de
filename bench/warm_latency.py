"""Warm latency on real Postgres: `/coffee` start/cancel cycles and order submissions.

One functions-framework process each for `slash` and `interactions`, warmed first, then
requests one after another, each on a fresh connection, timed from connect to last byte.
"""

from __future__ import annotations

import time
from typing import Any

from bench.context import BenchContext
from bench.http_client import Reply, post
from bench.servers import INTERACTIONS, SLASH, BenchError, FunctionProcess
from bench.slack_traffic import Signed, cancel_click, coffee_command, order_submission
from bench.stats import summarize

TARGET_P99_MS = 50.0
CYCLE_CHANNEL = "CWARMCYCLE"
ORDER_CHANNEL = "CWARMORDERS"
WARMUP_CHANNEL = "CWARMUP"
INITIATOR = "UWARMLEAD"
ORDER_USERS = 50
WARMUP_REQUESTS = 30
DRINKS = ("flat white", "oat latte", "espresso", "cortado", "chai", "americano, black")


def send(process: FunctionProcess, signed: Signed, what: str) -> Reply:
    """Post and insist on the answer CoffeeBuddy gives when all went well: an empty 200."""
    body, headers = signed
    reply = post(process.port, body, headers)
    if reply.status != 200 or reply.body:
        raise BenchError(f"{what} answered {reply.status}: {reply.body[:300]!r}")
    return reply


def start_run(ctx: BenchContext, slash: FunctionProcess, channel: str) -> tuple[str, float]:
    reply = send(slash, coffee_command("in 20m", user=INITIATOR, channel=channel), "/coffee")
    run = ctx.database.open_run(channel)
    if run is None or run[1] is None:
        raise BenchError(f"/coffee answered but no open, posted run in {channel}")
    return run[0], reply.seconds


def cancel_run(interactions: FunctionProcess, run_id: str, channel: str) -> float:
    signed = cancel_click(run_id, user=INITIATOR, channel=channel)
    return send(interactions, signed, "cancel").seconds


def place_orders(
    interactions: FunctionProcess, run_id: str, count: int, users: int, prefix: str
) -> list[float]:
    timings = []
    for i in range(count):
        user = f"{prefix}{i % users:02d}"
        text = f"{DRINKS[i % len(DRINKS)]} #{i}"
        reply = send(interactions, order_submission(run_id, text, user=user), "order")
        timings.append(reply.seconds)
    return timings


def run_warm_latency(ctx: BenchContext, cycles: int, orders: int) -> dict[str, Any]:
    ctx.slack.add_user(INITIATOR, "warmlead", tz="Europe/Berlin")
    with (
        ctx.function(SLASH, "warm-slash") as slash,
        ctx.function(INTERACTIONS, "warm-interactions") as interactions,
    ):
        slash.wait_until_live()
        interactions.wait_until_live()

        # Warm both processes (connection pool, SQLAlchemy's statement cache, imports done
        # lazily on first use) on their own channel; none of this is counted.
        for _ in range(WARMUP_REQUESTS // 3):
            run_id, _ = start_run(ctx, slash, WARMUP_CHANNEL)
            place_orders(interactions, run_id, 3, 3, "UWARMUP")
            cancel_run(interactions, run_id, WARMUP_CHANNEL)

        starts: list[float] = []
        cancels: list[float] = []
        for _ in range(cycles):
            run_id, seconds = start_run(ctx, slash, CYCLE_CHANNEL)
            starts.append(seconds)
            cancels.append(cancel_run(interactions, run_id, CYCLE_CHANNEL))
        print(f"  warm: {cycles} start/cancel cycles done", flush=True)

        order_run, _ = start_run(ctx, slash, ORDER_CHANNEL)
        order_times = place_orders(interactions, order_run, orders, ORDER_USERS, "UWARMORDER")
        print(f"  warm: {orders} order submissions done", flush=True)

    runs = ctx.database.run_counts(CYCLE_CHANNEL)
    active = [row for row in ctx.database.orders(order_run) if row[2]]
    kinds = {
        "start": summarize(starts),
        "cancel": summarize(cancels),
        "order": summarize(order_times),
    }
    return {
        "measured_at": time.strftime("%Y-%m-%d %H:%M %Z"),
        "target_p99_ms": TARGET_P99_MS,
        "kinds": kinds,
        "met": {kind: summary["p99_ms"] <= TARGET_P99_MS for kind, summary in kinds.items()},
        "order_users": ORDER_USERS,
        "checks": {
            "cycle_runs_canceled": runs.get("canceled", 0),
            "cycle_runs_expected": cycles,
            "cycle_runs_left_open": runs.get("open", 0),
            "active_orders": len(active),
            "active_orders_expected": min(orders, ORDER_USERS),
        },
        "samples_ms": {
            "start": [round(s * 1000, 3) for s in starts],
            "cancel": [round(s * 1000, 3) for s in cancels],
            "order": [round(s * 1000, 3) for s in order_times],
        },
    }
