"""The audit list read as sentences, whatever an old or odd row holds."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from shared.db.models import ChannelAdminAction
from shared.slack.render.admin_view import audit_text

AT = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)


def said(actor: str, action: str, details: Any, at: datetime = AT) -> str:
    row = ChannelAdminAction(
        channel_id="C0COFFEE", actor_id=actor, action_type=action, details=details, at=at
    )
    _, line = audit_text([row]).splitlines()
    return line.split(" · ", 1)[1]


def test_every_setting_has_its_words():
    before = {
        "last_call_minutes": 10,
        "data_retention_days": 90,
        "idle_cancel_minutes": 120,
        "auto_close_minutes": None,
    }
    after = {
        "last_call_minutes": 15,
        "data_retention_days": 30,
        "idle_cancel_minutes": 60,
        "auto_close_minutes": 0,
    }
    assert said("W0ENTERPRISE", "update_config", {"before": before, "after": after}) == (
        "<@W0ENTERPRISE> changed the last call to 15 min (was 10), data retention to 30 days "
        "(was 90), the idle cancel to 60 min (was 120), auto-close to 0 min before pickup "
        "(was with the reminder)"
    )


def test_a_setting_it_has_no_words_for_is_named_plainly_never_as_a_dict():
    details = {"before": {"new_knob": 1, "shiny_switch": False}, "after": {"new_knob": 2}}
    assert said("U1", "update_config", details) == "<@U1> changed new knob to 2 (was 1)"
    details = {"before": {"shiny_switch": False}, "after": {"shiny_switch": True}}
    assert said("U1", "update_config", details) == "<@U1> turned shiny switch on"
    assert said("U1", "update_config", {}) == "<@U1> saved the settings"
    assert said("U1", "data_reset", []) == "<@U1> reset the channel's data (0 runs, 0 orders)"
    assert said("coffeebuddy", "auto_tidy", {}) == "coffeebuddy: auto tidy"


def test_the_fallback_time_is_utc_whatever_the_row_carries():
    noon_in_paris = datetime(2026, 11, 25, 10, 0, tzinfo=timezone(timedelta(hours=1)))
    row = ChannelAdminAction(
        channel_id="C0COFFEE", actor_id="U1", action_type="enable", details={}, at=noon_in_paris
    )
    _, line = audit_text([row]).splitlines()
    stamp = int(AT.timestamp())
    assert line.startswith(
        f"• <!date^{stamp}^{{date_short_pretty}} {{time}}|2026-11-25 09:00 UTC> "
    )


def test_no_rows_says_so():
    assert audit_text([]) == "No admin changes have been recorded in this channel."
