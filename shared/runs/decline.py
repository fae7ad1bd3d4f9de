"""A runner who can't go: the next fair candidate takes over, once per person per run.

The decliner is not counted as having served (their stats are rolled back), and is never
picked again for this run; they are not otherwise penalised.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, select

from shared.db.models import Channel, Run, RunnerDecline
from shared.fairness.repository import (
    candidates_for,
    previous_runner,
    record_run_served,
    uncharge_runner,
)
from shared.fairness.rules import RunnerChoice, choose_runner
from shared.limits import DECLINE_WINDOW, may_still_decline
from shared.refusal import Refusal
from shared.runs.repository import active_orders, get_run
from shared.runs.service import record_update
from shared.statuses import RunStatus


@dataclass(frozen=True)
class Reassigned:
    run: Run
    previous_runner: str
    dm_channel: str | None
    dm_ts: str | None


def decline_runner(
    *, session: Session, run_id: uuid.UUID, actor_id: str, now: datetime
) -> Reassigned | Refusal:
    run = get_run(session=session, run_id=run_id, lock="update")
    if run is None or run.status is not RunStatus.CLOSED or run.runner_id is None:
        return Refusal("That coffee run has no runner to replace.")
    if actor_id != run.runner_id:
        return Refusal("Only the current runner can say they can't go.")
    if run.arrived_at is not None:
        return Refusal("The coffee has already arrived.")
    if not may_still_decline(run.runner_assigned_at, now):
        minutes = int(DECLINE_WINDOW.total_seconds() // 60)
        return Refusal(f"It's too late to hand this run on (it's possible for {minutes} minutes).")
    choice = next_runner(session=session, run=run, leaving=actor_id, now=now)
    if choice is None:
        return Refusal("Nobody else in this run can go, so you're still the runner. Sorry!")
    previous = Reassigned(run, actor_id, run.runner_dm_channel, run.runner_dm_ts)
    hand_on(session=session, run=run, leaving=actor_id, choice=choice, note="couldn't go", now=now)
    return previous


def next_runner(*, session: Session, run: Run, leaving: str, now: datetime) -> RunnerChoice | None:
    """The fair pick among the run's people, without ``leaving`` and anyone who declined."""
    declined = set(
        session.exec(select(RunnerDecline.user_id).where(RunnerDecline.run_id == run.id)).all()
    ) | {leaving}
    orders = [o for o in active_orders(session=session, run_id=run.id) if o.user_id not in declined]
    channel = session.get(Channel, run.channel_id)
    window = channel.fairness_window_runs if channel else 20
    return choose_runner(
        candidates_for(session=session, channel_id=run.channel_id, orders=orders, window=window),
        previous_runner=previous_runner(session=session, channel_id=run.channel_id, before=run.id),
        window_runs=window,
        run_key=f"{run.id}:{len(declined)}",
        now=now,
    )


def hand_on(
    *, session: Session, run: Run, leaving: str, choice: RunnerChoice, note: str, now: datetime
) -> None:
    """``choice`` takes the run over from ``leaving``, who is not charged for it."""
    session.add(RunnerDecline(run_id=run.id, user_id=leaving, at=now))
    uncharge_runner(session=session, run=run, user_id=leaving)
    run.hand_on(runner_id=choice.user_id, reason=f"{choice.reason} (<@{leaving}> {note})", now=now)
    session.add(run)
    record_run_served(session=session, channel_id=run.channel_id, user_id=choice.user_id, now=now)
    record_update(session=session, run=run, change="runner_declined", now=now)
