"""A run whose messages Slack refused for good (or for 30 minutes) fails, and says so.

Failing undoes what the run would have meant: the runner is not charged a run that did not
happen, its other pending deliveries are dropped, reminders follow ``run.failed``; then
the run message and a posted summary are redrawn as failed, and the people are told (the
channel, or the initiator when the channel itself is what Slack refuses).
"""

from __future__ import annotations

import logging
from datetime import datetime

from sqlmodel import Session

from shared.db.models import Run, SlackDelivery
from shared.delivery import ledger
from shared.delivery.kinds import DeliveryKind, Surface
from shared.delivery.notices import Notice, Via, ask_notice
from shared.delivery.redraws import ask_redraw
from shared.events import catalog
from shared.events.outbox import record
from shared.fairness.repository import uncharge_runner
from shared.observability.metrics import RUNS
from shared.runs.repository import get_run
from shared.runs.service import mark_failed
from shared.runs.snapshot import snapshot
from shared.slack.render.summary import failed_channel_notice, failed_dm
from shared.statuses import RunStatus

log = logging.getLogger(__name__)

# Why Slack refused to post in the channel, said so the person can fix it.
POST_REFUSED = {
    "not_in_channel": "I'm not in this channel yet: invite me with `/invite @CoffeeBuddy`, "
    "then try again.",
    "channel_not_found": "I can't post in this channel: invite me with `/invite @CoffeeBuddy`.",
    "is_archived": "This channel is archived, so I can't start a run here.",
}
POST_FAILED = "I couldn't post the run in this channel, so it was not started. Please try again."
# Refusals that are about the channel itself: telling the channel would be refused too.
CHANNEL_REFUSALS = frozenset({"not_in_channel", "channel_not_found", "is_archived"})


def fail_run(
    *, session: Session, row: SlackDelivery, reason: str, now: datetime, stage: str
) -> None:
    """``stage`` "post": the run message itself could not be posted; "close": the summary
    or the runner's DM."""
    run = None if row.run_id is None else get_run(session=session, run_id=row.run_id, lock="update")
    if run is None or run.status is RunStatus.FAILED:
        return
    charged = run.runner_id if run.status is RunStatus.CLOSED else None
    mark_failed(session=session, run=run, reason=_readable(reason), now=now)
    if charged is not None:
        uncharge_runner(session=session, run=run, user_id=charged)
    _drop_pending(session, run, row, now)
    record(
        session=session,
        data=catalog.RunFailed(run_id=str(run.id), channel_id=run.channel_id, reason=reason[:500]),
        now=now,
    )
    RUNS.labels("failed").inc()
    log.error("run failed", extra={"run_id": str(run.id), "reason": reason, "stage": stage})
    view = snapshot(session=session, run=run)
    if stage == "post":
        url = str(row.payload.get("response_url") or "")
        text = POST_REFUSED.get(reason, POST_FAILED)
        if url:
            notice = Notice(Via.RESPONSE_URL, text=text, response_url=url)
        else:
            notice = Notice(Via.DM, text=text, user=run.initiator_id)
        ask_notice(session=session, notice=notice, now=now, run_id=run.id)
        return
    ask_redraw(session=session, run_id=run.id, now=now)
    if run.summary_ts:
        ask_redraw(session=session, run_id=run.id, now=now, surface=Surface.SUMMARY)
    elif reason not in CHANNEL_REFUSALS:
        notice = Notice(Via.CHANNEL, text=failed_channel_notice(view), channel=run.channel_id)
        ask_notice(session=session, notice=notice, now=now, run_id=run.id)
    notice = Notice(Via.DM, text=failed_dm(view), user=run.initiator_id)
    ask_notice(session=session, notice=notice, now=now, run_id=run.id)


def _drop_pending(session: Session, run: Run, failed: SlackDelivery, now: datetime) -> None:
    for other in ledger.pending_for_run(session=session, run_id=run.id):
        if other.key != failed.key and other.kind != DeliveryKind.REDRAW.value:
            ledger.give_up(session=session, row=other, reason="the run failed", now=now)


def _readable(reason: str) -> str:
    if " " in reason:
        return reason  # already a sentence (the deadline)
    return f"Slack refused it: {reason}"
