""" "My usual": one tap places the person's saved last order, with an undo."""

from __future__ import annotations

import json
import uuid

from shared.delivery.tell import tell
from shared.orders.repository import get_active_order, get_preference
from shared.orders.service import place_order, withdraw_order
from shared.orders.validation import OrderTextError
from shared.refusal import Refusal
from shared.runtime import Runtime
from shared.slack.payloads import BlockAction
from shared.slack.render.order_modal import saved_text
from shared.slack.render.usual import usual_placed
from shared.slack.replies import SlackReply, empty
from shared.text import escape_mrkdwn
from shared.unit_of_work import unit_of_work

NO_USUAL = "You don't have a usual yet: add an order once and it becomes your usual."


def place_usual(rt: Runtime, action: BlockAction, run_id: uuid.UUID) -> SlackReply:
    with unit_of_work(rt) as session:
        preference = get_preference(session=session, user_id=action.user_id)
        usual = preference.last_order_text if preference else None
        if not usual:
            tell(rt, action, NO_USUAL)
            return empty()
        current = get_active_order(session=session, run_id=run_id, user_id=action.user_id)
        previous = current.text if current else None
        if previous == usual:
            tell(rt, action, f"Your order already is your usual: {escape_mrkdwn(usual)}.")
            return empty()
        outcome = place_order(
            session=session,
            run_id=run_id,
            user_id=action.user_id,
            raw_text=usual,
            now=rt.clock.now(),
        )
        if isinstance(outcome, Refusal | OrderTextError):
            session.rollback()
            tell(rt, action, outcome.message)
            return empty()
        placed = get_active_order(session=session, run_id=run_id, user_id=action.user_id)
        stamp = placed.updated_at.isoformat() if placed else ""
    tell(rt, action, saved_text(usual), usual_placed(run_id, usual, previous, stamp))
    return empty()


def undo_usual(rt: Runtime, action: BlockAction) -> SlackReply:
    try:
        data = json.loads(action.value)
        run_id = uuid.UUID(str(data["run"]))
        previous = data.get("previous")
        placed = str(data.get("placed", ""))
    except (ValueError, KeyError, TypeError, AttributeError):
        tell(rt, action, "That undo button is no longer valid.")
        return empty()
    with unit_of_work(rt) as session:
        current = get_active_order(session=session, run_id=run_id, user_id=action.user_id)
        if current is None or current.updated_at.isoformat() != placed:
            now_is = f"*{escape_mrkdwn(current.text)}*" if current else "withdrawn"
            tell(rt, action, f"That Undo is for an earlier change; your order is now {now_is}.")
            return empty()
        if isinstance(previous, str):
            outcome: object = place_order(
                session=session,
                run_id=run_id,
                user_id=action.user_id,
                raw_text=previous,
                now=rt.clock.now(),
                remember=False,
            )
        else:
            outcome = withdraw_order(
                session=session, run_id=run_id, user_id=action.user_id, now=rt.clock.now()
            )
        if isinstance(outcome, Refusal | OrderTextError):
            session.rollback()
            tell(rt, action, outcome.message)
            return empty()
    if isinstance(previous, str):
        tell(rt, action, f"Undone. {saved_text(previous)}")
    else:
        tell(rt, action, "Undone: your order is withdrawn.")
    return empty()
