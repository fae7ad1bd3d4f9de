"""How a person is named in a message: a mention, or a plain phrase once they were forgotten."""

from __future__ import annotations

from shared.privacy.pseudonym import LEFT, is_forgotten

NOBODY = "someone"


def mention(user_id: str | None) -> str:
    """``<@U…>`` for a Slack user; never the pseudonym forget-me left behind.

    ``None`` (a runner not yet chosen, where a caller drew one anyway) reads as "someone"
    rather than ``<@None>``.
    """
    if not user_id:
        return NOBODY
    return LEFT if is_forgotten(user_id) else f"<@{user_id}>"
