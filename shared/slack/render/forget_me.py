"""The forget-me offer: what CoffeeBuddy deletes, and the button that asks again first."""

from __future__ import annotations

from shared.slack.render.blocks import Block, actions, button, confirm_dialog, section

ACTION_FORGET_ME = "forget_me"
FORGET_TEXT = (
    "*Forget me?* CoffeeBuddy will delete your saved order and preferences and your runner "
    "statistics in every channel, withdraw your orders in open runs, and replace your name "
    "on past runs and orders with an anonymous id. Messages already posted in Slack stay."
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
