"""The order modal and the confirmation it turns into after "use my last order"."""

from __future__ import annotations

from typing import Any

from shared.limits import ORDER_TEXT_MAX
from shared.runs.snapshot import RunSnapshot
from shared.slack.render.blocks import Block, button, context, plain, section, slack_time
from shared.text import escape_mrkdwn

CALLBACK_ORDER = "order_submit"
BLOCK_ORDER = "order"
INPUT_ORDER = "text"
ACTION_USE_LAST = "order_use_last"
BLOCK_OPTIONS = "options"
INPUT_OPTIONS = "choices"
OPTION_VOLUNTEER = "volunteer"
OPTION_REPEAT_OK = "repeat_ok"


def _option(value: str, text: str) -> Block:
    return {"text": plain(text), "value": value}


def order_modal(
    run: RunSnapshot,
    *,
    current: str | None,
    last: str | None,
    volunteer: bool = False,
    repeat_ok: bool = False,
) -> dict[str, Any]:
    """The modal, prefilled with this run's order, else the person's last order."""
    element: Block = {
        "type": "plain_text_input",
        "action_id": INPUT_ORDER,
        "max_length": ORDER_TEXT_MAX,
        "placeholder": plain("e.g. oat flat white, extra hot"),
    }
    prefill = current or last
    if prefill:
        element["initial_value"] = prefill[:ORDER_TEXT_MAX]
    pickup = f"Pickup {slack_time(run.pickup_at)}" if run.pickup_at else "No pickup time set"
    blocks: list[Block] = [context(f":coffee: Run by <@{run.initiator_id}> · {pickup}")]
    if last and last != current:
        blocks.append(
            section(
                f"Last time you had *{escape_mrkdwn(last)}*",
                block_id="last_order",
                accessory=button("Use my last order", ACTION_USE_LAST, str(run.id)),
            )
        )
    blocks.append(
        {
            "type": "input",
            "block_id": BLOCK_ORDER,
            "label": plain("What would you like?"),
            "hint": plain(f"One line, up to {ORDER_TEXT_MAX} characters."),
            "element": element,
        }
    )
    options = [
        _option(OPTION_VOLUNTEER, "I'll go: pick me as the runner"),
        _option(OPTION_REPEAT_OK, "Happy to go again even if I ran last time"),
    ]
    checkboxes: Block = {"type": "checkboxes", "action_id": INPUT_OPTIONS, "options": options}
    ticked = [o for o, on in zip(options, (volunteer, repeat_ok), strict=True) if on]
    if ticked:
        checkboxes["initial_options"] = ticked
    blocks.append(
        {
            "type": "input",
            "block_id": BLOCK_OPTIONS,
            "optional": True,
            "label": plain("Running"),
            "element": checkboxes,
        }
    )
    return {
        "type": "modal",
        "callback_id": CALLBACK_ORDER,
        "private_metadata": str(run.id),
        "title": plain("Your coffee order"),
        "submit": plain("Save order"),
        "close": plain("Cancel"),
        "blocks": blocks,
    }


def order_saved_modal(text: str) -> dict[str, Any]:
    return {
        "type": "modal",
        "title": plain("Order saved"),
        "close": plain("Done"),
        "blocks": [section(f":white_check_mark: Your order *{escape_mrkdwn(text)}* is in.")],
    }


def order_not_saved_modal(message: str) -> dict[str, Any]:
    return {
        "type": "modal",
        "title": plain("Order not saved"),
        "close": plain("Close"),
        "blocks": [section(f":warning: {message}")],
    }
