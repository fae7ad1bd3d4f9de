"""The history fairness reads, and the stats it updates, kept cheap for years of runs.

Runs served are counted over the channel's last N closed runs (one index range scan on
``ix_run_channel_status_closed``); last-run times come from ``runner_stats``.
"""

from __future__ import annotations

import uuid
from collections import Counter
from datetime import datetime

from sqlmodel import Session, col, select

from shared.db.models import Order, Run, RunnerStats, UserPreference
from shared.db.upsert import insert_for
from shared.fairness.rules import Candidate
from shared.statuses import RunStatus


def previous_runner(
    *, session: Session, channel_id: str, before: uuid.UUID | None = None
) -> str | None:
    """The runner of the channel's latest closed run (other than ``before``)."""
    stmt = select(Run.runner_id).where(Run.channel_id == channel_id, Run.status == RunStatus.CLOSED)
    if before is not None:
        stmt = stmt.where(Run.id != before)
    return session.exec(stmt.order_by(col(Run.closed_at).desc()).limit(1)).first()


def runs_in_window(*, session: Session, channel_id: str, window: int) -> Counter[str]:
    stmt = (
        select(Run.runner_id)
        .where(Run.channel_id == channel_id, Run.status == RunStatus.CLOSED)
        .order_by(col(Run.closed_at).desc())
        .limit(window)
    )
    return Counter(r for r in session.exec(stmt).all() if r)


def candidates_for(
    *, session: Session, channel_id: str, orders: list[Order], window: int
) -> list[Candidate]:
    users = [o.user_id for o in orders]
    served = runs_in_window(session=session, channel_id=channel_id, window=window)
    stats = {
        s.user_id: s
        for s in session.exec(
            select(RunnerStats).where(
                RunnerStats.channel_id == channel_id, col(RunnerStats.user_id).in_(users)
            )
        ).all()
    }
    repeat_ok = {
        p.user_id
        for p in session.exec(
            select(UserPreference).where(
                col(UserPreference.user_id).in_(users), col(UserPreference.allow_repeat_runner)
            )
        ).all()
    }
    return [
        Candidate(
            user_id=o.user_id,
            runs_in_window=served.get(o.user_id, 0),
            last_run_at=stats[o.user_id].last_run_at if o.user_id in stats else None,
            volunteer=o.volunteer,
            allow_repeat=o.user_id in repeat_ok,
        )
        for o in orders
    ]


def record_run_served(*, session: Session, channel_id: str, user_id: str, now: datetime) -> None:
    stmt = insert_for(session, RunnerStats).values(
        channel_id=channel_id, user_id=user_id, runs_served_count=1, last_run_at=now
    )
    stmt = stmt.on_conflict_do_update(
        index_elements=["channel_id", "user_id"],
        set_={
            "runs_served_count": RunnerStats.runs_served_count + 1,
            "last_run_at": stmt.excluded.last_run_at,
        },
    )
    session.execute(stmt)


def uncharge_runner(*, session: Session, run: Run, user_id: str) -> None:
    """Take back the run ``record_run_served`` counted for ``user_id`` (a runner who
    declined, or a run that failed): one run fewer, last run back to their previous one."""
    stats = session.get(RunnerStats, (run.channel_id, user_id), with_for_update=True)
    if stats is None:
        return
    stats.runs_served_count = max(0, stats.runs_served_count - 1)
    stats.last_run_at = session.exec(
        select(Run.closed_at)
        .where(
            Run.channel_id == run.channel_id,
            Run.runner_id == user_id,
            Run.status == RunStatus.CLOSED,
            Run.id != run.id,
        )
        .order_by(col(Run.closed_at).desc())
        .limit(1)
    ).first()
    session.add(stats)
