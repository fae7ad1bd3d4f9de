"""What `/coffee` can answer from its text alone: help, and what was wrong with the syntax.

No clock, database or Slack client here, so a cold slash function answers these at once.
"""

from __future__ import annotations

from shared.handlers.replies import SlackReply, ephemeral
from shared.runs.command import CommandError, ShowHelp, parse_command
from shared.slack.payloads import SlashCommand
from shared.slack.render.notices import help_text

type Stateless = CommandError | ShowHelp


def stateless_reply(parsed: Stateless) -> SlackReply:
    if isinstance(parsed, CommandError):
        return ephemeral(parsed.message)
    return ephemeral(help_text(parsed.unknown_word))


def answer_without_state(cmd: SlashCommand) -> SlackReply | None:
    """The answer to a command that needs no state, or None when it needs the Runtime."""
    parsed = parse_command(cmd.text)
    if isinstance(parsed, CommandError | ShowHelp):
        return stateless_reply(parsed)
    return None
