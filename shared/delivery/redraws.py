"""Redrawing a run's posted messages from the database, coalesced.

Every change to a run asks for one more drawing of its message (``ledger.ask`` adds one
to ``wanted``); whoever holds the delivery's lease draws the latest state, and a drawing
settles every ask made before it was read. So a burst of 30 orders costs a few
``chat.update`` calls, the last drawing always shows the final state, and a drawing that
would show what Slack already shows is not sent at all.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlmodel import Session

from shared.db.models import SlackDelivery
from shared.delivery import ledger
from shared.delivery.kinds import DeliveryKind, Surface, redraw_key
from shared.delivery.plan import DeliveryPlan, Sent, content_hash
from shared.delivery.snapshots import load
from shared.runs.snapshot import RunSnapshot
from shared.runtime import Runtime
from shared.slack.render.blocks import Block
from shared.slack.render.run_message import run_message
from shared.slack.render.summary import channel_summary, off_the_hook_dm, runner_dm


def ask_redraw(
    *,
    session: Session,
    run_id: uuid.UUID,
    now: datetime,
    surface: Surface = Surface.MESSAGE,
    user_id: str = "",
) -> None:
    """One more drawing of a run's message (summary, DM), in the caller's transaction."""
    ledger.ask(
        session=session,
        key=redraw_key(run_id, surface, user_id),
        kind=DeliveryKind.REDRAW,
        now=now,
        run_id=run_id,
        payload={"surface": surface.value, "user": user_id},
    )


def ask_redraws_after_change(
    *, session: Session, run_id: uuid.UUID, now: datetime, runner_changed: bool
) -> None:
    """The run message always; the summary and DMs when the runner or the arrival changed."""
    ask_redraw(session=session, run_id=run_id, now=now)
    if not runner_changed:
        return
    ask_redraw(session=session, run_id=run_id, now=now, surface=Surface.SUMMARY)
    for row in ledger.redraws_of(session=session, run_id=run_id, surface=Surface.DM.value):
        ask_redraw(
            session=session,
            run_id=run_id,
            now=now,
            surface=Surface.DM,
            user_id=str(row.payload.get("user", "")),
        )


def _draw(view: RunSnapshot, surface: Surface, user: str, now: datetime) -> tuple[str, list[Block]]:
    if surface is Surface.SUMMARY:
        return channel_summary(view, view.close_note)
    if surface is Surface.DM:
        return runner_dm(view, now) if view.runner_id == user else off_the_hook_dm(view)
    return run_message(view)


def _send(rt: Runtime, row: SlackDelivery) -> Sent | None:
    if row.channel is None or row.ts is None:
        return None  # not posted yet: posting it will draw the latest state
    view = load(rt, row.run_id)
    if view is None:
        return None
    surface = Surface(str(row.payload.get("surface", Surface.MESSAGE.value)))
    text, blocks = _draw(view, surface, str(row.payload.get("user", "")), rt.clock.now())
    drawn = content_hash(text, blocks)
    if drawn == row.content_hash:
        return None  # Slack already shows exactly this
    rt.background_slack.chat_update(channel=row.channel, ts=row.ts, text=text, blocks=blocks)
    return Sent(row.channel, row.ts, drawn)


def _record(_session: Session, row: SlackDelivery, sent: Sent, _now: datetime) -> None:
    row.content_hash = sent.content_hash


REDRAW = DeliveryPlan(send=_send, record=_record)
