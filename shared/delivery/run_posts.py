"""A run's own messages: its channel message, the summary, the runner's DM, the arrival.

Each is posted once (its ledger key) and drawn from the database at the moment it is sent,
so it shows the latest state; what it posted becomes the target of that message's redraws.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, select

from shared.db.engine import transaction
from shared.db.models import Run, SlackDelivery
from shared.delivery import ledger
from shared.delivery.kinds import DeliveryKind, Surface, redraw_key
from shared.delivery.plan import DeliveryPlan, NotYet, Sent, content_hash
from shared.delivery.run_failure import fail_run
from shared.delivery.snapshots import load
from shared.runs.repository import get_run
from shared.runtime import Runtime
from shared.slack.render.blocks import Block
from shared.slack.render.run_message import run_message
from shared.slack.render.summary import arrival_message, channel_summary, runner_dm
from shared.statuses import RunStatus


def post(rt: Runtime, channel: str, text: str, blocks: list[Block] | None) -> Sent:
    response = rt.background_slack.chat_postMessage(channel=channel, text=text, blocks=blocks)
    return Sent(str(response["channel"]), str(response["ts"]), content_hash(text, blocks))


def _locked_run(session: Session, row: SlackDelivery) -> Run | None:
    return (
        None if row.run_id is None else get_run(session=session, run_id=row.run_id, lock="update")
    )


def _follow(
    session: Session,
    row: SlackDelivery,
    sent: Sent,
    now: datetime,
    surface: Surface,
    user: str = "",
) -> None:
    """What was just posted is what its redraws edit from now on."""
    assert row.run_id is not None
    ledger.ask(
        session=session,
        key=redraw_key(row.run_id, surface, user),
        kind=DeliveryKind.REDRAW,
        now=now,
        run_id=row.run_id,
        payload={"surface": surface.value, "user": user},
        target=(sent.channel, sent.ts),
        content_hash=sent.content_hash,
    )


# -- the run message ---------------------------------------------------------------------


def _send_run_message(rt: Runtime, row: SlackDelivery) -> Sent | None:
    view = load(rt, row.run_id)
    if view is None or view.status.ended:
        return None  # ended before it could be shown: nothing to post
    return post(rt, view.channel_id, *run_message(view))


def _record_run_message(session: Session, row: SlackDelivery, sent: Sent, now: datetime) -> None:
    run = _locked_run(session, row)
    if run is not None:
        run.message_ts = sent.ts
        session.add(run)
        _follow(session, row, sent, now, Surface.MESSAGE)


def _refuse_run_message(session: Session, row: SlackDelivery, reason: str, now: datetime) -> None:
    fail_run(session=session, row=row, reason=reason, now=now, stage="post")


RUN_MESSAGE = DeliveryPlan(
    send=_send_run_message, record=_record_run_message, refused=_refuse_run_message
)


# -- the summary and the runner's DM -------------------------------------------------------


def _send_summary(rt: Runtime, row: SlackDelivery) -> Sent | None:
    view = load(rt, row.run_id)
    if view is None or view.status is not RunStatus.CLOSED:
        return None
    return post(rt, view.channel_id, *channel_summary(view, view.close_note))


def _record_summary(session: Session, row: SlackDelivery, sent: Sent, now: datetime) -> None:
    run = _locked_run(session, row)
    if run is not None:
        run.summary_ts = sent.ts
        session.add(run)
        _follow(session, row, sent, now, Surface.SUMMARY)


def _send_runner_dm(rt: Runtime, row: SlackDelivery) -> Sent | None:
    view = load(rt, row.run_id)
    runner = str(row.payload.get("runner", ""))
    if view is None or view.status is not RunStatus.CLOSED or view.runner_id != runner:
        return None  # the run ended, or someone else took it over meanwhile
    if view.summary_ts is None:
        raise NotYet  # the summary first: if Slack refuses it, the run fails and no DM goes
    return post(rt, runner, *runner_dm(view, rt.clock.now()))


def _summary_posted(rt: Runtime, row: SlackDelivery) -> bool:
    """Only the summary's ts is read: this runs on every wait, mostly to find it not yet."""
    with transaction(rt.engine) as session:
        found = session.exec(select(Run.summary_ts).where(Run.id == row.run_id)).all()
    return not found or found[0] is not None  # a run gone: sending finds nothing to do


def _record_runner_dm(session: Session, row: SlackDelivery, sent: Sent, now: datetime) -> None:
    run = _locked_run(session, row)
    runner = str(row.payload.get("runner", ""))
    if run is not None:
        if run.runner_id == runner:
            run.runner_dm_ts, run.runner_dm_channel = sent.ts, sent.channel
            session.add(run)
        _follow(session, row, sent, now, Surface.DM, runner)


def _refuse_close_message(session: Session, row: SlackDelivery, reason: str, now: datetime) -> None:
    fail_run(session=session, row=row, reason=reason, now=now, stage="close")


SUMMARY = DeliveryPlan(send=_send_summary, record=_record_summary, refused=_refuse_close_message)
RUNNER_DM = DeliveryPlan(
    send=_send_runner_dm,
    record=_record_runner_dm,
    refused=_refuse_close_message,
    ready=_summary_posted,
)


# -- the arrival ---------------------------------------------------------------------------


def _send_arrival(rt: Runtime, row: SlackDelivery) -> Sent | None:
    view = load(rt, row.run_id)
    if view is None or view.status is not RunStatus.CLOSED or view.arrived_at is None:
        return None
    return post(rt, view.channel_id, arrival_message(view), None)


def _record_arrival(session: Session, row: SlackDelivery, sent: Sent, _now: datetime) -> None:
    run = _locked_run(session, row)
    if run is not None:
        run.arrival_ts = sent.ts
        session.add(run)


ARRIVAL = DeliveryPlan(send=_send_arrival, record=_record_arrival)
