"""Data access for runs."""

from __future__ import annotations

import uuid
from typing import Literal

from sqlalchemy import func
from sqlmodel import Session, col, select

from shared.db.models import Order, Run
from shared.statuses import RunStatus


def get_run(
    *, session: Session, run_id: uuid.UUID, lock: Literal["update", "share"] | None = None
) -> Run | None:
    """A run by id, optionally row-locked until the transaction ends.

    ``update`` serialises state changes (close, cancel); ``share`` lets many orders be
    written at once while keeping the run from closing under them.
    """
    stmt = select(Run).where(Run.id == run_id)
    if lock is not None:
        # Reload what the lock protects: the session may hold this run from an unlocked
        # read, and a change committed since then must not be overwritten.
        stmt = stmt.with_for_update(read=lock == "share").execution_options(populate_existing=True)
    return session.exec(stmt).first()


def get_open_run(*, session: Session, channel_id: str) -> Run | None:
    stmt = select(Run).where(Run.channel_id == channel_id, Run.status == RunStatus.OPEN)
    return session.exec(stmt).first()


def get_run_by_trigger(*, session: Session, trigger_id: str) -> Run | None:
    return session.exec(select(Run).where(Run.slack_trigger_id == trigger_id)).first()


def count_participants(*, session: Session, run_id: uuid.UUID) -> int:
    stmt = (
        select(func.count())
        .select_from(Order)
        .where(Order.run_id == run_id, col(Order.canceled_at).is_(None))
    )
    return int(session.exec(stmt).one())


def active_orders(*, session: Session, run_id: uuid.UUID) -> list[Order]:
    stmt = (
        select(Order)
        .where(Order.run_id == run_id, col(Order.canceled_at).is_(None))
        .order_by(col(Order.created_at), col(Order.user_id))
    )
    return list(session.exec(stmt).all())
