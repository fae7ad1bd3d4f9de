"""`/coffee` at the door: verified, parsed, answered at once or handed on durably.

Help and syntax errors are answered here. Everything else needs the database or Slack
(is the channel on? is a run open? the person's timezone, admin rights, the stats), so the
verified command is written to Kafka as a ``coffeebuddy.command.received`` CloudEvent the
broker has acknowledged, and the answer is empty; the close function does the rest and
answers through the command's ``response_url``. The event id is derived from the
command's trigger_id, so a replayed command is the same event, and one run.
"""

from __future__ import annotations

import logging
import uuid

from shared.events.envelope import Event
from shared.events.publisher import PublishError
from shared.events.topics import COMMAND_RECEIVED
from shared.intake.modal import open_loading_modal
from shared.intake.runtime import IntakeRuntime
from shared.observability.logging import current_correlation_id
from shared.observability.metrics import ERRORS
from shared.runs.command import Admin, CommandError, ForgetMe, ShowHelp, parse_command
from shared.slack.payloads import SlashCommand
from shared.slack.render.notices import ADMIN_USAGE, help_text
from shared.slack.replies import SlackReply, empty, ephemeral
from shared.text import quote_typed

log = logging.getLogger(__name__)

NOT_TAKEN = (
    "Sorry, I couldn't take that just now, so nothing was started. Please try again in a minute."
)
NO_MODAL = "I couldn't open the settings in time. Please try again."
ADMIN_WORDS = ("", "audit", "reset")
COMMAND_IDS = uuid.UUID("5b0c2d1e-6f0a-4f4e-9a53-2f1c0ffee000")


def command_event_id(trigger_id: str) -> str:
    """The same command (Slack's retry, a replay) is always the same CloudEvent."""
    return str(uuid.uuid5(COMMAND_IDS, trigger_id))


def handle_intake(rt: IntakeRuntime, cmd: SlashCommand) -> SlackReply:
    parsed = parse_command(cmd.text)
    if isinstance(parsed, CommandError):
        return ephemeral(parsed.message)
    if isinstance(parsed, ShowHelp):
        return ephemeral(help_text(parsed.unknown_word))
    if isinstance(parsed, ForgetMe):
        from shared.slack.render.forget_me import forget_me_offer  # Block Kit: off the cold path

        return ephemeral("Forget me?", forget_me_offer(cmd.user_id))
    view_id = None
    if isinstance(parsed, Admin):
        word = parsed.args[0].lower() if parsed.args else ""
        if word not in ADMIN_WORDS:
            return ephemeral(f"I don't know `admin {quote_typed(word, 20)}`. {ADMIN_USAGE}")
        if word == "":
            view_id = open_loading_modal(rt, cmd.trigger_id)
            if view_id is None:
                return ephemeral(NO_MODAL)
    return _hand_on(rt, cmd, view_id)


def _hand_on(rt: IntakeRuntime, cmd: SlashCommand, view_id: str | None) -> SlackReply:
    now = rt.clock.now()
    event = Event(
        id=command_event_id(cmd.trigger_id),
        type=COMMAND_RECEIVED,
        subject=cmd.channel_id,
        data={
            "schema_version": 1,
            "text": cmd.text,
            "user_id": cmd.user_id,
            "user_name": cmd.user_name,
            "channel_id": cmd.channel_id,
            "channel_name": cmd.channel_name,
            "team_id": cmd.team_id,
            "trigger_id": cmd.trigger_id,
            "response_url": cmd.response_url,
            "view_id": view_id,
            "received_at": now.isoformat(),
        },
        correlation_id=current_correlation_id(),
        time=now,
    )
    try:
        rt.publisher.publish(event)
    except PublishError as error:
        ERRORS.labels("publish").inc()
        log.warning("command not taken: the broker refused it", extra={"error": str(error)})
        return ephemeral(NOT_TAKEN)
    log.info("command handed on", extra={"event_id": event.id})
    return empty()
