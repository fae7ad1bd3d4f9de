"""The close function's work for one run.closed event: runner, summary, DM, message.

Each Slack side effect runs under the run's row lock and records its message ts in the
same transaction, so a redelivered or concurrent event finds it done and sends nothing.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlmodel import Session

from shared.db.engine import transaction
from shared.db.models import Run
from shared.events import catalog
from shared.events.delivery import publish_recorded
from shared.events.envelope import Event
from shared.events.outbox import record
from shared.observability.metrics import ERRORS, RUN_DURATION, RUNS
from shared.reminders.service import merge_into_runner_dm
from shared.runs.closing import assign_runner
from shared.runs.repository import get_run
from shared.runs.service import mark_failed
from shared.runs.snapshot import RunSnapshot, snapshot
from shared.runtime import Runtime
from shared.slack.client import SLACK_ERRORS
from shared.slack.render.summary import channel_summary, failed_dm, runner_dm
from shared.slack.run_message_sync import refresh_run_message

log = logging.getLogger(__name__)


class SlackUnavailableError(Exception):
    """Slack kept failing after the client's retries."""


def handle_run_closed(rt: Runtime, event: Event) -> None:
    data = catalog.RunClosed.model_validate(event.data)
    run_id = uuid.UUID(data.run_id)
    with transaction(rt.engine) as session:
        result = assign_runner(session=session, run_id=run_id, now=rt.clock.now())
        if result is not None and result.newly_closed and result.run.status == "closed":
            merge_into_runner_dm(session=session, run=result.run, now=rt.clock.now())
    publish_recorded(rt, session)
    if result is None:
        log.warning("run.closed for an unknown run", extra={"run_id": data.run_id})
        return
    run = result.run
    if result.newly_closed:
        RUNS.labels(run.status).inc()
        if run.closed_at:
            RUN_DURATION.observe((run.closed_at - run.started_at).total_seconds())
        log.info("run closed", extra={"run_id": data.run_id, "status": run.status})
    if run.status not in ("closed", "canceled"):
        return
    try:
        if run.status == "closed":
            post_summary_once(rt, run_id, rt.background_slack)
            dm_runner_once(rt, run_id, rt.background_slack)
    except SlackUnavailableError as error:
        _fail(rt, run_id, str(error))
        return
    # The summary and the DM are what the run needs; a run message that can't be redrawn
    # (counted and logged by refresh_run_message) doesn't undo them.
    refresh_run_message(rt, run_id, slack=rt.background_slack)


def _send_once(
    rt: Runtime,
    run_id: uuid.UUID,
    *,
    already_sent: Callable[[Run], bool],
    send: Callable[[RunSnapshot], tuple[str, str]],
    remember: Callable[[Run, str, str], None],
) -> None:
    """Send once: the message's channel and ts are stored under the run's row lock, so a
    redelivered or concurrent event finds it sent."""
    with transaction(rt.engine) as session:
        run = get_run(session=session, run_id=run_id, lock="update")
        if run is None or run.status != "closed" or already_sent(run):
            return
        channel, ts = send(snapshot(session=session, run=run))
        remember(run, channel, ts)
        session.add(run)


def post_summary_once(rt: Runtime, run_id: uuid.UUID, slack: WebClient) -> None:
    def remember(run: Run, _channel: str, ts: str) -> None:
        run.summary_ts = ts

    _send_once(
        rt,
        run_id,
        already_sent=lambda run: run.summary_ts is not None,
        send=lambda view: _post(slack, view.channel_id, *channel_summary(view, view.close_note)),
        remember=remember,
    )


def dm_runner_once(rt: Runtime, run_id: uuid.UUID, slack: WebClient) -> None:
    def remember(run: Run, channel: str, ts: str) -> None:
        run.runner_dm_ts, run.runner_dm_channel = ts, channel

    _send_once(
        rt,
        run_id,
        already_sent=lambda run: run.runner_dm_ts is not None,
        send=lambda view: _post(slack, view.runner_id or "", *runner_dm(view)),
        remember=remember,
    )


def _post(
    slack: WebClient, channel: str, text: str, blocks: list[dict[str, object]]
) -> tuple[str, str]:
    try:
        response = slack.chat_postMessage(channel=channel, text=text, blocks=blocks)
    except SLACK_ERRORS as error:
        ERRORS.labels("slack_api").inc()
        code = error.response.get("error") if isinstance(error, SlackApiError) else None
        raise SlackUnavailableError(
            f"chat.postMessage failed: {code or type(error).__name__}"
        ) from None
    return str(response["channel"]), str(response["ts"])


def _fail(rt: Runtime, run_id: uuid.UUID, reason: str) -> None:
    with transaction(rt.engine) as session:
        run = get_run(session=session, run_id=run_id, lock="update")
        if run is None or run.status == "failed":
            return
        mark_failed(session=session, run=run, reason=reason, now=rt.clock.now())
        _record_failed(session, run, reason, rt)
        view = snapshot(session=session, run=run)
    publish_recorded(rt, session)
    RUNS.labels("failed").inc()
    log.error("run failed", extra={"run_id": str(run_id), "reason": reason})
    try:
        rt.background_slack.chat_postMessage(channel=view.initiator_id, text=failed_dm(view))
    except SLACK_ERRORS:
        ERRORS.labels("slack_api").inc()
        log.warning("could not tell the initiator about the failed run")


def _record_failed(session: Session, run: Run, reason: str, rt: Runtime) -> None:
    record(
        session=session,
        event_type=catalog.RUN_FAILED,
        subject=str(run.id),
        data=catalog.RunFailed(run_id=str(run.id), channel_id=run.channel_id, reason=reason[:500]),
        now=rt.clock.now(),
    )
