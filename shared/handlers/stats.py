"""`/coffee stats`: the channel's last four weeks, ephemerally."""

from __future__ import annotations

from shared.db.engine import transaction
from shared.runs.stats import channel_stats
from shared.runtime import Runtime
from shared.slack.payloads import SlashCommand
from shared.slack.render.stats import stats_text
from shared.slack.replies import SlackReply, ephemeral


def show_stats(rt: Runtime, cmd: SlashCommand) -> SlackReply:
    with transaction(rt.engine) as session:
        stats = channel_stats(session=session, channel_id=cmd.channel_id, now=rt.clock.now())
    return ephemeral(stats_text(stats, cmd.channel_id))
