"""A channel's last four weeks: runs, cups, and who ran versus who received."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from shared.db.models import Order, Run
from shared.statuses import RunStatus

STATS_DAYS = 28


@dataclass(frozen=True)
class PersonStats:
    user_id: str
    runs_done: int
    cups_received: int


@dataclass(frozen=True)
class ChannelStats:
    days: int
    runs: int
    cups: int
    people: tuple[PersonStats, ...]


def channel_stats(
    *, session: Session, channel_id: str, now: datetime, days: int = STATS_DAYS
) -> ChannelStats:
    """Closed runs whose close falls in the window; a cup is an order someone else fetched."""
    rows = session.exec(
        select(Run.id, Run.runner_id, Order.user_id)
        .join(Order, col(Order.run_id) == col(Run.id))
        .where(
            Run.channel_id == channel_id,
            Run.status == RunStatus.CLOSED,
            col(Run.closed_at) >= now - timedelta(days=days),
            col(Order.canceled_at).is_(None),
        )
    ).all()
    runners = {run_id: runner for run_id, runner, _ in rows}
    runs_done = Counter(runner for runner in runners.values() if runner)
    received = Counter(user for _, runner, user in rows if user != runner)
    people = {*runs_done, *received}
    ranked = sorted(
        (PersonStats(u, runs_done.get(u, 0), received.get(u, 0)) for u in people),
        key=lambda p: (-p.runs_done, -p.cups_received, p.user_id),
    )
    return ChannelStats(days=days, runs=len(runners), cups=len(rows), people=tuple(ranked))
