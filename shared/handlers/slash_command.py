"""`/coffee`: parse, validate, persist the run, post its message; answer inside Slack's budget."""

from __future__ import annotations

import logging

from shared.channels.repository import ensure_channel_of
from shared.delivery import ledger
from shared.delivery.kinds import DeliveryKind, run_message_key
from shared.delivery.requests import record_nudge
from shared.events.unit_of_work import unit_of_work
from shared.handlers.admin_slack import handle_admin_command
from shared.handlers.forget_me import offer_forget_me
from shared.handlers.replies import SlackReply, empty, ephemeral
from shared.handlers.stats import show_stats
from shared.observability.logging import current_correlation_id
from shared.observability.metrics import RUNS
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
from shared.runs.service import AlreadyStarted, start_run
from shared.runtime import Runtime
from shared.slack.payloads import SlashCommand
from shared.slack.render.notices import help_text
from shared.users.timezone import timezone_for

log = logging.getLogger(__name__)


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
    now = rt.clock.now()
    with unit_of_work(rt) as session:
        channel = ensure_channel_of(session=session, cmd=cmd, settings=rt.settings)
        outcome = start_run(
            session=session,
            channel=channel,
            initiator_id=cmd.user_id,
            pickup_at=pickup_at,
            note=parsed.note,
            trigger_id=cmd.trigger_id,
            correlation_id=current_correlation_id(),
            now=now,
        )
        if isinstance(outcome, Refusal):
            return ephemeral(outcome.message)
        if isinstance(outcome, AlreadyStarted):
            log.info("repeated /coffee ignored", extra={"run_id": str(outcome.run.id)})
            return empty()
        run_id = outcome.id
        ledger.ask(
            session=session,
            key=run_message_key(run_id),
            kind=DeliveryKind.RUN_MESSAGE,
            now=now,
            run_id=run_id,
            payload={"response_url": cmd.response_url},
        )
        record_nudge(session=session, key=run_message_key(run_id), run_id=run_id, now=now)
    RUNS.labels("open").inc()
    log.info("run started", extra={"run_id": str(run_id), "channel_id": cmd.channel_id})
    return empty()
