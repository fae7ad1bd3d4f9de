"""Ending an open run in a unit of work of its own: the initiator's click, or an admin's."""

from __future__ import annotations

import uuid

from shared.db.models import Run
from shared.observability.metrics import RUNS
from shared.refusal import Refusal
from shared.runs.ending import Ending, end_open_run
from shared.runtime import Runtime
from shared.unit_of_work import unit_of_work


def end_run(
    rt: Runtime, *, run_id: uuid.UUID, actor_id: str, ending: Ending, actor_is_admin: bool = False
) -> Run | Refusal:
    """Close or cancel now; run.closed or run.updated is published once it has committed."""
    with unit_of_work(rt) as session:
        outcome = end_open_run(
            session=session,
            run_id=run_id,
            actor_id=actor_id,
            now=rt.clock.now(),
            ending=ending,
            actor_is_admin=actor_is_admin,
        )
    if isinstance(outcome, Run) and ending is Ending.CANCEL:
        RUNS.labels("canceled").inc()
    return outcome
