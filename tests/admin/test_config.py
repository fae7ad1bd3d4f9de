from __future__ import annotations

import pytest

from shared.channels.config import RANGES, ChannelConfig, range_message, validate_changes
from shared.db.models import Channel


def test_valid_changes_are_typed():
    changes, errors = validate_changes(
        {"enabled": False, "reminder_offset_minutes": "12", "data_retention_days": 30}
    )
    assert errors == {}
    assert changes == {"enabled": False, "reminder_offset_minutes": 12, "data_retention_days": 30}


@pytest.mark.parametrize("field", sorted(RANGES))
def test_each_range_is_enforced_at_both_ends(field):
    low, high, _ = RANGES[field]
    assert validate_changes({field: low})[1] == {}
    assert validate_changes({field: high})[1] == {}
    assert validate_changes({field: low - 1})[1] == {field: range_message(field)}
    assert validate_changes({field: high + 1})[1] == {field: range_message(field)}


@pytest.mark.parametrize("value", ["ten", "1.5", "", True, None, 3.0, "9999999"])
def test_numbers_must_be_whole_numbers(value):
    assert "fairness_window_runs" in validate_changes({"fairness_window_runs": value})[1]


def test_switches_must_be_booleans_and_unknown_settings_are_errors():
    _, errors = validate_changes({"enabled": "yes", "colour": "blue"})
    assert set(errors) == {"enabled", "colour"}


def test_auto_close_may_be_left_empty_to_follow_the_reminder():
    assert validate_changes({"auto_close_minutes": ""})[0] == {"auto_close_minutes": None}
    assert validate_changes({"auto_close_minutes": None})[0] == {"auto_close_minutes": None}


def test_range_message_names_the_range_and_unit():
    assert range_message("reminder_offset_minutes") == (
        "Reminder offset must be a whole number from 1 to 60 minutes."
    )


def test_config_of_a_new_channel_has_the_documented_defaults():
    config = ChannelConfig.of(Channel(id="C1"))
    assert config.as_dict() == {
        "enabled": True,
        "reminders_enabled": True,
        "reminder_offset_minutes": 5,
        "last_call_enabled": False,
        "last_call_minutes": 10,
        "fairness_window_runs": 20,
        "data_retention_days": 90,
        "auto_close_minutes": None,
        "idle_cancel_minutes": 120,
    }
