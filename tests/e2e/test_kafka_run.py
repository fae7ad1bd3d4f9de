"""A whole run through real Kafka (Tansu): /coffee → orders → close → close function →
summary and DM → tick → reminder DM; and the faults: broker down mid-close, database
connection dropped mid-request."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from datetime import timedelta

import pytest
from sqlalchemy import event, text
from sqlmodel import Session, select

from shared.db.models import Channel, OutboxEvent, Run
from shared.events.catalog import REMINDER_TOPIC, RUN_TOPIC
from shared.events.kafka_consumer import KafkaEventConsumer
from shared.events.publisher import ResilientKafkaPublisher
from tests.support.blocks import shown
from tests.support.run_steps import click, order, reload
from tests.support.slack_requests import CHANNEL, command_body

pytestmark = pytest.mark.kafka


def wait_for(condition: Callable[[], object], timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.02)
    raise AssertionError("condition not met in time")


@pytest.fixture(scope="module")
def kafka_consumer(tansu, close_app, reminders_app) -> Iterator[dict]:
    """One consumer group over both topics routing to the functions, as Triggers would."""
    from tests.platform.code_facts import accepts
    from tests.support.events import EventDeliverer

    state: dict = {"deliverer": None, "seen": []}

    def dispatch(event) -> None:
        state["seen"].append(event)
        deliverer = state["deliverer"]
        if deliverer is not None:
            statuses = deliverer.post(event)
            if any(s >= 500 for s in statuses):
                raise RuntimeError("function asked for redelivery")

    consumer = KafkaEventConsumer(
        brokers=tansu.brokers,
        group_id="coffeebuddy-test",
        topics=[RUN_TOPIC, REMINDER_TOPIC],
        dispatch=dispatch,
    )
    consumer.start()
    state["routes"] = [
        (close_app.test_client(), accepts("close")),
        (reminders_app.test_client(), accepts("reminders")),
    ]
    state["make"] = EventDeliverer
    yield state
    consumer.stop()


@pytest.fixture
def kafka_runtime(runtime, tansu, kafka_consumer):
    from shared.intake.runtime import get_intake_runtime

    runtime.publisher = ResilientKafkaPublisher(tansu.brokers, "coffeebuddy-test")
    get_intake_runtime().publisher = runtime.publisher  # slash publishes its commands too
    kafka_consumer["deliverer"] = kafka_consumer["make"](None, kafka_consumer["routes"])
    yield runtime
    kafka_consumer["deliverer"] = None


def start_through_kafka(slack, rt, text: str) -> Run:
    """/coffee answers at once; the run exists once close has read the command from Kafka."""
    slack.commands.post(command_body(text))
    wait_for(lambda: _open_run(rt) is not None)
    run = _open_run(rt)
    assert run is not None
    return run


def _open_run(rt) -> Run | None:
    with Session(rt.engine) as session:
        return session.exec(select(Run).where(Run.status == "open")).first()


def test_whole_run_through_kafka(kafka_runtime, slack, slack_api, kafka_consumer):
    rt = kafka_runtime
    run = start_through_kafka(slack, rt, "in 30m Blue Bottle")
    for user, drink in (("U1", "latte"), ("U2", "tea"), ("U3", "mocha")):
        order(slack, run, user, drink)
    wait_for(lambda: any(r.status == "scheduled" for r in _reminders(rt)))
    click(slack, "run_close", run)
    wait_for(lambda: reload(rt, run).runner_dm_ts is not None)
    done = reload(rt, run)
    dm = slack_api.messages(done.runner_id)[0]
    assert "3 items" in shown(dm["blocks"])

    rt.clock.set(done.pickup_at - timedelta(minutes=5))
    deliverer = kafka_consumer["deliverer"]
    deliverer.tick(rt.clock)
    wait_for(lambda: len(slack_api.messages(done.runner_id)) == 2)
    assert "pickup" in slack_api.messages(done.runner_id)[1]["text"].lower()
    correlation = {e.correlation_id for e in kafka_consumer["seen"] if e.subject == str(run.id)}
    assert "" not in correlation


def _reminders(rt):
    from shared.db.models import Reminder

    with Session(rt.engine) as session:
        return list(session.exec(select(Reminder)).all())


def test_broker_down_during_close_publishes_after_restart(
    kafka_runtime, slack, slack_api, tansu, kafka_consumer
):
    rt = kafka_runtime
    run = start_through_kafka(slack, rt, "in 30m")
    order(slack, run, "U2", "tea")
    tansu.stop()
    click(slack, "run_close", run)  # the click answers; the event waits in the outbox
    assert reload(rt, run).status == "closing"
    with Session(rt.engine) as session:
        waiting = session.exec(select(OutboxEvent).where(OutboxEvent.published_at.is_(None))).all()
    assert any(e.event_type == "coffeebuddy.run.closed" for e in waiting)

    tansu.start()
    deadline = time.monotonic() + 30
    while reload(rt, run).runner_dm_ts is None and time.monotonic() < deadline:
        kafka_consumer["deliverer"].tick(rt.clock)  # the per-minute sweep
        time.sleep(0.5)
    done = reload(rt, run)
    assert done.status == "closed" and done.runner_dm_ts
    time.sleep(1)
    summaries = [c for c in slack_api.calls_to("chat.postMessage") if c.args["channel"] == CHANNEL]
    assert len(summaries) == 2  # the run message and exactly one summary
    assert len(slack_api.messages(done.runner_id)) == 1


def test_database_connection_dropped_mid_start_leaves_no_partial_rows(
    runtime, slack, slack_api, events
):
    killed = threading.Event()

    def kill_after_insert(conn, cursor, statement, *args):
        if statement.lstrip().upper().startswith("INSERT INTO RUN") and not killed.is_set():
            killed.set()
            pid = conn.exec_driver_sql("SELECT pg_backend_pid()").scalar()
            with runtime.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as other:
                other.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})

    event.listen(runtime.engine, "after_cursor_execute", kill_after_insert)
    try:
        response = slack.commands.post(command_body("in 20m", trigger_id="trig.dropped"))
    finally:
        event.remove(runtime.engine, "after_cursor_execute", kill_after_insert)
    assert killed.is_set()
    assert response.status_code == 200 and response.data == b""  # the command was taken
    # The close function's first try lost its connection mid-transaction and answered 500;
    # the Broker's retry started the run: once, with nothing left of the first try.
    assert ("coffeebuddy.command.received", 500) in events.responses
    with Session(runtime.engine) as session:
        [run] = session.exec(select(Run)).all()
        created = session.exec(
            select(OutboxEvent).where(OutboxEvent.event_type == "coffeebuddy.run.created")
        ).all()
        assert len(created) == 1
        assert session.get(Channel, CHANNEL) is not None
    assert run.message_ts and len(slack_api.calls_to("chat.postMessage")) == 1
