"""A run as the people in the channel see it: what every renderer draws from."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from shared.db.models import Run
from shared.limits import may_still_decline
from shared.runs.repository import active_orders
from shared.statuses import RunStatus


@dataclass(frozen=True)
class OrderLine:
    user_id: str
    text: str


@dataclass(frozen=True)
class RunSnapshot:
    id: uuid.UUID
    channel_id: str
    initiator_id: str
    status: RunStatus
    pickup_at: datetime | None
    pickup_note: str | None
    runner_id: str | None
    message_ts: str | None
    closed_by: str | None
    close_note: str | None
    arrived_at: datetime | None
    orders: tuple[OrderLine, ...]
    failure_reason: str | None = None
    summary_ts: str | None = None
    runner_assigned_at: datetime | None = None

    @property
    def participant_count(self) -> int:
        return len(self.orders)

    def runner_may_hand_on(self, now: datetime) -> bool:
        """Whether the runner's "Can't go" still works (the rule ``shared.runs.decline``
        applies, so the button is shown exactly while the click would be taken)."""
        if self.status is not RunStatus.CLOSED or self.arrived_at:
            return False
        return may_still_decline(self.runner_assigned_at, now)


def snapshot(*, session: Session, run: Run) -> RunSnapshot:
    orders = active_orders(session=session, run_id=run.id)
    return RunSnapshot(
        id=run.id,
        channel_id=run.channel_id,
        initiator_id=run.initiator_id,
        status=run.status,
        pickup_at=run.pickup_at,
        pickup_note=run.pickup_note,
        runner_id=run.runner_id,
        message_ts=run.message_ts,
        closed_by=run.closed_by,
        close_note=run.runner_reason,
        arrived_at=run.arrived_at,
        orders=tuple(OrderLine(user_id=o.user_id, text=o.text) for o in orders),
        failure_reason=run.failure_reason,
        summary_ts=run.summary_ts,
        runner_assigned_at=run.runner_assigned_at,
    )
