"""Admin changes end to end (transaction, events, Slack notices), for Slack and the ops API."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from slack_sdk.errors import SlackApiError, SlackClientError
from sqlmodel import col, select

from shared.admin.config import ChannelConfig, validate_changes
from shared.admin.service import ResetCounts, apply_config, lock_channel, reset_channel
from shared.db.engine import transaction
from shared.db.models import Run
from shared.events.delivery import publish_recorded
from shared.observability.metrics import ERRORS
from shared.runtime import Runtime
from shared.slack.render.blocks import context
from shared.slack.run_message_sync import refresh_run_message

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
    with transaction(rt.engine) as session:
        channel = lock_channel(session=session, channel_id=channel_id)
        if channel is None:
            return UnknownChannel(channel_id)
        change = apply_config(
            session=session, channel=channel, actor=actor, changes=changes, now=rt.clock.now()
        )
        canceled = [run.id for run in change.canceled_runs]
    publish_recorded(rt, session)
    for run_id in canceled:
        refresh_run_message(rt, run_id)
    log.info(
        "channel settings changed", extra={"channel_id": channel_id, "actions": change.actions}
    )
    return SettingsChanged(change.before, change.after, tuple(change.actions))


def reset_data(
    rt: Runtime, *, channel_id: str, actor: str, actor_label: str
) -> ResetCounts | UnknownChannel:
    """Delete the channel's data in one transaction, then tell the channel."""
    with transaction(rt.engine) as session:
        channel = lock_channel(session=session, channel_id=channel_id)
        if channel is None:
            return UnknownChannel(channel_id)
        visible = list(
            session.exec(
                select(Run.message_ts).where(
                    Run.channel_id == channel_id, col(Run.status).in_(("open", "closing"))
                )
            ).all()
        )
        counts = reset_channel(session=session, channel=channel, actor=actor, now=rt.clock.now())
    for ts in visible:
        if ts:
            quietly(
                partial(
                    rt.slack.chat_update,
                    channel=channel_id,
                    ts=ts,
                    text="Removed by a data reset.",
                    blocks=[context(":wastebasket: This run was removed by a data reset.")],
                )
            )
    quietly(
        partial(
            rt.slack.chat_postMessage,
            channel=channel_id,
            text=f"{actor_label} reset CoffeeBuddy's data in this channel "
            f"({counts.runs} runs, {counts.orders} orders). Settings are unchanged.",
        )
    )
    log.info("channel data reset", extra={"channel_id": channel_id, "deleted": counts.as_dict()})
    return counts


def quietly(call: Callable[[], object]) -> None:
    """A Slack notice after the change has committed: failure is logged, not raised."""
    try:
        call()
    except (SlackApiError, SlackClientError, OSError):
        ERRORS.labels("slack_api").inc()
        log.warning("slack notice after an admin action failed")
