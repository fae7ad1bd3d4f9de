"""The runner is back: recorded once, by the runner only."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from shared.db.models import Run
from shared.refusal import Refusal
from shared.runs.repository import get_run
from shared.statuses import RunStatus


@dataclass(frozen=True)
class Arrived:
    run: Run
    newly: bool  # False for a repeat click: nothing changes


def mark_arrived(
    *, session: Session, run_id: uuid.UUID, actor_id: str, now: datetime
) -> Arrived | Refusal:
    """The run, row-locked, with ``arrived_at`` set now (or already set: a repeat click)."""
    run = get_run(session=session, run_id=run_id, lock="update")
    if run is None or run.status is not RunStatus.CLOSED or run.runner_id is None:
        return Refusal("That coffee run isn't waiting for its runner.")
    if actor_id != run.runner_id:
        return Refusal(f"Only the runner, <@{run.runner_id}>, can say the coffee has arrived.")
    newly = run.arrive(now=now)
    session.add(run)
    return Arrived(run, newly=newly)
