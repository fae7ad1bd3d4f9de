"""Short ephemeral texts: help and the answers to things people can get wrong."""

from __future__ import annotations

from shared.runs.command import USAGE

HELP = "\n".join(
    [
        ":coffee: *CoffeeBuddy* runs the office coffee run.",
        USAGE,
        "• Times are in your Slack timezone; `in 20m` or `in 1h` also work.",
        "• Everyone adds an order with the run's *Add / edit my order* button.",
        "• Whoever started the run closes it; a runner is picked fairly.",
        "• `/coffee stats` shows the last 4 weeks: runs, cups, who ran.",
        "• `/coffee forget-me` deletes what CoffeeBuddy keeps about you.",
        "• `/coffee help` shows this again.",
    ]
)


def help_text(unknown_word: str | None = None) -> str:
    if unknown_word:
        return f"I don't know `{unknown_word}`.\n{HELP}"
    return HELP


ADMIN_USAGE = (
    "`/coffee admin` opens this channel's settings, `/coffee admin audit` lists recent "
    "changes, `/coffee admin reset` deletes this channel's CoffeeBuddy data."
)
