"""A run as Slack should show it now, read in a short transaction of its own."""

from __future__ import annotations

import uuid

from shared.db.engine import transaction
from shared.runs.repository import get_run
from shared.runs.snapshot import RunSnapshot, snapshot
from shared.runtime import Runtime


def load(rt: Runtime, run_id: uuid.UUID | None) -> RunSnapshot | None:
    if run_id is None:
        return None
    with transaction(rt.engine) as session:
        run = get_run(session=session, run_id=run_id)
        return None if run is None else snapshot(session=session, run=run)
