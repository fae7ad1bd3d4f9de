"""A channel's settings and their allowed ranges: pure validation for Slack and the ops API."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from shared.db.models import Channel

RANGES: dict[str, tuple[int, int, str]] = {
    "reminder_offset_minutes": (1, 60, "Reminder offset"),
    "last_call_minutes": (1, 60, "Last call"),
    "fairness_window_runs": (1, 100, "Fairness window"),
    "data_retention_days": (1, 365, "Data retention"),
    "idle_cancel_minutes": (10, 1440, "Idle cancel"),
    "auto_close_minutes": (0, 60, "Auto-close"),
}
# Left empty, auto-close follows the reminder offset.
OPTIONAL = frozenset({"auto_close_minutes"})
UNITS = {
    "reminder_offset_minutes": "minutes",
    "last_call_minutes": "minutes",
    "fairness_window_runs": "runs",
    "data_retention_days": "days",
    "idle_cancel_minutes": "minutes",
    "auto_close_minutes": "minutes before pickup (empty: the reminder offset)",
}
SWITCHES = ("enabled", "reminders_enabled", "last_call_enabled")
_DIGITS = re.compile(r"[0-9]{1,6}")


@dataclass(frozen=True)
class ChannelConfig:
    enabled: bool
    reminders_enabled: bool
    reminder_offset_minutes: int
    last_call_enabled: bool
    last_call_minutes: int
    fairness_window_runs: int
    data_retention_days: int
    auto_close_minutes: int | None
    idle_cancel_minutes: int

    @classmethod
    def of(cls, channel: Channel) -> ChannelConfig:
        return cls(**{name: getattr(channel, name) for name in cls.__dataclass_fields__})

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def range_message(field: str) -> str:
    low, high, label = RANGES[field]
    return f"{label} must be a whole number from {low} to {high} {UNITS[field]}."


def validate_changes(
    raw: Mapping[str, object],
) -> tuple[dict[str, bool | int | None], dict[str, str]]:
    """(typed changes, a message per offending field); unknown fields are errors too."""
    changes: dict[str, bool | int | None] = {}
    errors: dict[str, str] = {}
    for field, value in raw.items():
        if field in SWITCHES:
            if isinstance(value, bool):
                changes[field] = value
            else:
                errors[field] = f"{field} must be true or false."
        elif field in OPTIONAL and _left_empty(value):
            changes[field] = None
        elif field in RANGES:
            number = _whole_number(value)
            low, high, _ = RANGES[field]
            if number is None or not low <= number <= high:
                errors[field] = range_message(field)
            else:
                changes[field] = number
        else:
            errors[str(field)[:64]] = "Unknown setting."
    return changes, errors


def _left_empty(value: object) -> bool:
    """An optional setting cleared: null, a blank field (spaces of any kind), or "default"."""
    return value is None or (isinstance(value, str) and value.strip() in ("", "default"))


def _whole_number(value: object) -> int | None:
    """An int, or a string of up to six ASCII digits (what the settings modal's text fields
    hold). `str.isdigit` also likes "²" and "①", which `int` refuses, and other scripts'
    digits, which `int` reads: neither is what a person typing a number of minutes meant."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and _DIGITS.fullmatch(value.strip()):
        return int(value.strip())
    return None
