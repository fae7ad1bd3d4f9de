"""Closing a run: the event that asks for a runner, and the runner pick after it."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from shared.db.models import Channel, Run
from shared.events import catalog
from shared.events.outbox import record
from shared.fairness.repository import candidates_for, previous_runner, record_run_served
from shared.fairness.rules import choose_runner
from shared.runs.repository import active_orders, get_run
from shared.statuses import RunStatus


def record_closed(*, session: Session, run: Run, now: datetime) -> None:
    """The run.closed event that asks the close function to pick the runner."""
    record(
        session=session,
        data=catalog.RunClosed(
            run_id=str(run.id), channel_id=run.channel_id, closed_by=run.closed_by or ""
        ),
        now=now,
    )


NO_ORDERS = "Closed with no orders, so nobody needs to go."


@dataclass(frozen=True)
class CloseResult:
    run: Run
    newly_closed: bool


def assign_runner(*, session: Session, run_id: uuid.UUID, now: datetime) -> CloseResult | None:
    """Pick the runner for a closing run, once; a run already past closing is left alone."""
    run = get_run(session=session, run_id=run_id, lock="update")
    if run is None:
        return None
    if run.status is not RunStatus.CLOSING:
        return CloseResult(run=run, newly_closed=False)
    orders = active_orders(session=session, run_id=run.id)
    if not orders:
        run.close_without_orders(note=NO_ORDERS, now=now)
        change = "no_orders"
    else:
        channel = session.get(Channel, run.channel_id)
        window = channel.fairness_window_runs if channel else 20
        choice = choose_runner(
            candidates_for(
                session=session, channel_id=run.channel_id, orders=orders, window=window
            ),
            previous_runner=previous_runner(session=session, channel_id=run.channel_id),
            window_runs=window,
            run_key=str(run.id),
            now=now,
        )
        assert choice is not None
        run.assign_runner(runner_id=choice.user_id, reason=choice.reason, now=now)
        record_run_served(
            session=session, channel_id=run.channel_id, user_id=choice.user_id, now=now
        )
        change = "runner_assigned"
    session.add(run)
    record(
        session=session,
        data=catalog.RunUpdated(
            run_id=str(run.id),
            channel_id=run.channel_id,
            status=run.status,
            change=change,
            participant_count=len(orders),
        ),
        now=now,
    )
    return CloseResult(run=run, newly_closed=True)
