"""Turning a parsed pickup time into an instant, in the invoking person's timezone."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from shared.runs.command import ClockTime, CommandError, Delay, Pickup
from shared.text import escape_mrkdwn

FALLBACK_TZ = "UTC"


def zone(name: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(name or FALLBACK_TZ)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return ZoneInfo(FALLBACK_TZ)


def resolve_pickup(
    pickup: Pickup, *, now: datetime, tz_name: str | None
) -> datetime | CommandError:
    """The pickup instant (UTC), or why it can't be used.

    A clock time means today in the person's timezone; one their clock has already passed
    is refused rather than silently moved to tomorrow, because a coffee run is same-day.
    Otherwise it is the first moment after now that their clock shows that time or later,
    one rule for the days the clocks change: a time the clocks skip (01:30 in London on the
    last Sunday of March) is the moment they jump (02:00 BST); a time they show twice (01:30
    on the last Sunday of October) is its first showing, or its second once the clocks have
    gone back. So a later time never resolves to an earlier instant.
    """
    if isinstance(pickup, Delay):
        return (now + timedelta(minutes=pickup.minutes)).astimezone(UTC)
    assert isinstance(pickup, ClockTime)
    tz = zone(tz_name)
    local_now = now.astimezone(tz)
    wall_now = local_now.replace(tzinfo=None)
    wall = datetime.combine(wall_now.date(), time(pickup.hour, pickup.minute))
    at = _first_showing(wall, tz, after=now) if wall > wall_now else None
    if at is None or at <= now:
        return CommandError(
            f"{escape_mrkdwn(pickup.written)} has already passed today ({tz.key} time is "
            f"{local_now:%H:%M}). Pick a later time, or use `/coffee in 20m`."
        )
    return at


def _shows(moment: datetime, tz: ZoneInfo) -> datetime:
    """The wall-clock time ``tz`` shows at ``moment``."""
    return moment.astimezone(tz).replace(tzinfo=None)


def _first_showing(wall: datetime, tz: ZoneInfo, *, after: datetime) -> datetime | None:
    """The first instant (UTC) after ``after`` at which the clock in ``tz`` shows ``wall`` or
    later: ``wall`` itself if the clock shows it again (its second showing, once the clocks
    have gone back past its first), else the jump over it; None if it has passed."""
    occurrences = sorted(
        {
            moment
            for fold in (0, 1)
            if _shows(moment := wall.replace(tzinfo=tz, fold=fold).astimezone(UTC), tz) == wall
        }
    )
    if occurrences:
        return next((moment for moment in occurrences if moment > after), None)
    # In the gap the clocks jump over: read with the offsets before and after the jump,
    # ``wall`` gives two instants on either side of it. The jump is the first second
    # between them at which the clock shows ``wall`` or later.
    low, high = sorted(
        int(wall.replace(tzinfo=tz, fold=fold).astimezone(UTC).timestamp()) for fold in (0, 1)
    )
    while high - low > 1:
        middle = (low + high) // 2
        if _shows(datetime.fromtimestamp(middle, UTC), tz) >= wall:
            high = middle
        else:
            low = middle
    return datetime.fromtimestamp(high, UTC)
