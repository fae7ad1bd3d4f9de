"""`/coffee admin` in Slack: the settings modal, the audit list and the data reset.

These run inside the Slack-facing functions (not forwarded to the admin function): a modal
must open within 3 s of the command, and a forward could add a second cold start.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import partial

from slack_sdk.errors import SlackApiError, SlackClientError
from sqlmodel import col, select

from shared.admin.access import NOT_ADMIN, is_admin
from shared.admin.config import RANGES, SWITCHES, ChannelConfig, validate_changes
from shared.admin.service import apply_config, lock_channel, recent_actions, reset_channel
from shared.channels.repository import ensure_channel
from shared.db.engine import transaction
from shared.db.models import Run
from shared.events.delivery import publish_recorded
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
from shared.slack.render.blocks import context
from shared.slack.run_message_sync import refresh_run_message

log = logging.getLogger(__name__)

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
        channel = ensure_channel(
            session=session,
            channel_id=cmd.channel_id,
            team_id=cmd.team_id,
            name=cmd.channel_name,
            default_reminder_minutes=rt.settings.channel_default_reminder_minutes,
            default_retention_days=rt.settings.channel_default_retention_days,
        )
        view = admin_modal(channel.id, ChannelConfig.of(channel))
    try:
        rt.slack.views_open(trigger_id=cmd.trigger_id, view=view)
    except (SlackApiError, SlackClientError, OSError):
        ERRORS.labels("slack_api").inc()
        return ephemeral("I couldn't open the settings in time. Please try again.")
    return empty()


def _submitted_changes(submission: ViewSubmission) -> dict[str, object]:
    ticked = submission.selected(BLOCK_SWITCHES, INPUT_SWITCHES)
    raw: dict[str, object] = {name: name in ticked for name in SWITCHES}
    for field in RANGES:
        raw[field] = submission.input_value(number_block_id(field), "value") or ""
    return raw


def submit_admin_settings(rt: Runtime, submission: ViewSubmission) -> SlackReply:
    if not is_admin(rt, submission.user_id):
        return view_errors({BLOCK_SWITCHES: NOT_ADMIN})
    changes, errors = validate_changes(_submitted_changes(submission))
    if errors:
        return view_errors(
            {
                (BLOCK_SWITCHES if field in SWITCHES else number_block_id(field)): message
                for field, message in errors.items()
            }
        )
    with transaction(rt.engine) as session:
        channel = lock_channel(session=session, channel_id=submission.private_metadata)
        if channel is None:
            return view_errors({BLOCK_SWITCHES: "This channel has no CoffeeBuddy settings yet."})
        change = apply_config(
            session=session,
            channel=channel,
            actor=submission.user_id,
            changes=changes,
            now=rt.clock.now(),
        )
        canceled = [run.id for run in change.canceled_runs]
    publish_recorded(rt, session)
    for run_id in canceled:
        refresh_run_message(rt, run_id)
    log.info("channel settings changed", extra={"actions": change.actions})
    return empty()


def reset_from_button(rt: Runtime, action: BlockAction) -> SlackReply:
    channel_id = action.value
    if not is_admin(rt, action.user_id):
        _tell(rt, action, NOT_ADMIN)
        return empty()
    with transaction(rt.engine) as session:
        channel = lock_channel(session=session, channel_id=channel_id)
        if channel is None:
            _tell(rt, action, "There is no CoffeeBuddy data in this channel.")
            return empty()
        visible = list(
            session.exec(
                select(Run.message_ts).where(
                    Run.channel_id == channel_id, col(Run.status).in_(("open", "closing"))
                )
            ).all()
        )
        counts = reset_channel(
            session=session, channel=channel, actor=action.user_id, now=rt.clock.now()
        )
    for ts in visible:
        if ts:
            _quietly(
                rt,
                partial(
                    rt.slack.chat_update,
                    channel=channel_id,
                    ts=ts,
                    text="Removed by a data reset.",
                    blocks=[context(":wastebasket: This run was removed by a data reset.")],
                ),
            )
    _quietly(
        rt,
        lambda: rt.slack.chat_postMessage(
            channel=channel_id,
            text=f"<@{action.user_id}> reset CoffeeBuddy's data in this channel "
            f"({counts.runs} runs, {counts.orders} orders). Settings are unchanged.",
        ),
    )
    log.info("channel data reset", extra={"deleted": counts.as_dict()})
    return empty()


def _tell(rt: Runtime, action: BlockAction, text: str) -> None:
    if action.channel_id:
        _quietly(
            rt,
            lambda: rt.slack.chat_postEphemeral(
                channel=action.channel_id or "", user=action.user_id, text=text
            ),
        )


def _quietly(rt: Runtime, call: Callable[[], object]) -> None:
    try:
        call()
    except (SlackApiError, SlackClientError, OSError):
        ERRORS.labels("slack_api").inc()
        log.warning("slack call failed after an admin action")
