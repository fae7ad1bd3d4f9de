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

from shared.db.models import Run, SlackDelivery
from shared.delivery import ledger
from shared.delivery.kinds import Surface, redraw_key
from shared.delivery.redraws import ask_redraw
from shared.delivery.requests import record_nudge
from shared.limits import DECLINE_WINDOW
from shared.statuses import RunStatus

# How far back the tick looks for windows that ended: a tick this late still retires them.
_LOOK_BACK = timedelta(hours=1)


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
    """Redraw, once, the DM of each runner whose "Can't go" window has ended since the DM
    was last drawn (a drawing settled after the window's end already left the button out)."""
    ended = now - DECLINE_WINDOW
    runs = session.exec(
        select(Run.id, Run.runner_id, Run.runner_assigned_at).where(
            Run.status == RunStatus.CLOSED,
            col(Run.arrived_at).is_(None),
            col(Run.runner_dm_ts).is_not(None),
            col(Run.runner_assigned_at) < ended,
            col(Run.runner_assigned_at) >= ended - _LOOK_BACK,
        )
    ).all()
    by_key = {
        redraw_key(run_id, Surface.DM, runner or ""): (run_id, runner, assigned_at)
        for run_id, runner, assigned_at in runs
    }
    drawn = {
        row.key: row.updated_at
        for row in session.exec(select(SlackDelivery).where(col(SlackDelivery.key).in_(by_key)))
    }
    asked = 0
    for key, (run_id, runner, assigned_at) in by_key.items():
        last = drawn.get(key)  # none: the DM's drawing is not known yet, posting draws it
        if last is None or assigned_at is None or last >= assigned_at + DECLINE_WINDOW:
            continue
        ask_redraw(
            session=session, run_id=run_id, now=now, surface=Surface.DM, user_id=runner or ""
        )
        record_nudge(session=session, key=key, run_id=run_id, now=now)
        asked += 1
    return asked
