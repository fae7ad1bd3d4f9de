"""The per-minute sweep's part in delivery: hand on what is due for another try.

Runs in the reminders function's tick (no Slack call there): each pending delivery that
nobody holds and whose retry time has come gets a delivery.requested event, and the close
function tries again (or gives it up, once its deadline has passed).
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from shared.delivery import ledger
from shared.delivery.requests import record_nudge


def hand_on_due_deliveries(*, session: Session, now: datetime) -> int:
    """One nudge per run (its deliveries go in order) and per delivery of no run."""
    nudged: set[object] = set()
    keys = ledger.due_for_retry(session=session, now=now)
    for key in keys:
        row = ledger.get(session=session, key=key)
        if row is None:
            continue
        if (row.run_id or key) not in nudged:
            nudged.add(row.run_id or key)
            record_nudge(session=session, key=key, run_id=row.run_id, now=now)
        row.next_attempt_at = None
        row.updated_at = now  # not handed on again before the sweep after next
        session.add(row)
    return len(nudged)
