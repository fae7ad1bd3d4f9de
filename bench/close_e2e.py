"""Close, end to end through Kafka: the Close click to the summary and the runner's DM.

CoffeeBuddy as deployed (bench/deployment.py): the Tansu broker, the `slash`,
`interactions` and `close` functions as functions-framework processes with KAFKA_BROKERS
set, the local Slack API server in its own process, and the project's `KafkaEventConsumer`
routing every event the close function takes to it over HTTP in binary content mode, as
the Kafka Broker's Triggers would. The runs go once against the fast Slack server and
once against the realistic one.

Each run: `/coffee` starts it and 30 people order (not timed); then the clock starts, the
initiator's signed Close click is posted to the interactions function, and it stops when
the Slack API server has stored both the channel summary and the runner's DM (the server
stamps each message with the system-wide monotonic clock as it stores it).
"""

from __future__ import annotations

import statistics
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from bench.context import BenchContext
from bench.deployment import Deployment, deployed, order_saved, send
from bench.kafka import Delivery, EventRouter
from bench.servers import SLACK_MODES, BenchError
from bench.slack_traffic import close_click, order_submission
from bench.stats import summarize
from shared.events.topics import RUN_CLOSED

PEOPLE = 30
CHANNEL_PREFIX = "CCLOSE"
INITIATOR = "UCLOSE00"
# The fast server's target is issue 3's. Against the realistic one the summary and then the
# runner's DM are two Slack posts in a row (the DM waits for the summary), each ~150 ms
# median and ~600 ms p99 in the stand-in, behind chat.postMessage's ~1/s per channel: the
# target there is that the channel and the runner have both within Slack's own 3 s.
TARGET_P99_MS = {"fast": 500.0, "realistic": 3000.0}
WARMUP_RUNS = 3
# Beyond a 429 wait in a request (up to 20 s): a run whose summary or DM is not stored by
# then is counted as stalled (left to the per-minute sweep, which the bench does not run).
RUN_TIMEOUT = 30.0
ORDER_THREADS = 4
DRINKS = ("flat white", "oat latte", "espresso", "cortado", "chai", "americano, black")


def _person(index: int) -> str:
    return f"UCLOSE{index:02d}"


PARTICIPANTS = [_person(i) for i in range(PEOPLE)]


@dataclass(frozen=True)
class CloseSample:
    run_id: str
    total: float  # click sent → summary and DM both stored
    ack: float  # click sent → the interactions function answered
    consumed: float  # click sent → the consumer read run.closed from Kafka
    summary: float  # click sent → summary stored
    dm: float  # click sent → runner DM stored
    close_function: float  # run.closed POSTed → the close function answered


def _prepare_run(deployment: Deployment, channel: str, index: int) -> str:
    """A run in the channel with one order from each of the 30 people (not timed)."""
    run_id, _, _ = deployment.start_run("in 30m Blue Bottle", user=INITIATOR, channel=channel)

    def order(person: int) -> float:
        text = f"{DRINKS[(person + index) % len(DRINKS)]} for run {index}"
        signed = order_submission(run_id, text, user=_person(person))
        return send(deployment.interactions, signed, "order", order_saved).seconds

    with ThreadPoolExecutor(ORDER_THREADS) as pool:
        list(pool.map(order, range(PEOPLE)))
    return run_id


def _close_once(
    ctx: BenchContext, deployment: Deployment, channel: str, run_id: str
) -> CloseSample | None:
    """The run's timings, or None if its summary or DM did not arrive in RUN_TIMEOUT."""
    mark = ctx.slack.mark()
    signed = close_click(run_id, user=INITIATOR, channel=channel)
    clicked = time.monotonic()
    send(deployment.interactions, signed, "close click")
    acked = time.monotonic()
    summary, dm = ctx.slack.wait_posts(mark, [[channel], PARTICIPANTS], timeout=RUN_TIMEOUT)
    if summary is None or dm is None:
        missing = "summary" if summary is None else "runner DM"
        print(f"  close: run {run_id}: no {missing} {RUN_TIMEOUT:.0f} s after the click")
        return None
    delivery = _run_closed(deployment.router, run_id)
    return CloseSample(
        run_id=run_id,
        total=max(summary["at"], dm["at"]) - clicked,
        ack=acked - clicked,
        consumed=delivery.consumed_at - clicked,
        summary=summary["at"] - clicked,
        dm=dm["at"] - clicked,
        close_function=delivery.answered_at - delivery.consumed_at,
    )


def _run_closed(router: EventRouter, run_id: str) -> Delivery:
    deadline = time.monotonic() + RUN_TIMEOUT
    delivery = router.delivered(RUN_CLOSED, run_id)
    while delivery is None and time.monotonic() < deadline:
        time.sleep(0.005)
        delivery = router.delivered(RUN_CLOSED, run_id)
    if delivery is None:
        raise BenchError(f"run {run_id}: the consumer never handed over run.closed")
    return delivery


def _median_ms(values: list[float]) -> float:
    return round(statistics.median(values) * 1000, 2)


def _series(
    ctx: BenchContext, deployment: Deployment, channel: str, runs: int, target_ms: float
) -> dict[str, Any]:
    measured_from = ctx.slack.mark()
    failed_before = deployment.router.failed()
    samples: list[CloseSample] = []
    stalled: list[str] = []
    for index in range(runs):
        run_id = _prepare_run(deployment, channel, index)
        sample = _close_once(ctx, deployment, channel, run_id)
        if sample is None:
            stalled.append(run_id)
        else:
            samples.append(sample)
        if (index + 1) % 25 == 0:
            print(f"  close: {index + 1}/{runs} runs closed", flush=True)
    time.sleep(1.0)  # anything sent twice would arrive now
    posts = ctx.slack.posts_since(measured_from)
    redelivered = deployment.router.failed() - failed_before
    result = _mode_result(ctx, samples, posts, channel, redelivered, runs, target_ms)
    result["checks"]["stalled_runs"] = len(stalled)
    result["stalled_run_ids"] = stalled
    result["met"] = result["met"] and not stalled
    return result


def _mode_result(
    ctx: BenchContext,
    samples: list[CloseSample],
    posts: list[dict[str, Any]],
    channel: str,
    redelivered: int,
    runs: int,
    target_ms: float,
) -> dict[str, Any]:
    outcomes = ctx.database.close_outcomes([s.run_id for s in samples])
    complete = [
        run_id
        for run_id, (status, runner, has_summary, has_dm) in outcomes.items()
        if status == "closed" and runner in PARTICIPANTS and has_summary and has_dm
    ]
    channel_posts = sum(1 for p in posts if p["channel"] == channel)
    dm_posts = sum(1 for p in posts if p["channel"] in PARTICIPANTS)
    runners: dict[str, int] = {}
    for status, runner, _, _ in outcomes.values():
        if status == "closed" and runner:
            runners[runner] = runners.get(runner, 0) + 1
    total = summarize([s.total for s in samples])
    correct = (
        len(complete) == runs
        and channel_posts == 2 * runs  # the run message and one summary per run
        and dm_posts == runs
    )
    return {
        "latency": total,
        "met": total["p99_ms"] <= target_ms and correct,
        "target_p99_ms": target_ms,
        "stages_median_ms": {
            "click_answered": _median_ms([s.ack for s in samples]),
            "run_closed_consumed": _median_ms([s.consumed for s in samples]),
            "summary_stored": _median_ms([s.summary for s in samples]),
            "dm_stored": _median_ms([s.dm for s in samples]),
            "close_function_request": _median_ms([s.close_function for s in samples]),
        },
        "stages": {
            "click_answered": summarize([s.ack for s in samples]),
            "run_closed_consumed": summarize([s.consumed for s in samples]),
            "close_function_request": summarize([s.close_function for s in samples]),
        },
        "checks": {
            "runs_complete": len(complete),
            "channel_posts": channel_posts,
            "channel_posts_expected": 2 * runs,
            "runner_dms": dm_posts,
            "runner_dms_expected": runs,
            "redelivered_events": redelivered,
            "distinct_runners": len(runners),
            "most_runs_by_one_runner": max(runners.values(), default=0),
        },
        "samples_ms": [round(s.total * 1000, 3) for s in samples],
    }


def run_close_e2e(ctx: BenchContext, runs: int) -> dict[str, Any]:
    ctx.slack.add_users([(person, person.lower()) for person in PARTICIPANTS])
    modes: dict[str, Any] = {}
    with deployed(ctx, "close") as deployment:
        ctx.slack.set_mode("fast")
        warmup = f"{CHANNEL_PREFIX}WARM"
        for index in range(WARMUP_RUNS):  # warms all three processes; not counted
            _close_once(ctx, deployment, warmup, _prepare_run(deployment, warmup, -index))
        for mode in SLACK_MODES:
            ctx.slack.set_mode(mode)
            channel = f"{CHANNEL_PREFIX}{mode[:4].upper()}"
            modes[mode] = _series(ctx, deployment, channel, runs, TARGET_P99_MS[mode])
        ctx.slack.set_mode("fast")
        join_seconds = deployment.join_seconds
    return {
        "measured_at": time.strftime("%Y-%m-%d %H:%M %Z"),
        "runs": runs,
        "participants": PEOPLE,
        "processes": "slash, interactions and close as functions-framework processes",
        "consumer_join_s": round(join_seconds, 2),
        "warmup_runs": WARMUP_RUNS,
        "modes": modes,
    }
