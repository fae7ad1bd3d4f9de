""" "My usual"'s confirmation, with the Undo button that puts the order back."""

from __future__ import annotations

import json
import uuid

from shared.slack.render.blocks import Block, actions, button, section
from shared.text import escape_mrkdwn

ACTION_UNDO = "order_undo"


def usual_placed(run_id: uuid.UUID, usual: str, previous: str | None) -> list[Block]:
    """The Undo carries what the order was before (None: there was none)."""
    undo = json.dumps({"run": str(run_id), "previous": previous})
    return [
        section(f":coffee: Ordered your usual: *{escape_mrkdwn(usual)}*"),
        actions(button("Undo", ACTION_UNDO, undo)),
    ]
