"""The runner's buttons: "Arrived" (summary and DM) and "Can't go" (DM)."""

from __future__ import annotations

import logging
import uuid

from shared.db.engine import transaction
from shared.events.delivery import publish_recorded
from shared.fairness.decline import decline_runner
from shared.handlers.close_run import SlackUnavailableError, dm_runner_once
from shared.handlers.replies import SlackReply, empty
from shared.observability.metrics import ERRORS
from shared.refusal import Refusal
from shared.runs.arrival import mark_arrived
from shared.runs.service import record_update
from shared.runs.snapshot import RunSnapshot, snapshot
from shared.runtime import Runtime
from shared.slack.client import SLACK_ERRORS
from shared.slack.ephemeral import tell
from shared.slack.payloads import BlockAction
from shared.slack.render.summary import (
    arrival_message,
    channel_summary,
    off_the_hook_dm,
    runner_dm,
)
from shared.slack.run_message_sync import refresh_run_message

log = logging.getLogger(__name__)


def arrived(rt: Runtime, action: BlockAction, run_id: uuid.UUID) -> SlackReply:
    with transaction(rt.engine) as session:
        outcome = mark_arrived(
            session=session, run_id=run_id, actor_id=action.user_id, now=rt.clock.now()
        )
        if isinstance(outcome, Refusal):
            tell(rt, action, outcome.message)
            return empty()
        if outcome.arrival_ts is not None:
            return empty()  # announced already: a repeat click
        view = snapshot(session=session, run=outcome)
        try:  # under the row lock, so two clicks give one announcement
            response = rt.slack.chat_postMessage(
                channel=view.channel_id, text=arrival_message(view)
            )
        except SLACK_ERRORS:
            ERRORS.labels("slack_api").inc()
            session.rollback()
            tell(rt, action, "I couldn't tell the channel just now. Please click again.")
            return empty()
        outcome.arrival_ts = str(response["ts"])
        session.add(outcome)
        record_update(session=session, run=outcome, change="arrived", now=rt.clock.now())
        summary_ts, dm = outcome.summary_ts, (outcome.runner_dm_channel, outcome.runner_dm_ts)
    publish_recorded(rt, session)
    _redraw(rt, view, summary_ts, dm)
    log.info("coffee arrived", extra={"run_id": str(run_id)})
    return empty()


def decline(rt: Runtime, action: BlockAction, run_id: uuid.UUID) -> SlackReply:
    with transaction(rt.engine) as session:
        outcome = decline_runner(
            session=session, run_id=run_id, actor_id=action.user_id, now=rt.clock.now()
        )
        if isinstance(outcome, Refusal):
            session.rollback()
            tell(rt, action, outcome.message)
            return empty()
        view = snapshot(session=session, run=outcome.run)
        summary_ts = outcome.run.summary_ts
    publish_recorded(rt, session)
    log.info("runner declined", extra={"run_id": str(run_id), "new_runner": view.runner_id})
    _quiet_update(rt, outcome.dm_channel, outcome.dm_ts, *off_the_hook_dm(view))
    try:
        dm_runner_once(rt, run_id, rt.slack)  # the interactive client: this is a click
    except SlackUnavailableError:
        tell(rt, action, f"<@{view.runner_id}> takes over, but I couldn't DM them the list.")
    _redraw(rt, view, summary_ts, (None, None))
    refresh_run_message(rt, run_id)
    return empty()


def _redraw(
    rt: Runtime, view: RunSnapshot, summary_ts: str | None, dm: tuple[str | None, str | None]
) -> None:
    _quiet_update(rt, view.channel_id, summary_ts, *channel_summary(view, view.close_note))
    _quiet_update(rt, dm[0], dm[1], *runner_dm(view))


def _quiet_update(
    rt: Runtime,
    channel: str | None,
    ts: str | None,
    text: str,
    blocks: list[dict[str, object]],
) -> None:
    if not channel or not ts:
        return
    try:
        rt.slack.chat_update(channel=channel, ts=ts, text=text, blocks=blocks)
    except SLACK_ERRORS:
        ERRORS.labels("slack_api").inc()
        log.warning("could not redraw a runner message")
