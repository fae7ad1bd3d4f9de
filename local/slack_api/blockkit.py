"""Block Kit limits that real Slack enforces server-side, so tests catch payloads it would reject.

Problems are reported the way Slack words them in `response_metadata.messages`:
`[ERROR] <reason> [json-pointer:/blocks/0/text/text]`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeGuard

BLOCK_TYPES = frozenset(
    {"section", "actions", "context", "divider", "header", "input", "image", "rich_text"}
)
TEXT_TYPES = ("plain_text", "mrkdwn")
BUTTON_STYLES = frozenset({"primary", "danger"})
TEXT_INPUTS = frozenset(
    {"plain_text_input", "email_text_input", "url_text_input", "number_input", "rich_text_input"}
)
SELECTS = frozenset(
    {
        "static_select",
        "external_select",
        "users_select",
        "conversations_select",
        "channels_select",
        "multi_static_select",
        "multi_external_select",
        "multi_users_select",
        "multi_conversations_select",
        "multi_channels_select",
    }
)
PICKERS = frozenset({"datepicker", "timepicker", "datetimepicker"})
CHOICES = frozenset({"checkboxes", "radio_buttons", "overflow"})
INTERACTIVE = frozenset({"button"}) | SELECTS | PICKERS | CHOICES
INPUT_ELEMENTS = TEXT_INPUTS | SELECTS | PICKERS | frozenset({"checkboxes", "radio_buttons"})
ACTIONS_ELEMENTS = INTERACTIVE | TEXT_INPUTS
ACCESSORY_ELEMENTS = INTERACTIVE | frozenset({"image"})
OPTION_LIMITS = {"overflow": 5, "checkboxes": 10, "radio_buttons": 10}
MAX_TEXT_INPUT = 3000


def problem(pointer: str, reason: str) -> str:
    return f"[ERROR] {reason} [json-pointer:{pointer}]"


class BlockChecker:
    """Collects every problem instead of stopping at the first, like Slack's validator."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def fail(self, pointer: str, reason: str) -> None:
        self.problems.append(problem(pointer, reason))

    # -- primitives -------------------------------------------------------------------------

    def string(
        self, value: object, pointer: str, *, limit: int, required: bool = False
    ) -> TypeGuard[str]:
        """True when `value` is a usable string within `limit`."""
        if value is None:
            if required:
                self.fail(pointer, "is required")
            return False
        if not isinstance(value, str):
            self.fail(pointer, "must be a string")
            return False
        if len(value) > limit:
            self.fail(pointer, f"must be at most {limit} characters (got {len(value)})")
            return False
        return True

    def text(self, value: object, pointer: str, *, limit: int, plain_only: bool = False) -> None:
        if not isinstance(value, dict):
            self.fail(pointer, "must be a text object")
            return
        allowed = TEXT_TYPES[:1] if plain_only else TEXT_TYPES
        if value.get("type") not in allowed:
            self.fail(f"{pointer}/type", f"must be one of: {', '.join(allowed)}")
        content = value.get("text")
        if not isinstance(content, str) or not content:
            self.fail(f"{pointer}/text", "must be a non-empty string")
        elif len(content) > limit:
            self.fail(f"{pointer}/text", f"must be at most {limit} characters (got {len(content)})")

    def items(self, value: object, pointer: str, *, limit: int, what: str) -> list[object]:
        if not isinstance(value, list) or not value:
            self.fail(pointer, f"must be a non-empty array of {what}")
            return []
        if len(value) > limit:
            self.fail(pointer, f"must contain at most {limit} {what} (got {len(value)})")
        return list(value)

    # -- blocks -----------------------------------------------------------------------------

    def blocks(self, value: object, pointer: str, *, limit: int, in_view: bool) -> None:
        if not isinstance(value, list):
            self.fail(pointer, "must be an array of blocks")
            return
        if len(value) > limit:
            self.fail(pointer, f"must contain at most {limit} blocks (got {len(value)})")
        block_ids: set[str] = set()
        for index, block in enumerate(value):
            self.block(block, f"{pointer}/{index}", block_ids, in_view=in_view)

    def block(self, block: object, pointer: str, block_ids: set[str], *, in_view: bool) -> None:
        if not isinstance(block, dict):
            self.fail(pointer, "must be a block object")
            return
        kind = block.get("type")
        if kind not in BLOCK_TYPES:
            self.fail(f"{pointer}/type", f"unknown block type {kind!r}")
            return
        block_id = block.get("block_id")
        if self.string(block_id, f"{pointer}/block_id", limit=255):
            if block_id in block_ids:
                self.fail(f"{pointer}/block_id", f"duplicate block_id {block_id!r}")
            block_ids.add(block_id)
        if kind == "input" and not in_view:
            self.fail(f"{pointer}/type", "input blocks are only allowed in modals and Home tabs")
            return
        checks: dict[str, Callable[[dict[str, object], str], None]] = {
            "section": self.section,
            "actions": self.actions,
            "context": self.context,
            "header": self.header,
            "input": self.input,
            "image": self.image,
            "rich_text": self.rich_text,
        }
        check = checks.get(str(kind))
        if check is not None:
            check(block, pointer)

    def section(self, block: dict[str, object], pointer: str) -> None:
        text, fields = block.get("text"), block.get("fields")
        if text is None and fields is None:
            self.fail(pointer, "section blocks need text or fields")
        if text is not None:
            self.text(text, f"{pointer}/text", limit=3000)
        if fields is not None:
            for index, field in enumerate(
                self.items(fields, f"{pointer}/fields", limit=10, what="fields")
            ):
                self.text(field, f"{pointer}/fields/{index}", limit=2000)
        accessory = block.get("accessory")
        if accessory is not None:
            self.element(accessory, f"{pointer}/accessory", set(), allowed=ACCESSORY_ELEMENTS)

    def header(self, block: dict[str, object], pointer: str) -> None:
        self.text(block.get("text"), f"{pointer}/text", limit=150, plain_only=True)

    def actions(self, block: dict[str, object], pointer: str) -> None:
        action_ids: set[str] = set()
        elements = self.items(
            block.get("elements"), f"{pointer}/elements", limit=25, what="elements"
        )
        for index, element in enumerate(elements):
            self.element(
                element, f"{pointer}/elements/{index}", action_ids, allowed=ACTIONS_ELEMENTS
            )

    def context(self, block: dict[str, object], pointer: str) -> None:
        elements = self.items(
            block.get("elements"), f"{pointer}/elements", limit=10, what="elements"
        )
        for index, element in enumerate(elements):
            at = f"{pointer}/elements/{index}"
            if isinstance(element, dict) and element.get("type") == "image":
                self.image_element(element, at)
            else:
                self.text(element, at, limit=3000)

    def input(self, block: dict[str, object], pointer: str) -> None:
        self.text(block.get("label"), f"{pointer}/label", limit=2000, plain_only=True)
        if block.get("hint") is not None:
            self.text(block.get("hint"), f"{pointer}/hint", limit=2000, plain_only=True)
        element = block.get("element")
        if element is None:
            self.fail(f"{pointer}/element", "is required")
        else:
            self.element(element, f"{pointer}/element", set(), allowed=INPUT_ELEMENTS)

    def image(self, block: dict[str, object], pointer: str) -> None:
        self.image_element(block, pointer)
        if block.get("title") is not None:
            self.text(block.get("title"), f"{pointer}/title", limit=2000, plain_only=True)

    def rich_text(self, block: dict[str, object], pointer: str) -> None:
        if not isinstance(block.get("elements"), list):
            self.fail(f"{pointer}/elements", "must be an array")

    # -- elements ---------------------------------------------------------------------------

    def element(
        self, element: object, pointer: str, action_ids: set[str], *, allowed: frozenset[str]
    ) -> None:
        if not isinstance(element, dict):
            self.fail(pointer, "must be an element object")
            return
        kind = element.get("type")
        if kind not in allowed:
            self.fail(f"{pointer}/type", f"element type {kind!r} is not allowed here")
            return
        action_id = element.get("action_id")
        if self.string(action_id, f"{pointer}/action_id", limit=255):
            if action_id in action_ids:
                self.fail(f"{pointer}/action_id", f"duplicate action_id {action_id!r} in block")
            action_ids.add(action_id)
        if element.get("placeholder") is not None:
            self.text(
                element.get("placeholder"), f"{pointer}/placeholder", limit=150, plain_only=True
            )
        if kind == "button":
            self.button(element, pointer)
        elif kind == "image":
            self.image_element(element, pointer)
        elif kind in TEXT_INPUTS:
            self.text_input(element, pointer)
        elif "options" in element or kind in OPTION_LIMITS:
            self.options(element.get("options"), f"{pointer}/options", str(kind))

    def button(self, element: dict[str, object], pointer: str) -> None:
        self.text(element.get("text"), f"{pointer}/text", limit=75, plain_only=True)
        self.string(element.get("value"), f"{pointer}/value", limit=2000)
        self.string(element.get("url"), f"{pointer}/url", limit=3000)
        style = element.get("style")
        if style is not None and style not in BUTTON_STYLES:
            self.fail(f"{pointer}/style", f"must be one of: primary, danger (got {style!r})")

    def image_element(self, element: dict[str, object], pointer: str) -> None:
        if element.get("slack_file") is None:
            self.string(element.get("image_url"), f"{pointer}/image_url", limit=3000, required=True)
        self.string(element.get("alt_text"), f"{pointer}/alt_text", limit=2000, required=True)

    def text_input(self, element: dict[str, object], pointer: str) -> None:
        max_length = element.get("max_length")
        limit = MAX_TEXT_INPUT
        if max_length is not None:
            if not isinstance(max_length, int) or not 1 <= max_length <= MAX_TEXT_INPUT:
                self.fail(f"{pointer}/max_length", f"must be an integer from 1 to {MAX_TEXT_INPUT}")
            else:
                limit = max_length
        min_length = element.get("min_length")
        if min_length is not None and (
            not isinstance(min_length, int) or not 0 <= min_length <= limit
        ):
            self.fail(f"{pointer}/min_length", f"must be an integer from 0 to {limit}")
        if element.get("type") == "plain_text_input":
            self.string(element.get("initial_value"), f"{pointer}/initial_value", limit=limit)

    def options(self, value: object, pointer: str, kind: str) -> None:
        limit = OPTION_LIMITS.get(kind, 100)
        plain_only = kind not in {"checkboxes", "radio_buttons"}
        for index, option in enumerate(self.items(value, pointer, limit=limit, what="options")):
            at = f"{pointer}/{index}"
            if not isinstance(option, dict):
                self.fail(at, "must be an option object")
                continue
            self.text(option.get("text"), f"{at}/text", limit=75, plain_only=plain_only)
            self.string(option.get("value"), f"{at}/value", limit=150, required=True)


def message_block_problems(blocks: object) -> list[str]:
    checker = BlockChecker()
    checker.blocks(blocks, "/blocks", limit=50, in_view=False)
    return checker.problems
