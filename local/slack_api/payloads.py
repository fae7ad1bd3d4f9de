"""Shapes the method implementations share: JSON objects, Slack-style replies, argument reads."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

type JsonObject = dict[str, Any]


@dataclass(frozen=True)
class BotIdentity:
    """Who the token belongs to, as `auth.test` and posted messages report it."""

    team_id: str = "T0LOCAL01"
    team: str = "CoffeeBuddy Local"
    url: str = "https://coffeebuddy-local.slack.com/"
    user_id: str = "U0LOCALBOT"
    user: str = "coffeebuddy"
    bot_id: str = "B0LOCALBOT"
    app_id: str = "A0LOCALAPP"


def ok(**fields: Any) -> JsonObject:
    return {"ok": True, **fields}


def error(code: str, *messages: str) -> JsonObject:
    reply: JsonObject = {"ok": False, "error": code}
    if messages:
        reply["response_metadata"] = {"messages": list(messages)}
    return reply


def missing(field: str) -> JsonObject:
    return error("invalid_arguments", f"[ERROR] missing required field: {field}")


def str_arg(args: JsonObject, name: str) -> str | None:
    """A non-empty string argument; Slack treats empty form fields as absent."""
    value = args.get(name)
    if isinstance(value, str) and value.strip():
        return value
    return None


def flag_arg(args: JsonObject, name: str) -> bool:
    # slack-sdk turns Python bools into "1"/"0" for form bodies but keeps them as JSON booleans.
    value = args.get(name)
    if isinstance(value, str):
        return value.strip().lower() in {"1", "true"}
    return value is True


def dm_channel(user_id: str) -> str:
    return f"D{user_id}"


def resolve_channel(channel: str) -> str:
    """Posting to a user id lands in the app's DM with that user, as on Slack."""
    if channel[:1] in {"U", "W"}:
        return dm_channel(channel)
    return channel
