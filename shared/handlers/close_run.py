"""The close function's work for one run.closed event: runner, summary, DM, message.

Each Slack side effect runs under the run's row lock and records its message ts in the
same transaction, so a redelivered or concurrent event finds it done and sends nothing.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable

from slack_sdk.errors import SlackApiError, SlackClientError
from sqlmodel import Session

from shared.db.engine import transaction
from shared.db.models import Run
from shared.events import catalog
from shared.events.delivery import publish_recorded
from shared.events.envelope import Event
from shared.events.outbox import record
from shared.observability.metrics import ERRORS, RUN_DURATION, RUNS
from shared.runs.closing import assign_runner
from shared.runs.repository import get_run
from shared.runs.service import mark_failed
from shared.runs.snapshot import RunSnapshot, snapshot
from shared.runtime import Runtime
from shared.slack.render.summary import channel_summary, failed_dm, runner_dm
from shared.slack.run_message_sync import refresh_run_message

log = logging.getLogger(__name__)

SlackErrors = (SlackApiError, SlackClientError, OSError)


class SlackUnavailableError(Exception):
    """Slack kept failing after the client's retries."""


def handle_run_closed(rt: Runtime, event: Event) -> None:
    data = catalog.RunClosed.model_validate(event.data)
    run_id = uuid.UUID(data.run_id)
    with transaction(rt.engine) as session:
        result = assign_runner(session=session, run_id=run_id, now=rt.clock.now())
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
            send_once(rt, run_id, "summary_ts", post_summary)
            send_once(rt, run_id, "runner_dm_ts", dm_runner)
        if not refresh_run_message(rt, run_id, slack=rt.background_slack):
            raise SlackUnavailableError("run message update failed")
    except SlackUnavailableError as error:
        _fail(rt, run_id, str(error))


def send_once(
    rt: Runtime,
    run_id: uuid.UUID,
    column: str,
    send: Callable[[Runtime, RunSnapshot], tuple[str, str]],
) -> None:
    """Send once: the message's channel and ts are stored under the run's row lock."""
    with transaction(rt.engine) as session:
        run = get_run(session=session, run_id=run_id, lock="update")
        if run is None or getattr(run, column) is not None or run.status != "closed":
            return
        channel, ts = send(rt, snapshot(session=session, run=run))
        setattr(run, column, ts)
        if column == "runner_dm_ts":
            run.runner_dm_channel = channel
        session.add(run)


def _post(rt: Runtime, channel: str, text: str, blocks: list[dict[str, object]]) -> tuple[str, str]:
    try:
        response = rt.background_slack.chat_postMessage(channel=channel, text=text, blocks=blocks)
    except SlackErrors as error:
        ERRORS.labels("slack_api").inc()
        code = error.response.get("error") if isinstance(error, SlackApiError) else None
        raise SlackUnavailableError(
            f"chat.postMessage failed: {code or type(error).__name__}"
        ) from None
    return str(response["channel"]), str(response["ts"])


def post_summary(rt: Runtime, run: RunSnapshot) -> tuple[str, str]:
    text, blocks = channel_summary(run, run.close_note)
    return _post(rt, run.channel_id, text, blocks)


def dm_runner(rt: Runtime, run: RunSnapshot) -> tuple[str, str]:
    assert run.runner_id is not None
    text, blocks = runner_dm(run)
    return _post(rt, run.runner_id, text, blocks)


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
    except SlackErrors:
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
