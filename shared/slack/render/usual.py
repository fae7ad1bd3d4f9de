""" "My usual"'s confirmation, with the Undo button that puts the order back."""

from __future__ import annotations

import json
import uuid

from shared.slack.render.blocks import Block, actions, button, section
from shared.slack.render.order_modal import saved_text

ACTION_UNDO = "order_undo"


def usual_placed(run_id: uuid.UUID, usual: str, previous: str | None, placed: str) -> list[Block]:
    """The Undo carries what the order was before (None: there was none) and when this
    change was made (``placed``), so only the latest change's Undo works."""
    undo = json.dumps({"run": str(run_id), "previous": previous, "placed": placed})
    return [section(saved_text(usual)), actions(button("Undo", ACTION_UNDO, undo))]
