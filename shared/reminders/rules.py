"""When reminders fall due: plain time arithmetic.

The tick arrives once a minute, so a reminder is claimed by the first tick that sees it
within the tick's look-ahead (shared.tick) of its due time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from shared.statuses import ReminderKind, RunStatus


def runner_reminder_at(
    pickup_at: datetime | None, offset_minutes: int, now: datetime
) -> datetime | None:
    """Pickup minus the channel's offset; a time already past becomes "now"; None without pickup."""
    if pickup_at is None or pickup_at <= now:
        return None
    return max(pickup_at - timedelta(minutes=offset_minutes), now)


def last_call_at(
    closes_at: datetime | None, enabled: bool, minutes: int, now: datetime
) -> datetime | None:
    """The channel's "last call", ``minutes`` before the run closes by itself, if still ahead."""
    if not enabled or closes_at is None:
        return None
    at = closes_at - timedelta(minutes=minutes)
    return at if at > now else None


def minutes_until(pickup_at: datetime | None, now: datetime) -> int:
    if pickup_at is None:
        return 0
    return max(0, round((pickup_at - now).total_seconds() / 60))


def pickup_phrase(pickup_at: datetime | None, now: datetime) -> str:
    """How the pickup stands from ``now``, in words: "in about 5 min", "is now", or, for a
    reminder that went out late, "was 2 min ago"."""
    if pickup_at is None:
        return "is soon"
    minutes = round((pickup_at - now).total_seconds() / 60)
    if minutes >= 1:
        return f"in about {minutes} min"
    if minutes <= -1:
        return f"was {-minutes} min ago"
    return "is now"


# A reminder claimed for a due time further ahead than this (a clock moved back, a
# rescheduled pickup) is put back rather than sent early.
EARLIEST = timedelta(minutes=1)


def too_early(due_at: datetime, now: datetime) -> bool:
    return due_at - now > EARLIEST


@dataclass(frozen=True)
class DeliveryPlan:
    """What to do with a due reminder: send it to someone, or settle it without sending."""

    outcome: str  # sent | skipped | canceled | wait
    recipient: str  # runner | initiator | channel | none
    reason: str | None = None


def plan_delivery(
    *,
    kind: ReminderKind,
    run_status: RunStatus,
    has_runner: bool,
    reminders_enabled: bool,
    last_call_enabled: bool,
    closes_within_the_minute: bool = False,
    arrived: bool = False,
) -> DeliveryPlan:
    """Decided at delivery time, so a channel that turned reminders off gets none.

    A runner reminder for a run about to close by itself waits: the close (a tick later at
    most) sends the runner their DM, which settles the reminder."""
    if run_status.ended:
        return DeliveryPlan("canceled", "none", f"run {run_status}")
    if arrived:
        return DeliveryPlan("canceled", "none", "the coffee has arrived")
    if kind is ReminderKind.LAST_CALL:
        if not last_call_enabled:
            return DeliveryPlan("skipped", "none", "last call turned off")
        if run_status is not RunStatus.OPEN:
            return DeliveryPlan("skipped", "none", "run already closed")
        return DeliveryPlan("sent", "channel")
    if not reminders_enabled:
        return DeliveryPlan("skipped", "none", "reminders turned off in the channel")
    if run_status is RunStatus.CLOSING or (
        run_status is RunStatus.OPEN and closes_within_the_minute
    ):
        return DeliveryPlan("wait", "none", "runner being picked")
    if run_status is RunStatus.CLOSED and has_runner:
        return DeliveryPlan("sent", "runner")
    return DeliveryPlan("sent", "initiator", "run still open")
