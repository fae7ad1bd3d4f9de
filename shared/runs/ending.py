"""Ending an open run by hand: Close (the runner is picked next) or Cancel (nobody goes).

One rule for both (shared.runs.service.lock_open_run_for: the run must be open, and the
person its initiator or an admin), one transition on the run, one event each.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlmodel import Session

from shared.db.models import Run
from shared.refusal import Refusal
from shared.runs.closing import record_closed
from shared.runs.service import lock_open_run_for, record_update


class Ending(StrEnum):
    CLOSE = "close"  # stop taking orders; run.closed asks the close function for a runner
    CANCEL = "cancel"  # nobody goes


def end_open_run(
    *,
    session: Session,
    run_id: uuid.UUID,
    actor_id: str,
    now: datetime,
    ending: Ending,
    actor_is_admin: bool = False,
) -> Run | Refusal:
    run = lock_open_run_for(
        session=session,
        run_id=run_id,
        actor_id=actor_id,
        actor_is_admin=actor_is_admin,
        verb=ending.value,
    )
    if isinstance(run, Refusal):
        return run
    if ending is Ending.CLOSE:
        run.close_to_orders(by=actor_id, now=now)
        session.add(run)
        record_closed(session=session, run=run, now=now)
    else:
        run.cancel(by=actor_id, now=now)
        session.add(run)
        record_update(session=session, run=run, change="canceled", now=now)
    return run
