"""A channel's last four weeks: runs, cups, and who ran versus who received."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from shared.db.models import Order, Run
from shared.statuses import RunStatus

STATS_DAYS = 28
# What forget-me (shared/privacy/forget.py) leaves on past runs and orders in place of a
# person's Slack id; no Slack id looks like it.
_PSEUDONYM = re.compile(r"anon-[0-9a-f]{10}")


def is_forgotten(user_id: str) -> bool:
    """Whether ``user_id`` is a pseudonym left by forget-me rather than a Slack user."""
    return _PSEUDONYM.fullmatch(user_id) is not None


@dataclass(frozen=True)
class PersonStats:
    user_id: str
    runs_done: int
    cups_received: int

    @property
    def left(self) -> bool:
        """They asked to be forgotten: their runs and cups still count, their name doesn't."""
        return is_forgotten(self.user_id)


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
