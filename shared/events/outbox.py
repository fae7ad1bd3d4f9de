"""Transactional outbox: an event is written with the state it describes, published after.

``record`` runs inside the caller's transaction. ``publish_pending`` is called right after
commit (by the request that wrote the rows) and by the sweep on every tick, so an event
whose publish failed (broker down, crash) goes out later; never lost, maybe late.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from shared.db.engine import transaction
from shared.db.models import OutboxEvent
from shared.events.catalog import EventData, check_data, topic_for
from shared.events.envelope import Event
from shared.events.publisher import EventPublisher, PublishError
from shared.observability.logging import current_correlation_id
from shared.observability.metrics import ERRORS

log = logging.getLogger(__name__)

SWEEP_BATCH = 1000  # ≥ a tick's reminder claims (500), so one tick publishes them all
MAX_ATTEMPTS = 20  # about 20 minutes of sweeps
OUTBOX_IDS = "coffeebuddy.outbox_ids"


def record(*, session: Session, data: EventData, now: datetime) -> uuid.UUID:
    """Add the event ``data`` describes to the outbox in the caller's transaction (its type,
    topic and subject come with it); it is published once the transaction commits."""
    payload = data.model_dump(mode="json")
    check_data(data.TYPE, payload)
    row = OutboxEvent(
        topic=topic_for(data.TYPE),
        key=data.subject,
        event_type=data.TYPE,
        source="/coffeebuddy",
        data=payload,
        correlation_id=current_correlation_id(),
        created_at=now,
    )
    session.add(row)
    session.info.setdefault(OUTBOX_IDS, []).append(row.id)
    return row.id


def recorded_ids(session: Session) -> list[uuid.UUID]:
    """The outbox rows this session wrote: what to publish once it has committed."""
    return list(session.info.get(OUTBOX_IDS, []))


def _as_event(row: OutboxEvent) -> Event:
    return Event(
        id=str(row.id),
        type=row.event_type,
        subject=row.key,
        data=dict(row.data),
        correlation_id=row.correlation_id,
        time=row.created_at,
        source=row.source,
    )


def publish_pending(
    engine: Engine,
    publisher: EventPublisher,
    *,
    now: datetime,
    ids: Sequence[uuid.UUID] | None = None,
) -> int:
    """Publish unpublished rows (only ``ids`` if given); returns how many went out.

    Rows are locked with SKIP LOCKED so concurrent sweeps never publish a row twice at
    once; a row stays unpublished if the publisher fails, and the rest wait for the sweep
    (a broker that is down fails them all, so trying each would only multiply the wait).
    Rows that failed more often go last, so one event that can never be published does not
    hold up the others; after MAX_ATTEMPTS it is left for an operator (logged, counted).
    """
    if ids is not None and not ids:
        return 0
    with transaction(engine) as session:
        stmt = (
            select(OutboxEvent)
            .where(
                col(OutboxEvent.published_at).is_(None), col(OutboxEvent.attempts) < MAX_ATTEMPTS
            )
            .order_by(col(OutboxEvent.attempts), col(OutboxEvent.created_at))
            .limit(SWEEP_BATCH)
            .with_for_update(skip_locked=True)
        )
        if ids is not None:
            stmt = stmt.where(col(OutboxEvent.id).in_(list(ids)))
        rows = list(session.exec(stmt).all())
        published = 0
        for row in rows:
            row.attempts += 1
            session.add(row)
            try:
                publisher.publish(_as_event(row))
            except PublishError as error:
                ERRORS.labels("publish").inc()
                if row.attempts >= MAX_ATTEMPTS:
                    ERRORS.labels("outbox_dead").inc()
                    log.error(
                        "event given up after repeated publish failures",
                        extra={"event_id": str(row.id), "event_type": row.event_type},
                    )
                log.warning(
                    "event left in outbox for the next sweep",
                    extra={
                        "event_id": str(row.id),
                        "event_type": row.event_type,
                        "error": str(error),
                    },
                )
                break
            row.published_at = now
            published += 1
        return published
