"""The states a run, a reminder and a Slack delivery can be in.

StrEnums, so they compare equal to the strings the database and the events hold; the
tables' check constraints are built from them (shared.db.models), and the run's
transitions are methods on the model, so no module assigns a status by hand.
"""

from __future__ import annotations

from enum import StrEnum


class RunStatus(StrEnum):
    OPEN = "open"  # taking orders
    CLOSING = "closing"  # closed to orders; the close function is picking the runner
    CLOSED = "closed"  # a runner is going
    CANCELED = "canceled"  # nobody goes (canceled, no orders, idle, channel turned off)
    FAILED = "failed"  # Slack refused what the run needed, or kept failing for 30 minutes

    @property
    def ended(self) -> bool:
        return self in (RunStatus.CANCELED, RunStatus.FAILED)


class ReminderKind(StrEnum):
    RUNNER = "runner"  # the runner's DM before pickup
    LAST_CALL = "last_call"  # the channel's "last call" while the run is open


class ReminderStatus(StrEnum):
    SCHEDULED = "scheduled"
    DUE = "due"  # claimed by a tick; its reminder.due event is on its way
    SENT = "sent"
    SKIPPED = "skipped"
    CANCELED = "canceled"


class DeliveryStatus(StrEnum):
    PENDING = "pending"
    DONE = "done"
    FAILED = "failed"


def one_of(column: str, values: type[StrEnum]) -> str:
    """A check constraint's SQL: the column holds one of the enum's values."""
    return f"{column} IN ({', '.join(repr(v.value) for v in values)})"
