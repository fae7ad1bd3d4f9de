"""A person's order on a run: the modal, its submission, "Use my last order", withdrawing.

No Slack call before the answer except ``views.open`` for the modal: the order commits
with its run.updated, and the close function redraws the run message after the answer.
"""

from __future__ import annotations

import uuid

from shared.db.engine import transaction
from shared.delivery.notices import Notice, Via, ask_notice
from shared.delivery.tell import tell
from shared.observability.metrics import ERRORS
from shared.orders.repository import get_active_order, get_preference
from shared.orders.service import open_run_for_orders, place_order, withdraw_order
from shared.orders.validation import OrderTextError
from shared.refusal import Refusal
from shared.runs.snapshot import snapshot
from shared.runtime import Runtime
from shared.slack.errors import SLACK_ERRORS
from shared.slack.payloads import BlockAction, ViewSubmission
from shared.slack.render.order_modal import (
    BLOCK_OPTIONS,
    BLOCK_ORDER,
    INPUT_OPTIONS,
    INPUT_ORDER,
    OPTION_REPEAT_OK,
    OPTION_VOLUNTEER,
    order_modal,
    order_not_saved_modal,
    order_saved_modal,
)
from shared.slack.replies import SlackReply, empty, view_errors, view_update
from shared.unit_of_work import unit_of_work

UNKNOWN_RUN = "That button belongs to a coffee run I can't find."
WITHDRAWN = "Your order was withdrawn."
NO_MODAL = "I couldn't open the order form in time. Please click again."


def run_id_of(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(value)
    except ValueError:
        return None


def open_order_modal(rt: Runtime, action: BlockAction, run_id: uuid.UUID) -> SlackReply:
    with transaction(rt.engine) as session:
        run = open_run_for_orders(session=session, run_id=run_id)
        if isinstance(run, Refusal):
            refusal: str | None = run.message
        else:
            refusal = None
            current = get_active_order(session=session, run_id=run_id, user_id=action.user_id)
            preference = get_preference(session=session, user_id=action.user_id)
            view = order_modal(
                snapshot(session=session, run=run),
                current=current.text if current else None,
                last=preference.last_order_text if preference else None,
                volunteer=bool(current and current.volunteer),
                repeat_ok=bool(preference and preference.allow_repeat_runner),
            )
    if refusal is not None:
        tell(rt, action, refusal)
        return empty()
    try:
        rt.slack.views_open(trigger_id=action.trigger_id, view=view)
    except SLACK_ERRORS:
        ERRORS.labels("slack_api").inc()
        tell(rt, action, NO_MODAL)
    return empty()


def submit_order(rt: Runtime, submission: ViewSubmission) -> SlackReply:
    run_id = run_id_of(submission.private_metadata)
    if run_id is None:
        return view_errors({BLOCK_ORDER: UNKNOWN_RUN})
    ticked = submission.selected(BLOCK_OPTIONS, INPUT_OPTIONS)
    with unit_of_work(rt) as session:
        outcome = place_order(
            session=session,
            run_id=run_id,
            user_id=submission.user_id,
            raw_text=submission.input_value(BLOCK_ORDER, INPUT_ORDER),
            now=rt.clock.now(),
            volunteer=OPTION_VOLUNTEER in ticked,
            allow_repeat_runner=OPTION_REPEAT_OK in ticked,
        )
        if isinstance(outcome, OrderTextError | Refusal):
            session.rollback()
            return view_errors({BLOCK_ORDER: outcome.message})
        saved = get_active_order(session=session, run_id=run_id, user_id=submission.user_id)
    return view_update(order_saved_modal(saved.text if saved else ""))  # says what was saved


def use_last_order(rt: Runtime, action: BlockAction, run_id: uuid.UUID) -> SlackReply:
    """Place the saved order and turn the open modal into what happened (views.update,
    after the answer)."""
    with unit_of_work(rt) as session:
        preference = get_preference(session=session, user_id=action.user_id)
        last = preference.last_order_text if preference else None
        outcome = place_order(
            session=session,
            run_id=run_id,
            user_id=action.user_id,
            raw_text=last,
            now=rt.clock.now(),
        )
        if isinstance(outcome, OrderTextError | Refusal):
            session.rollback()
            message = (
                "You have no saved order yet."
                if isinstance(outcome, OrderTextError)
                else outcome.message
            )
            view = order_not_saved_modal(message)
        else:
            assert last is not None
            view = order_saved_modal(last)
        if action.view_id is not None:
            notice = Notice(Via.VIEW, view_id=action.view_id, view=view)
            ask_notice(session=session, notice=notice, now=rt.clock.now())
    return empty()


def withdraw(rt: Runtime, action: BlockAction, run_id: uuid.UUID) -> SlackReply:
    with unit_of_work(rt) as session:
        outcome = withdraw_order(
            session=session, run_id=run_id, user_id=action.user_id, now=rt.clock.now()
        )
    tell(rt, action, outcome.message if isinstance(outcome, Refusal) else WITHDRAWN)
    return empty()
