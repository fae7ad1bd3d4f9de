"""Runs that end on their own: auto-close at the channel's cut-off, cancel when idle.

Auto-close uses the same path as the initiator's click (``end_open_run`` → run.closed →
the close function), so the runner pick, summary and DM are the same.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import func
from sqlmodel import Session, col, select

from shared.db.models import Channel, Order, Run
from shared.runs.closing import record_closed
from shared.runs.ending import Ending, end_open_run
from shared.runs.service import record_update
from shared.statuses import RunStatus
from shared.tick import claim_horizon

AUTO_ACTOR = "coffeebuddy"
IDLE_NOTE = "Canceled after {minutes} minutes without activity."


def closes_at(run: Run, channel: Channel) -> datetime | None:
    """When a run stops taking orders by itself: pickup minus the channel's cut-off
    (default: the reminder offset). A pickup sooner than that (``/coffee in 3m``) keeps
    orders open until the pickup itself. None without a pickup time."""
    if run.pickup_at is None:
        return None
    minutes = channel.auto_close_minutes
    if minutes is None:
        minutes = channel.reminder_offset_minutes
    at = run.pickup_at - timedelta(minutes=minutes)
    return at if at > run.started_at else run.pickup_at


def close_due_runs(*, session: Session, now: datetime) -> list[uuid.UUID]:
    """Close every open run whose cut-off falls before the next tick; returns their ids.

    Like reminders, a cut-off is honoured by the tick just before it (at most 55 s early)
    rather than the one after (up to a minute late): the runner's DM, which doubles as the
    runner reminder when both fall due together, then arrives within the minute."""
    rows = session.exec(
        select(Run, Channel)
        .join(Channel, col(Channel.id) == col(Run.channel_id))
        .where(Run.status == RunStatus.OPEN, col(Run.pickup_at).is_not(None))
    ).all()
    closed = []
    for run, channel in rows:
        at = closes_at(run, channel)
        if at is not None and at <= claim_horizon(now):
            outcome = end_open_run(
                session=session,
                run_id=run.id,
                actor_id=AUTO_ACTOR,
                now=now,
                ending=Ending.CLOSE,
                actor_is_admin=True,
            )
            if isinstance(outcome, Run):
                closed.append(run.id)
    return closed


STUCK_AFTER = timedelta(minutes=3)


def redo_stuck_closes(*, session: Session, now: datetime) -> list[uuid.UUID]:
    """A run still `closing` minutes after its close (the run.closed delivery was given up,
    e.g. during a database failover) gets a fresh run.closed; the close function is
    idempotent, so a late original delivery changes nothing."""
    rows = session.exec(
        select(Run)
        .where(Run.status == RunStatus.CLOSING, col(Run.closing_since) < now - STUCK_AFTER)
        .with_for_update(skip_locked=True)
    ).all()
    for run in rows:
        record_closed(session=session, run=run, now=now)
        run.closing_since = now
        session.add(run)
    return [run.id for run in rows]


def cancel_idle_runs(*, session: Session, now: datetime) -> list[uuid.UUID]:
    """Cancel open runs without a pickup time that nobody touched for the channel's idle time."""
    idle_candidates = select(Run.id).where(
        Run.status == RunStatus.OPEN, col(Run.pickup_at).is_(None)
    )
    last_order = (
        select(Order.run_id, func.max(Order.updated_at).label("last"))
        .where(col(Order.run_id).in_(idle_candidates))  # only open runs, never all history
        .group_by(col(Order.run_id))
        .subquery()
    )
    rows = session.exec(
        select(Run, Channel, last_order.c.last)
        .join(Channel, col(Channel.id) == col(Run.channel_id))
        .outerjoin(last_order, last_order.c.run_id == col(Run.id))
        .where(Run.status == RunStatus.OPEN, col(Run.pickup_at).is_(None))
        .with_for_update(of=Run)
    ).all()
    canceled = []
    for run, channel, last in rows:
        last_activity = max(run.started_at, _utc(last) or run.started_at)
        if last_activity + timedelta(minutes=channel.idle_cancel_minutes) <= now:
            run.cancel(
                by=AUTO_ACTOR, now=now, note=IDLE_NOTE.format(minutes=channel.idle_cancel_minutes)
            )
            session.add(run)
            record_update(session=session, run=run, change="canceled", now=now)
            canceled.append(run.id)
    return canceled


def _utc(value: datetime | None) -> datetime | None:
    """Aggregates bypass the column type: SQLite hands back naive (UTC) datetimes."""
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=UTC)
