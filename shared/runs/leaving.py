"""Someone leaves CoffeeBuddy (forget-me) while a run still needs them: their runs end
first, so nobody is left with a run that belongs to a pseudonym.

A run they started that is still open is canceled (nobody can close it any more); one they
are running and has not arrived (nor is an hour past its pickup) is handed to the next fair
candidate, as "Can't go" would, or canceled when nobody else can go.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import or_
from sqlmodel import Session, col, select

from shared.db.models import Run
from shared.runs.decline import hand_on, next_runner
from shared.runs.service import record_update
from shared.statuses import RunStatus

LEFT_OPEN = "Canceled: the person who started it asked CoffeeBuddy to forget them."
LEFT_RUNNING = "Canceled: the runner asked CoffeeBuddy to forget them and nobody else can go."
ACTOR = "coffeebuddy"
# A run nobody marked as arrived counts as done an hour after its pickup (or its close,
# without a pickup time): that run is history, anonymised like the rest, not handed on.
DONE_AFTER = timedelta(hours=1)


@dataclass
class LeftRuns:
    canceled: list[Run] = field(default_factory=list)
    handed_on: list[Run] = field(default_factory=list)  # run.runner_id is the new runner


def leave_runs(*, session: Session, user_id: str, now: datetime) -> LeftRuns:
    left = LeftRuns()
    started = session.exec(
        select(Run)
        .where(Run.initiator_id == user_id, Run.status == RunStatus.OPEN)
        .with_for_update()
    ).all()
    for run in started:
        run.cancel(by=ACTOR, now=now, note=LEFT_OPEN)
        session.add(run)
        record_update(session=session, run=run, change="canceled", now=now)
        left.canceled.append(run)
    running = session.exec(
        select(Run)
        .where(
            Run.runner_id == user_id,
            Run.status == RunStatus.CLOSED,
            col(Run.arrived_at).is_(None),
            or_(
                col(Run.pickup_at) > now - DONE_AFTER,
                col(Run.pickup_at).is_(None) & (col(Run.closed_at) > now - DONE_AFTER),
            ),
        )
        .with_for_update()
    ).all()
    for run in running:
        choice = next_runner(session=session, run=run, leaving=user_id, now=now)
        if choice is None:
            run.cancel(by=ACTOR, now=now, note=LEFT_RUNNING)
            session.add(run)
            record_update(session=session, run=run, change="canceled", now=now)
            left.canceled.append(run)
        else:
            hand_on(session=session, run=run, leaving=user_id, choice=choice, note="left", now=now)
            left.handed_on.append(run)
    return left
