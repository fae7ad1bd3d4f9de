"""Pickup times on the days the clocks change: one rule (the first moment after now that the
person's clock shows the time or later), so a later time never means an earlier instant."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo, available_timezones

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shared.runs.command import ClockTime, CommandError
from shared.runs.pickup import resolve_pickup

ZONES = sorted(available_timezones())


def at(hour: int, minute: int, *, now: datetime, tz: str) -> datetime | CommandError:
    return resolve_pickup(ClockTime(hour, minute, f"{hour}:{minute:02d}"), now=now, tz_name=tz)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


# Europe/London, 2026-03-29: at 01:00 GMT the clocks go to 02:00 BST; 01:xx doesn't exist.
SPRING_LONDON = utc(2026, 3, 29, 0, 10)  # 00:10 GMT


def test_a_skipped_time_is_the_moment_the_clocks_jump():
    assert at(1, 30, now=SPRING_LONDON, tz="Europe/London") == utc(2026, 3, 29, 1, 0)  # 02:00 BST
    assert at(1, 0, now=SPRING_LONDON, tz="Europe/London") == utc(2026, 3, 29, 1, 0)


def test_a_skipped_time_is_never_later_than_a_real_time_after_it():
    skipped = at(1, 30, now=SPRING_LONDON, tz="Europe/London")
    real = at(2, 15, now=SPRING_LONDON, tz="Europe/London")

    assert real == utc(2026, 3, 29, 1, 15)  # 02:15 BST
    assert isinstance(skipped, datetime) and isinstance(real, datetime) and skipped <= real


def test_new_york_skips_two_oclock_in_march():
    now = utc(2026, 3, 8, 5, 0)  # midnight EST
    assert at(2, 30, now=now, tz="America/New_York") == utc(2026, 3, 8, 7, 0)  # 03:00 EDT
    assert at(3, 15, now=now, tz="America/New_York") == utc(2026, 3, 8, 7, 15)
    assert at(1, 59, now=now, tz="America/New_York") == utc(2026, 3, 8, 6, 59)  # 01:59 EST


# Europe/London, 2026-10-25: at 02:00 BST the clocks go back to 01:00 GMT; 01:xx shows twice.
def test_a_time_shown_twice_is_its_first_showing():
    before = utc(2026, 10, 24, 23, 30)  # 00:30 BST
    assert at(1, 30, now=before, tz="Europe/London") == utc(2026, 10, 25, 0, 30)  # 01:30 BST
    assert at(2, 0, now=before, tz="Europe/London") == utc(2026, 10, 25, 2, 0)


def test_a_time_shown_twice_is_its_second_showing_once_the_clocks_have_gone_back():
    after_going_back = utc(2026, 10, 25, 1, 10)  # 01:10 GMT, the second time round
    assert at(1, 30, now=after_going_back, tz="Europe/London") == utc(2026, 10, 25, 1, 30)
    assert isinstance(at(1, 5, now=after_going_back, tz="Europe/London"), CommandError)


def test_a_time_the_clock_has_passed_before_going_back_is_refused():
    """At 01:40 BST, 01:20 has passed on the person's clock: refused, even though the clock
    will show it again at 01:20 GMT, which would be later than 01:50 BST."""
    first_time_round = utc(2026, 10, 25, 0, 40)  # 01:40 BST
    assert isinstance(at(1, 20, now=first_time_round, tz="Europe/London"), CommandError)
    assert at(1, 50, now=first_time_round, tz="Europe/London") == utc(2026, 10, 25, 0, 50)


def test_new_york_shows_one_thirty_twice_in_november():
    assert at(1, 30, now=utc(2026, 11, 1, 4, 0), tz="America/New_York") == utc(2026, 11, 1, 5, 30)
    assert at(1, 30, now=utc(2026, 11, 1, 6, 5), tz="America/New_York") == utc(2026, 11, 1, 6, 30)


@cache
def _change_days(zone: str, year: int) -> tuple[date, ...]:
    """The local dates in ``year`` on which ``zone``'s offset changes."""
    tz = ZoneInfo(zone)
    days = []
    moment = datetime(year, 1, 1, tzinfo=UTC)
    offset = moment.astimezone(tz).utcoffset()
    while moment.year == year:
        later = moment + timedelta(hours=6)
        if later.astimezone(tz).utcoffset() != offset:
            offset = later.astimezone(tz).utcoffset()
            days.append(later.astimezone(tz).date())
        moment = later
    return tuple(days)


@st.composite
def days_and_nows(draw: st.DrawFn) -> tuple[str, datetime]:
    """A zone, and a moment on one of its days: most often a day its clocks change."""
    zone = draw(st.sampled_from(ZONES))
    year = draw(st.integers(1970, 2037))
    changes = _change_days(zone, year)
    if changes and draw(st.integers(0, 4)):
        day = draw(st.sampled_from(changes))
    else:
        day = date(year, 1, 1) + timedelta(days=draw(st.integers(0, 364)))
    midnight = datetime.combine(day, time(0), tzinfo=ZoneInfo(zone)).astimezone(UTC)
    seconds = draw(st.just(0) | st.integers(-3600, 26 * 3600))
    return zone, midnight + timedelta(seconds=seconds)


def _shows(moment: datetime, zone: str) -> datetime:
    return moment.astimezone(ZoneInfo(zone)).replace(tzinfo=None)


@given(case=days_and_nows(), first=st.integers(0, 4))
@settings(max_examples=80, deadline=None)
def test_a_later_wall_time_never_resolves_earlier_in_any_zone_on_any_day(case, first: int):
    zone, now = case
    today = _shows(now, zone).date()
    latest = now
    accepted = False
    for minute in range(first, 24 * 60, 5):
        wall = datetime.combine(today, time(minute // 60, minute % 60))
        result = at(minute // 60, minute % 60, now=now, tz=zone)
        if isinstance(result, CommandError):
            assert not accepted, f"{wall} refused after an earlier time was accepted"
            assert "already passed" in result.message
            continue
        accepted = True
        assert result.tzinfo is not None and result > now
        assert result >= latest, f"{wall} resolves before an earlier wall time"
        assert _shows(result, zone) >= wall  # never before the time asked for
        assert _shows(result - timedelta(seconds=1), zone) < wall or _shows(result, zone) == wall
        latest = result


@given(name=st.text(max_size=80) | st.sampled_from(["America", "../etc", "UTC/", "zone.tab"]))
@settings(max_examples=200, deadline=None)
def test_any_timezone_name_resolves_or_falls_back_to_utc(name: str):
    result = at(23, 59, now=utc(2026, 7, 1, 0, 0), tz=name)

    assert isinstance(result, datetime | CommandError)


@pytest.mark.parametrize("zone", ["Europe/London", "America/New_York", "Australia/Lord_Howe"])
def test_every_minute_of_an_ordinary_day_is_itself(zone: str):
    tz = ZoneInfo(zone)
    now = datetime(2026, 6, 10, 0, 0, tzinfo=tz).astimezone(UTC)
    for minute in range(1, 24 * 60):
        expected = datetime(2026, 6, 10, minute // 60, minute % 60, tzinfo=tz).astimezone(UTC)
        assert at(minute // 60, minute % 60, now=now, tz=zone) == expected
