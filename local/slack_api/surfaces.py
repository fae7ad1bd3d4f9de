"""Limits on whole surfaces (modals and Home tabs) on top of the per-block checks."""

from __future__ import annotations

from collections.abc import Collection

from local.slack_api.blockkit import BlockChecker

VIEW_TYPES = frozenset({"modal", "home"})
MAX_VIEW_BLOCKS = 100


def view_problems(view: object, *, allowed_types: Collection[str]) -> list[str]:
    checker = BlockChecker()
    if not isinstance(view, dict):
        checker.fail("/view", "must be a view object")
        return checker.problems
    kind = view.get("type")
    if kind not in VIEW_TYPES or kind not in allowed_types:
        expected = ", ".join(sorted(allowed_types))
        checker.fail("/view/type", f"must be one of: {expected} (got {kind!r})")
    blocks = view.get("blocks")
    if blocks is None:
        checker.fail("/view/blocks", "is required")
    else:
        checker.blocks(blocks, "/view/blocks", limit=MAX_VIEW_BLOCKS, in_view=True)
    if kind == "modal":
        checker.text(view.get("title"), "/view/title", limit=24, plain_only=True)
        for button in ("submit", "close"):
            if view.get(button) is not None:
                checker.text(view.get(button), f"/view/{button}", limit=24, plain_only=True)
        if view.get("submit") is None and _has_input(blocks):
            checker.fail("/view/submit", "is required when a modal contains input blocks")
    checker.string(view.get("private_metadata"), "/view/private_metadata", limit=3000)
    checker.string(view.get("callback_id"), "/view/callback_id", limit=255)
    checker.string(view.get("external_id"), "/view/external_id", limit=255)
    return checker.problems


def _has_input(blocks: object) -> bool:
    if not isinstance(blocks, list):
        return False
    return any(isinstance(block, dict) and block.get("type") == "input" for block in blocks)
