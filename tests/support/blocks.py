"""Reading Block Kit the way a person sees it, so a test says what it looked for.

``shown(blocks)`` is every text a person can read (sections, fields, context, buttons,
labels), one per line; ``action_ids`` and ``block_ids`` what the blocks can be clicked
or found by.
"""

from __future__ import annotations

from typing import Any


def _walk(node: Any) -> list[dict[str, Any]]:
    if isinstance(node, list):
        return [found for item in node for found in _walk(item)]
    if not isinstance(node, dict):
        return []
    found = [node]
    for value in node.values():
        found += _walk(value)
    return found


def texts(blocks: Any) -> list[str]:
    """Every text object's text, in order (a view: its title and blocks)."""
    return [
        str(node["text"])
        for node in _walk(blocks)
        if node.get("type") in ("mrkdwn", "plain_text") and isinstance(node.get("text"), str)
    ]


def shown(blocks: Any) -> str:
    return "\n".join(texts(blocks))


def action_ids(blocks: Any) -> set[str]:
    return {str(node["action_id"]) for node in _walk(blocks) if "action_id" in node}


def block_ids(blocks: Any) -> set[str]:
    return {str(node["block_id"]) for node in _walk(blocks) if "block_id" in node}


def button(blocks: Any, action_id: str) -> dict[str, Any]:
    """The one element clicked as ``action_id`` (its confirm dialog, style, value)."""
    [found] = [node for node in _walk(blocks) if node.get("action_id") == action_id]
    return found
