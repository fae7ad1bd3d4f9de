"""The rest of a run's life: arrival, a runner who can't go, auto-close, idle cancel."""

from __future__ import annotations

import threading
from datetime import timedelta

from sqlmodel import Session, select

from shared.db.models import Reminder, Run, RunnerDecline, RunnerStats
from shared.events import catalog
from tests.support.blocks import action_ids, button, shown
from tests.support.run_steps import (
    click,
    order,
    reload,
    reload_open,
    set_channel,
    start,
    summary_posts,
)
from tests.support.slack_requests import CHANNEL, block_action, interaction_body


def closed_run(slack, runtime, events, users=("U1", "U2", "U3"), pickup="in 30m") -> Run:
    run = start(slack, runtime, pickup)
    for user in users:
        order(slack, run, user, f"coffee for {user}")
    click(slack, "run_close", run)
    events.run()
    return reload(runtime, run)


def runner_click(slack, action: str, run: Run, user: str, channel: str | None = None):
    payload = block_action(action, str(run.id), user=user, channel=channel or f"D{user}")
    return slack.interactions.post(interaction_body(payload))


def test_arrived_by_the_runner_mentions_everyone_once(runtime, slack, slack_api, events):
    run = closed_run(slack, runtime, events)
    threads = [
        threading.Thread(target=runner_click, args=(slack, "run_arrived", run, run.runner_id))
        for _ in range(3)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    done = reload(runtime, run)
    assert done.arrived_at is not None
    arrivals = [
        m for m in slack_api.messages(CHANNEL) if "is back with the coffee" in m.get("text", "")
    ]
    assert len(arrivals) == 1
    others = {"U1", "U2", "U3"} - {run.runner_id}
    assert all(f"<@{u}>" in arrivals[0]["text"] for u in others)
    summary = next(m for m in slack_api.messages(CHANNEL) if m["ts"] == done.summary_ts)
    assert "run_arrived" not in action_ids(summary["blocks"]) and "Arrived" in shown(
        summary["blocks"]
    )
    assert events.publisher.of_type(catalog.RUN_UPDATED)[-1].data["change"] == "arrived"


def test_only_the_runner_can_mark_arrival(runtime, slack, slack_api, events):
    run = closed_run(slack, runtime, events)
    other = next(u for u in ("U1", "U2", "U3") if u != run.runner_id)
    runner_click(slack, "run_arrived", run, other, channel=CHANNEL)
    assert reload(runtime, run).arrived_at is None
    assert "Only the runner" in slack_api.calls_to("chat.postEphemeral")[-1].args["text"]


def test_runner_can_decline_and_the_next_fair_candidate_takes_over(
    runtime, slack, slack_api, events
):
    run = closed_run(slack, runtime, events)
    first = run.runner_id
    old_dm_ts = run.runner_dm_ts
    runner_click(slack, "runner_decline", run, first)
    after = reload(runtime, run)
    assert after.runner_id not in (None, first)
    assert "couldn't go" in after.runner_reason
    with Session(runtime.engine) as session:
        assert session.get(RunnerDecline, (run.id, first)) is not None
        assert session.get(RunnerStats, (CHANNEL, first)).runs_served_count == 0
        assert session.get(RunnerStats, (CHANNEL, after.runner_id)).runs_served_count == 1
    old_dm = next(m for m in slack_api.messages(first) if m["ts"] == old_dm_ts)
    assert "off the hook" in old_dm["text"]
    [new_dm] = slack_api.messages(after.runner_id)
    assert "You're on the coffee run" in new_dm["text"]
    summary = next(m for m in slack_api.messages(CHANNEL) if m["ts"] == after.summary_ts)
    assert f"<@{after.runner_id}> is doing this run" in shown(summary["blocks"])
    assert len(summary_posts(slack_api)) == 1  # updated in place, not posted again

    runtime.clock.set(after.pickup_at - timedelta(minutes=5))
    events.tick(runtime.clock)
    assert "Coffee pickup" in slack_api.messages(after.runner_id)[-1]["text"]


def test_cant_go_asks_before_handing_the_run_on(runtime, slack, slack_api, events):
    run = closed_run(slack, runtime, events)
    [dm] = slack_api.messages(run.runner_id)
    dialog = button(dm["blocks"], "runner_decline")["confirm"]
    assert dialog["title"]["text"] == "Can't go?"
    assert "takes over" in dialog["text"]["text"]
    assert (dialog["confirm"]["text"], dialog["deny"]["text"]) == ("Hand it on", "I'll go")
    assert "confirm" not in button(dm["blocks"], "run_arrived")


def test_cant_go_leaves_the_dm_when_its_window_ends(runtime, slack, slack_api, events):
    run = closed_run(slack, runtime, events, pickup="in 45m")
    assert "runner_decline" in action_ids(slack_api.messages(run.runner_id)[0]["blocks"])
    runtime.clock.advance(timedelta(minutes=9))
    events.tick(runtime.clock)
    assert "runner_decline" in action_ids(slack_api.messages(run.runner_id)[0]["blocks"])
    updates = len(slack_api.calls_to("chat.update"))

    runtime.clock.advance(timedelta(minutes=5))  # ticks were missed: the next one still sees it
    events.tick(runtime.clock)
    [dm] = slack_api.messages(run.runner_id)
    assert action_ids(dm["blocks"]) == {"run_arrived"}  # Arrived stays, Can't go is gone
    assert len(slack_api.calls_to("chat.update")) == updates + 1
    nudges = len(events.publisher.of_type(catalog.DELIVERY_REQUESTED))
    runtime.clock.advance(timedelta(minutes=1))
    events.tick(runtime.clock)  # drawn since the window ended: not asked again
    assert len(events.publisher.of_type(catalog.DELIVERY_REQUESTED)) == nudges
    assert len(slack_api.calls_to("chat.update")) == updates + 1


def test_double_decline_click_reassigns_once(runtime, slack, events):
    run = closed_run(slack, runtime, events)
    first = run.runner_id
    threads = [
        threading.Thread(target=runner_click, args=(slack, "runner_decline", run, first))
        for _ in range(3)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    with Session(runtime.engine) as session:
        assert len(session.exec(select(RunnerDecline)).all()) == 1
        stats = session.exec(select(RunnerStats)).all()
    assert sum(s.runs_served_count for s in stats) == 1


def test_decline_refused_when_alone_late_or_not_the_runner(runtime, slack, slack_api, events):
    alone = closed_run(slack, runtime, events, users=("U2",))
    runner_click(slack, "runner_decline", alone, "U2")
    assert reload(runtime, alone).runner_id == "U2"
    assert "Nobody else" in slack_api.calls_to("chat.postEphemeral")[-1].args["text"]

    run = closed_run(slack, runtime, events)
    other = next(u for u in ("U1", "U2", "U3") if u != run.runner_id)
    runner_click(slack, "runner_decline", run, other)
    assert reload(runtime, run).runner_id == run.runner_id
    runtime.clock.advance(timedelta(minutes=11))
    runner_click(slack, "runner_decline", run, run.runner_id)
    assert reload(runtime, run).runner_id == run.runner_id
    assert "too late" in slack_api.calls_to("chat.postEphemeral")[-1].args["text"]


def test_run_closes_by_itself_at_the_cut_off(runtime, slack, slack_api, events):
    run = start(slack, runtime, "in 30m")
    order(slack, run, "U2", "tea")
    events.run()
    runtime.clock.set(run.pickup_at - timedelta(minutes=6))
    events.tick(runtime.clock)
    assert reload(runtime, run).status == "open"
    runtime.clock.set(run.pickup_at - timedelta(minutes=5))
    events.tick(runtime.clock)
    events.run()
    done = reload(runtime, run)
    assert done.status == "closed" and done.runner_id == "U2" and done.closed_by == "coffeebuddy"
    assert len(summary_posts(slack_api)) == 1
    # The runner reminder falls due at the same moment: the runner's DM is that reminder.
    runtime.clock.advance(timedelta(seconds=30))
    events.tick(runtime.clock)
    [dm] = slack_api.messages("U2")
    assert "You're on the coffee run" in dm["text"]
    with Session(runtime.engine) as session:
        [reminder] = session.exec(select(Reminder)).all()
    assert (reminder.status, reminder.skip_reason) == ("sent", "sent as the runner's DM")


def test_runner_reminder_is_not_lost_when_pickup_is_off_the_minute(
    runtime, slack, slack_api, events
):
    """Ticks come on the minute; a reminder claimed before the cut-off must not turn into an
    initiator nudge and leave the runner without one."""
    runtime.clock.advance(timedelta(seconds=30))  # /coffee typed at 09:00:30
    run = start(slack, runtime, "in 30m", user="U1")
    order(slack, run, "U2", "tea")
    events.run()
    due = run.pickup_at - timedelta(minutes=5)  # 09:25:30, also the cut-off
    for minute in range(20, 28):
        runtime.clock.set(run.started_at.replace(minute=minute, second=0))
        events.tick(runtime.clock)
    done = reload(runtime, run)
    assert done.status == "closed" and done.runner_id == "U2"
    assert slack_api.messages("U1") == []  # no "still open" nudge to the initiator
    [dm] = slack_api.messages("U2")
    with Session(runtime.engine) as session:
        [reminder] = session.exec(select(Reminder)).all()
    assert reminder.status == "sent" and abs((reminder.sent_at - due).total_seconds()) <= 60
    assert "tea" in shown(dm["blocks"])


def test_short_pickup_stays_open_until_pickup(runtime, slack, events):
    run = start(slack, runtime, "in 3m")
    runtime.clock.advance(timedelta(minutes=2))
    events.tick(runtime.clock)
    assert reload(runtime, run).status == "open"
    runtime.clock.advance(timedelta(minutes=1))
    events.tick(runtime.clock)
    assert reload(runtime, run).status != "open"


def test_cancel_racing_a_tick_is_never_undone(runtime, slack, events):
    from sqlalchemy import event as sa_event

    from shared.db.engine import transaction
    from shared.runs.ending import Ending, end_open_run
    from shared.runs.lifecycle import close_due_runs

    run = start(slack, runtime, "in 30m")
    runtime.clock.set(run.pickup_at - timedelta(minutes=5))
    fired = []

    def cancel_meanwhile(conn, cursor, statement, *args):
        # Right after the tick has read the open runs (unlocked), the initiator's Cancel
        # commits on another connection, before the tick locks the run to close it.
        if "JOIN channel" in statement and not fired:
            fired.append(True)
            with transaction(runtime.engine) as click:
                end_open_run(
                    session=click,
                    run_id=run.id,
                    actor_id="U1",
                    now=runtime.clock.now(),
                    ending=Ending.CANCEL,
                )

    sa_event.listen(runtime.engine, "after_cursor_execute", cancel_meanwhile)
    try:
        with transaction(runtime.engine) as tick:
            closed = close_due_runs(session=tick, now=runtime.clock.now())
    finally:
        sa_event.remove(runtime.engine, "after_cursor_execute", cancel_meanwhile)
    assert fired and closed == []
    assert reload(runtime, run).status == "canceled"


def test_run_stuck_closing_gets_a_fresh_close_event(runtime, slack, events):
    run = start(slack, runtime, "in 30m")
    order(slack, run, "U2", "tea")
    click(slack, "run_close", run)
    events.publisher.events.clear()  # the broker gave up on run.closed
    events.delivered = 0
    runtime.clock.advance(timedelta(minutes=4))
    events.tick(runtime.clock)
    assert reload(runtime, run).status == "closed"


def test_channel_cut_off_setting_is_used(runtime, slack, events):
    start(slack, runtime, "")
    click(slack, "run_cancel", reload_open(runtime))
    set_channel(runtime, auto_close_minutes=15)
    run = start(slack, runtime, "in 30m")
    order(slack, run, "U3", "mocha")
    runtime.clock.set(run.pickup_at - timedelta(minutes=16))
    events.tick(runtime.clock)
    assert reload(runtime, run).status == "open"
    runtime.clock.set(run.pickup_at - timedelta(minutes=15))
    events.tick(runtime.clock)
    assert reload(runtime, run).status == "closed"


def test_idle_run_without_pickup_is_canceled_with_a_message(runtime, slack, slack_api, events):
    run = start(slack, runtime, "")
    runtime.clock.advance(timedelta(minutes=90))
    order(slack, run, "U2", "tea")
    runtime.clock.advance(timedelta(minutes=119))
    events.tick(runtime.clock)
    assert reload(runtime, run).status == "open"  # the order counted as activity
    runtime.clock.advance(timedelta(minutes=2))
    events.tick(runtime.clock)
    assert reload(runtime, run).status == "canceled"
    assert "without activity" in shown(slack_api.messages(CHANNEL)[0]["blocks"])


def test_decline_reason_mentions_render_as_mentions(runtime, slack, slack_api, events):
    run = closed_run(slack, runtime, events)
    runner_click(slack, "runner_decline", run, run.runner_id)
    after = reload(runtime, run)
    summary = next(m for m in slack_api.messages(CHANNEL) if m["ts"] == after.summary_ts)
    assert f"(<@{run.runner_id}> couldn't go)" in shown(summary["blocks"])
    assert "&lt;@" not in shown(summary["blocks"])


def test_reset_and_retention_work_after_a_decline(runtime, slack, events):
    from shared.admin.retention import purge_expired
    from shared.admin.service import reset_channel
    from shared.db.engine import transaction
    from shared.db.models import Channel

    run = closed_run(slack, runtime, events)
    runner_click(slack, "runner_decline", run, run.runner_id)
    runtime.clock.advance(timedelta(days=91))
    with transaction(runtime.engine) as session:
        counts = purge_expired(session=session, now=runtime.clock.now(), audit_retention_days=730)
    assert counts.runs == 1
    second = closed_run(slack, runtime, events)
    runner_click(slack, "runner_decline", second, second.runner_id)
    with transaction(runtime.engine) as session:
        reset = reset_channel(
            session=session,
            channel=session.get(Channel, CHANNEL),
            actor="UADMIN",
            now=runtime.clock.now(),
        )
    assert reset.runs == 1
    with Session(runtime.engine) as session:
        assert session.exec(select(RunnerDecline)).all() == []
