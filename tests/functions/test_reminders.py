"""Reminders: scheduled from run events, claimed by ticks, sent once, within ±1 minute."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session, select

from shared.db.models import Reminder, Run
from shared.events import catalog
from tests.support.blocks import shown
from tests.support.run_steps import click, order, reload, reload_open, set_channel, start
from tests.support.slack_requests import CHANNEL


def reminders(runtime) -> list[Reminder]:
    with Session(runtime.engine) as session:
        return list(session.exec(select(Reminder).order_by(Reminder.due_at)).all())


def closed_run(slack, runtime, events, pickup: str = "in 30m") -> Run:
    run = start(slack, runtime, pickup)
    order(slack, run, "U2", "tea")
    click(slack, "run_close", run)
    events.run()
    return reload(runtime, run)


def test_run_with_pickup_schedules_reminder_at_pickup_minus_offset(runtime, slack, events):
    run = start(slack, runtime, "in 30m")
    events.run()
    [reminder] = reminders(runtime)
    assert reminder.kind == "runner" and reminder.status == "scheduled"
    assert reminder.due_at == run.pickup_at - timedelta(minutes=5)
    [scheduled] = events.publisher.of_type(catalog.REMINDER_SCHEDULED)
    assert scheduled.data["reminder_id"] == str(reminder.id)


def test_run_without_pickup_time_gets_no_reminder(runtime, slack, events):
    start(slack, runtime, "")
    events.run()
    assert reminders(runtime) == []


def test_runner_gets_reminder_dm_within_a_minute_of_due_time(runtime, slack, slack_api, events):
    run = closed_run(slack, runtime, events)
    due = run.pickup_at - timedelta(minutes=5)
    runtime.clock.set(due - timedelta(seconds=70))
    events.tick(runtime.clock)
    assert reminders(runtime)[0].status == "scheduled"
    runtime.clock.set(due - timedelta(seconds=10))
    events.tick(runtime.clock)
    [reminder] = reminders(runtime)
    assert reminder.status == "sent"
    assert abs((reminder.sent_at - due).total_seconds()) <= 60
    dm = slack_api.messages(run.runner_id)[-1]
    assert dm["text"].startswith("Coffee pickup in about 5 min")
    assert "tea" in shown(dm["blocks"])
    [sent] = events.publisher.of_type(catalog.REMINDER_SENT)
    assert sent.data["recipient"] == "runner" and sent.data["outcome"] == "sent"


def test_redelivered_reminder_due_sends_one_dm(runtime, slack, slack_api, events):
    run = closed_run(slack, runtime, events)
    runtime.clock.set(run.pickup_at - timedelta(minutes=5))
    events.tick(runtime.clock)
    [due] = events.publisher.of_type(catalog.REMINDER_DUE)
    count = len(slack_api.messages(run.runner_id))
    events.post(due)
    events.post(due)
    assert len(slack_api.messages(run.runner_id)) == count


def test_reminders_off_at_delivery_time_is_recorded_as_skipped(runtime, slack, slack_api, events):
    run = closed_run(slack, runtime, events)
    set_channel(runtime, reminders_enabled=False)
    before = len(slack_api.messages(run.runner_id))
    runtime.clock.set(run.pickup_at - timedelta(minutes=5))
    events.tick(runtime.clock)
    [reminder] = reminders(runtime)
    assert reminder.status == "skipped" and "turned off" in reminder.skip_reason
    assert len(slack_api.messages(run.runner_id)) == before


def test_still_open_at_due_time_dms_the_initiator(runtime, slack, slack_api, events):
    start(slack, runtime, "")
    click(slack, "run_cancel", reload_open(runtime))
    set_channel(runtime, auto_close_minutes=0)  # closes at pickup, after the reminder
    run = start(slack, runtime, "in 30m")
    events.run()
    runtime.clock.set(run.pickup_at - timedelta(minutes=5))
    events.tick(runtime.clock)
    [dm] = slack_api.messages("U1")
    assert "still open" in dm["text"]
    assert reload(runtime, run).status == "open"


def test_canceled_run_cancels_its_reminders(runtime, slack, slack_api, events):
    run = start(slack, runtime, "in 30m")
    events.run()
    click(slack, "run_cancel", run)
    events.run()
    assert [r.status for r in reminders(runtime)] == ["canceled"]
    runtime.clock.set(run.pickup_at)
    events.tick(runtime.clock)
    assert slack_api.messages("U1") == []


def test_close_without_orders_cancels_reminders(runtime, slack, events):
    run = start(slack, runtime, "in 30m")
    click(slack, "run_close", run)
    events.run()
    assert [r.status for r in reminders(runtime)] == ["canceled"]


def test_channel_offset_is_used(runtime, slack, events):
    start(slack, runtime, "")  # creates the channel row
    click(slack, "run_cancel", reload_open(runtime))
    set_channel(runtime, reminder_offset_minutes=12)
    run = start(slack, runtime, "in 45m")
    events.run()
    runner = [r for r in reminders(runtime) if r.run_id == run.id]
    assert runner[0].due_at == run.pickup_at - timedelta(minutes=12)


def test_last_call_posts_in_the_channel_when_enabled(runtime, slack, slack_api, events):
    start(slack, runtime, "")
    click(slack, "run_cancel", reload_open(runtime))
    set_channel(runtime, last_call_enabled=True, last_call_minutes=10)
    run = start(slack, runtime, "in 30m")
    events.run()
    assert sorted(r.kind for r in reminders(runtime) if r.run_id == run.id) == [
        "last_call",
        "runner",
    ]
    # The run closes by itself 5 minutes before pickup; last call is 10 minutes before that.
    runtime.clock.set(run.pickup_at - timedelta(minutes=15))
    events.tick(runtime.clock)
    posts = [m for m in slack_api.messages(CHANNEL) if "Last call" in shown(m.get("blocks"))]
    assert len(posts) == 1


def test_a_rate_limited_reminder_waits_out_retry_after(runtime, slack, slack_api, events):
    run = closed_run(slack, runtime, events)
    runtime.clock.set(run.pickup_at - timedelta(minutes=5))
    slack_api.fail_next("chat.postMessage", status=429, retry_after=2, times=2)
    events.tick(runtime.clock)
    assert reminders(runtime)[0].status == "sent"
    assert runtime.sleep.waits.count(2) == 2


def test_slack_failure_leaves_reminder_for_the_next_tick(runtime, slack, slack_api, events):
    run = closed_run(slack, runtime, events)
    runtime.clock.set(run.pickup_at - timedelta(minutes=5))
    slack_api.fail_next("chat.postMessage", status=500, times=4)  # past one request's retries
    events.tick(runtime.clock)
    assert reminders(runtime)[0].status == "scheduled"
    runtime.clock.advance(timedelta(minutes=1))
    events.tick(runtime.clock)
    assert reminders(runtime)[0].status == "sent"


def test_tick_publishes_what_the_outbox_still_holds(runtime, slack, events):
    run = start(slack, runtime, "in 30m")
    events.publisher.down = True
    click(slack, "run_cancel", run)  # canceled, its run.updated waiting in the outbox
    assert events.publisher.of_type(catalog.RUN_UPDATED) == []
    events.publisher.down = False
    events.tick(runtime.clock)
    assert len(events.publisher.of_type(catalog.RUN_UPDATED)) == 1


def test_no_reminder_once_the_coffee_has_arrived(runtime, slack, slack_api, events):
    run = closed_run(slack, runtime, events)
    click(slack, "run_arrived", run, user=run.runner_id)
    before = len(slack_api.messages(run.runner_id))
    runtime.clock.set(run.pickup_at - timedelta(minutes=5))
    events.tick(runtime.clock)
    [reminder] = reminders(runtime)
    assert reminder.status == "canceled" and reminder.skip_reason == "the coffee has arrived"
    assert len(slack_api.messages(run.runner_id)) == before


def test_a_late_reminder_says_how_late(runtime, slack, slack_api, events):
    run = closed_run(slack, runtime, events)
    runtime.clock.set(run.pickup_at + timedelta(minutes=2))  # the ticks were missed
    events.tick(runtime.clock)
    dm = slack_api.messages(run.runner_id)[-1]
    assert dm["text"].startswith("Coffee pickup was 2 min ago")
    assert "in about 0 min" not in shown(dm["blocks"])


def test_a_reminder_is_never_sent_more_than_a_minute_early(runtime, slack, slack_api, events):
    run = closed_run(slack, runtime, events)
    due = run.pickup_at - timedelta(minutes=5)
    runtime.clock.set(due - timedelta(seconds=50))
    events.publisher.down = True  # claimed by this tick, its reminder.due held up
    events.tick(runtime.clock)
    events.publisher.down = False
    assert reminders(runtime)[0].status == "due"
    runtime.clock.set(due - timedelta(minutes=3))  # the clock went back before delivery
    before = len(slack_api.messages(run.runner_id))
    events.tick(runtime.clock)  # the sweep publishes the held reminder.due
    assert len(slack_api.messages(run.runner_id)) == before
    assert reminders(runtime)[0].status == "scheduled"
