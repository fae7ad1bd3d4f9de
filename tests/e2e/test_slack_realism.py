"""What real Slack does to CoffeeBuddy: latency, rate limits, a few seconds of 429s and 5xx.

Real Postgres and Tansu; the Slack stand-in in its realistic mode (latency ~150/600 ms,
Slack's rate-limit tiers); events consumed from Kafka and delivered to the functions the
way the Kafka Broker's Triggers do: concurrently, in no particular order, retrying a 5xx
with the Broker's backoff. Time is real here (Retry-After has to pass), so these tests
take seconds each.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from sqlmodel import Session, select

from local.slack_api import Realism
from shared.db.models import Run
from shared.events.catalog import REMINDER_TOPIC, RUN_TOPIC
from shared.events.envelope import Event, to_http
from shared.events.kafka_consumer import KafkaEventConsumer
from shared.events.publisher import ResilientKafkaPublisher
from tests.support.blocks import shown
from tests.support.events import BROKER_BACKOFF_SECONDS, BROKER_RETRIES
from tests.support.run_steps import click, dms, reload
from tests.support.slack_requests import CHANNEL, command_body, interaction_body, view_submission

pytestmark = [pytest.mark.kafka, pytest.mark.slow]


def wait_for(condition: Callable[[], object], timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError("condition not met in time")


class Triggers:
    """Kafka → the functions, as the Broker's Triggers deliver: each event on a worker of
    its own (unordered, concurrent), 5xx and 429 retried with the delivery spec's backoff;
    ``twice`` delivers every event a second time, later, as an at-least-once Broker may."""

    def __init__(self, routes: list[tuple[Any, frozenset[str]]]) -> None:
        self.routes = routes
        self.pool = ThreadPoolExecutor(max_workers=16)
        self.twice = False
        self.statuses: list[tuple[str, int]] = []
        self._lock = threading.Lock()
        self.enabled = False

    def __call__(self, event: Event) -> None:
        if not self.enabled:
            return
        for app, accepts in self.routes:
            if event.type in accepts:
                for copy in range(2 if self.twice else 1):
                    self.pool.submit(self._deliver, app, event, copy * random.random())

    def _deliver(self, app: Any, event: Event, delay: float) -> None:
        time.sleep(delay)
        headers, body = to_http(event)
        client = app.test_client()
        for attempt in range(BROKER_RETRIES + 1):
            if attempt:
                time.sleep(BROKER_BACKOFF_SECONDS * 2 ** (attempt - 1))
            status = client.post("/", data=body, headers=headers).status_code
            with self._lock:
                self.statuses.append((event.type, status))
            if status < 500 and status != 429:
                return


@pytest.fixture(scope="module")
def triggers(tansu, close_app, reminders_app) -> Iterator[Triggers]:
    from tests.platform.code_facts import accepts

    routes = [
        (close_app, accepts("close")),
        (reminders_app, accepts("reminders")),
    ]
    deliver = Triggers(routes)
    consumer = KafkaEventConsumer(
        brokers=tansu.brokers,
        group_id="coffeebuddy-realism",
        topics=[RUN_TOPIC, REMINDER_TOPIC],
        dispatch=deliver,
    )
    consumer.start()
    yield deliver
    consumer.stop()
    deliver.pool.shutdown(wait=True, cancel_futures=True)


@pytest.fixture
def realistic(runtime, tansu, triggers, slack, slack_api) -> Iterator[Any]:
    """The functions publishing to Tansu, Slack realistic, Retry-After waited in real time."""
    from shared.intake.runtime import get_intake_runtime

    runtime.publisher = ResilientKafkaPublisher(tansu.brokers, "coffeebuddy-realism")
    get_intake_runtime().publisher = runtime.publisher
    runtime.sleep = time.sleep
    slack.deliver_events(False)  # Kafka delivers them
    triggers.twice = False
    triggers.statuses.clear()
    triggers.enabled = True
    slack_api.set_realism(Realism(seed=11))
    yield runtime
    triggers.enabled = False
    triggers.pool.submit(lambda: None).result()  # let in-flight deliveries finish
    time.sleep(0.5)


def open_run(rt) -> Run | None:
    with Session(rt.engine) as session:
        return session.exec(select(Run).where(Run.status == "open")).first()


def start(slack, rt, slack_api, text: str = "in 30m") -> Run:
    slack.commands.post(command_body(text))
    wait_for(lambda: (run := open_run(rt)) is not None and run.message_ts is not None)
    run = open_run(rt)
    assert run is not None
    return run


def message(slack_api) -> str:
    return str(slack_api.messages(CHANNEL)[0]["blocks"])


def order(slack, run: Run, user: str, text: str = "tea") -> int:
    body = interaction_body(view_submission(str(run.id), text, user=user))
    return int(slack.interactions.post(body).status_code)


def test_thirty_simultaneous_orders_are_all_saved_and_the_message_ends_right(
    realistic, slack, slack_api
):
    run = start(slack, realistic, slack_api)
    users = [f"U{i:02d}" for i in range(30)]
    barrier = threading.Barrier(len(users))
    statuses: list[int] = []

    def place(user: str) -> None:
        barrier.wait()
        statuses.append(order(slack, run, user))

    threads = [threading.Thread(target=place, args=(u,)) for u in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [200] * 30
    wait_for(lambda: "30 people" in message(slack_api), timeout=60)
    drawn = [c for c in slack_api.calls_to("chat.update") if c.status == 200]
    assert len(drawn) <= 10  # coalesced: not one per order


def test_an_order_while_chat_update_fails_is_right_once_slack_recovers(realistic, slack, slack_api):
    run = start(slack, realistic, slack_api)
    slack_api.schedule_fault("chat.update", status=503, seconds=4)
    assert order(slack, run, "U2") == 200
    wait_for(lambda: "1 person" in message(slack_api), timeout=60)
    assert any(c.status == 503 for c in slack_api.calls_to("chat.update"))


def test_a_close_during_twelve_seconds_of_trouble_closes_with_one_summary_and_one_dm(
    realistic, slack, slack_api
):
    run = start(slack, realistic, slack_api)
    for user in ("U1", "U2", "U3"):
        order(slack, run, user)
    wait_for(lambda: "3 people" in message(slack_api), timeout=30)
    slack_api.schedule_fault(None, status=429, seconds=6, retry_after=1)
    slack_api.schedule_fault(None, status=503, seconds=6)
    click(slack, "run_close", run)
    wait_for(lambda: reload(realistic, run).runner_dm_ts is not None, timeout=120)
    done = reload(realistic, run)
    assert done.status == "closed" and done.summary_ts
    summaries = [
        c
        for c in slack_api.calls_to("chat.postMessage")
        if c.ok and c.args["channel"] == CHANNEL and "Orders are in" in shown(c.args.get("blocks"))
    ]
    assert len(summaries) == 1
    assert len(dms(slack_api, done.runner_id)) == 1


def test_a_permanent_refusal_fails_the_run_and_the_channel_is_told(realistic, slack, slack_api):
    run = start(slack, realistic, slack_api)
    order(slack, run, "U2")
    slack_api.fail_next("chat.postMessage", status=200, error="invalid_blocks")
    click(slack, "run_close", run)
    wait_for(lambda: reload(realistic, run).status == "failed", timeout=60)
    told = lambda: [  # noqa: E731
        m for m in slack_api.messages(CHANNEL) if "couldn't be completed" in m.get("text", "")
    ]
    wait_for(told, timeout=60)
    assert dms(slack_api, "U2") == []


def test_events_twice_and_in_any_order_end_the_same(realistic, slack, slack_api, triggers):
    triggers.twice = True
    run = start(slack, realistic, slack_api)
    for user, drink in (("U1", "latte"), ("U2", "tea"), ("U3", "mocha")):
        order(slack, run, user, drink)
    click(slack, "run_close", run)
    wait_for(lambda: reload(realistic, run).runner_dm_ts is not None, timeout=60)
    wait_for(lambda: "is going" in message(slack_api), timeout=60)
    done = reload(realistic, run)
    posts = [c for c in slack_api.calls_to("chat.postMessage") if c.ok]
    assert len([c for c in posts if c.args["channel"] == CHANNEL]) == 2  # message, summary
    assert len(dms(slack_api, done.runner_id)) == 1


def test_a_replayed_coffee_starts_one_run(realistic, slack, slack_api):
    body = command_body("in 30m", trigger_id="trig.replayed-realism")
    for _ in range(3):
        assert slack.commands.post(body).status_code == 200
    wait_for(lambda: (run := open_run(realistic)) is not None and run.message_ts is not None)
    time.sleep(1.0)  # give a second run every chance to appear
    with Session(realistic.engine) as session:
        assert len(session.exec(select(Run)).all()) == 1
    assert len([c for c in slack_api.calls_to("chat.postMessage") if c.ok]) == 1
