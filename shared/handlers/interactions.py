"""Buttons and modal submissions on a run: orders, withdrawals, cancel.

No Slack call is made before the answer except ``views.open`` for a modal (its trigger_id
lives 3 s): the state change commits with its events, and the redraw of the run message
and every note to the person are delivered after the answer by the close function.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable

from slack_sdk.errors import SlackApiError, SlackClientError

from shared.db.engine import transaction
from shared.db.models import Run
from shared.delivery.notices import Notice, Via, ask_notice
from shared.delivery.tell import tell
from shared.events import catalog
from shared.handlers.admin_slack import request_action, reset_from_button, submit_admin_settings
from shared.handlers.forget_me import forget_me
from shared.handlers.runner_actions import arrived, decline
from shared.handlers.usual import ACTION_UNDO, place_usual, undo_usual
from shared.observability.metrics import ERRORS, RUNS
from shared.orders.repository import get_active_order, get_preference
from shared.orders.service import open_run_for_orders, place_order, withdraw_order
from shared.orders.validation import OrderTextError
from shared.refusal import Refusal
from shared.runs.closing import request_close
from shared.runs.repository import get_run
from shared.runs.service import cancel_run
from shared.runs.snapshot import snapshot
from shared.runtime import Runtime
from shared.slack.payloads import BlockAction, IgnoredInteraction, Interaction, ViewSubmission
from shared.slack.render.admin_view import ACTION_RESET, CALLBACK_ADMIN
from shared.slack.render.forget_me import ACTION_FORGET_ME
from shared.slack.render.order_modal import (
    ACTION_USE_LAST,
    BLOCK_OPTIONS,
    BLOCK_ORDER,
    CALLBACK_ORDER,
    INPUT_OPTIONS,
    INPUT_ORDER,
    OPTION_REPEAT_OK,
    OPTION_VOLUNTEER,
    order_modal,
    order_not_saved_modal,
    order_saved_modal,
)
from shared.slack.render.run_message import (
    ACTION_ORDER_OPEN,
    ACTION_ORDER_USUAL,
    ACTION_ORDER_WITHDRAW,
    ACTION_RUN_CANCEL,
    ACTION_RUN_CLOSE,
)
from shared.slack.render.summary import ACTION_ARRIVED, ACTION_DECLINE
from shared.slack.replies import SlackReply, empty, view_errors
from shared.unit_of_work import unit_of_work

log = logging.getLogger(__name__)

UNKNOWN_RUN = "That button belongs to a coffee run I can't find."
WITHDRAWN = "Your order was withdrawn."


def handle_interaction(rt: Runtime, interaction: Interaction) -> SlackReply:
    if isinstance(interaction, IgnoredInteraction):
        return empty()
    if isinstance(interaction, ViewSubmission):
        if interaction.callback_id == CALLBACK_ADMIN:
            return submit_admin_settings(rt, interaction)
        return _submit_order(rt, interaction)
    if interaction.action_id == ACTION_RESET:
        return reset_from_button(rt, interaction)
    if interaction.action_id == ACTION_FORGET_ME:
        return forget_me(rt, interaction)
    if interaction.action_id == ACTION_UNDO:
        return undo_usual(rt, interaction)
    handler = _ACTIONS.get(interaction.action_id)
    if handler is None:
        log.info("unknown action ignored", extra={"action_id": interaction.action_id[:64]})
        return empty()
    run_id = _run_id(interaction.value)
    if run_id is None:
        tell(rt, interaction, UNKNOWN_RUN)
        return empty()
    return handler(rt, interaction, run_id)


def _run_id(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(value)
    except ValueError:
        return None


def _open_modal(rt: Runtime, action: BlockAction, run_id: uuid.UUID) -> SlackReply:
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
    except (SlackApiError, SlackClientError, OSError):
        ERRORS.labels("slack_api").inc()
        tell(rt, action, "I couldn't open the order form in time. Please click again.")
    return empty()


def _submit_order(rt: Runtime, submission: ViewSubmission) -> SlackReply:
    if submission.callback_id != CALLBACK_ORDER:
        return empty()
    run_id = _run_id(submission.private_metadata)
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
    return empty()


def _use_last_order(rt: Runtime, action: BlockAction, run_id: uuid.UUID) -> SlackReply:
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


def _withdraw(rt: Runtime, action: BlockAction, run_id: uuid.UUID) -> SlackReply:
    with unit_of_work(rt) as session:
        outcome = withdraw_order(
            session=session, run_id=run_id, user_id=action.user_id, now=rt.clock.now()
        )
    tell(rt, action, outcome.message if isinstance(outcome, Refusal) else WITHDRAWN)
    return empty()


def _end_run(
    rt: Runtime,
    action: BlockAction,
    run_id: uuid.UUID,
    end: Callable[..., Run | Refusal],
    verb: str,
) -> Run | None:
    """Cancel or close (``end``) as the clicker; the message is redrawn after the answer.
    Someone else's run may be ended by an admin only, which Slack has to confirm: that is
    handed on to the close function rather than asked here."""
    with transaction(rt.engine) as session:
        run = get_run(session=session, run_id=run_id)
    if run is not None and run.initiator_id != action.user_id:
        request_action(
            rt,
            catalog.ActionRequested(
                action="close" if verb == "close" else "cancel",
                user_id=action.user_id,
                channel_id=action.channel_id,
                run_id=str(run_id),
            ),
        )
        return None
    with unit_of_work(rt) as session:
        outcome = end(session=session, run_id=run_id, actor_id=action.user_id, now=rt.clock.now())
    if isinstance(outcome, Refusal):
        tell(rt, action, outcome.message)
        return None
    return outcome


def _cancel(rt: Runtime, action: BlockAction, run_id: uuid.UUID) -> SlackReply:
    if _end_run(rt, action, run_id, cancel_run, "cancel") is not None:
        RUNS.labels("canceled").inc()
        log.info("run canceled", extra={"run_id": str(run_id)})
    return empty()


def _close(rt: Runtime, action: BlockAction, run_id: uuid.UUID) -> SlackReply:
    """Close to orders now (the message says so at once); the close function picks the runner."""
    if _end_run(rt, action, run_id, request_close, "close") is not None:
        log.info("run closing", extra={"run_id": str(run_id)})
    return empty()


_ACTIONS: dict[str, Callable[[Runtime, BlockAction, uuid.UUID], SlackReply]] = {
    ACTION_ORDER_OPEN: _open_modal,
    ACTION_ORDER_WITHDRAW: _withdraw,
    ACTION_RUN_CANCEL: _cancel,
    ACTION_RUN_CLOSE: _close,
    ACTION_USE_LAST: _use_last_order,
    ACTION_ORDER_USUAL: place_usual,
    ACTION_ARRIVED: arrived,
    ACTION_DECLINE: decline,
}
