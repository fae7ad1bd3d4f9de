"""The order modal and the confirmation it turns into after "use my last order"."""

from __future__ import annotations

from shared.limits import ORDER_TEXT_MAX
from shared.runs.snapshot import RunSnapshot
from shared.slack.render.blocks import (
    Block,
    View,
    button,
    checkboxes,
    context,
    modal,
    question,
    section,
    slack_time,
    text_input,
)
from shared.slack.render.people import mention
from shared.text import escape_mrkdwn

CALLBACK_ORDER = "order_submit"
BLOCK_ORDER = "order"
INPUT_ORDER = "text"
ACTION_USE_LAST = "order_use_last"
BLOCK_OPTIONS = "options"
INPUT_OPTIONS = "choices"
OPTION_VOLUNTEER = "volunteer"
OPTION_REPEAT_OK = "repeat_ok"


def order_modal(
    run: RunSnapshot,
    *,
    current: str | None,
    last: str | None,
    volunteer: bool = False,
    repeat_ok: bool = False,
) -> View:
    """The modal, prefilled with this run's order, else the person's last order."""
    prefill = current or last
    text = text_input(
        INPUT_ORDER,
        max_length=ORDER_TEXT_MAX,
        placeholder="e.g. oat flat white, extra hot",
        initial=prefill[:ORDER_TEXT_MAX] if prefill else None,
    )
    pickup = f"Pickup {slack_time(run.pickup_at)}" if run.pickup_at else "No pickup time set"
    blocks: list[Block] = [context(f":coffee: Run by {mention(run.initiator_id)} · {pickup}")]
    if last and last != current:
        blocks.append(
            section(
                f"Last time you had *{escape_mrkdwn(last)}*",
                block_id="last_order",
                accessory=button("Use my last order", ACTION_USE_LAST, str(run.id)),
            )
        )
    blocks.append(
        question(
            BLOCK_ORDER,
            "What would you like?",
            text,
            hint=f"One line, up to {ORDER_TEXT_MAX} characters.",
        )
    )
    running = checkboxes(
        INPUT_OPTIONS,
        [
            (OPTION_VOLUNTEER, "I'll go: pick me as the runner", volunteer),
            (OPTION_REPEAT_OK, "Happy to go again even if I ran last time", repeat_ok),
        ],
    )
    blocks.append(question(BLOCK_OPTIONS, "Running", running, optional=True))
    return modal(
        "Your coffee order",
        blocks,
        close="Cancel",
        submit="Save order",
        callback_id=CALLBACK_ORDER,
        private_metadata=str(run.id),
    )


def saved_text(order: str) -> str:
    """What every way of placing an order says once it is saved (the modal, "Use my last
    order", My usual, an Undo back to an earlier order)."""
    return f":white_check_mark: Your order *{escape_mrkdwn(order)}* is in."


def order_saved_modal(text: str) -> View:
    return modal("Order saved", [section(saved_text(text))], close="Done")


def order_not_saved_modal(message: str) -> View:
    return modal("Order not saved", [section(f":warning: {message}")])
