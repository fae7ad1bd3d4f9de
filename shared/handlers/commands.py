"""The close function's half of `/coffee`: what the slash intake handed on.

A run start is persisted with its run message asked for, then delivered; stats and the
admin commands are answered. Every answer goes back through the command's
``response_url`` (or the loading modal the intake opened), keyed on the command's event id
so a redelivered command answers once; a redelivered start finds its run by trigger_id.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlmodel import Session

from shared.admin.access import NOT_ADMIN, is_admin
from shared.admin.service import recent_actions
from shared.channels.config import ChannelConfig
from shared.channels.repository import ensure_channel
from shared.db.engine import transaction
from shared.db.models import Channel, Run
from shared.delivery import ledger
from shared.delivery.kinds import DeliveryKind, run_message_key
from shared.delivery.notices import Notice, Via, ask_notice
from shared.delivery.worker import deliver, deliver_run
from shared.events import catalog
from shared.events.envelope import Event
from shared.observability.logging import current_correlation_id
from shared.observability.metrics import RUNS
from shared.refusal import Refusal
from shared.runs.command import Admin, CommandError, ShowStats, StartRun, parse_command
from shared.runs.pickup import resolve_pickup
from shared.runs.service import AlreadyStarted, start_run
from shared.runs.stats import channel_stats
from shared.runtime import Runtime
from shared.slack.payloads import SlashCommand
from shared.slack.render.admin_view import admin_modal, audit_text, message_modal, reset_prompt
from shared.slack.render.blocks import Block, View
from shared.slack.render.stats import stats_text
from shared.unit_of_work import unit_of_work
from shared.users.timezone import timezone_for

log = logging.getLogger(__name__)

# A command that waited longer than this (an outage between the intake and here) is not
# acted on: "in 20m" or "10:30" would no longer mean what the person meant.
TOO_LATE = timedelta(minutes=10)
TOO_LATE_TEXT = (
    "Sorry, I couldn't get to your `/coffee` in time, so nothing was started. Please try again."
)


class Answer:
    """Replies to one command, each asked for once (keyed on the event id and a name)."""

    def __init__(self, rt: Runtime, event_id: str, cmd: SlashCommand, view_id: str | None):
        self.rt, self.event_id, self.cmd, self.view_id = rt, event_id, cmd, view_id

    def _key(self, name: str) -> str:
        return f"notice:{uuid.uuid5(uuid.NAMESPACE_URL, f'{self.event_id}/{name}')}"

    def say(self, text: str, blocks: Sequence[Block] | None = None) -> None:
        if self.cmd.response_url:
            notice = Notice(Via.RESPONSE_URL, text, blocks, response_url=self.cmd.response_url)
        else:
            notice = Notice(
                Via.EPHEMERAL, text, blocks, channel=self.cmd.channel_id, user=self.cmd.user_id
            )
        self._ask(notice, "say")

    def show(self, view: View) -> None:
        if self.view_id:
            self._ask(Notice(Via.VIEW, view_id=self.view_id, view=view), "view")

    def _ask(self, notice: Notice, name: str) -> None:
        with unit_of_work(self.rt) as session:
            key = ask_notice(
                session=session, notice=notice, now=self.rt.clock.now(), key=self._key(name)
            )
        deliver(self.rt, key)


def handle_command(rt: Runtime, data: catalog.CommandReceived, event: Event) -> None:
    cmd = SlashCommand(
        command="/coffee",
        text=data.text,
        user_id=data.user_id,
        user_name=data.user_name,
        channel_id=data.channel_id,
        channel_name=data.channel_name,
        team_id=data.team_id,
        trigger_id=data.trigger_id,
        response_url=data.response_url,
    )
    answer = Answer(rt, event.id, cmd, data.view_id)
    if rt.clock.now() - data.received_at > TOO_LATE:
        log.warning("command too old to act on", extra={"event_id": event.id})
        answer.say(TOO_LATE_TEXT)
        return
    parsed = parse_command(cmd.text)
    if isinstance(parsed, StartRun):
        _start(rt, cmd, parsed, answer, data.received_at)
    elif isinstance(parsed, ShowStats):
        with transaction(rt.engine) as session:
            stats = channel_stats(session=session, channel_id=cmd.channel_id, now=rt.clock.now())
        answer.say(stats_text(stats, cmd.channel_id))
    elif isinstance(parsed, Admin):
        _admin(rt, cmd, parsed.args, answer)
    else:  # help, syntax errors, forget-me: the intake answered them itself
        log.info("command needs nothing here", extra={"event_id": event.id})


def _start(
    rt: Runtime, cmd: SlashCommand, parsed: StartRun, answer: Answer, received_at: datetime
) -> None:
    pickup_at = None
    if parsed.pickup is not None:
        tz = timezone_for(rt, user_id=cmd.user_id, team_id=cmd.team_id, name=cmd.user_name)
        resolved = resolve_pickup(parsed.pickup, now=received_at, tz_name=tz)
        if isinstance(resolved, CommandError):
            answer.say(resolved.message)
            return
        pickup_at = resolved
    now = rt.clock.now()
    with unit_of_work(rt) as session:
        channel = _channel_of(session, rt, cmd)
        outcome = start_run(
            session=session,
            channel=channel,
            initiator_id=cmd.user_id,
            pickup_at=pickup_at,
            note=parsed.note,
            trigger_id=cmd.trigger_id,
            correlation_id=current_correlation_id(),
            now=received_at,
        )
        if isinstance(outcome, Refusal):
            session.rollback()  # nothing is recorded for a refused start
        elif isinstance(outcome, Run):
            ledger.ask(
                session=session,
                key=run_message_key(outcome.id),
                kind=DeliveryKind.RUN_MESSAGE,
                now=now,
                run_id=outcome.id,
                payload={"response_url": cmd.response_url},
            )
    if isinstance(outcome, Refusal):
        answer.say(outcome.message)
        return
    if isinstance(outcome, AlreadyStarted):
        log.info("repeated /coffee: resuming its run", extra={"run_id": str(outcome.run.id)})
        deliver_run(rt, outcome.run.id)
        return
    RUNS.labels("open").inc()
    log.info("run started", extra={"run_id": str(outcome.id), "channel_id": cmd.channel_id})
    deliver_run(rt, outcome.id)


def _admin(rt: Runtime, cmd: SlashCommand, args: tuple[str, ...], answer: Answer) -> None:
    word = args[0].lower() if args else ""
    if not is_admin(rt, cmd.user_id):
        answer.show(message_modal(NOT_ADMIN))
        if word:
            answer.say(NOT_ADMIN)
        return
    if word == "audit":
        with transaction(rt.engine) as session:
            answer.say(audit_text(recent_actions(session=session, channel_id=cmd.channel_id)))
    elif word == "reset":
        answer.say("Reset this channel's data?", reset_prompt(cmd.channel_id))
    else:
        with unit_of_work(rt) as session:
            channel = _channel_of(session, rt, cmd)
            view = admin_modal(channel.id, ChannelConfig.of(channel))
        answer.show(view)


def _channel_of(session: Session, rt: Runtime, cmd: SlashCommand) -> Channel:
    """The row of the channel the command came from, with the deployment's defaults."""
    return ensure_channel(
        session=session,
        channel_id=cmd.channel_id,
        team_id=cmd.team_id,
        name=cmd.channel_name,
        default_reminder_minutes=rt.settings.channel_default_reminder_minutes,
        default_retention_days=rt.settings.channel_default_retention_days,
    )
