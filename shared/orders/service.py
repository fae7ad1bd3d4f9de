"""Placing and withdrawing orders, inside the caller's transaction."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlmodel import Session

from shared.db.models import Run
from shared.orders.repository import (
    cancel_active_order,
    put_active_order,
    remember_last_order,
)
from shared.orders.validation import OrderTextError, validate_order_text
from shared.refusal import Refusal
from shared.runs.repository import get_run
from shared.runs.service import record_update
from shared.statuses import RunStatus


def open_run_for_orders(*, session: Session, run_id: uuid.UUID) -> Run | Refusal:
    """The run, share-locked so it cannot close while this order is written."""
    run = get_run(session=session, run_id=run_id, lock="share")
    if run is None:
        return Refusal("That coffee run no longer exists.")
    if run.status is not RunStatus.OPEN:
        return Refusal(f"This coffee run is {run.status}, so it no longer takes orders.")
    return run


def place_order(
    *,
    session: Session,
    run_id: uuid.UUID,
    user_id: str,
    raw_text: str | None,
    now: datetime,
    volunteer: bool | None = None,
    allow_repeat_runner: bool | None = None,
    remember: bool = True,
) -> Run | Refusal | OrderTextError:
    """``volunteer``/``allow_repeat_runner`` None keep what the person had; ``remember``
    False (an undo) leaves their saved usual alone."""
    text = validate_order_text(raw_text)
    if isinstance(text, OrderTextError):
        return text
    run = open_run_for_orders(session=session, run_id=run_id)
    if isinstance(run, Refusal):
        return run
    put_active_order(
        session=session, run_id=run_id, user_id=user_id, text=text, now=now, volunteer=volunteer
    )
    if remember:
        remember_last_order(
            session=session,
            user_id=user_id,
            text=text,
            now=now,
            allow_repeat_runner=allow_repeat_runner,
        )
    record_update(session=session, run=run, change="order_placed", now=now)
    return run


def withdraw_order(
    *, session: Session, run_id: uuid.UUID, user_id: str, now: datetime
) -> Run | Refusal:
    run = open_run_for_orders(session=session, run_id=run_id)
    if isinstance(run, Refusal):
        return run
    if cancel_active_order(session=session, run_id=run_id, user_id=user_id, now=now) is None:
        return Refusal("You don't have an order in this run.")
    record_update(session=session, run=run, change="order_withdrawn", now=now)
    return run
