"""The admin function's daily tick: purge what is past retention, in one transaction."""

from __future__ import annotations

import logging

from shared.admin.retention import purge_expired
from shared.db.engine import transaction
from shared.events.catalog import Tick
from shared.events.envelope import Event
from shared.observability.metrics import PURGED
from shared.runtime import Runtime

log = logging.getLogger(__name__)


def handle_retention_tick(rt: Runtime, _tick: Tick, _event: Event) -> None:
    with transaction(rt.engine) as session:
        counts = purge_expired(
            session=session,
            now=rt.clock.now(),
            audit_retention_days=rt.settings.audit_retention_days,
        )
    for kind, count in counts.as_dict().items():
        PURGED.labels(kind).inc(count)
    log.info("retention purge done", extra={"deleted": counts.as_dict()})
