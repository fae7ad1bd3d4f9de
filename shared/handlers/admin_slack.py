"""`/coffee admin`'s clicks and submissions in the interactions function.

Whether the person is an admin is Slack's to say (``users.info``), which is a Web API call
no Slack-facing request makes before it answers. So the settings are validated here (pure:
out-of-range values get their field errors at once), and the change itself is handed on as
a ``coffeebuddy.action.requested`` event; the close function checks the person and applies
it (shared.handlers.admin_actions), then says what happened.
"""

from __future__ import annotations

from shared.admin.handoff import request_action
from shared.channels.config import RANGES, SWITCHES, validate_changes
from shared.events import catalog
from shared.runtime import Runtime
from shared.slack.payloads import BlockAction, ViewSubmission
from shared.slack.render.admin_view import (
    BLOCK_SWITCHES,
    INPUT_SWITCHES,
    SAVING_VIEW_TEXT,
    message_modal,
    number_block_id,
)
from shared.slack.replies import SlackReply, empty, view_errors, view_update


def _submitted(submission: ViewSubmission) -> dict[str, str | bool]:
    ticked = submission.selected(BLOCK_SWITCHES, INPUT_SWITCHES)
    raw: dict[str, str | bool] = {name: name in ticked for name in SWITCHES}
    for field in RANGES:
        raw[field] = submission.input_value(number_block_id(field), "value") or ""
    return raw


def submit_admin_settings(rt: Runtime, submission: ViewSubmission) -> SlackReply:
    raw = _submitted(submission)
    _, errors = validate_changes(raw)
    if errors:
        return view_errors(
            {
                (BLOCK_SWITCHES if field in SWITCHES else number_block_id(field)): message
                for field, message in errors.items()
            }
        )
    request_action(
        rt,
        catalog.ActionRequested(
            action="admin_settings",
            user_id=submission.user_id,
            channel_id=submission.private_metadata[:32] or None,
            view_id=submission.view_id,
            values=raw,
        ),
    )
    return view_update(message_modal(SAVING_VIEW_TEXT))


def reset_from_button(rt: Runtime, action: BlockAction) -> SlackReply:
    request_action(
        rt,
        catalog.ActionRequested(
            action="admin_reset", user_id=action.user_id, channel_id=action.value[:32] or None
        ),
    )
    return empty()
