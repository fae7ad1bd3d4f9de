"""A run as the renderers see it, built without a database: one latte per person named."""

from __future__ import annotations

import dataclasses
import uuid
from datetime import UTC, datetime
from typing import Any

from shared.runs.snapshot import OrderLine, RunSnapshot
from shared.statuses import RunStatus

PICKUP = datetime(2026, 11, 25, 9, 30, tzinfo=UTC)


def a_run(*people: str, status: RunStatus = RunStatus.OPEN, **changes: Any) -> RunSnapshot:
    """Started by U1 in C0COFFEE, pickup 09:30 UTC; ``changes`` replace any other field."""
    run = RunSnapshot(
        id=uuid.uuid4(),
        channel_id="C0COFFEE",
        initiator_id="U1",
        status=status,
        pickup_at=PICKUP,
        pickup_note=None,
        runner_id=None,
        message_ts="1.000",
        closed_by=None,
        close_note=None,
        arrived_at=None,
        orders=tuple(OrderLine(user_id=p, text="latte") for p in people),
    )
    return dataclasses.replace(run, **changes)
