"""After a transaction commits: publish the events it recorded (the sweep catches misses)."""

from __future__ import annotations

from sqlmodel import Session

from shared.events.outbox import publish_pending, recorded_ids
from shared.runtime import Runtime


def publish_recorded(rt: Runtime, session: Session) -> int:
    """Publish the outbox rows ``session`` wrote; call only after it committed."""
    ids = recorded_ids(session)
    if not ids:
        return 0
    return publish_pending(rt.engine, rt.publisher, now=rt.clock.now(), ids=ids)
