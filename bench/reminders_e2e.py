"""Reminder lateness: 500 reminders through Kafka with the real tick loop, on a bench clock.

The `slash`, `interactions`, `close` and `reminders` functions run in this process
(bench/in_process.py) on one `ManualClock`, each on a real HTTP port; events go through
the outbox to the Tansu broker and come back through two `KafkaEventConsumer` groups
routing them over HTTP in binary mode, as KafkaSource/Trigger would: run.closed to
close; run.* and reminder.due to reminders. The local Slack API server is its own
process and stamps every message with the system-wide monotonic clock.

Set-up (not timed), clock just before 09:00: each of the runs is started with `/coffee`,
gets one order and is closed by its initiator (the close function assigns the runner,
and the run.created event has made the reminders function schedule its reminder at
pickup minus 5 min). Half the runs use a clock-time pickup (`/coffee 09:17`, due on a
whole minute, as most real runs), half a relative one (`/coffee in 23m` started at a
random second, so due at any second). Due times spread over the next ~30 minutes.

Then the tick loop: the clock is set to each whole minute in turn and one PingSource
tick CloudEvent is POSTed to the reminders function, which claims what is due within
55 s, publishes reminder.due to Kafka, and the DMs follow; the next minute comes when
every claimed reminder has settled (a real minute is far longer than that).

Lateness (clock) is `sent_at - due_at` as the reminders record it (the reminder.sent
events' `lateness_seconds` must agree); negative means early, by design up to 55 s. The
wall-clock delivery latency is tick POSTed → DM stored on the Slack API server, and
"effective lateness" adds the two: what a user would see were the minutes real.

A second, small group of runs is left open on purpose: their cut-off (auto-close, pickup
minus the channel's reminder offset by default) is the reminder's due time, so the tick
auto-closes them and claims their reminder at the same moment; where the reminder goes
and how late is reported separately.
"""

from __future__ import annotations

import random
import statistics
import threading
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from bench.context import BenchContext
from bench.deployment import answered_well, empty, order_saved, posted_run
from bench.http_client import post, request
from bench.in_process import InProcessFunctions
from bench.kafka import Broker, EventRouter, Route, accepted_by
from bench.servers import BenchError
from bench.slack_traffic import Signed, close_click, coffee_command, order_submission
from bench.stats import percentile
from shared.clock import ManualClock
from shared.events import catalog
from shared.events.envelope import Event, to_http

START = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)  # the first tick is at 09:01
OFFSET_MINUTES = 5  # the channel default reminder offset
FIRST_DUE_MINUTE = 2
TARGET_P99_S = 5.0
LIMIT_S = 60.0
EARLY_BY_DESIGN_S = 55.0
SETTLE_TIMEOUT = 20.0  # per tick; what is still unsettled then waits for the next tick
SETUP_TIMEOUT = 180.0
SETUP_THREADS = 4
CHANNEL_PREFIX = "CRMD"
PING_SOURCE = "/apis/v1/namespaces/coffeebuddy/pingsources/reminders-tick"
REMINDER_TEXT = "Coffee pickup in about"
STILL_OPEN_TEXT = "Your coffee run is still open"
CLOSE_DM_TEXT = "You're on the coffee run"
GROUPS = ("closed", "open", "open_slow_close")
SLOW_CLOSE_S = 2.0  # a close function this much slower, e.g. a Knative cold start


@dataclass(frozen=True)
class PlannedRun:
    index: int
    group: str  # "closed" (by its initiator at set-up), "open" or "open_slow_close" (left open)
    form: str  # "clock" (/coffee HH:MM) or "relative" (/coffee in Nm)
    created_at: datetime
    command: str

    @property
    def channel(self) -> str:
        return f"{CHANNEL_PREFIX}{self.index:04d}"

    @property
    def initiator(self) -> str:
        return f"URMI{self.index:04d}"

    @property
    def runner(self) -> str:
        return f"URMR{self.index:04d}"


def plan_runs(closed: int, left_open: int, minutes: int, seed: int = 3) -> list[PlannedRun]:
    """Due times spread over `minutes` minutes after 09:02; half on whole minutes. The
    runs left open alternate between a warm close function and a slow one."""
    rng = random.Random(seed)
    plans = []
    for index in range(closed + left_open):
        if index < closed:
            group = "closed"
        else:
            group = "open" if (index - closed) % 4 < 2 else "open_slow_close"
        due_minute = FIRST_DUE_MINUTE + rng.randrange(minutes)
        if index % 2 == 0:
            pickup = START + timedelta(minutes=due_minute + OFFSET_MINUTES)
            created = START - timedelta(seconds=30)
            command = f"{pickup:%H:%M}"
            form = "clock"
        else:
            # Started at a random second of the minute before 09:00: due at that second.
            created = START - timedelta(seconds=60) + timedelta(seconds=rng.uniform(0, 59.9))
            command = f"in {due_minute + OFFSET_MINUTES + 1}m"
            form = "relative"
        plans.append(PlannedRun(index, group, form, created, command))
    return plans


def _seconds_summary(values: list[float]) -> dict[str, float]:
    if not values:
        return {"n": 0}
    return {
        "n": len(values),
        "min_s": round(min(values), 3),
        "p50_s": round(statistics.median(values), 3),
        "p99_s": round(percentile(values, 0.99), 3),
        "max_s": round(max(values), 3),
    }


class SentEvents:
    """reminder.sent events as the reminders consumer group sees them."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.by_reminder: dict[str, list[dict[str, Any]]] = {}

    def __call__(self, event: Event) -> None:
        if event.type == catalog.REMINDER_SENT:
            with self._lock:
                self.by_reminder.setdefault(str(event.data["reminder_id"]), []).append(event.data)


class Driver:
    """Signed Slack requests and ticks to the in-process functions, on the bench clock."""

    def __init__(self, functions: InProcessFunctions, clock: ManualClock) -> None:
        self.functions = functions
        self.clock = clock

    def _now(self) -> int:
        return int(self.clock.now().timestamp())

    def send(
        self, name: str, signed: Signed, what: str, accept: Callable[[bytes], bool] = empty
    ) -> None:
        body, headers = signed
        reply = post(self.functions.ports[name], body, headers)
        if not answered_well(reply, accept):
            raise BenchError(f"{what} answered {reply.status}: {reply.body[:300]!r}")

    def start(self, ctx: BenchContext, plan: PlannedRun) -> str:
        self.clock.set(plan.created_at)
        signed = coffee_command(
            plan.command, user=plan.initiator, channel=plan.channel, at=self._now()
        )
        self.send("slash", signed, f"/coffee {plan.command}")
        return posted_run(ctx.database, plan.channel)[0]

    def order_and_close(self, plan: PlannedRun, run_id: str) -> None:
        signed = order_submission(run_id, "flat white", user=plan.runner, at=self._now())
        self.send("interactions", signed, "order", order_saved)
        if plan.group == "closed":
            click = close_click(run_id, user=plan.initiator, channel=plan.channel, at=self._now())
            self.send("interactions", click, "close click")

    def tick(self) -> float:
        """One PingSource tick at the clock's time; returns the seconds it took to answer."""
        event = Event(
            type=catalog.TICK, subject="", data={}, source=PING_SOURCE, time=self.clock.now()
        )
        headers, body = to_http(event)
        reply = request(self.functions.ports["reminders"], "POST", "/", body=body, headers=headers)
        if reply.status != 200:
            raise BenchError(f"tick answered {reply.status}: {reply.body[:300]!r}")
        return reply.seconds


def _wait(condition: Any, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise BenchError(f"timed out waiting for {what}")
        time.sleep(0.005)


def _scalar(ctx: BenchContext, sql: str) -> int:
    row = ctx.database.conn.execute(sql, (CHANNEL_PREFIX + "%",)).fetchone()
    return int(str(row[0])) if row else 0


SCHEDULED_SQL = """SELECT count(*) FROM reminder JOIN run ON run.id = reminder.run_id
WHERE run.channel_id LIKE %s AND reminder.kind = 'runner' AND reminder.status = 'scheduled'"""
CLOSED_SQL = """SELECT count(*) FROM run WHERE channel_id LIKE %s AND status = 'closed'
AND runner_dm_ts IS NOT NULL"""
UNSETTLED_SQL = """SELECT count(*) FROM reminder JOIN run ON run.id = reminder.run_id
WHERE run.channel_id LIKE %s AND (reminder.status = 'due' OR run.status = 'closing')"""
OUTCOMES_SQL = """SELECT reminder.id::text, run.id::text, run.channel_id, reminder.due_at,
    reminder.status, reminder.sent_at
FROM reminder JOIN run ON run.id = reminder.run_id
WHERE run.channel_id LIKE %s AND reminder.kind = 'runner'"""


@dataclass(frozen=True)
class ReminderRow:
    reminder_id: str
    run_id: str
    due_at: datetime
    status: str
    sent_at: datetime | None


def _reminder_rows(ctx: BenchContext) -> dict[str, ReminderRow]:
    """The runner reminder of each bench run, by channel."""
    rows = ctx.database.conn.execute(OUTCOMES_SQL, (CHANNEL_PREFIX + "%",)).fetchall()
    found: dict[str, ReminderRow] = {}
    for reminder_id, run_id, channel, due_at, status, sent_at in rows:
        assert isinstance(due_at, datetime) and (sent_at is None or isinstance(sent_at, datetime))
        found[str(channel)] = ReminderRow(
            str(reminder_id), str(run_id), due_at, str(status), sent_at
        )
    return found


def _set_up(
    ctx: BenchContext, driver: Driver, plans: list[PlannedRun], closed: int
) -> tuple[float, list[str]]:
    """Start, order and close the runs; returns the seconds it took and the run ids."""
    started = time.monotonic()
    run_ids = [driver.start(ctx, plan) for plan in plans]  # one at a time: each sets the clock
    driver.clock.set(START - timedelta(seconds=1))
    with ThreadPoolExecutor(SETUP_THREADS) as pool:
        list(pool.map(driver.order_and_close, plans, run_ids))
    _wait(lambda: _scalar(ctx, CLOSED_SQL) >= closed, SETUP_TIMEOUT, "the runs to close")
    _wait(
        lambda: _scalar(ctx, SCHEDULED_SQL) >= len(plans),
        SETUP_TIMEOUT,
        "every reminder to be scheduled",
    )
    return time.monotonic() - started, run_ids


def _first_post(posts: list[dict[str, Any]], channel: str, prefix: str) -> dict[str, Any] | None:
    for post_ in posts:
        if post_["channel"] == channel and post_["text"].startswith(prefix):
            return post_
    return None


def _group_result(
    plans: list[PlannedRun],
    rows: dict[str, ReminderRow],
    sent: SentEvents,
    posts: list[dict[str, Any]],
    ticks: dict[datetime, float],
    claims: Counter[str],
) -> dict[str, Any]:
    lateness: list[float] = []
    wall: list[float] = []
    effective: list[float] = []
    recipients: dict[str, int] = {}
    event_mismatch = 0
    reminder_dms = 0
    runner_got_reminder = 0
    initiator_nudged = 0
    after_close_dm: list[float] = []
    runner_late: list[float] = []
    runner_effective: list[float] = []
    runner_a_tick_later = 0
    merged = 0
    by_form: dict[str, list[float]] = {"clock": [], "relative": []}
    unsent = 0
    claimed_again = 0
    for plan in plans:
        row = rows.get(plan.channel)
        if row is None:
            unsent += 1
            continue
        claimed_again += claims[row.run_id] > 1
        events = sent.by_reminder.get(row.reminder_id, [])
        for data in events:
            recipients[str(data["recipient"])] = recipients.get(str(data["recipient"]), 0) + 1
        if row.status != "sent" or row.sent_at is None:
            unsent += 1
            continue
        sent_at = row.sent_at
        late = (sent_at - row.due_at).total_seconds()
        if not events or abs(float(events[-1]["lateness_seconds"]) - late) > 0.001:
            event_mismatch += 1
        lateness.append(late)
        by_form[plan.form].append(late)
        reminder_dms += sum(
            1 for p in posts if p["channel"] == plan.runner and p["text"].startswith(REMINDER_TEXT)
        )
        dm = _first_post(posts, plan.runner, REMINDER_TEXT)
        nudge = _first_post(posts, plan.initiator, STILL_OPEN_TEXT)
        runner_got_reminder += dm is not None
        initiator_nudged += nudge is not None
        close_dm = _first_post(posts, plan.runner, CLOSE_DM_TEXT)
        claimed_once = claims[row.run_id] == 1
        if dm is not None and close_dm is not None and claimed_once:
            after_close_dm.append(dm["at"] - close_dm["at"])  # within one tick: wall time
        to_runner = bool(events) and events[-1]["recipient"] == "runner"
        if dm is None and nudge is None and to_runner and close_dm is not None:
            merged += 1  # settled as sent by the runner's close DM, no DM of its own
            dm = close_dm
        delivered = dm or nudge
        tick_at = ticks.get(sent_at)
        if delivered is not None and tick_at is not None:
            wall.append(delivered["at"] - tick_at)
            effective.append(late + delivered["at"] - tick_at)
        if dm is not None:
            runner_late.append(late)
            runner_a_tick_later += not claimed_once
            if tick_at is not None:
                runner_effective.append(late + dm["at"] - tick_at)
    early = [-late for late in lateness if late < 0]
    return {
        "reminders": len(plans),
        "sent": len(lateness),
        "not_sent": unsent,
        "claimed_more_than_once": claimed_again,
        "recipients": recipients,
        "runner_got_reminder": runner_got_reminder,
        "initiator_nudged": initiator_nudged,
        "reminder_after_close_dm": _seconds_summary(after_close_dm),
        "runner_a_tick_later": runner_a_tick_later,
        "merged_into_close_dm": merged,
        "runner_lateness": _seconds_summary(runner_late),
        "runner_effective_lateness": _seconds_summary(runner_effective),
        "reminder_dms": reminder_dms,
        "event_lateness_mismatches": event_mismatch,
        "lateness": _seconds_summary(lateness),
        "lateness_by_form": {form: _seconds_summary(v) for form, v in by_form.items()},
        "late": _seconds_summary([late for late in lateness if late > 0]),
        "on_time": sum(1 for late in lateness if late == 0),
        "early": _seconds_summary(early),
        "wall_latency": _seconds_summary(wall),
        "effective_lateness": _seconds_summary(effective),
    }


@dataclass
class Loop:
    """What the tick loop saw: wall times of each tick, posts, and the events."""

    sent: SentEvents
    setup_s: float = 0.0
    tick_walls: dict[datetime, float] = field(default_factory=dict)
    tick_answers: list[float] = field(default_factory=list)
    settle_times: list[float] = field(default_factory=list)
    posts: list[dict[str, Any]] = field(default_factory=list)
    claims: Counter[str] = field(default_factory=Counter)
    redelivered: int = 0
    unsettled_ticks: list[str] = field(default_factory=list)


def _drive(
    ctx: BenchContext,
    broker: Broker,
    fns: InProcessFunctions,
    clock: ManualClock,
    plans: list[PlannedRun],
    minutes: int,
) -> Loop:
    loop = Loop(sent=SentEvents())
    slow_runs: set[str] = set()

    def slow_close(event: Event) -> float:
        slow = event.type == catalog.RUN_CLOSED and event.subject in slow_runs
        return SLOW_CLOSE_S if slow else 0.0

    close_route = Route(fns.ports["close"], accepted_by("close"))
    reminder_route = Route(fns.ports["reminders"], accepted_by("reminders"))
    with (
        EventRouter(
            broker,
            group_id="coffeebuddy-close",
            topics=[catalog.RUN_TOPIC],
            routes=[close_route],
            delay=slow_close,
        ) as close_router,
        EventRouter(
            broker,
            group_id="coffeebuddy-reminders",
            topics=[catalog.RUN_TOPIC, catalog.REMINDER_TOPIC],
            routes=[reminder_route],
            on_event=loop.sent,
        ) as reminder_router,
    ):
        close_router.wait_ready()
        reminder_router.wait_ready()
        driver = Driver(fns, clock)
        closed = sum(1 for plan in plans if plan.group == "closed")
        loop.setup_s, run_ids = _set_up(ctx, driver, plans, closed)
        print(f"  reminders: {len(plans)} runs set up in {loop.setup_s:.0f} s", flush=True)
        slow_runs.update(
            run_id
            for plan, run_id in zip(plans, run_ids, strict=True)
            if plan.group == "open_slow_close"
        )
        mark = ctx.slack.mark()
        for minute in range(1, FIRST_DUE_MINUTE + minutes + 3):
            now = START + timedelta(minutes=minute)
            clock.set(now)
            loop.tick_walls[now] = time.monotonic()
            loop.tick_answers.append(driver.tick())
            deadline = time.monotonic() + SETTLE_TIMEOUT
            while _scalar(ctx, UNSETTLED_SQL) and time.monotonic() < deadline:
                time.sleep(0.005)
            if _scalar(ctx, UNSETTLED_SQL):
                # Not settled within SETTLE_TIMEOUT (something waits for the next tick):
                # move on as a real minute would, and say so.
                loop.unsettled_ticks.append(f"{now:%H:%M}")
            else:
                loop.settle_times.append(time.monotonic() - loop.tick_walls[now])
        time.sleep(1.0)  # anything sent twice would arrive now
        loop.posts = ctx.slack.posts_since(mark)
        loop.redelivered = reminder_router.failed() + close_router.failed()
        loop.claims = Counter(
            d.subject for d in reminder_router.deliveries if d.event_type == catalog.REMINDER_DUE
        )
    return loop


def run_reminders_e2e(
    ctx: BenchContext, reminders: int, left_open: int, minutes: int
) -> dict[str, Any]:
    plans = plan_runs(reminders, left_open, minutes)
    people = [(p.initiator, p.initiator.lower()) for p in plans]
    people += [(p.runner, p.runner.lower()) for p in plans]
    ctx.slack.add_users(people)
    clock = ManualClock(START - timedelta(minutes=2))
    with Broker(ctx.log_dir / "reminders-tansu.log") as broker:
        env = {**ctx.function_env(), "KAFKA_BROKERS": broker.brokers, "LOG_LEVEL": "WARNING"}
        names = ["slash", "interactions", "close", "reminders"]
        with InProcessFunctions(names, env, clock, ctx.log_dir / "reminders-functions.log") as fns:
            try:
                loop = _drive(ctx, broker, fns, clock, plans, minutes)
            except BenchError as error:
                tail = fns.log_tail()
                raise BenchError(f"{error}\nthe functions' last log lines:\n{tail}") from None
    rows = _reminder_rows(ctx)
    groups = {
        name: _group_result(
            [p for p in plans if p.group == name],
            rows,
            loop.sent,
            loop.posts,
            loop.tick_walls,
            loop.claims,
        )
        for name in GROUPS
    }
    main = groups["closed"]
    lateness, effective = main["lateness"], main["effective_lateness"]
    return {
        "measured_at": time.strftime("%Y-%m-%d %H:%M %Z"),
        "reminders": reminders,
        "left_open": left_open,
        "minutes": minutes,
        "ticks": len(loop.tick_answers),
        "processes": "slash, interactions, close and reminders in the bench process "
        "(functions-framework create_app, one HTTP port each) on a ManualClock",
        "set_up_s": round(loop.setup_s, 1),
        "slow_close_s": SLOW_CLOSE_S,
        "tick_answer": _seconds_summary(loop.tick_answers),
        "tick_settled": _seconds_summary(loop.settle_times),
        "ticks_not_settled": loop.unsettled_ticks,
        "redelivered_events": loop.redelivered,
        "groups": groups,
        "limit_s": LIMIT_S,
        "target_p99_s": TARGET_P99_S,
        "early_by_design_s": EARLY_BY_DESIGN_S,
        "met_limit": main["sent"] == reminders
        and main["reminder_dms"] == reminders
        and lateness.get("max_s", LIMIT_S + 1) <= LIMIT_S
        and effective.get("max_s", LIMIT_S + 1) <= LIMIT_S,
        "met_target": lateness.get("p99_s", TARGET_P99_S + 1) <= TARGET_P99_S
        and effective.get("p99_s", TARGET_P99_S + 1) <= TARGET_P99_S,
    }
