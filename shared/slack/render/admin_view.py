"""The admin surfaces: the settings modal, the audit list and the reset confirmation."""

from __future__ import annotations

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
    lines = [
        f"• {row.at:%Y-%m-%d %H:%M} UTC · <@{row.actor_id}> · {row.action_type} · "
        f"`{_short(row.details)}`"
        if row.actor_id.startswith("U")
        else f"• {row.at:%Y-%m-%d %H:%M} UTC · {row.actor_id} · {row.action_type} · "
        f"`{_short(row.details)}`"
        for row in rows
    ]
    return "*Recent CoffeeBuddy admin changes here*\n" + "\n".join(lines)


def _short(details: dict[str, Any]) -> str:
    text = str(details).replace("`", "'")
    return text if len(text) <= 180 else text[:177] + "..."


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
