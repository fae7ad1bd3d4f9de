"""Scheduling, claiming and settling reminders inside the caller's transaction."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from shared.db.models import Channel, Reminder, Run
from shared.events import catalog
from shared.events.outbox import record
from shared.reminders.rules import last_call_at, runner_reminder_at
from shared.runs.lifecycle import closes_at
from shared.statuses import ReminderKind, ReminderStatus, RunStatus
from shared.tick import claim_horizon

ACTIVE_RUN = (RunStatus.OPEN, RunStatus.CLOSING, RunStatus.CLOSED)
WAITING = (ReminderStatus.SCHEDULED, ReminderStatus.DUE)


def cancel_for_run(*, session: Session, run_id: uuid.UUID) -> int:
    rows = session.exec(
        select(Reminder)
        .where(Reminder.run_id == run_id, col(Reminder.status).in_(WAITING))
        .with_for_update()
    ).all()
    for reminder in rows:
        reminder.status = ReminderStatus.CANCELED
        session.add(reminder)
    return len(rows)


def schedule_for_run(*, session: Session, run: Run, now: datetime) -> list[Reminder]:
    """(Re)schedule the run's reminders from its pickup time and the channel's settings."""
    cancel_for_run(session=session, run_id=run.id)
    if run.status not in ACTIVE_RUN:
        return []
    channel = session.get(Channel, run.channel_id)
    if channel is None:
        return []
    wanted = {
        ReminderKind.RUNNER: runner_reminder_at(
            run.pickup_at, channel.reminder_offset_minutes, now
        ),
        ReminderKind.LAST_CALL: last_call_at(
            closes_at(run, channel),
            channel.last_call_enabled,
            channel.last_call_minutes,
            now,
        ),
    }
    created = []
    session.flush()
    for kind, due_at in wanted.items():
        if due_at is None:
            continue
        reminder = Reminder(run_id=run.id, kind=kind, due_at=due_at)
        session.add(reminder)
        created.append(reminder)
        record(
            session=session,
            data=catalog.ReminderScheduled(
                reminder_id=str(reminder.id),
                run_id=str(run.id),
                kind=kind,
                due_at=due_at,
            ),
            now=now,
        )
    return created


def claim_due(*, session: Session, now: datetime, limit: int = 500) -> list[Reminder]:
    """Mark scheduled reminders due up to the look-ahead as ``due`` and emit reminder.due.

    SKIP LOCKED lets several instances tick at once without claiming the same row.
    """
    rows = list(
        session.exec(
            select(Reminder)
            .where(
                Reminder.status == ReminderStatus.SCHEDULED,
                col(Reminder.due_at) <= claim_horizon(now),
            )
            .order_by(col(Reminder.due_at))
            .limit(limit)
            .with_for_update(skip_locked=True)
        ).all()
    )
    for reminder in rows:
        reminder.status = ReminderStatus.DUE
        session.add(reminder)
        record(
            session=session,
            data=catalog.ReminderDue(
                reminder_id=str(reminder.id),
                run_id=str(reminder.run_id),
                kind=reminder.kind,
                due_at=reminder.due_at,
            ),
            now=now,
        )
    return rows


def merge_into_runner_dm(*, session: Session, run: Run, now: datetime) -> int:
    """Settle the runner reminder that falls due as the run closes: the runner's DM, sent
    now with the pickup time and the list, is that reminder (no second DM a minute later)."""
    rows = session.exec(
        select(Reminder)
        .where(
            Reminder.run_id == run.id,
            Reminder.kind == ReminderKind.RUNNER,
            col(Reminder.status).in_(WAITING),
            col(Reminder.due_at) <= claim_horizon(now),
        )
        .with_for_update()
    ).all()
    for reminder in rows:
        settle(
            session=session,
            reminder=reminder,
            outcome="sent",
            recipient="runner",
            now=now,
            reason="sent as the runner's DM",
        )
    return len(rows)


STUCK_AFTER = timedelta(minutes=3)


def reclaim_stuck_reminders(*, session: Session, now: datetime) -> int:
    """A reminder.due whose delivery was given up (the broker stopped retrying) would stay
    `due` forever: after a few minutes it goes back to `scheduled` for the next claim."""
    rows = session.exec(
        select(Reminder)
        .where(Reminder.status == ReminderStatus.DUE, col(Reminder.due_at) < now - STUCK_AFTER)
        .with_for_update(skip_locked=True)
    ).all()
    for reminder in rows:
        reminder.status = ReminderStatus.SCHEDULED
        session.add(reminder)
    return len(rows)


def lock_due(*, session: Session, reminder_id: uuid.UUID) -> Reminder | None:
    """The reminder if it is still waiting to be sent (row-locked), else None."""
    return session.exec(
        select(Reminder)
        .where(Reminder.id == reminder_id, Reminder.status == ReminderStatus.DUE)
        .with_for_update()
    ).first()


def settle(
    *,
    session: Session,
    reminder: Reminder,
    outcome: str,
    recipient: str,
    now: datetime,
    reason: str | None = None,
) -> None:
    reminder.status = ReminderStatus(outcome)
    reminder.sent_at = now if reminder.status is ReminderStatus.SENT else None
    reminder.skip_reason = reason
    session.add(reminder)
    record(
        session=session,
        data=catalog.ReminderSent.model_validate(
            {
                "reminder_id": str(reminder.id),
                "run_id": str(reminder.run_id),
                "kind": reminder.kind,
                "outcome": outcome,
                "recipient": recipient,
                "lateness_seconds": (now - reminder.due_at).total_seconds(),
            }
        ),
        now=now,
    )
