"""An ephemeral note to the person who clicked, in the channel they clicked in."""

from __future__ import annotations

import logging
from typing import Any

from shared.observability.metrics import ERRORS
from shared.runtime import Runtime
from shared.slack.client import SLACK_ERRORS
from shared.slack.payloads import BlockAction

log = logging.getLogger(__name__)


def tell(
    rt: Runtime, action: BlockAction, text: str, blocks: list[dict[str, Any]] | None = None
) -> None:
    """Best effort: the change it reports has already committed, so a failure is logged."""
    if action.channel_id is None:
        return
    extra: dict[str, Any] = {"blocks": blocks} if blocks else {}
    try:
        rt.slack.chat_postEphemeral(
            channel=action.channel_id, user=action.user_id, text=text, **extra
        )
    except SLACK_ERRORS:
        ERRORS.labels("slack_api").inc()
        log.warning("ephemeral message failed")
