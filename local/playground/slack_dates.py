"""Slack's ``<!date^…>`` tokens, shown the way a reader in their own timezone sees them."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

_FIELD = re.compile(r"\{(\w+)\}")


def _ordinal(day: int) -> str:
    suffix = "th" if 11 <= day % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return f"{day}{suffix}"


def _pretty(day: date, today: date) -> str | None:
    names = {today: "today", today + timedelta(days=1): "tomorrow"}
    names[today - timedelta(days=1)] = "yesterday"
    return names.get(day)


def _ago(when: datetime, now: datetime) -> str:
    seconds = int((when - now).total_seconds())
    minutes = abs(seconds) // 60
    if minutes < 1:
        return "just now"
    span = f"{minutes} minute{'s' if minutes != 1 else ''}"
    if minutes >= 120:
        span = f"{minutes // 60} hours"
    return f"in {span}" if seconds > 0 else f"{span} ago"


def format_slack_date(timestamp: int, template: str, *, tz: ZoneInfo, now: datetime) -> str | None:
    """The template with its fields filled in, or None when a field is unknown."""
    when = datetime.fromtimestamp(timestamp, UTC)
    local = when.astimezone(tz)
    today = now.astimezone(tz).date()
    long_date = f"{local:%B} {_ordinal(local.day)}, {local.year}"
    short_date = f"{local:%b} {local.day}, {local.year}"
    values = {
        "date_num": f"{local:%Y-%m-%d}",
        "date": long_date,
        "date_short": short_date,
        "date_long": f"{local:%A}, {long_date}",
        "date_pretty": _pretty(local.date(), today) or long_date,
        "date_short_pretty": _pretty(local.date(), today) or short_date,
        "date_long_pretty": _pretty(local.date(), today) or f"{local:%A}, {long_date}",
        "time": f"{local:%H:%M}",
        "time_secs": f"{local:%H:%M:%S}",
        "ago": _ago(when, now),
    }
    unknown = [name for name in _FIELD.findall(template) if name not in values]
    if unknown:
        return None
    return _FIELD.sub(lambda m: values[m.group(1)], template)
