"""`/coffee admin` in Slack: the settings modal, the audit list and the data reset.

These run inside the Slack-facing functions (not forwarded to the admin function): a modal
must open within 3 s of the command, and a forward could add a second cold start.
"""

from __future__ import annotations

from slack_sdk.errors import SlackApiError, SlackClientError

from shared.admin.access import NOT_ADMIN, is_admin
from shared.admin.changes import (
    InvalidSettings,
    UnknownChannel,
    change_settings,
    reset_data,
)
from shared.admin.config import RANGES, SWITCHES, ChannelConfig
from shared.admin.service import recent_actions
from shared.channels.repository import ensure_channel_of
from shared.db.engine import transaction
from shared.delivery.tell import tell
from shared.handlers.replies import SlackReply, empty, ephemeral, view_errors
from shared.observability.metrics import ERRORS
from shared.runtime import Runtime
from shared.slack.payloads import BlockAction, SlashCommand, ViewSubmission
from shared.slack.render.admin_view import (
    BLOCK_SWITCHES,
    INPUT_SWITCHES,
    admin_modal,
    audit_text,
    number_block_id,
    reset_prompt,
)

ADMIN_USAGE = (
    "`/coffee admin` opens this channel's settings, `/coffee admin audit` lists recent "
    "changes, `/coffee admin reset` deletes this channel's CoffeeBuddy data."
)


def handle_admin_command(rt: Runtime, cmd: SlashCommand, args: tuple[str, ...]) -> SlackReply:
    if not is_admin(rt, cmd.user_id):
        return ephemeral(NOT_ADMIN)
    word = args[0].lower() if args else ""
    if word == "audit":
        with transaction(rt.engine) as session:
            return ephemeral(audit_text(recent_actions(session=session, channel_id=cmd.channel_id)))
    if word == "reset":
        return ephemeral("Reset this channel's data?", reset_prompt(cmd.channel_id))
    if word:
        return ephemeral(f"I don't know `admin {word[:20]}`. {ADMIN_USAGE}")
    with transaction(rt.engine) as session:
        channel = ensure_channel_of(session=session, cmd=cmd, settings=rt.settings)
        view = admin_modal(channel.id, ChannelConfig.of(channel))
    try:
        rt.slack.views_open(trigger_id=cmd.trigger_id, view=view)
    except (SlackApiError, SlackClientError, OSError):
        ERRORS.labels("slack_api").inc()
        return ephemeral("I couldn't open the settings in time. Please try again.")
    return empty()


def _submitted(submission: ViewSubmission) -> dict[str, object]:
    ticked = submission.selected(BLOCK_SWITCHES, INPUT_SWITCHES)
    raw: dict[str, object] = {name: name in ticked for name in SWITCHES}
    for field in RANGES:
        raw[field] = submission.input_value(number_block_id(field), "value") or ""
    return raw


def submit_admin_settings(rt: Runtime, submission: ViewSubmission) -> SlackReply:
    if not is_admin(rt, submission.user_id):
        return view_errors({BLOCK_SWITCHES: NOT_ADMIN})
    outcome = change_settings(
        rt,
        channel_id=submission.private_metadata,
        actor=submission.user_id,
        raw=_submitted(submission),
    )
    if isinstance(outcome, InvalidSettings):
        return view_errors(
            {
                (BLOCK_SWITCHES if field in SWITCHES else number_block_id(field)): message
                for field, message in outcome.errors.items()
            }
        )
    if isinstance(outcome, UnknownChannel):
        return view_errors({BLOCK_SWITCHES: "This channel has no CoffeeBuddy settings yet."})
    return empty()


def reset_from_button(rt: Runtime, action: BlockAction) -> SlackReply:
    if not is_admin(rt, action.user_id):
        tell(rt, action, NOT_ADMIN)
        return empty()
    outcome = reset_data(
        rt, channel_id=action.value, actor=action.user_id, actor_label=f"<@{action.user_id}>"
    )
    if isinstance(outcome, UnknownChannel):
        tell(rt, action, "There is no CoffeeBuddy data in this channel.")
    return empty()
