"""Nudging the event-driven worker about a delivery asked for outside it."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlmodel import Session

from shared.events import catalog
from shared.events.outbox import record


def record_nudge(*, session: Session, key: str, run_id: uuid.UUID | None, now: datetime) -> None:
    """A delivery.requested event in the caller's transaction (published after commit)."""
    record(
        session=session,
        data=catalog.DeliveryRequested(key=key, run_id=str(run_id) if run_id else None),
        now=now,
    )
