"""`/coffee`: parse, validate, persist the run, post its message; answer inside Slack's budget."""

from __future__ import annotations

import logging
import uuid

from slack_sdk.errors import SlackApiError, SlackClientError

from shared.channels.repository import ensure_channel_of
from shared.db.engine import transaction
from shared.events.delivery import publish_recorded
from shared.handlers.admin_slack import handle_admin_command
from shared.handlers.forget_me import offer_forget_me
from shared.handlers.replies import SlackReply, empty, ephemeral
from shared.handlers.stats import show_stats
from shared.observability.logging import current_correlation_id
from shared.observability.metrics import ERRORS, RUNS
from shared.refusal import Refusal
from shared.runs.command import (
    Admin,
    CommandError,
    ForgetMe,
    ShowHelp,
    ShowStats,
    StartRun,
    parse_command,
)
from shared.runs.pickup import resolve_pickup
from shared.runs.repository import get_run
from shared.runs.service import AlreadyStarted, mark_failed, start_run
from shared.runs.snapshot import snapshot
from shared.runtime import Runtime
from shared.slack.payloads import SlashCommand
from shared.slack.render.blocks import Block
from shared.slack.render.notices import help_text
from shared.slack.render.run_message import run_message
from shared.users.timezone import timezone_for

log = logging.getLogger(__name__)

POST_FAILED = {
    "not_in_channel": "I'm not in this channel yet: invite me with `/invite @CoffeeBuddy`, "
    "then try again.",
    "channel_not_found": "I can't post in this channel: invite me with `/invite @CoffeeBuddy`.",
    "is_archived": "This channel is archived, so I can't start a run here.",
}


def handle_slash_command(rt: Runtime, cmd: SlashCommand) -> SlackReply:
    parsed = parse_command(cmd.text)
    if isinstance(parsed, CommandError):
        return ephemeral(parsed.message)
    if isinstance(parsed, ShowHelp):
        return ephemeral(help_text(parsed.unknown_word))
    if isinstance(parsed, Admin):
        return handle_admin_command(rt, cmd, parsed.args)
    if isinstance(parsed, ShowStats):
        return show_stats(rt, cmd)
    if isinstance(parsed, ForgetMe):
        return offer_forget_me(cmd)
    return _start(rt, cmd, parsed)


def _start(rt: Runtime, cmd: SlashCommand, parsed: StartRun) -> SlackReply:
    pickup_at = None
    if parsed.pickup is not None:
        tz = timezone_for(rt, user_id=cmd.user_id, team_id=cmd.team_id, name=cmd.user_name)
        resolved = resolve_pickup(parsed.pickup, now=rt.clock.now(), tz_name=tz)
        if isinstance(resolved, CommandError):
            return ephemeral(resolved.message)
        pickup_at = resolved
    with transaction(rt.engine) as session:
        channel = ensure_channel_of(session=session, cmd=cmd, settings=rt.settings)
        outcome = start_run(
            session=session,
            channel=channel,
            initiator_id=cmd.user_id,
            pickup_at=pickup_at,
            note=parsed.note,
            trigger_id=cmd.trigger_id,
            correlation_id=current_correlation_id(),
            now=rt.clock.now(),
        )
        if isinstance(outcome, Refusal):
            return ephemeral(outcome.message)
        if isinstance(outcome, AlreadyStarted):
            log.info("repeated /coffee ignored", extra={"run_id": str(outcome.run.id)})
            return empty()
        run_id = outcome.id
        text, blocks = run_message(snapshot(session=session, run=outcome))
    publish_recorded(rt, session)
    RUNS.labels("open").inc()
    log.info("run started", extra={"run_id": str(run_id), "channel_id": cmd.channel_id})
    return _post_run_message(rt, cmd, run_id, text, blocks)


def _post_run_message(
    rt: Runtime, cmd: SlashCommand, run_id: uuid.UUID, text: str, blocks: list[Block]
) -> SlackReply:
    try:
        response = rt.slack.chat_postMessage(channel=cmd.channel_id, text=text, blocks=blocks)
        ts = str(response["ts"])
    except (SlackApiError, SlackClientError, OSError) as error:
        ERRORS.labels("slack_api").inc()
        code = str(error.response.get("error", "")) if isinstance(error, SlackApiError) else ""
        reason = f"could not post the run message ({code or type(error).__name__})"
        with transaction(rt.engine) as session:
            run = get_run(session=session, run_id=run_id, lock="update")
            if run is not None:
                mark_failed(session=session, run=run, reason=reason, now=rt.clock.now())
        RUNS.labels("failed").inc()
        log.warning("run message not posted", extra={"run_id": str(run_id), "reason": reason})
        return ephemeral(
            POST_FAILED.get(code, "I couldn't post the run in this channel. Please try again.")
        )
    with transaction(rt.engine) as session:
        run = get_run(session=session, run_id=run_id, lock="update")
        if run is not None:
            run.message_ts = ts
            session.add(run)
    return empty()
