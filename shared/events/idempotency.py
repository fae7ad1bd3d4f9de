"""Consumers remember which event ids they have handled."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from shared.db.models import ProcessedEvent
from shared.db.upsert import insert_for


def first_delivery(*, session: Session, consumer: str, event_id: str, now: datetime) -> bool:
    """Record (consumer, event id) in the caller's transaction; False if already recorded.

    Concurrent deliveries of the same event block on the primary key until the first
    commits, then see the row: exactly one of them gets True.
    """
    stmt = (
        insert_for(session, ProcessedEvent)
        .values(consumer=consumer, event_id=event_id[:255], processed_at=now)
        .on_conflict_do_nothing(index_elements=["consumer", "event_id"])
        .returning(ProcessedEvent.event_id)
    )
    # RETURNING, not rowcount: the driver reports -1 rows for an INSERT ... ON CONFLICT
    # here, which read as "inserted" every time (a redelivered event ran twice).
    return session.execute(stmt).first() is not None
