"""Block Kit layout blocks as HTML: sections, fields, context, dividers, headers, buttons.

Every button carries its place in the surface (``data-path="<block>.<element>"``); the
page sends that back and the server reads the button from the stored message or view, so
what reaches the app is what Slack would send, not what the page claims.
"""

from __future__ import annotations

import html
from typing import Any

from local.playground.mrkdwn import RenderContext, mrkdwn_html, plain_html

JsonObject = dict[str, Any]
BUTTON_STYLES = {"primary": " pg-btn-primary", "danger": " pg-btn-danger"}


def text_html(obj: object, ctx: RenderContext) -> str:
    """A Block Kit text object (mrkdwn or plain_text); anything else renders as nothing."""
    if not isinstance(obj, dict) or not isinstance(obj.get("text"), str):
        return ""
    if obj.get("type") == "mrkdwn":
        return mrkdwn_html(obj["text"], ctx)
    return plain_html(obj["text"], emoji=obj.get("emoji", True) is not False)


def blocks_html(blocks: list[Any], ctx: RenderContext) -> str:
    return "".join(
        block_html(block, index, ctx)
        for index, block in enumerate(blocks)
        if isinstance(block, dict)
    )


def block_html(block: JsonObject, index: int, ctx: RenderContext) -> str:
    kind = block.get("type")
    if kind == "section":
        return _section(block, index, ctx)
    if kind == "context":
        parts = [_context_element(e, ctx) for e in block.get("elements") or []]
        return f'<div class="pg-context">{" ".join(p for p in parts if p)}</div>'
    if kind == "divider":
        return '<hr class="pg-divider">'
    if kind == "header":
        return f'<h3 class="pg-header">{text_html(block.get("text"), ctx)}</h3>'
    if kind == "actions":
        elements = block.get("elements") or []
        rendered = [element_html(e, f"{index}.{i}", ctx) for i, e in enumerate(elements)]
        return f'<div class="pg-actions">{"".join(rendered)}</div>'
    if kind == "image":
        return f'<p class="pg-context">[image: {html.escape(str(block.get("alt_text", "")))}]</p>'
    return f'<p class="pg-unsupported">[{html.escape(str(kind))} block]</p>'


def _section(block: JsonObject, index: int, ctx: RenderContext) -> str:
    parts = []
    if block.get("text"):
        parts.append(f'<div class="pg-text">{text_html(block["text"], ctx)}</div>')
    fields = block.get("fields") or []
    if fields:
        cells = "".join(f'<div class="pg-field">{text_html(f, ctx)}</div>' for f in fields)
        parts.append(f'<div class="pg-fields">{cells}</div>')
    accessory = block.get("accessory")
    body = f'<div class="pg-section-body">{"".join(parts)}</div>'
    if isinstance(accessory, dict):
        side = element_html(accessory, f"{index}.accessory", ctx)
        return f'<div class="pg-section pg-with-accessory">{body}{side}</div>'
    return f'<div class="pg-section">{body}</div>'


def _context_element(element: object, ctx: RenderContext) -> str:
    if not isinstance(element, dict):
        return ""
    if element.get("type") == "image":
        return f"[{html.escape(str(element.get('alt_text', 'image')))}]"
    return f"<span>{text_html(element, ctx)}</span>"


def element_html(element: object, path: str, ctx: RenderContext) -> str:
    if not isinstance(element, dict):
        return ""
    if element.get("type") != "button":
        kind = html.escape(str(element.get("type")))
        return f'<span class="pg-unsupported">[{kind} element]</span>'
    label = text_html(element.get("text"), ctx)
    style = BUTTON_STYLES.get(str(element.get("style")), "")
    url = element.get("url")
    if isinstance(url, str) and url.lower().startswith(("https://", "http://")):
        href = html.escape(url, quote=True)
        return (
            f'<a class="pg-btn{style}" href="{href}" target="_blank" '
            f'rel="noopener noreferrer">{label}</a>'
        )
    confirm = element.get("confirm")
    dialog = _confirm_template(confirm, ctx) if isinstance(confirm, dict) else ""
    return (
        f'<button type="button" class="pg-btn{style}" data-path="{html.escape(path)}">'
        f"{label}</button>{dialog}"
    )


def _confirm_template(confirm: JsonObject, ctx: RenderContext) -> str:
    """Slack's confirmation dialog, kept next to its button until the button is clicked."""
    yes = text_html(confirm.get("confirm"), ctx) or "Yes"
    no = text_html(confirm.get("deny"), ctx) or "Cancel"
    danger = " pg-btn-danger" if confirm.get("style") == "danger" else " pg-btn-primary"
    title = text_html(confirm.get("title"), ctx)
    return (
        '<template class="pg-confirm">'
        f'<h2 class="pg-dialog-title" id="pg-confirm-title">{title}</h2>'
        f'<div class="pg-dialog-body">{text_html(confirm.get("text"), ctx)}</div>'
        '<div class="pg-dialog-buttons">'
        f'<button type="button" class="pg-btn" data-confirm="no">{no}</button>'
        f'<button type="button" class="pg-btn{danger}" data-confirm="yes">{yes}</button>'
        "</div></template>"
    )
