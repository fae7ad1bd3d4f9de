"""Short ephemeral texts: help and the answers to things people can get wrong."""

from __future__ import annotations

from shared.runs.command import USAGE
from shared.text import quote_typed

# Every command and every button a person meets, in the order they meet them.
HELP = "\n".join(
    [
        ":coffee: *CoffeeBuddy* runs the office coffee run.",
        f"{USAGE} Times are in your Slack timezone.",
        "• *On the run:* *Add / edit my order*, *My usual* (your last order in one tap, with "
        "*Undo*), *Withdraw my order*. Whoever started it has *Close run* (a runner is picked "
        "fairly) and *Cancel run*.",
        "• *The runner* gets the list by DM: *Can't go* hands the run on (within 10 minutes), "
        "*Arrived* tells everyone who ordered.",
        "• `/coffee stats`: the last 4 weeks here. `/coffee forget-me`: delete what "
        "CoffeeBuddy keeps about you.",
        "• *Admins:* `/coffee admin` (settings), `/coffee admin audit` (recent changes), "
        "`/coffee admin reset` (delete this channel's runs and stats).",
        "• `/coffee help` shows this again.",
    ]
)


def help_text(unknown_word: str | None = None) -> str:
    if unknown_word:
        return f"I don't know `{quote_typed(unknown_word, 40)}`.\n{HELP}"
    return HELP


ADMIN_USAGE = (
    "`/coffee admin` opens this channel's settings, `/coffee admin audit` lists recent "
    "changes, `/coffee admin reset` deletes this channel's CoffeeBuddy data."
)
