"""A modal view as an HTML form: its layout blocks, plus inputs named after their block.

Input fields are named ``b<index>`` so the page can send back what was typed without
knowing Block Kit; ``state_values`` turns that into the ``view.state.values`` Slack sends.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from typing import Any

from local.playground.blocks import JsonObject, block_html, text_html
from local.playground.mrkdwn import RenderContext

type FormValues = Mapping[str, Sequence[str]]
INPUT_TYPES = ("plain_text_input", "checkboxes")


def block_id(block: JsonObject, index: int) -> str:
    """The block's id; Slack makes one up when the app gave none, and so do we."""
    given = block.get("block_id")
    return given if isinstance(given, str) and given else f"pg_block_{index}"


def input_blocks(view: JsonObject) -> list[tuple[int, JsonObject]]:
    blocks = view.get("blocks") or []
    return [
        (index, block)
        for index, block in enumerate(blocks)
        if isinstance(block, dict)
        and block.get("type") == "input"
        and isinstance(block.get("element"), dict)
    ]


def state_values(view: JsonObject, form: FormValues) -> dict[str, dict[str, Any]]:
    """``view.state.values`` as Slack builds it from the inputs' current contents."""
    values: dict[str, dict[str, Any]] = {}
    for index, block in input_blocks(view):
        element = block["element"]
        action_id = str(element.get("action_id") or f"pg_action_{index}")
        typed = list(form.get(f"b{index}", ()))
        kind = element.get("type")
        state: dict[str, Any] = {"type": kind}
        if kind == "plain_text_input":
            state["value"] = typed[0] if typed and typed[0] != "" else None
        elif kind == "checkboxes":
            options = [o for o in element.get("options") or [] if isinstance(o, dict)]
            state["selected_options"] = [o for o in options if o.get("value") in typed]
        else:
            continue
        values[block_id(block, index)] = {action_id: state}
    return values


def missing_required(view: JsonObject, form: FormValues) -> dict[str, str]:
    """Slack's client refuses to submit a required input left empty; so does the page."""
    errors = {}
    for index, block in input_blocks(view):
        if block.get("optional") or block["element"].get("type") not in INPUT_TYPES:
            continue
        if not any(value.strip() for value in form.get(f"b{index}", ())):
            errors[block_id(block, index)] = "Please complete this required field."
    return errors


def modal_html(
    view: JsonObject,
    ctx: RenderContext,
    *,
    errors: Mapping[str, str],
    typed: FormValues | None,
) -> str:
    """The whole dialog; ``typed`` (what was last submitted) wins over initial values."""
    body = []
    for index, block in enumerate(view.get("blocks") or []):
        if not isinstance(block, dict):
            continue
        if block.get("type") == "input":
            error = errors.get(block_id(block, index))
            body.append(_input_html(block, index, ctx, error=error, typed=typed))
        else:
            body.append(block_html(block, index, ctx))
    submit = text_html(view.get("submit"), ctx)
    close = text_html(view.get("close"), ctx) or "Cancel"
    submit_button = (
        f'<button type="submit" class="pg-btn pg-btn-primary">{submit}</button>' if submit else ""
    )
    return (
        f'<form class="pg-modal" data-view="{html.escape(str(view.get("id", "")))}" '
        f'aria-labelledby="pg-modal-title">'
        f'<header class="pg-modal-head"><h2 id="pg-modal-title">'
        f"{text_html(view.get('title'), ctx)}</h2></header>"
        f'<div class="pg-modal-body">{"".join(body)}</div>'
        '<footer class="pg-modal-foot">'
        f'<button type="button" class="pg-btn" data-modal="close">{close}</button>'
        f"{submit_button}</footer></form>"
    )


def _input_html(
    block: JsonObject,
    index: int,
    ctx: RenderContext,
    *,
    error: str | None,
    typed: FormValues | None,
) -> str:
    element = block.get("element")
    name = f"b{index}"
    label = text_html(block.get("label"), ctx)
    optional = ' <span class="pg-optional">(optional)</span>' if block.get("optional") else ""
    hint = text_html(block.get("hint"), ctx)
    notes = f'<p class="pg-hint" id="{name}-hint">{hint}</p>' if hint else ""
    if error:
        notes += f'<p class="pg-error" id="{name}-error" role="alert">{html.escape(error)}</p>'
    described = " ".join(
        part for part, shown in ((f"{name}-hint", hint), (f"{name}-error", error)) if shown
    )
    field = _field(
        element,
        name,
        ctx,
        typed=typed,
        described=described,
        invalid=bool(error),
        required=not block.get("optional"),
    )
    css = "pg-input pg-input-invalid" if error else "pg-input"
    if isinstance(element, dict) and element.get("type") == "checkboxes":
        return (
            f'<fieldset class="{css}"><legend>{label}{optional}</legend>{field}{notes}</fieldset>'
        )
    return f'<div class="{css}"><label for="{name}">{label}{optional}</label>{field}{notes}</div>'


def _field(
    element: object,
    name: str,
    ctx: RenderContext,
    *,
    typed: FormValues | None,
    described: str,
    invalid: bool,
    required: bool,
) -> str:
    if not isinstance(element, dict) or element.get("type") not in INPUT_TYPES:
        kind = element.get("type") if isinstance(element, dict) else None
        return f'<p class="pg-unsupported">[{html.escape(str(kind))} input]</p>'
    aria = f' aria-describedby="{described}"' if described else ""
    aria += ' aria-invalid="true"' if invalid else ""
    if element["type"] == "checkboxes":
        return _checkboxes(element, name, ctx, typed=typed, aria=aria)
    value = typed[name][0] if typed and typed.get(name) else element.get("initial_value", "")
    attributes = f'id="{name}" name="{name}"{aria}' + (" required" if required else "")
    # No maxlength: the browser would cut a long paste silently; the app's own validation
    # answers instead, under the field, as it does in Slack.
    if isinstance(element.get("min_length"), int):
        attributes += f' minlength="{element["min_length"]}"'
    placeholder = element.get("placeholder")
    if isinstance(placeholder, dict) and isinstance(placeholder.get("text"), str):
        attributes += f' placeholder="{html.escape(placeholder["text"], quote=True)}"'
    if element.get("multiline"):
        return f'<textarea {attributes} rows="4">{html.escape(str(value))}</textarea>'
    return f'<input type="text" {attributes} value="{html.escape(str(value), quote=True)}">'


def _checkboxes(
    element: JsonObject, name: str, ctx: RenderContext, *, typed: FormValues | None, aria: str
) -> str:
    options = [o for o in element.get("options") or [] if isinstance(o, dict)]
    if typed is not None:
        ticked = set(typed.get(name, ()))
    else:
        initial = element.get("initial_options") or []
        ticked = {str(o.get("value")) for o in initial if isinstance(o, dict)}
    rows = []
    for number, option in enumerate(options):
        value = str(option.get("value", ""))
        box_id = f"{name}-{number}"
        checked = " checked" if value in ticked else ""
        rows.append(
            f'<div class="pg-check"><input type="checkbox" id="{box_id}" name="{name}" '
            f'value="{html.escape(value, quote=True)}"{checked}{aria}>'
            f'<label for="{box_id}">{text_html(option.get("text"), ctx)}</label></div>'
        )
    return "".join(rows)
