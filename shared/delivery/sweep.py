"""The per-minute sweep's part in delivery: hand on what is due for another try.

Runs in the reminders function's tick (no Slack call there): each pending delivery that
nobody holds and whose retry time has come gets a delivery.requested event, and the close
function tries again (or gives it up, once its deadline has passed). The tick also asks
for a fresh drawing of each runner DM whose "Can't go" window has just ended, so the
button goes away when it stops working.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from shared.db.models import Run
from shared.delivery import ledger
from shared.delivery.kinds import Surface, redraw_key
from shared.delivery.redraws import ask_redraw
from shared.delivery.requests import record_nudge
from shared.limits import DECLINE_WINDOW
from shared.statuses import RunStatus

# The tick runs every minute; a window that ended in the last two is caught even when one
# tick is late. Asking twice costs nothing: a drawing Slack already shows is not sent.
_RECENTLY = timedelta(minutes=2)


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


def retire_hand_on_buttons(*, session: Session, now: datetime) -> int:
    """Redraw the DM of each runner whose "Can't go" window ended in the last minutes."""
    ended = now - DECLINE_WINDOW
    runs = session.exec(
        select(Run.id, Run.runner_id).where(
            Run.status == RunStatus.CLOSED,
            col(Run.arrived_at).is_(None),
            col(Run.runner_dm_ts).is_not(None),
            col(Run.runner_assigned_at) < ended,
            col(Run.runner_assigned_at) >= ended - _RECENTLY,
        )
    ).all()
    for run_id, runner in runs:
        key = redraw_key(run_id, Surface.DM, runner or "")
        if ledger.get(session=session, key=key) is None:
            continue  # the DM's drawing is not known yet: posting it draws the latest state
        ask_redraw(
            session=session, run_id=run_id, now=now, surface=Surface.DM, user_id=runner or ""
        )
        record_nudge(session=session, key=key, run_id=run_id, now=now)
    return len(runs)
