"""The forget-me offer: what CoffeeBuddy deletes, and the button that asks again first;
and what it says once it has."""

from __future__ import annotations

from typing import TYPE_CHECKING

from shared.slack.render.blocks import Block, actions, button, confirm_dialog, section
from shared.slack.render.people import mention

if TYPE_CHECKING:  # the intake draws the offer: no ORM import for the words after
    from shared.runs.leaving import LeftRuns

ACTION_FORGET_ME = "forget_me"
FORGET_TEXT = (
    "*Forget me?* CoffeeBuddy will delete your saved order and preferences and your runner "
    "statistics in every channel, withdraw your orders in open runs, and replace your name "
    "on past runs and orders with an anonymous id. A run you started that is still open is "
    "canceled first, and a run you are doing is handed to the next person. Messages already "
    "posted in Slack stay."
)


def forget_me_offer(user_id: str) -> list[Block]:
    return [
        section(FORGET_TEXT),
        actions(
            button(
                "Forget me",
                ACTION_FORGET_ME,
                user_id,
                style="danger",
                confirm=confirm_dialog(
                    "Forget you?", "This can't be undone.", "Forget me", "Keep my data"
                ),
            )
        ),
    ]


def forgotten_text(left: LeftRuns) -> str:
    lines = ["Done: CoffeeBuddy has forgotten you."]
    for run in left.canceled:
        lines.append(f"• Your run in <#{run.channel_id}> was canceled.")
    for run in left.handed_on:
        lines.append(
            f"• {mention(run.runner_id)} takes over the run you were doing in <#{run.channel_id}>."
        )
    return "\n".join(lines)
