"""Data access for orders and the preferences they leave behind."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlmodel import Session, col, select

from shared.db.models import Order, UserPreference
from shared.db.upsert import insert_for


def get_active_order(*, session: Session, run_id: uuid.UUID, user_id: str) -> Order | None:
    stmt = select(Order).where(
        Order.run_id == run_id, Order.user_id == user_id, col(Order.canceled_at).is_(None)
    )
    return session.exec(stmt).first()


def put_active_order(
    *,
    session: Session,
    run_id: uuid.UUID,
    user_id: str,
    text: str,
    now: datetime,
    volunteer: bool | None = None,
) -> None:
    """Create the person's active order for the run, or replace its text.

    One statement against the partial unique index, so two submissions racing each
    other still leave exactly one active order. ``volunteer`` None keeps what was ticked.
    """
    stmt = insert_for(session, Order).values(
        id=uuid.uuid4(),
        run_id=run_id,
        user_id=user_id,
        text=text,
        volunteer=bool(volunteer),
        created_at=now,
        updated_at=now,
    )
    stmt = stmt.on_conflict_do_update(
        index_elements=["run_id", "user_id"],
        index_where=col(Order.canceled_at).is_(None),
        set_={
            "text": stmt.excluded.text,
            "updated_at": stmt.excluded.updated_at,
            **({} if volunteer is None else {"volunteer": stmt.excluded.volunteer}),
        },
    )
    session.execute(stmt)


def cancel_active_order(
    *, session: Session, run_id: uuid.UUID, user_id: str, now: datetime
) -> Order | None:
    order = get_active_order(session=session, run_id=run_id, user_id=user_id)
    if order is not None:
        order.canceled_at = now
        order.updated_at = now
        session.add(order)
    return order


def get_preference(*, session: Session, user_id: str) -> UserPreference | None:
    return session.get(UserPreference, user_id)


def remember_last_order(
    *,
    session: Session,
    user_id: str,
    text: str,
    now: datetime,
    allow_repeat_runner: bool | None = None,
) -> None:
    """Save the order as the person's usual; ``allow_repeat_runner`` None leaves it as is."""
    stmt = insert_for(session, UserPreference).values(
        user_id=user_id,
        last_order_text=text,
        last_used_at=now,
        allow_repeat_runner=bool(allow_repeat_runner),
    )
    update = {
        "last_order_text": stmt.excluded.last_order_text,
        "last_used_at": stmt.excluded.last_used_at,
    }
    if allow_repeat_runner is not None:
        update["allow_repeat_runner"] = stmt.excluded.allow_repeat_runner
    stmt = stmt.on_conflict_do_update(index_elements=["user_id"], set_=update)
    session.execute(stmt)
