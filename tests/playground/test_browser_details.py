"""The playground in a real browser, detail by detail: DM ephemerals, long orders, the top
bar at 1280 px, the channel/DMs tabs on a phone, a quiet console, a moved clock explained.

Each test sets its own scene (a run it starts and leaves closed), so any order works.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.playground.browsing import (
    NARROW,
    NEEDS_CHROMIUM,
    WIDE,
    api,
    closed_run,
    press,
    state,
    wait_for,
    watch,
)
from tests.playground.conftest import Page

pytestmark = NEEDS_CHROMIUM
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
expect = sync_api.expect

LONG_ORDER = "oat flat white, " * 9 + "extra hot"  # 153 characters: over the app's 150


def open_page(browser: Any, url: str, viewport: dict[str, int] = WIDE) -> tuple[Any, list[str]]:
    page = browser.new_page()
    page.set_viewport_size(viewport)
    errors = watch(page)
    page.goto(url)
    return page, errors


def test_a_refusal_clicked_in_the_runners_dm_shows_in_the_dm(local_run: str, browser: Any):
    closed_run(local_run, "U0CAROL", ("U0CAROL", "cortado", False))  # she is the runner
    page, errors = open_page(browser, f"{local_run}/playground/?as=U0CAROL")
    dms = page.locator("#dms")
    runner_dm = dms.locator("article", has_text="You're on the coffee run").last
    runner_dm.get_by_role("button", name="Can't go").click()
    page.get_by_role("dialog", name="Can't go?").get_by_role("button", name="Hand it on").click()
    refusal = dms.locator("article.pg-ephemeral", has_text="Nobody else in this run can go")
    expect(refusal).to_be_visible()
    expect(refusal).to_contain_text("Only visible to you")
    expect(page.locator("#channel")).not_to_contain_text("Nobody else in this run can go")
    assert errors == []


def test_a_long_order_is_answered_by_the_app_not_cut_by_the_page(local_run: str, browser: Any):
    page, errors = open_page(browser, f"{local_run}/playground/?as=U0ALICE")
    composer = page.get_by_label("Message #coffee as alice")
    composer.fill("/coffee in 30m")
    composer.press("Enter")
    page.get_by_role("button", name="Add / edit my order").last.click()
    dialog = page.get_by_role("dialog", name="Your coffee order")
    field = dialog.get_by_label("What would you like?")
    field.fill("")
    field.press_sequentially(LONG_ORDER, delay=0)  # typed: a maxlength would stop it
    expect(field).to_have_value(LONG_ORDER)
    dialog.get_by_role("button", name="Save order").click()
    expect(dialog.get_by_role("alert")).to_have_text(
        "That's 153 characters; keep your order to 150 or fewer."
    )
    expect(field).to_have_value(LONG_ORDER)
    field.fill("oat flat white, extra hot")
    dialog.get_by_role("button", name="Save order").click()
    expect(dialog).to_be_hidden()
    saved = page.get_by_role("dialog", name="Order saved")
    saved.get_by_role("button", name="Done").click()
    expect(saved).to_be_hidden()
    page.get_by_role("button", name="Close run").last.click()
    expect(page.locator("#channel")).to_contain_text("@alice is doing this run")
    assert errors == []


def test_refusals_the_page_expects_are_not_console_errors(local_run: str, browser: Any):
    page, errors = open_page(browser, f"{local_run}/playground/?as=U0BOB")
    status = page.get_by_role("status")
    composer = page.get_by_label("Message #coffee as bob")
    composer.fill("/tea now")
    composer.press("Enter")
    expect(status).to_have_text("Only /coffee is installed here.")
    composer.fill("/coffee")
    composer.press("Enter")
    page.get_by_role("button", name="Add / edit my order").last.click()
    dialog = page.get_by_role("dialog", name="Your coffee order")
    dialog.get_by_label("What would you like?").fill("   ")  # only spaces: refused unsent
    dialog.get_by_role("button", name="Save order").click()
    expect(status).to_have_text("Fill in the required fields.")
    dialog.get_by_role("button", name="Cancel").click()
    expect(dialog).to_be_hidden()
    page.get_by_role("button", name="Cancel run").last.click()
    page.get_by_role("dialog", name="Cancel this run?").get_by_role(
        "button", name="Cancel run"
    ).click()
    expect(page.locator("#channel")).to_contain_text("This run was canceled by @bob")
    assert errors == []


def test_the_top_bar_stays_on_one_line_at_1280_px(local_run: str, browser: Any):
    # A busy bar: two people with DMs (bob can't go, so alice runs) and the clock a day on.
    closed_run(local_run, "U0ALICE", ("U0ALICE", "latte", False), ("U0BOB", "tea", True))
    press(local_run, "U0BOB", "dms", "Can't go")
    wait_for(lambda: state(local_run, "U0ALICE")["dm_counts"]["U0ALICE"], "alice's DM")
    api(local_run, "clock", "U0ALICE", minutes=1440)
    page, errors = open_page(browser, f"{local_run}/playground/?as=U0ALICE")
    expect(page.locator('[data-dm-count="U0BOB"]')).not_to_be_empty()
    expect(page.locator('[data-dm-count="U0ALICE"]')).not_to_be_empty()
    expect(page.locator("#clock-now")).to_contain_text("+1440 min")
    rows = page.evaluate(
        """() => Array.from(document.querySelector('.pg-top').children, (child) => {
             const box = child.getBoundingClientRect();
             return [child.className, Math.round(box.top + box.height / 2),
                     child.scrollWidth <= child.clientWidth];
           })"""
    )
    middles = {middle for _name, middle, _fits in rows}
    assert len(middles) == 1, f"the top bar wraps: {rows}"
    assert all(fits for _name, _middle, fits in rows), f"something is cut short: {rows}"
    assert errors == []


def test_on_a_phone_the_dms_are_one_tab_away(local_run: str, browser: Any):
    closed_run(local_run, "U0BOB", ("U0BOB", "flat white", False))
    page, errors = open_page(browser, f"{local_run}/playground/?as=U0BOB", NARROW)
    channel_tab = page.get_by_role("tab", name="# coffee")
    dms_tab = page.get_by_role("tab", name="DMs")
    expect(channel_tab).to_have_attribute("aria-selected", "true")
    expect(dms_tab).to_contain_text("DM")  # the badge: what the bot posted to bob
    expect(page.locator("#dms")).to_be_hidden()
    dms_tab.click()
    runner_dm = page.locator("#dms article", has_text="You're on the coffee run").last
    expect(runner_dm).to_be_in_viewport()
    assert page.evaluate("window.scrollY") == 0, "the DMs needed scrolling"
    expect(page.locator("#channel")).to_be_hidden()
    # The tab stays when switching person, and the arrow keys move between the tabs.
    page.get_by_role("navigation", name="Who you are").get_by_role("link", name="alice").click()
    expect(page).to_have_url(f"{local_run}/playground/?as=U0ALICE#dms")
    expect(page.get_by_role("tab", name="DMs")).to_have_attribute("aria-selected", "true")
    page.get_by_role("tab", name="DMs").focus()
    page.keyboard.press("ArrowLeft")
    expect(page.get_by_role("tab", name="# coffee")).to_be_focused()
    expect(page.locator("#channel")).to_be_visible()
    assert errors == []


def test_a_request_refused_after_the_clock_moved_says_why(
    page_off_the_apps_clock: Page, browser: Any
):
    page, errors = open_page(browser, f"{page_off_the_apps_clock.base_url}/playground/?as=U1")
    page.get_by_label("Advance by").fill("25")
    page.get_by_role("button", name="Advance clock").click()
    expect(page.locator("#clock-now")).to_contain_text("+25 min")
    composer = page.get_by_label("Message #coffee as ann")
    composer.fill("/coffee help")
    composer.press("Enter")
    status = page.get_by_role("status")
    expect(status).to_contain_text("HTTP 401 (invalid signature)")
    expect(status).to_contain_text("moved 25 min ahead")
    expect(status).to_contain_text("Restart the local run to put the clock back.")
    expect(page.locator("#channel")).to_contain_text("more than 5 minutes off the app's own clock")
    assert errors == []
