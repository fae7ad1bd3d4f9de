"""One unit of work: a transaction that, once committed, publishes the events it recorded.

Every state change that records events goes through :func:`unit_of_work`, so no handler
repeats "commit, then publish" (the outbox sweep publishes whatever a crash left behind).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlmodel import Session

from shared.db.engine import transaction
from shared.events.outbox import publish_pending, recorded_ids
from shared.runtime import Runtime


@contextmanager
def unit_of_work(rt: Runtime) -> Iterator[Session]:
    with transaction(rt.engine) as session:
        yield session
    ids = recorded_ids(session)
    if ids:
        publish_pending(rt.engine, rt.publisher, now=rt.clock.now(), ids=ids)
