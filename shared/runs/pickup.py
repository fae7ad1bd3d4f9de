"""Turning a parsed pickup time into an instant, in the invoking person's timezone."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from shared.runs.command import ClockTime, CommandError, Delay, Pickup

FALLBACK_TZ = "UTC"


def zone(name: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(name or FALLBACK_TZ)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(FALLBACK_TZ)


def resolve_pickup(
    pickup: Pickup, *, now: datetime, tz_name: str | None
) -> datetime | CommandError:
    """The pickup instant (UTC), or why it can't be used.

    A clock time means today in the person's timezone; one that has already passed is
    refused rather than silently moved to tomorrow, because a coffee run is same-day.
    """
    if isinstance(pickup, Delay):
        return (now + timedelta(minutes=pickup.minutes)).astimezone(UTC)
    assert isinstance(pickup, ClockTime)
    tz = zone(tz_name)
    local_now = now.astimezone(tz)
    local = local_now.replace(hour=pickup.hour, minute=pickup.minute, second=0, microsecond=0)
    if local <= local_now:
        return CommandError(
            f"{pickup.written} has already passed today ({tz.key} time is "
            f"{local_now:%H:%M}). Pick a later time, or use `/coffee in 20m`."
        )
    return local.astimezone(UTC)
