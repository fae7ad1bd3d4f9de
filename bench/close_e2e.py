"""Close, end to end through Kafka: the Close click to the summary and the runner's DM.

Real pieces: the Tansu broker, the `slash`, `interactions` and `close` functions as
functions-framework processes with KAFKA_BROKERS set (so they publish through the
outbox to Kafka), the local Slack API server in its own process, and the project's
`KafkaEventConsumer` routing run.closed CloudEvents to the close function over HTTP in
binary content mode, as Knative's KafkaSource/Trigger would.

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
from bench.http_client import post
from bench.kafka import Broker, EventRouter, Route
from bench.servers import CLOSE, INTERACTIONS, SLASH, BenchError, FunctionProcess
from bench.slack_traffic import Signed, close_click, coffee_command, order_submission
from bench.stats import summarize
from shared.events.catalog import RUN_CLOSED, RUN_TOPIC

PEOPLE = 30
CHANNEL = "CCLOSEE2E"
INITIATOR = "UCLOSE00"
TARGET_P99_MS = 500.0
WARMUP_RUNS = 3
RUN_TIMEOUT = 15.0
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


def _send(process: FunctionProcess, signed: Signed, what: str) -> float:
    body, headers = signed
    reply = post(process.port, body, headers)
    if reply.status != 200 or reply.body:
        raise BenchError(f"{what} answered {reply.status}: {reply.body[:300]!r}")
    return reply.seconds


def _prepare_run(
    ctx: BenchContext, slash: FunctionProcess, interactions: FunctionProcess, index: int
) -> str:
    """A run in the channel with one order from each of the 30 people (not timed)."""
    _send(slash, coffee_command("in 30m Blue Bottle", user=INITIATOR, channel=CHANNEL), "/coffee")
    run = ctx.database.open_run(CHANNEL)
    if run is None:
        raise BenchError("/coffee answered but the channel has no open run")
    run_id = run[0]

    def order(person: int) -> float:
        text = f"{DRINKS[(person + index) % len(DRINKS)]} for run {index}"
        signed = order_submission(run_id, text, user=_person(person))
        return _send(interactions, signed, "order")

    with ThreadPoolExecutor(ORDER_THREADS) as pool:
        list(pool.map(order, range(PEOPLE)))
    return run_id


def _close_once(
    ctx: BenchContext, interactions: FunctionProcess, router: EventRouter, run_id: str
) -> CloseSample:
    mark = ctx.slack.mark()
    signed = close_click(run_id, user=INITIATOR, channel=CHANNEL)
    clicked = time.monotonic()
    _send(interactions, signed, "close click")
    acked = time.monotonic()
    summary, dm = ctx.slack.wait_posts(mark, [[CHANNEL], PARTICIPANTS], timeout=RUN_TIMEOUT)
    if summary is None or dm is None:
        missing = "summary" if summary is None else "runner DM"
        raise BenchError(f"run {run_id}: no {missing} within {RUN_TIMEOUT:.0f} s of the click")
    deadline = time.monotonic() + RUN_TIMEOUT
    delivery = router.delivered(RUN_CLOSED, run_id)
    while delivery is None and time.monotonic() < deadline:
        time.sleep(0.005)
        delivery = router.delivered(RUN_CLOSED, run_id)
    if delivery is None:
        raise BenchError(f"run {run_id}: the consumer never handed over run.closed")
    return CloseSample(
        run_id=run_id,
        total=max(summary["at"], dm["at"]) - clicked,
        ack=acked - clicked,
        consumed=delivery.consumed_at - clicked,
        summary=summary["at"] - clicked,
        dm=dm["at"] - clicked,
        close_function=delivery.answered_at - delivery.consumed_at,
    )


def _median_ms(values: list[float]) -> float:
    return round(statistics.median(values) * 1000, 2)


def run_close_e2e(ctx: BenchContext, runs: int) -> dict[str, Any]:
    ctx.slack.add_users([(person, person.lower()) for person in PARTICIPANTS])
    with Broker(ctx.log_dir / "close-tansu.log") as broker:
        env = {"KAFKA_BROKERS": broker.brokers}
        with (
            ctx.function(SLASH, "close-slash", env) as slash,
            ctx.function(INTERACTIONS, "close-interactions", env) as interactions,
            ctx.function(CLOSE, "close-close", env) as close,
        ):
            for process in (slash, interactions, close):
                process.wait_until_live()
            routes = [Route(close.port, frozenset({RUN_CLOSED}))]
            with EventRouter(
                broker, group_id="coffeebuddy-close", topics=[RUN_TOPIC], routes=routes
            ) as router:
                join_seconds = router.wait_ready()
                for index in range(WARMUP_RUNS):  # warms all three processes; not counted
                    _close_once(
                        ctx, interactions, router, _prepare_run(ctx, slash, interactions, -index)
                    )
                measured_from = ctx.slack.mark()
                samples: list[CloseSample] = []
                for index in range(runs):
                    run_id = _prepare_run(ctx, slash, interactions, index)
                    samples.append(_close_once(ctx, interactions, router, run_id))
                    if (index + 1) % 25 == 0:
                        print(f"  close: {index + 1}/{runs} runs closed", flush=True)
                time.sleep(1.0)  # anything sent twice would arrive now
                posts = ctx.slack.posts_since(measured_from)
                redelivered = router.failed()
    outcomes = ctx.database.close_outcomes([s.run_id for s in samples])
    complete = [
        run_id
        for run_id, (status, runner, has_summary, has_dm) in outcomes.items()
        if status == "closed" and runner in PARTICIPANTS and has_summary and has_dm
    ]
    channel_posts = sum(1 for p in posts if p["channel"] == CHANNEL)
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
        "measured_at": time.strftime("%Y-%m-%d %H:%M %Z"),
        "runs": runs,
        "participants": PEOPLE,
        "processes": "slash, interactions and close as functions-framework processes",
        "consumer_join_s": round(join_seconds, 2),
        "warmup_runs": WARMUP_RUNS,
        "latency": total,
        "target_p99_ms": TARGET_P99_MS,
        "met": total["p99_ms"] <= TARGET_P99_MS and correct,
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
