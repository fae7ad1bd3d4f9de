"""A whole coffee run played in a real browser against the README's local run.

Headless Chromium from Debian's `chromium` package (installed by scripts/ensure-tools),
driven by Playwright. With PLAYGROUND_SCREENSHOTS=1 the test also writes the screenshots
in docs/img/ (the README and docs/playground.md show them).
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.playground.browsing import NARROW, NEEDS_CHROMIUM, be, screenshot, state, watch

pytestmark = NEEDS_CHROMIUM
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
expect = sync_api.expect


def order(page: Any, text: str, *, volunteer: bool = False) -> None:
    page.get_by_role("button", name="Add / edit my order").last.click()
    dialog = page.get_by_role("dialog", name="Your coffee order")
    expect(dialog).to_be_visible()
    field = dialog.get_by_label("What would you like?")
    expect(field).to_be_focused()
    field.fill(text)
    if volunteer:
        dialog.get_by_label("I'll go: pick me as the runner").check()
    dialog.get_by_role("button", name="Save order").click()
    saw_it_saved(page)


def saw_it_saved(page: Any) -> None:
    """The modal turns into what was saved (as every way of ordering confirms); Done closes."""
    saved = page.get_by_role("dialog", name="Order saved")
    expect(saved).to_contain_text("is in.")
    saved.get_by_role("button", name="Done").click()
    expect(saved).to_be_hidden()


def test_three_people_order_one_closes_and_the_runner_is_reminded(local_run: str, browser: Any):
    page = browser.new_page()
    errors = watch(page)
    page.goto(f"{local_run}/?as=U0ALICE")
    expect(page).to_have_url(f"{local_run}/playground/?as=U0ALICE")
    channel = page.locator("#channel")

    composer = page.get_by_label("Message #coffee as alice")
    composer.fill("/coffee in 30m Blue Bottle on 3rd")
    composer.press("Enter")
    expect(channel).to_contain_text("Coffee run started by @alice")
    expect(channel).to_contain_text("Blue Bottle on 3rd")
    expect(composer).to_have_value("/coffee ")
    order(page, "oat flat white")
    expect(channel).to_contain_text("1 person")

    # A button with a confirm object asks first; "Keep it" sends nothing.
    page.get_by_role("button", name="Cancel run").click()
    confirm = page.get_by_role("dialog", name="Cancel this run?")
    expect(confirm).to_contain_text("Everyone's orders will be dropped.")
    confirm.get_by_role("button", name="Keep it").click()
    expect(confirm).to_be_hidden()
    expect(page.get_by_role("button", name="Close run")).to_be_visible()

    be(page, "bob")
    page.get_by_role("button", name="Add / edit my order").click()
    dialog = page.get_by_role("dialog", name="Your coffee order")
    dialog.get_by_label("What would you like?").fill("tea, splash of milk")
    dialog.get_by_label("I'll go: pick me as the runner").check()
    screenshot(page, "playground-order-modal.png")
    dialog.get_by_role("button", name="Save order").click()
    saw_it_saved(page)
    expect(channel).to_contain_text("2 people")

    # Carol orders with the keyboard only: focus the button, Enter, type, Enter; Escape
    # first closes a modal the way Slack's does.
    be(page, "carol")
    add = page.get_by_role("button", name="Add / edit my order")
    add.focus()
    page.keyboard.press("Enter")
    dialog = page.get_by_role("dialog", name="Your coffee order")
    expect(dialog).to_be_visible()
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    add.focus()
    page.keyboard.press("Enter")
    expect(dialog.get_by_label("What would you like?")).to_be_focused()
    page.keyboard.type("<b>double</b> espresso")
    page.keyboard.press("Enter")
    expect(dialog).to_be_hidden()
    saved = page.get_by_role("dialog", name="Order saved")
    expect(saved).to_contain_text("<b>double</b> espresso")
    page.keyboard.press("Escape")  # the confirmation closes like any modal
    expect(saved).to_be_hidden()
    expect(channel).to_contain_text("3 people")
    assert state(local_run, "U0CAROL")["modal"] is None  # the Escaped one is gone too

    be(page, "alice")
    page.get_by_role("button", name="Close run").click()
    expect(channel).to_contain_text("Orders are in! @bob is doing this run.")
    expect(channel).to_contain_text("<b>double</b> espresso")
    expect(channel).to_contain_text("3 items in total")

    be(page, "bob")
    dms = page.locator("#dms")
    expect(dms).to_contain_text("You're on the coffee run for #coffee")
    expect(dms).to_contain_text("@carol: <b>double</b> espresso")
    expect(page.locator('[data-dm-count="U0BOB"]')).to_have_text("1 DM")

    page.get_by_label("Advance by").fill("25")
    page.get_by_role("button", name="Advance clock").click()
    expect(page.locator("#clock-now")).to_contain_text("+25 min")
    expect(dms).to_contain_text("Coffee pickup in about 5 min for #coffee")
    expect(page.locator('[data-dm-count="U0BOB"]')).to_have_text("2 DMs")
    screenshot(page, "playground-wide.png")

    narrow = browser.new_page()
    narrow_errors = watch(narrow)
    narrow.set_viewport_size(NARROW)
    narrow.goto(f"{local_run}/playground/?as=U0BOB#dms")
    expect(narrow.locator("#dms")).to_contain_text("Coffee pickup in about 5 min")
    width = narrow.evaluate("document.documentElement.scrollWidth")
    assert width <= NARROW["width"], "the narrow page scrolls sideways"
    screenshot(narrow, "playground-narrow.png", full_page=True)
    assert errors == [] and narrow_errors == []
