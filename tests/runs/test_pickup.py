from __future__ import annotations

from datetime import UTC, datetime

from shared.runs.command import ClockTime, CommandError, Delay
from shared.runs.pickup import resolve_pickup

NOW = datetime(2026, 7, 1, 12, 0, tzinfo=UTC)  # summer: Berlin is UTC+2


def test_clock_time_is_today_in_the_persons_zone():
    at = resolve_pickup(ClockTime(15, 30, "15:30"), now=NOW, tz_name="Europe/Berlin")
    assert at == datetime(2026, 7, 1, 13, 30, tzinfo=UTC)


def test_clock_time_already_passed_is_refused_not_moved_to_tomorrow():
    result = resolve_pickup(ClockTime(13, 0, "1pm"), now=NOW, tz_name="Europe/Berlin")
    assert isinstance(result, CommandError)
    assert "already passed" in result.message and "Europe/Berlin" in result.message


def test_unknown_or_missing_zone_falls_back_to_utc():
    for tz in (None, "Not/AZone", ""):
        assert resolve_pickup(ClockTime(12, 30, "12:30"), now=NOW, tz_name=tz) == datetime(
            2026, 7, 1, 12, 30, tzinfo=UTC
        )


def test_delay_is_relative_to_now():
    assert resolve_pickup(Delay(45, "in 45m"), now=NOW, tz_name="Asia/Tokyo") == datetime(
        2026, 7, 1, 12, 45, tzinfo=UTC
    )
