"""The close summary in the channel and the runner's DM.

Both draw the order list with ``order_list`` — one renderer, so the runner's list and
item count are identical to the channel's by construction (and a test checks it).
"""

from __future__ import annotations

from datetime import datetime

from slack_sdk.models.blocks import InteractiveElement

from shared.privacy.pseudonym import is_forgotten
from shared.runs.snapshot import RunSnapshot
from shared.slack.render.blocks import (
    Block,
    actions,
    button,
    confirm_dialog,
    context,
    section,
    slack_time,
)
from shared.slack.render.people import mention
from shared.text import escape_mrkdwn

MAX_LINES_PER_SECTION = 25


def _items(count: int) -> str:
    return "1 item" if count == 1 else f"{count} items"


def order_list(run: RunSnapshot) -> list[Block]:
    """Blocks listing every order with its person, and the item-count line."""
    lines = [f"• {mention(o.user_id)}: {escape_mrkdwn(o.text)}" for o in run.orders]
    blocks: list[Block] = [
        section("\n".join(lines[i : i + MAX_LINES_PER_SECTION]))
        for i in range(0, len(lines), MAX_LINES_PER_SECTION)
    ]
    blocks.append(context(f"*{_items(len(run.orders))}* in total"))
    return blocks


def _pickup_line(run: RunSnapshot) -> str:
    pickup = f"Pickup {slack_time(run.pickup_at)}" if run.pickup_at else "No pickup time"
    note = f" · :memo: {escape_mrkdwn(run.pickup_note)}" if run.pickup_note else ""
    return pickup + note


ACTION_ARRIVED = "run_arrived"
ACTION_DECLINE = "runner_decline"


def _runner_footer(run: RunSnapshot, *more: InteractiveElement) -> Block:
    """When the coffee arrived, or the runner's buttons until it has."""
    if run.arrived_at:
        return context(f":white_check_mark: Arrived {slack_time(run.arrived_at)}")
    return actions(button("Arrived", ACTION_ARRIVED, str(run.id), style="primary"), *more)


FAILED_NOTE = ":warning: This run couldn't be completed, so nobody needs to go"


def _failed(run: RunSnapshot) -> tuple[str, list[Block]]:
    """A summary or DM whose run failed after it was posted: it says so, without buttons."""
    why = f" ({escape_mrkdwn(run.failure_reason)})" if run.failure_reason else ""
    blocks: list[Block] = [
        section(f"{FAILED_NOTE}{why}."),
        context(_pickup_line(run)),
        *order_list(run),
    ]
    return "This coffee run couldn't be completed.", blocks


def channel_summary(run: RunSnapshot, reason: str | None) -> tuple[str, list[Block]]:
    if run.status == "failed":
        return _failed(run)
    listing = order_list(run)
    why = f"\n_Why: {reason}_" if reason else ""  # our own text, with mentions
    blocks = [
        section(f":coffee: *Orders are in!* {mention(run.runner_id)} is doing this run.{why}"),
        context(_pickup_line(run)),
        *listing,
    ]
    blocks.append(_runner_footer(run))
    text = f"Coffee run closed: {mention(run.runner_id)} is going, {_items(len(run.orders))}."
    return text, blocks


def runner_dm(run: RunSnapshot, now: datetime) -> tuple[str, list[Block]]:
    """The runner's list; "Can't go" shows only while it still works."""
    if run.status == "failed":
        return _failed(run)
    listing = order_list(run)
    blocks = [
        section(f":runner: You're on the coffee run for <#{run.channel_id}>. Here's the list:"),
        context(_pickup_line(run)),
        *listing,
    ]
    more = (_cant_go(run),) if run.runner_may_hand_on(now) else ()
    blocks.append(_runner_footer(run, *more))
    return f"You're on the coffee run: {_items(len(run.orders))}.", blocks


def _cant_go(run: RunSnapshot) -> InteractiveElement:
    """A click that hands the run on can't be taken back, so Slack asks first."""
    return button(
        "Can't go",
        ACTION_DECLINE,
        str(run.id),
        confirm=confirm_dialog(
            "Can't go?",
            "The next fair pick from this run takes over and gets the list. "
            "You won't be picked again for this run.",
            "Hand it on",
            "I'll go",
        ),
    )


def off_the_hook_dm(run: RunSnapshot) -> tuple[str, list[Block]]:
    text = (
        f":ok_hand: No problem: {mention(run.runner_id)} is doing the coffee run "
        f"for <#{run.channel_id}>."
    )
    return "You're off the hook.", [section(text)]


def arrival_message(run: RunSnapshot) -> str:
    # Someone forgotten can't be notified, and "someone who left" isn't a call to come.
    waiting = sorted({o.user_id for o in run.orders if not is_forgotten(o.user_id)})
    mentions = " ".join(mention(u) for u in waiting if u != run.runner_id)
    return f":coffee: {mention(run.runner_id)} is back with the coffee! {mentions}".strip()


def reminder_dm(run: RunSnapshot, pickup: str) -> tuple[str, list[Block]]:
    """``pickup`` says when, from now: "in about 5 min", "is now", "was 2 min ago"."""
    listing = order_list(run)
    blocks = [
        section(f":alarm_clock: Coffee pickup {pickup} for <#{run.channel_id}>."),
        context(_pickup_line(run)),
        *listing,
    ]
    return f"Coffee pickup {pickup}: {_items(len(run.orders))}.", blocks


def still_open_dm(run: RunSnapshot) -> tuple[str, list[Block]]:
    text = (
        f":hourglass: Your coffee run in <#{run.channel_id}> is still open and pickup is "
        f"{slack_time(run.pickup_at) if run.pickup_at else 'soon'}. "
        f"Close it to pick a runner ({_items(len(run.orders))} so far)."
    )
    return "Your coffee run is still open.", [section(text)]


def last_call(run: RunSnapshot, minutes: int) -> tuple[str, list[Block]]:
    text = (
        f":loudspeaker: *Last call!* The coffee run by {mention(run.initiator_id)} picks up "
        f"in about {minutes} min. Add your order now."
    )
    return "Last call for the coffee run.", [section(text)]


def failed_dm(run: RunSnapshot) -> str:
    why = f" ({escape_mrkdwn(run.failure_reason)})" if run.failure_reason else ""
    return (
        f":warning: I couldn't finish your coffee run in <#{run.channel_id}>{why}. "
        "The run is marked failed and nobody was charged a run; please start a new one."
    )


def failed_channel_notice(run: RunSnapshot) -> str:
    why = f" ({escape_mrkdwn(run.failure_reason)})" if run.failure_reason else ""
    return (
        f":warning: The coffee run by {mention(run.initiator_id)} couldn't be completed{why}, "
        "so nobody needs to go. Start a new one with `/coffee`."
    )
