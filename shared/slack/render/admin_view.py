"""The admin surfaces: the settings modal, the audit list and the reset confirmation."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from shared.channels.config import OPTIONAL, RANGES, UNITS, ChannelConfig
from shared.db.models import ChannelAdminAction
from shared.slack.render.blocks import (
    Block,
    View,
    actions,
    button,
    checkboxes,
    confirm_dialog,
    modal,
    number_input,
    question,
    section,
)
from shared.text import escape_mrkdwn

CALLBACK_ADMIN = "admin_settings"
BLOCK_SWITCHES = "admin_switches"
INPUT_SWITCHES = "switches"
ACTION_RESET = "admin_reset"
SWITCH_LABELS = {
    "enabled": "CoffeeBuddy is on in this channel",
    "reminders_enabled": "Remind the runner before pickup",
    "last_call_enabled": "Post a last call before pickup",
}
NUMBER_LABELS = {
    "reminder_offset_minutes": "Reminder: minutes before pickup",
    "last_call_minutes": "Last call: minutes before pickup",
    "fairness_window_runs": "Fairness window: last N runs",
    "data_retention_days": "Keep run data for (days)",
    "auto_close_minutes": "Auto-close: minutes before pickup",
    "idle_cancel_minutes": "Cancel runs without pickup after idle (min)",
}


def number_block_id(field: str) -> str:
    return f"admin_{field}"


def admin_modal(channel_id: str, config: ChannelConfig) -> View:
    switches = checkboxes(
        INPUT_SWITCHES,
        [(name, label, bool(getattr(config, name))) for name, label in SWITCH_LABELS.items()],
    )
    blocks: list[Block] = [
        section(f"Settings for <#{channel_id}>. Every change is recorded in the audit log."),
        question(BLOCK_SWITCHES, "Switches", switches, optional=True),
    ]
    for field, label in NUMBER_LABELS.items():
        low, high, _ = RANGES[field]
        blocks.append(
            question(
                number_block_id(field),
                label,
                number_input(getattr(config, field)),
                hint=f"{low} to {high} {UNITS[field]}",
                optional=field in OPTIONAL,
            )
        )
    return modal(
        "CoffeeBuddy settings",
        blocks,
        close="Cancel",
        submit="Save",
        callback_id=CALLBACK_ADMIN,
        private_metadata=channel_id,
    )


def audit_text(rows: list[ChannelAdminAction]) -> str:
    if not rows:
        return "No admin changes have been recorded in this channel."
    lines = [f"• {_when(row.at)} · {_sentence(row)}" for row in rows]
    return "*Recent CoffeeBuddy admin changes here*\n" + "\n".join(lines)


def _when(at: datetime) -> str:
    """The day and time, which Slack shows every reader in their own timezone."""
    fallback = f"{at.astimezone(UTC):%Y-%m-%d %H:%M} UTC"
    return f"<!date^{int(at.timestamp())}^{{date_short_pretty}} {{time}}|{fallback}>"


_SLACK_ID = re.compile(r"[UW][A-Z0-9]+")
# A setting as the audit says it, and its unit (after the new value only: "to 10 min (was 5)").
_SETTINGS = {
    "reminder_offset_minutes": ("the reminder", "min"),
    "last_call_minutes": ("the last call", "min"),
    "fairness_window_runs": ("the fairness window", "runs"),
    "data_retention_days": ("data retention", "days"),
    "auto_close_minutes": ("auto-close", "min before pickup"),
    "idle_cancel_minutes": ("the idle cancel", "min"),
}
_SWITCHES = {
    "enabled": "CoffeeBuddy",
    "reminders_enabled": "reminders",
    "last_call_enabled": "the last call",
}


def _sentence(row: ChannelAdminAction) -> str:
    details = row.details if isinstance(row.details, dict) else {}
    if row.action_type == "forget_me":
        orders = _count(details.get("orders_anonymized"), "past order")
        withdrawn = _count(details.get("withdrawn"), "open order")
        return (
            f"Someone asked CoffeeBuddy to forget them ({orders} anonymised, {withdrawn} withdrawn)"
        )
    actor = _actor(row.actor_id)
    if row.action_type in ("enable", "disable"):
        return f"{actor} turned CoffeeBuddy {'on' if row.action_type == 'enable' else 'off'}"
    if row.action_type == "data_reset":
        deleted = _mapping(details.get("deleted"))
        counts = f"{_count(deleted.get('runs'), 'run')}, {_count(deleted.get('orders'), 'order')}"
        return f"{actor} reset the channel's data ({counts})"
    if row.action_type == "update_config":
        before, after = _mapping(details.get("before")), _mapping(details.get("after"))
        return f"{actor} {_config_change(before, after)}"
    return f"{actor}: {escape_mrkdwn(row.action_type.replace('_', ' '))}"


def _actor(actor_id: str) -> str:
    """A Slack user as a mention; anyone else (``ops:<subject>``) as recorded."""
    return f"<@{actor_id}>" if _SLACK_ID.fullmatch(actor_id) else escape_mrkdwn(actor_id)


def _config_change(before: dict[str, Any], after: dict[str, Any]) -> str:
    turned = [
        f"turned {_SWITCHES.get(name, _words(name))} {'on' if value else 'off'}"
        for name, value in after.items()
        if isinstance(value, bool)
    ]
    changed = [
        _setting(name, value, before.get(name))
        for name, value in after.items()
        if not isinstance(value, bool)
    ]
    clauses = turned + (["changed " + ", ".join(changed)] if changed else [])
    if not clauses:
        return "saved the settings"
    return clauses[0] if len(clauses) == 1 else f"{', '.join(clauses[:-1])} and {clauses[-1]}"


def _setting(name: str, value: object, was: object) -> str:
    label, unit = _SETTINGS.get(name, (_words(name), ""))
    if value is None:  # only auto-close may be empty: it then follows the reminder
        new = "to follow the reminder"
    else:
        new = f"to {escape_mrkdwn(str(value))} {unit}".rstrip()
    old = "with the reminder" if was is None else escape_mrkdwn(str(was))
    return f"{label} {new} (was {old})"


def _words(name: str) -> str:
    return escape_mrkdwn(name.replace("_", " "))


def _mapping(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _count(value: object, noun: str) -> str:
    count = value if isinstance(value, int) else 0
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def reset_prompt(channel_id: str) -> list[Block]:
    return [
        section(
            ":warning: *Reset CoffeeBuddy data in this channel?* This deletes every run, order, "
            "reminder and runner statistic here. Settings and the audit log are kept."
        ),
        actions(
            button(
                "Delete this channel's data",
                ACTION_RESET,
                channel_id,
                style="danger",
                confirm=confirm_dialog(
                    "Really delete?",
                    "All runs, orders, reminders and stats in this channel will be gone.",
                    "Delete",
                    "Keep data",
                ),
            )
        ),
    ]


def message_modal(text: str, title: str = "CoffeeBuddy settings") -> View:
    """A modal that only says something (not an admin, saving, saved)."""
    return modal(title, [section(text)])


SAVING_VIEW_TEXT = ":hourglass_flowing_sand: Saving…"


def settings_saved_text(before: ChannelConfig, after: ChannelConfig) -> str:
    """What a save changed, field by field, in the words of the modal."""
    changed = []
    for field, label in SWITCH_LABELS.items():
        if getattr(before, field) != getattr(after, field):
            changed.append(f"• {label}: {'on' if getattr(after, field) else 'off'}")
    for field, label in NUMBER_LABELS.items():
        old, new = getattr(before, field), getattr(after, field)
        if old != new:
            shown = "follows the reminder" if new is None else str(new)
            was = "follows the reminder" if old is None else str(old)
            changed.append(f"• {label}: {shown} (was {was})")
    if not changed:
        return ":white_check_mark: Saved. Nothing changed."
    return ":white_check_mark: Saved:\n" + "\n".join(changed)
