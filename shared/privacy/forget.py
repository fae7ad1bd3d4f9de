"""`/coffee forget-me`: delete a person's preferences and stats, anonymise their past orders.

Runs and orders stay (they are the other people's history too) but point at a random
pseudonym instead of the person; their active orders in open runs are withdrawn first.
Messages already posted in Slack are Slack's to delete, and outbox rows (kept 14 days)
still hold the Slack id until the retention purge removes them.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, update
from sqlmodel import Session, col, select

from shared.db.models import (
    ChannelAdminAction,
    Order,
    Run,
    RunnerDecline,
    RunnerStats,
    User,
    UserPreference,
)
from shared.privacy.pseudonym import LEFT, new_pseudonym
from shared.statuses import RunStatus

PRIVACY_ACTOR = "privacy"


@dataclass(frozen=True)
class Forgotten:
    orders_anonymized: int
    runs_anonymized: int
    withdrawn: int
    stats_deleted: int
    affected_runs: tuple[uuid.UUID, ...] = ()

    def as_dict(self) -> dict[str, int]:
        return {
            "orders_anonymized": self.orders_anonymized,
            "runs_anonymized": self.runs_anonymized,
            "withdrawn": self.withdrawn,
            "stats_deleted": self.stats_deleted,
        }


def _rows(result: object) -> int:
    return int(getattr(result, "rowcount", 0) or 0)


def forget_person(*, session: Session, user_id: str, channel_id: str, now: datetime) -> Forgotten:
    alias = new_pseudonym()
    open_runs = select(Run.id).where(col(Run.status).in_((RunStatus.OPEN, RunStatus.CLOSING)))
    affected = tuple(
        session.exec(
            select(Order.run_id).where(
                Order.user_id == user_id,
                col(Order.canceled_at).is_(None),
                col(Order.run_id).in_(open_runs),
            )
        ).all()
    )
    withdrawn = _rows(
        session.execute(
            update(Order)
            .where(
                col(Order.user_id) == user_id,
                col(Order.canceled_at).is_(None),
                col(Order.run_id).in_(open_runs),
            )
            .values(canceled_at=now, updated_at=now)
        )
    )
    orders = _rows(
        session.execute(update(Order).where(col(Order.user_id) == user_id).values(user_id=alias))
    )
    runs = 0
    for column in ("initiator_id", "runner_id", "closed_by"):
        field = getattr(Run, column)
        runs += _rows(session.execute(update(Run).where(field == user_id).values({column: alias})))
    mentioned = f"<@{user_id}>"  # "… (<@U…> couldn't go)": our words, their name
    session.execute(
        update(Run)
        .where(col(Run.runner_reason).contains(mentioned))
        .values(runner_reason=func.replace(col(Run.runner_reason), mentioned, LEFT))
    )
    session.execute(
        update(RunnerDecline).where(col(RunnerDecline.user_id) == user_id).values(user_id=alias)
    )
    stats = _rows(session.execute(delete(RunnerStats).where(col(RunnerStats.user_id) == user_id)))
    session.execute(delete(UserPreference).where(col(UserPreference.user_id) == user_id))
    session.execute(delete(User).where(col(User.id) == user_id))
    result = Forgotten(
        orders_anonymized=orders,
        runs_anonymized=runs,
        withdrawn=withdrawn,
        stats_deleted=stats,
        affected_runs=affected,
    )
    session.add(
        ChannelAdminAction(
            channel_id=channel_id,
            actor_id=PRIVACY_ACTOR,
            action_type="forget_me",
            details=result.as_dict(),
            at=now,
        )
    )
    return result
