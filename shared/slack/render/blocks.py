"""Small Block Kit builders over slack-sdk's models, so renderers read like the message
they draw and Slack's limits (text lengths, element counts) are checked as they are built.

WebClient accepts these objects as they are; what is stored or answered as JSON (a note
in the delivery ledger, a slash command's reply, a content hash) goes through
:func:`as_dicts`, which checks the limits.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    BlockElement,
    ButtonElement,
    CheckboxesElement,
    ConfirmObject,
    ContextBlock,
    InputBlock,
    InputInteractiveElement,
    InteractiveElement,
    MarkdownTextObject,
    Option,
    PlainTextInputElement,
    PlainTextObject,
    SectionBlock,
)
from slack_sdk.models.views import View

__all__ = [
    "Block",
    "View",
    "actions",
    "as_dict",
    "as_dicts",
    "button",
    "checkboxes",
    "confirm_dialog",
    "context",
    "fields",
    "modal",
    "number_input",
    "plain",
    "question",
    "section",
    "slack_time",
    "text_input",
]


def plain(text: str) -> PlainTextObject:
    return PlainTextObject(text=text, emoji=True)


def mrkdwn(text: str) -> MarkdownTextObject:
    return MarkdownTextObject(text=text)


def section(
    text: str, *, block_id: str | None = None, accessory: BlockElement | None = None
) -> SectionBlock:
    return SectionBlock(text=mrkdwn(text), block_id=block_id, accessory=accessory)


def fields(*texts: str) -> SectionBlock:
    return SectionBlock(fields=[mrkdwn(t) for t in texts])


def context(*texts: str) -> ContextBlock:
    return ContextBlock(elements=[mrkdwn(t) for t in texts])


def button(
    text: str,
    action_id: str,
    value: str,
    *,
    style: str | None = None,
    confirm: ConfirmObject | None = None,
) -> ButtonElement:
    return ButtonElement(
        text=plain(text), action_id=action_id, value=value, style=style, confirm=confirm
    )


def confirm_dialog(title: str, text: str, yes: str, no: str = "Keep it") -> ConfirmObject:
    return ConfirmObject(
        title=plain(title), text=mrkdwn(text), confirm=plain(yes), deny=plain(no), style="danger"
    )


def actions(*elements: InteractiveElement, block_id: str | None = None) -> ActionsBlock:
    return ActionsBlock(elements=list(elements), block_id=block_id)


def checkboxes(action_id: str, choices: Sequence[tuple[str, str, bool]]) -> CheckboxesElement:
    """(value, label, ticked) per box."""
    options = [Option(value=value, text=plain(label)) for value, label, _ in choices]
    ticked = [o for o, (_, _, on) in zip(options, choices, strict=True) if on]
    return CheckboxesElement(action_id=action_id, options=options, initial_options=ticked or None)


def text_input(
    action_id: str,
    *,
    max_length: int,
    initial: str | None = None,
    placeholder: str | None = None,
) -> PlainTextInputElement:
    return PlainTextInputElement(
        action_id=action_id,
        max_length=max_length,
        initial_value=initial,
        placeholder=plain(placeholder) if placeholder else None,
    )


def number_input(value: int | None, *, max_length: int = 6) -> PlainTextInputElement:
    return text_input("value", max_length=max_length, initial=None if value is None else str(value))


def question(
    block_id: str,
    label: str,
    element: InputInteractiveElement,
    *,
    hint: str | None = None,
    optional: bool = False,
) -> InputBlock:
    return InputBlock(
        block_id=block_id,
        label=plain(label),
        element=element,
        hint=plain(hint) if hint else None,
        optional=optional,
    )


def modal(
    title: str,
    blocks: Sequence[Block],
    *,
    close: str = "Close",
    submit: str | None = None,
    callback_id: str | None = None,
    private_metadata: str | None = None,
) -> View:
    return View(
        type="modal",
        title=plain(title),
        blocks=list(blocks),
        close=plain(close),
        submit=plain(submit) if submit else None,
        callback_id=callback_id,
        private_metadata=private_metadata,
    )


def as_dicts(blocks: Sequence[Block | dict[str, Any]] | None) -> list[dict[str, Any]] | None:
    """The blocks as Slack's JSON, Slack's limits checked (SlackObjectFormationError);
    blocks already in JSON (read back from the delivery ledger) pass as they are."""
    if blocks is None:
        return None
    return [block if isinstance(block, dict) else block.to_dict() for block in blocks]


def as_dict(view: View | dict[str, Any] | None) -> dict[str, Any] | None:
    return view if view is None or isinstance(view, dict) else view.to_dict()


def slack_time(when: datetime, fallback_format: str = "%H:%M UTC") -> str:
    """A time every reader sees in their own timezone (Slack's date formatting)."""
    return f"<!date^{int(when.timestamp())}^{{time}}|{when:{fallback_format}}>"
