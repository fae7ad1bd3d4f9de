"""Closing a run: the click, the close function's runner pick, summary and DM."""

from __future__ import annotations

import threading
import uuid
from datetime import timedelta

from prometheus_client import REGISTRY
from sqlmodel import Session

from shared.db.models import RunnerStats, UserPreference
from shared.events import catalog
from shared.events.envelope import Event
from tests.support.blocks import block_ids, shown
from tests.support.run_steps import (
    click,
    dms,
    order,
    reload,
    start,
    summary_posts,
    summary_posts_since_reset,
)
from tests.support.slack_requests import (
    CHANNEL,
)


def metric(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def test_close_picks_runner_posts_summary_and_identical_dm(runtime, slack, slack_api, events):
    run = start(slack, runtime, "in 30m Blue Bottle")
    order(slack, run, "U1", "flat white")
    order(slack, run, "U2", "tea <with> & milk")
    order(slack, run, "U3", "mocha")
    slack.deliver_events(False)
    click(slack, "run_close", run)

    assert reload(runtime, run).status == "closing"
    [closed] = events.publisher.of_type(catalog.RUN_CLOSED)
    assert closed.data == {
        "run_id": str(run.id),
        "channel_id": CHANNEL,
        "closed_by": "U1",
        "schema_version": 1,
    }

    events.run()
    done = reload(runtime, run)
    assert done.status == "closed" and done.runner_id in {"U1", "U2", "U3"}
    [summary] = summary_posts(slack_api)
    [dm] = dms(slack_api, done.runner_id)
    order_blocks = [b for b in summary.args["blocks"] if b["type"] == "section"][1:]
    [count_line] = [b for b in summary.args["blocks"] if "in total" in shown(b)]
    assert order_blocks == [b for b in dm["blocks"] if b["type"] == "section"][1:]
    assert [count_line] == [b for b in dm["blocks"] if "in total" in shown(b)]
    assert "3 items" in shown(count_line)
    listed = str(order_blocks)
    assert "tea &lt;with&gt; &amp; milk" in listed and "<@U2>" in listed
    assert "Blue Bottle" in shown(summary.args["blocks"])
    message = slack_api.messages(CHANNEL)[0]
    assert "run_actions" not in block_ids(message["blocks"]) and "is going" in shown(
        message["blocks"]
    )
    with Session(runtime.engine) as session:
        stats = session.get(RunnerStats, (CHANNEL, done.runner_id))
        assert stats.runs_served_count == 1
    assert done.summary_ts and done.runner_dm_ts


def test_the_summary_says_a_tie_was_picked_at_random(runtime, slack, slack_api, events):
    run = start(slack, runtime)
    for user in ("U1", "U2", "U3"):
        order(slack, run, user, "latte")
    click(slack, "run_close", run)
    events.run()
    [summary] = summary_posts(slack_api)
    assert "Why: everyone on 0 runs in the last 20 and never ran: picked at random" in shown(
        summary.args["blocks"]
    )


def test_only_the_initiator_can_close(runtime, slack, slack_api, events):
    run = start(slack, runtime)
    order(slack, run, "U2", "tea")
    click(slack, "run_close", run, user="U2")
    assert reload(runtime, run).status == "open"
    assert "Only <@U1>" in slack_api.calls_to("chat.postEphemeral")[-1].args["text"]
    assert events.publisher.of_type(catalog.RUN_CLOSED) == []


def test_double_close_click_gives_one_close_event(runtime, slack, slack_api, events):
    run = start(slack, runtime)
    order(slack, run, "U2", "tea")
    threads = [threading.Thread(target=click, args=(slack, "run_close", run)) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(events.publisher.of_type(catalog.RUN_CLOSED)) == 1
    events.run()
    assert len(summary_posts(slack_api)) == 1


def test_redelivered_close_event_sends_nothing_twice(runtime, slack, slack_api, events):
    run = start(slack, runtime)
    order(slack, run, "U2", "tea")
    click(slack, "run_close", run)
    events.run()
    [closed] = events.publisher.of_type(catalog.RUN_CLOSED)
    runner = reload(runtime, run).runner_id
    before = len(slack_api.calls_to("chat.postMessage"))
    threads = [threading.Thread(target=events.post, args=(closed,)) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(slack_api.calls_to("chat.postMessage")) == before
    assert reload(runtime, run).runner_id == runner
    with Session(runtime.engine) as session:
        assert session.get(RunnerStats, (CHANNEL, runner)).runs_served_count == 1


def test_run_with_no_orders_closes_as_canceled_without_runner(runtime, slack, slack_api, events):
    run = start(slack, runtime)
    click(slack, "run_close", run)
    events.run()
    done = reload(runtime, run)
    assert done.status == "canceled" and done.runner_id is None
    assert summary_posts(slack_api) == []
    assert "no orders" in shown(slack_api.messages(CHANNEL)[0]["blocks"])


def test_previous_runner_is_skipped_unless_opted_in(runtime, slack, slack_api, events):
    first = start(slack, runtime)
    order(slack, first, "U2", "tea", options=("volunteer",))
    order(slack, first, "U3", "mocha")
    click(slack, "run_close", first)
    events.run()
    assert reload(runtime, first).runner_id == "U2"

    second = start(slack, runtime)
    order(slack, second, "U2", "tea")
    order(slack, second, "U3", "mocha")
    click(slack, "run_close", second)
    events.run()
    # U2 ran last time; even without stats differences U3 (0 runs) goes.
    assert reload(runtime, second).runner_id == "U3"

    third = start(slack, runtime)
    order(slack, third, "U3", "mocha", options=("repeat_ok",))
    click(slack, "run_close", third)
    events.run()
    assert reload(runtime, third).runner_id == "U3"
    with Session(runtime.engine) as session:
        assert session.get(UserPreference, "U3").allow_repeat_runner is True


def test_volunteer_is_chosen_first(runtime, slack, events):
    run = start(slack, runtime)
    order(slack, run, "U1", "latte")
    order(slack, run, "U3", "mocha", options=("volunteer",))
    click(slack, "run_close", run)
    events.run()
    done = reload(runtime, run)
    assert done.runner_id == "U3" and done.runner_reason == "volunteered"


def test_slack_down_during_close_never_fails_the_run(runtime, slack, slack_api, events):
    run = start(slack, runtime)
    order(slack, run, "U2", "tea")
    slack_api.fail_next("chat.postMessage", status=503, times=100_000)
    click(slack, "run_close", run)  # the Broker's six retries all meet the outage
    done = reload(runtime, run)
    assert done.status == "closed" and done.summary_ts is None
    assert events.publisher.of_type(catalog.RUN_FAILED) == []
    assert ("coffeebuddy.run.closed", 503) in events.responses
    slack_api.reset()  # Slack is back; the next tick's sweep hands the delivery on
    runtime.clock.advance(timedelta(minutes=1))
    events.tick(runtime.clock)
    done = reload(runtime, run)
    assert done.status == "closed" and done.summary_ts and done.runner_dm_ts
    assert len(summary_posts_since_reset(slack_api)) == 1
    assert len(dms(slack_api, "U2")) == 1


def test_slack_refusing_the_summary_fails_the_run_and_charges_nobody(
    runtime, slack, slack_api, events
):
    run = start(slack, runtime)
    order(slack, run, "U2", "tea")
    failed_before = metric("coffeebuddy_runs_total", status="failed")
    slack_api.fail_next("chat.postMessage", status=200, error="not_in_channel")
    click(slack, "run_close", run)
    done = reload(runtime, run)
    assert done.status == "failed" and "not_in_channel" in done.failure_reason
    [failed] = events.publisher.of_type(catalog.RUN_FAILED)
    assert failed.data["run_id"] == str(run.id)
    assert metric("coffeebuddy_runs_total", status="failed") == failed_before + 1
    assert dms(slack_api, "U2") == []  # no DM for a run that won't happen
    with Session(runtime.engine) as session:
        stats = session.get(RunnerStats, (CHANNEL, "U2"))
        assert stats is None or stats.runs_served_count == 0
    assert "couldn't be completed" in shown(slack_api.messages(CHANNEL)[0]["blocks"])
    [told] = dms(slack_api, "U1")  # the initiator: the channel refused us
    assert "marked failed" in told["text"]


def test_slack_refusing_for_30_minutes_fails_the_run(runtime, slack, slack_api, events):
    run = start(slack, runtime)
    order(slack, run, "U2", "tea")
    slack_api.fail_next("chat.postMessage", status=500, times=100_000)
    click(slack, "run_close", run)
    runtime.clock.advance(timedelta(minutes=10))
    events.tick(runtime.clock)  # the sweep tries again: still down
    assert reload(runtime, run).status == "closed"
    runtime.clock.advance(timedelta(minutes=21))
    events.tick(runtime.clock)
    assert reload(runtime, run).status == "failed"
    assert "30 minutes" in reload(runtime, run).failure_reason


def test_rate_limit_is_waited_out(runtime, slack, slack_api, events):
    run = start(slack, runtime)
    order(slack, run, "U2", "tea")
    slack_api.fail_next("chat.postMessage", status=429, retry_after=3)
    click(slack, "run_close", run)
    assert reload(runtime, run).status == "closed"
    assert len(summary_posts(slack_api)) == 2  # the refused one and the retry
    assert [c.status for c in summary_posts(slack_api)] == [429, 200]
    assert 3 in runtime.sleep.waits  # Retry-After, waited out in the request


def test_event_with_bad_schema_is_acknowledged_counted_and_ignored(runtime, slack, events):
    errors_before = metric("coffeebuddy_errors_total", type="event_schema")
    bad = Event(type=catalog.RUN_CLOSED, subject="x", data={"run_id": str(uuid.uuid4())})
    assert events.post(bad) == [202]
    assert metric("coffeebuddy_errors_total", type="event_schema") == errors_before + 1


def test_not_a_cloudevent_is_400(runtime, close_app):
    response = close_app.test_client().post(
        "/", data=b"{}", headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400


def test_deleted_run_message_is_not_a_slack_outage(runtime, slack, slack_api, events):
    run = start(slack, runtime)
    order(slack, run, "U2", "tea")
    click(slack, "run_close", run)
    slack_api.fail_next("chat.update", status=200, error="message_not_found", times=5)
    events.run()
    done = reload(runtime, run)
    assert done.status == "closed" and done.runner_dm_ts
