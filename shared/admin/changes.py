"""Admin changes end to end (transaction, events, Slack notices), for Slack and the ops API."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlmodel import col, select

from shared.admin.service import ResetCounts, apply_config, lock_channel, reset_channel
from shared.channels.config import ChannelConfig, validate_changes
from shared.db.models import Run
from shared.delivery.notices import Notice, Via, ask_notice
from shared.runtime import Runtime
from shared.slack.render.blocks import context
from shared.statuses import RunStatus
from shared.unit_of_work import unit_of_work

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SettingsChanged:
    before: ChannelConfig
    after: ChannelConfig
    actions: tuple[str, ...]


@dataclass(frozen=True)
class InvalidSettings:
    errors: dict[str, str]


@dataclass(frozen=True)
class UnknownChannel:
    channel_id: str


def change_settings(
    rt: Runtime, *, channel_id: str, actor: str, raw: dict[str, object]
) -> SettingsChanged | InvalidSettings | UnknownChannel:
    changes, errors = validate_changes(raw)
    if errors:
        return InvalidSettings(errors)
    with unit_of_work(rt) as session:  # canceled runs are redrawn from their run.updated
        channel = lock_channel(session=session, channel_id=channel_id)
        if channel is None:
            return UnknownChannel(channel_id)
        change = apply_config(
            session=session, channel=channel, actor=actor, changes=changes, now=rt.clock.now()
        )
    log.info(
        "channel settings changed", extra={"channel_id": channel_id, "actions": change.actions}
    )
    return SettingsChanged(change.before, change.after, tuple(change.actions))


def reset_data(
    rt: Runtime, *, channel_id: str, actor: str, actor_label: str
) -> ResetCounts | UnknownChannel:
    """Delete the channel's data in one transaction with the notes it owes the channel
    (its open run messages marked removed, one message saying what happened)."""
    now = rt.clock.now()
    with unit_of_work(rt) as session:
        channel = lock_channel(session=session, channel_id=channel_id)
        if channel is None:
            return UnknownChannel(channel_id)
        visible = list(
            session.exec(
                select(Run.message_ts).where(
                    Run.channel_id == channel_id,
                    col(Run.status).in_((RunStatus.OPEN, RunStatus.CLOSING)),
                )
            ).all()
        )
        counts = reset_channel(session=session, channel=channel, actor=actor, now=now)
        for ts in visible:
            if ts:
                removed = Notice(
                    Via.EDIT,
                    text="Removed by a data reset.",
                    blocks=[context(":wastebasket: This run was removed by a data reset.")],
                    channel=channel_id,
                    ts=ts,
                )
                ask_notice(session=session, notice=removed, now=now)
        told = Notice(
            Via.CHANNEL,
            text=f"{actor_label} reset CoffeeBuddy's data in this channel "
            f"({counts.runs} runs, {counts.orders} orders). Settings are unchanged.",
            channel=channel_id,
        )
        ask_notice(session=session, notice=told, now=now)
    log.info("channel data reset", extra={"channel_id": channel_id, "deleted": counts.as_dict()})
    return counts
