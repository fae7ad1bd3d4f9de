"""Every button and modal CoffeeBuddy draws, and the handler each one's click reaches.

The one registry for the interactions function: an action id (defined beside the renderer
that draws its button) or a modal's callback id maps to one handler. Buttons that act on
a run carry its id as their value; the registry reads it before the handler runs.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable

from shared.delivery.tell import tell
from shared.handlers import admin_slack, forget_me, orders, run_end, runner_actions, usual
from shared.runtime import Runtime
from shared.slack.payloads import BlockAction, IgnoredInteraction, Interaction, ViewSubmission
from shared.slack.render.admin_view import ACTION_RESET, CALLBACK_ADMIN, message_modal
from shared.slack.render.forget_me import ACTION_FORGET_ME
from shared.slack.render.order_modal import ACTION_USE_LAST, CALLBACK_ORDER
from shared.slack.render.run_message import (
    ACTION_ORDER_OPEN,
    ACTION_ORDER_USUAL,
    ACTION_ORDER_WITHDRAW,
    ACTION_RUN_CANCEL,
    ACTION_RUN_CLOSE,
)
from shared.slack.render.summary import ACTION_ARRIVED, ACTION_DECLINE
from shared.slack.render.usual import ACTION_UNDO
from shared.slack.replies import SlackReply, empty, view_update

log = logging.getLogger(__name__)

STALE_BUTTON = "That button no longer does anything here. Use the latest coffee run message."

Button = Callable[[Runtime, BlockAction], SlackReply]
RunButton = Callable[[Runtime, BlockAction, uuid.UUID], SlackReply]
Submission = Callable[[Runtime, ViewSubmission], SlackReply]


def on_run(handler: RunButton) -> Button:
    """A button whose value is its run's id: an unreadable one is refused, clearly."""

    def click(rt: Runtime, action: BlockAction) -> SlackReply:
        run_id = orders.run_id_of(action.value)
        if run_id is None:
            tell(rt, action, orders.UNKNOWN_RUN)
            return empty()
        return handler(rt, action, run_id)

    return click


BUTTONS: dict[str, Button] = {
    ACTION_ORDER_OPEN: on_run(orders.open_order_modal),
    ACTION_USE_LAST: on_run(orders.use_last_order),
    ACTION_ORDER_WITHDRAW: on_run(orders.withdraw),
    ACTION_ORDER_USUAL: on_run(usual.place_usual),
    ACTION_UNDO: usual.undo_usual,
    ACTION_RUN_CLOSE: on_run(run_end.close),
    ACTION_RUN_CANCEL: on_run(run_end.cancel),
    ACTION_ARRIVED: on_run(runner_actions.arrived),
    ACTION_DECLINE: on_run(runner_actions.decline),
    ACTION_FORGET_ME: forget_me.forget_me,
    ACTION_RESET: admin_slack.reset_from_button,
}
SUBMISSIONS: dict[str, Submission] = {
    CALLBACK_ORDER: orders.submit_order,
    CALLBACK_ADMIN: admin_slack.submit_admin_settings,
}


def handle_interaction(rt: Runtime, interaction: Interaction) -> SlackReply:
    if isinstance(interaction, IgnoredInteraction):
        return empty()
    if isinstance(interaction, ViewSubmission):
        submitted = SUBMISSIONS.get(interaction.callback_id)
        return empty() if submitted is None else submitted(rt, interaction)
    clicked = BUTTONS.get(interaction.action_id)
    if clicked is None:  # a button from an older version of a message, say
        log.info("unknown action refused", extra={"action_id": interaction.action_id[:64]})
        tell(rt, interaction, STALE_BUTTON)
        return empty()
    return clicked(rt, interaction)


def apologize(rt: Runtime, interaction: Interaction, text: str) -> SlackReply:
    """Where Slack shows a failure of ours: Slack ignores a click's answer, and shows its own
    generic error for a modal answered without a ``response_action``."""
    if isinstance(interaction, ViewSubmission):
        return view_update(message_modal(text, title="CoffeeBuddy"))
    if isinstance(interaction, BlockAction):
        tell(rt, interaction, text)
    return empty()
