"""The run's message in the channel: who started it, pickup, who has ordered, its buttons."""

from __future__ import annotations

from shared.runs.snapshot import RunSnapshot
from shared.slack.render.blocks import (
    Block,
    actions,
    button,
    confirm_dialog,
    context,
    fields,
    section,
    slack_time,
)
from shared.slack.render.people import mention
from shared.text import escape_mrkdwn

ACTION_ORDER_OPEN = "order_open"
ACTION_ORDER_WITHDRAW = "order_withdraw"
ACTION_RUN_CLOSE = "run_close"
ACTION_RUN_CANCEL = "run_cancel"
ACTION_ORDER_USUAL = "order_usual"
# Named in the message, first come first; the rest are counted. Fifteen mentions of the
# longest ids we store (32 characters) stay far inside a section's 3000.
MAX_NAMED = 15


def _people(count: int) -> str:
    return "1 person" if count == 1 else f"{count} people"


def _who_ordered(run: RunSnapshot) -> str:
    if not run.orders:
        return "nobody yet"
    names = [mention(o.user_id) for o in run.orders[:MAX_NAMED]]
    more = run.participant_count - len(names)
    if more:
        return f"{', '.join(names)} and {more} more"
    if len(names) == 1:
        return names[0]
    return f"{', '.join(names[:-1])} and {names[-1]}"


def run_message(run: RunSnapshot) -> tuple[str, list[Block]]:
    """Fallback text and blocks for the run message in its current state."""
    pickup = slack_time(run.pickup_at) if run.pickup_at else "whenever it's closed"
    count = run.participant_count
    blocks: list[Block] = [
        section(
            f":coffee: *Coffee run* started by {mention(run.initiator_id)}", block_id="run_head"
        ),
        fields(f"*Pickup*\n{pickup}", f"*Orders*\n{_people(count)}"),
    ]
    if run.orders or run.status == "open":
        # Always there while open, so the buttons keep their places from one drawing to
        # the next (the playground finds a clicked button by its place).
        blocks.append(section(f"*Ordered:* {_who_ordered(run)}", block_id="run_orders"))
    if run.pickup_note:
        blocks.append(context(f":memo: {escape_mrkdwn(run.pickup_note)}"))
    blocks.extend(_state_blocks(run))
    text = f"Coffee run by {mention(run.initiator_id)}: {_people(count)} ordered ({run.status})"
    return text, blocks


def _state_blocks(run: RunSnapshot) -> list[Block]:
    value = str(run.id)
    if run.status == "open":
        return [
            actions(
                button("Add / edit my order", ACTION_ORDER_OPEN, value, style="primary"),
                button("My usual", ACTION_ORDER_USUAL, value),
                button("Withdraw my order", ACTION_ORDER_WITHDRAW, value),
                button("Close run", ACTION_RUN_CLOSE, value),
                button(
                    "Cancel run",
                    ACTION_RUN_CANCEL,
                    value,
                    style="danger",
                    confirm=confirm_dialog(
                        "Cancel this run?", "Everyone's orders will be dropped.", "Cancel run"
                    ),
                ),
                block_id="run_actions",
            )
        ]
    if run.status == "closing":
        return [context(":hourglass_flowing_sand: Orders are closed; picking a runner…")]
    if run.status == "canceled" and run.close_note:
        return [context(f":no_entry_sign: {run.close_note}")]  # our own text
    if run.status == "canceled":
        who = f" by {mention(run.closed_by)}" if run.closed_by else ""
        return [context(f":no_entry_sign: This run was canceled{who}.")]
    if run.status == "failed":
        why = f" ({escape_mrkdwn(run.failure_reason)})" if run.failure_reason else ""
        return [context(f":warning: This run couldn't be completed{why}.")]
    runner = f" {mention(run.runner_id)} is going." if run.runner_id else ""
    return [context(f":lock: Orders are closed.{runner}")]
