"""Warm answers on real Postgres and Kafka: `/coffee` start, order submissions, Close clicks.

CoffeeBuddy runs as deployed (bench/deployment.py). Each cycle opens a run in a channel of
its own: `/coffee` is answered (timed; the intake only writes one Kafka record), the bench
waits until the close function has started the run and posted its message (not timed: nobody
can click before the message is there), then orders are submitted one after another and the
initiator clicks Close (both timed). Each request is on a fresh connection, timed from
connect to last byte. The whole series runs once against the fast Slack server and once
against the realistic one: the answers must not depend on Slack, only what follows does.
"""

from __future__ import annotations

import time
from typing import Any

from bench.context import BenchContext
from bench.deployment import Deployment, deployed, order_saved, send
from bench.servers import SLACK_MODES, BenchError
from bench.slack_traffic import close_click, order_submission
from bench.stats import summarize

TARGET_P99_MS = 100.0
INITIATOR = "UWARMLEAD"
ORDER_USERS = 50
WARMUP_CYCLES = 5
SETTLE_TIMEOUT = 120.0
DRINKS = ("flat white", "oat latte", "espresso", "cortado", "chai", "americano, black")
KINDS = ("start", "order", "close")


def _orderer(index: int) -> str:
    return f"UWARMORDER{index % ORDER_USERS:02d}"


def _cycle(
    deployment: Deployment, channel: str, orders: int, first_order: int
) -> dict[str, list[float]]:
    run_id, _, started = deployment.start_run("in 20m", user=INITIATOR, channel=channel)
    timings: dict[str, list[float]] = {"start": [started.seconds], "order": [], "close": []}
    for i in range(first_order, first_order + orders):
        signed = order_submission(run_id, f"{DRINKS[i % len(DRINKS)]} #{i}", user=_orderer(i))
        timings["order"].append(send(deployment.interactions, signed, "order", order_saved).seconds)
    click = close_click(run_id, user=INITIATOR, channel=channel)
    timings["close"].append(send(deployment.interactions, click, "close click").seconds)
    return timings


def _series(
    deployment: Deployment, prefix: str, cycles: int, orders_per_cycle: int
) -> dict[str, list[float]]:
    timings: dict[str, list[float]] = {kind: [] for kind in KINDS}
    for index in range(cycles):
        cycle = _cycle(deployment, f"{prefix}{index:04d}", orders_per_cycle, index * 7)
        for kind in KINDS:
            timings[kind] += cycle[kind]
    return timings


def _settled(ctx: BenchContext, prefix: str, expected: int) -> dict[str, int]:
    """Run statuses once every Close click has been picked up (or the timeout passed)."""
    deadline = time.monotonic() + SETTLE_TIMEOUT
    while True:
        counts = ctx.database.run_counts(prefix)
        if counts.get("closed", 0) >= expected or time.monotonic() > deadline:
            return counts
        time.sleep(0.05)


def run_warm_latency(ctx: BenchContext, cycles: int, orders_per_cycle: int) -> dict[str, Any]:
    ctx.slack.add_users(
        [(INITIATOR, "warmlead")] + [(_orderer(i), f"orderer{i}") for i in range(ORDER_USERS)]
    )
    modes: dict[str, Any] = {}
    with deployed(ctx, "warm") as deployment:
        ctx.slack.set_mode("fast")
        # Warms the processes (connection pools, statement caches, lazy imports); not counted.
        _series(deployment, "CWARMUP", WARMUP_CYCLES, 3)
        for mode in SLACK_MODES:
            ctx.slack.set_mode(mode)
            prefix = f"CWARM{mode[:4].upper()}"
            timings = _series(deployment, prefix, cycles, orders_per_cycle)
            print(f"  warm ({mode} Slack): {cycles} cycles done", flush=True)
            counts = _settled(ctx, prefix, cycles)
            kinds = {kind: summarize(samples) for kind, samples in timings.items()}
            modes[mode] = {
                "kinds": kinds,
                "met": {kind: s["p99_ms"] <= TARGET_P99_MS for kind, s in kinds.items()},
                "checks": {
                    "runs_closed": counts.get("closed", 0),
                    "runs_expected": cycles,
                    "runs_not_closed": {k: v for k, v in counts.items() if k != "closed"},
                },
                "samples_ms": {
                    kind: [round(s * 1000, 3) for s in samples] for kind, samples in timings.items()
                },
            }
        ctx.slack.set_mode("fast")
    if not modes:
        raise BenchError("no Slack mode measured")
    return {
        "measured_at": time.strftime("%Y-%m-%d %H:%M %Z"),
        "target_p99_ms": TARGET_P99_MS,
        "cycles": cycles,
        "orders_per_cycle": orders_per_cycle,
        "order_users": ORDER_USERS,
        "modes": modes,
    }
