"""The reminders function: schedule on run events, claim on ticks, send on reminder.due."""

from __future__ import annotations

import logging
import uuid
from datetime import datetime
from functools import partial

from shared.db.models import Channel, Run
from shared.delivery.sweep import hand_on_due_deliveries, retire_hand_on_buttons
from shared.delivery.worker import patiently
from shared.events import catalog
from shared.events.envelope import Event
from shared.events.idempotency import first_delivery
from shared.events.outbox import publish_pending
from shared.reminders.rules import (
    DeliveryPlan,
    minutes_until,
    pickup_phrase,
    plan_delivery,
    too_early,
)
from shared.reminders.service import (
    cancel_for_run,
    claim_due,
    lock_due,
    reclaim_stuck_reminders,
    schedule_for_run,
    settle,
)
from shared.runs.lifecycle import cancel_idle_runs, close_due_runs, closes_at, redo_stuck_closes
from shared.runs.repository import get_run
from shared.runs.snapshot import RunSnapshot, snapshot
from shared.runtime import Runtime
from shared.slack.errors import SLACK_ERRORS
from shared.slack.render.blocks import Block
from shared.slack.render.summary import last_call, reminder_dm, still_open_dm
from shared.statuses import ReminderStatus
from shared.tick import claim_horizon
from shared.unit_of_work import unit_of_work

log = logging.getLogger(__name__)

CONSUMER = "reminders"
MAX_ATTEMPTS = 5  # a DM Slack refuses five ticks in a row is given up, recorded as skipped


def follow_run(
    rt: Runtime, data: catalog.RunCreated | catalog.RunUpdated | catalog.RunFailed, event: Event
) -> None:
    run_id = uuid.UUID(data.run_id)
    now = rt.clock.now()
    with unit_of_work(rt) as session:
        if not first_delivery(session=session, consumer=CONSUMER, event_id=event.id, now=now):
            return
        run = get_run(session=session, run_id=run_id, lock="update")
        if run is None:
            return
        if event.type == catalog.RUN_CREATED:
            schedule_for_run(session=session, run=run, now=now)
        elif run.status.ended:
            cancel_for_run(session=session, run_id=run_id)


def handle_tick(rt: Runtime) -> int:
    """End runs that end by themselves, hand on Slack deliveries due for a retry (and DMs
    whose "Can't go" just stopped working), claim due reminders, then sweep the outbox."""
    now = rt.clock.now()
    with unit_of_work(rt) as session:  # what ends here is redrawn from its own events
        close_due_runs(session=session, now=now)
        cancel_idle_runs(session=session, now=now)
        redo_stuck_closes(session=session, now=now)
        hand_on_due_deliveries(session=session, now=now)
        retire_hand_on_buttons(session=session, now=now)
    with unit_of_work(rt) as session:
        reclaim_stuck_reminders(session=session, now=now)
        claimed = claim_due(session=session, now=now)
    publish_pending(rt.engine, rt.publisher, now=now)
    if claimed:
        log.info("reminders claimed", extra={"count": len(claimed)})
    return len(claimed)


def on_tick(rt: Runtime, _tick: catalog.Tick, _event: Event) -> None:
    handle_tick(rt)


def deliver_reminder(rt: Runtime, due: catalog.ReminderDue, _event: Event) -> None:
    with unit_of_work(rt) as session:
        reminder = lock_due(session=session, reminder_id=uuid.UUID(due.reminder_id))
        if reminder is None:
            return  # already settled: a redelivery
        if too_early(reminder.due_at, rt.clock.now()):
            reminder.status = ReminderStatus.SCHEDULED  # never more than a minute early
            session.add(reminder)
            return
        run = get_run(session=session, run_id=reminder.run_id)
        channel = session.get(Channel, run.channel_id) if run else None
        if run is None or channel is None:
            settle(
                session=session,
                reminder=reminder,
                outcome="canceled",
                recipient="none",
                now=rt.clock.now(),
                reason="run deleted",
            )
            return
        plan = plan_delivery(
            kind=reminder.kind,
            run_status=run.status,
            has_runner=run.runner_id is not None,
            reminders_enabled=channel.reminders_enabled,
            last_call_enabled=channel.last_call_enabled,
            closes_within_the_minute=_closes_soon(run, channel, rt.clock.now()),
            arrived=run.arrived_at is not None,
        )
        if plan.outcome == "wait":
            reminder.status = (
                ReminderStatus.SCHEDULED
            )  # the run is being closed: the next tick sends it
            session.add(reminder)
            return
        if plan.outcome == "sent":
            view = snapshot(session=session, run=run)
            if not _send(rt, plan.recipient, view, channel.last_call_minutes):
                reminder.attempts += 1
                if reminder.attempts < MAX_ATTEMPTS:
                    reminder.status = ReminderStatus.SCHEDULED  # the next tick tries again
                    session.add(reminder)
                    return
                plan = DeliveryPlan("skipped", "none", "Slack kept refusing it")
        settle(
            session=session,
            reminder=reminder,
            outcome=plan.outcome,
            recipient=plan.recipient,
            now=rt.clock.now(),
            reason=plan.reason,
        )
    log.info(
        "reminder settled",
        extra={
            "reminder_id": due.reminder_id,
            "outcome": plan.outcome,
            "recipient": plan.recipient,
        },
    )


def _closes_soon(run: Run, channel: Channel, now: datetime) -> bool:
    at = closes_at(run, channel)
    return at is not None and at <= claim_horizon(now)


def _send(rt: Runtime, recipient: str, run: RunSnapshot, last_call_minutes: int) -> bool:
    minutes = minutes_until(run.pickup_at, rt.clock.now())
    channel: str
    blocks: list[Block]
    if recipient == "runner" and run.runner_id:
        pickup = pickup_phrase(run.pickup_at, rt.clock.now())
        channel, (text, blocks) = run.runner_id, reminder_dm(run, pickup)
    elif recipient == "channel":
        channel, (text, blocks) = run.channel_id, last_call(run, minutes or last_call_minutes)
    else:
        channel, (text, blocks) = run.initiator_id, still_open_dm(run)
    try:
        patiently(
            rt,
            partial(
                rt.background_slack.chat_postMessage, channel=channel, text=text, blocks=blocks
            ),
            what="reminder",
        )
    except SLACK_ERRORS:
        log.warning("reminder not sent; will retry on the next tick")
        return False
    return True
