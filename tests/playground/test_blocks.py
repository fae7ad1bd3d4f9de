"""Block Kit as HTML: layout blocks, buttons with their place, modals with their inputs."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from local.playground.actions import find_button
from local.playground.blocks import blocks_html, element_html
from local.playground.modal import missing_required, modal_html, state_values
from local.playground.mrkdwn import RenderContext
from shared.slack.render import blocks as kit


# The project's own builders, as the JSON Slack (and so the playground) receives.
def plain(text: str) -> dict[str, Any]:
    return kit.plain(text).to_dict()


def section(text: str, **options: Any) -> dict[str, Any]:
    return kit.section(text, **options).to_dict()


def fields(*texts: str) -> dict[str, Any]:
    return kit.fields(*texts).to_dict()


def context(*texts: str) -> dict[str, Any]:
    return kit.context(*texts).to_dict()


def button(*args: Any, **options: Any) -> Any:
    return kit.button(*args, **options)


def confirm_dialog(*args: Any) -> Any:
    return kit.confirm_dialog(*args)


def actions(*elements: Any, block_id: str | None = None) -> dict[str, Any]:
    return kit.actions(*elements, block_id=block_id).to_dict()


CTX = RenderContext(
    people={"U0ALICE": "alice"},
    channels={},
    viewer="U0ALICE",
    tz=ZoneInfo("Europe/London"),
    now=datetime(2026, 11, 25, 9, 0, tzinfo=UTC),
)


def order_view(**element: Any) -> dict[str, Any]:
    text_input = {"type": "plain_text_input", "action_id": "text", "max_length": 150, **element}
    return {
        "id": "V1",
        "hash": "h1",
        "type": "modal",
        "title": plain("Your coffee order"),
        "submit": plain("Save order"),
        "close": plain("Cancel"),
        "blocks": [
            context("Run by <@U0ALICE>"),
            {
                "type": "input",
                "block_id": "order",
                "label": plain("What would you like?"),
                "hint": plain("One line."),
                "element": text_input,
            },
            {
                "type": "input",
                "block_id": "options",
                "optional": True,
                "label": plain("Running"),
                "element": {
                    "type": "checkboxes",
                    "action_id": "choices",
                    "options": [
                        {"text": plain("I'll go"), "value": "volunteer"},
                        {"text": plain("Again is fine"), "value": "repeat_ok"},
                    ],
                    "initial_options": [{"text": plain("Again is fine"), "value": "repeat_ok"}],
                },
            },
        ],
    }


def test_layout_blocks_render_sections_fields_context_dividers_and_headers():
    rendered = blocks_html(
        [
            section("*Coffee run* by <@U0ALICE>"),
            fields("*Pickup*\nsoon", "*Orders*\n2 people"),
            context(":memo: corner cafe"),
            {"type": "divider"},
            {"type": "header", "text": plain("Today")},
            {"type": "image", "alt_text": "a <cup>", "image_url": "https://x/y.png"},
            {"type": "rich_text", "elements": []},
        ],
        CTX,
    )
    assert "<strong>Coffee run</strong>" in rendered
    assert rendered.count('class="pg-field"') == 2
    assert '<div class="pg-context"><span>\U0001f4dd corner cafe</span></div>' in rendered
    assert '<hr class="pg-divider">' in rendered and "<h3" in rendered
    assert "[image: a &lt;cup&gt;]" in rendered and "[rich_text block]" in rendered


def test_buttons_carry_their_place_style_and_confirm_dialog():
    rendered = blocks_html(
        [
            section("hi"),
            actions(
                button("Add <order>", "order_open", "r1", style="primary"),
                button(
                    "Cancel run",
                    "run_cancel",
                    "r1",
                    style="danger",
                    confirm=confirm_dialog("Cancel this run?", "Orders *dropped*.", "Cancel run"),
                ),
            ),
        ],
        CTX,
    )
    assert '<button type="button" class="pg-btn pg-btn-primary" data-path="1.0">' in rendered
    assert "Add &lt;order&gt;" in rendered
    assert 'data-path="1.1">Cancel run</button><template class="pg-confirm">' in rendered
    assert "Orders <strong>dropped</strong>." in rendered
    assert 'data-confirm="no">Keep it</button>' in rendered


def test_link_buttons_open_only_web_urls_and_other_elements_are_named():
    link = element_html(
        {"type": "button", "text": plain("Menu"), "url": "https://x.test"}, "0.0", CTX
    )
    assert link.startswith('<a class="pg-btn" href="https://x.test"')
    sneaky = element_html({"type": "button", "text": plain("X"), "url": "javascript:1"}, "0.0", CTX)
    assert sneaky.startswith("<button")
    assert "[static_select element]" in element_html({"type": "static_select"}, "0.0", CTX)


def test_section_accessory_button_is_addressed_as_accessory():
    blocks = [section("Last time: tea", accessory=button("Use my last order", "use", "r1"))]
    assert 'data-path="0.accessory"' in blocks_html(blocks, CTX)
    found = find_button(blocks, "0.accessory")
    assert found is not None and found[1]["action_id"] == "use"
    assert found[0] == "pg_block_0"  # Slack makes up a block id when the app gave none


def test_find_button_refuses_paths_that_point_nowhere():
    blocks = [section("hi"), actions(button("Go", "go", "v"), block_id="acts")]
    assert find_button(blocks, "1.0") == ("acts", blocks[1]["elements"][0])
    for path in ("1.5", "0.0", "0.accessory", "9.0", "x.0", "1", "-1.0"):
        assert find_button(blocks, path) is None


def test_modal_renders_inputs_with_initial_values_labels_and_hints():
    rendered = modal_html(order_view(initial_value='oat "flat" white'), CTX, errors={}, typed=None)
    assert 'data-view="V1"' in rendered and "Your coffee order" in rendered
    assert 'value="oat &quot;flat&quot; white"' in rendered
    assert " required" in rendered
    assert "maxlength" not in rendered  # a long order reaches the app, which says why not
    assert '<label for="b1">What would you like?</label>' in rendered
    assert 'aria-describedby="b1-hint"' in rendered
    assert 'value="volunteer">' in rendered and 'value="repeat_ok" checked' in rendered
    assert "(optional)" in rendered
    assert '<button type="submit" class="pg-btn pg-btn-primary">Save order</button>' in rendered


def test_modal_errors_sit_under_their_block_and_keep_what_was_typed():
    rendered = modal_html(
        order_view(initial_value="tea"),
        CTX,
        errors={"order": "This run is closed <now>."},
        typed={"b1": ["latte"], "b2": ["volunteer"]},
    )
    assert 'value="latte"' in rendered and 'value="tea"' not in rendered
    assert 'value="volunteer" checked' in rendered and 'value="repeat_ok" checked' not in rendered
    assert '<p class="pg-error" id="b1-error" role="alert">This run is closed &lt;now&gt;.</p>' in (
        rendered
    )
    assert 'aria-invalid="true"' in rendered


def test_a_modal_without_submit_has_only_its_close_button():
    view = {"id": "V2", "title": plain("Order saved"), "close": plain("Done"), "blocks": []}
    rendered = modal_html(view, CTX, errors={}, typed=None)
    assert 'data-modal="close">Done</button>' in rendered and 'type="submit"' not in rendered


def test_state_values_are_shaped_like_slacks():
    values = state_values(order_view(), {"b1": ["latte"], "b2": ["volunteer", "bogus"]})
    assert values == {
        "order": {"text": {"type": "plain_text_input", "value": "latte"}},
        "options": {
            "choices": {
                "type": "checkboxes",
                "selected_options": [{"text": plain("I'll go"), "value": "volunteer"}],
            }
        },
    }
    empty = state_values(order_view(), {})
    assert empty["order"]["text"]["value"] is None
    assert empty["options"]["choices"]["selected_options"] == []


def test_required_inputs_left_empty_are_refused_before_sending():
    assert missing_required(order_view(), {"b1": ["  "]}) == {
        "order": "Please complete this required field."
    }
    assert missing_required(order_view(), {"b1": ["tea"]}) == {}
