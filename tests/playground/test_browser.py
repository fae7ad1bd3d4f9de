"""A whole coffee run played in a real browser against the README's local run.

Headless Chromium from Debian's `chromium` package (installed by scripts/ensure-tools),
driven by Playwright. With PLAYGROUND_SCREENSHOTS=1 the test also writes the screenshots
in docs/img/ (the README and docs/playground.md show them).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support.tansu import free_port

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SCREENSHOTS = ROOT / "docs" / "img"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
WIDE = {"width": 1280, "height": 800}
NARROW = {"width": 390, "height": 844}

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not os.access(CHROMIUM, os.X_OK),
        reason="chromium is not installed: run scripts/ensure-tools (Debian's 'chromium')",
    ),
]
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
expect = sync_api.expect


def _ready(base: str) -> bool:
    try:
        with urllib.request.urlopen(base + "/health/ready", timeout=1) as response:
            return bool(response.status == 200)
    except OSError:
        return False


@pytest.fixture(scope="module")
def local_run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`python -m local` with no Slack credentials: the playground is on."""
    port = free_port()
    state = tmp_path_factory.mktemp("local-run")
    prefixes = ("SLACK_", "DATABASE_", "KAFKA_", "OIDC_", "VAULT_", "ADMIN_")
    env = {k: v for k, v in os.environ.items() if not k.startswith(prefixes)}
    env.update({"PORT": str(port), "COFFEEBUDDY_STATE_DIR": str(state), "LOG_LEVEL": "WARNING"})
    log = (state / "run.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "local"], cwd=ROOT, env=env, stdout=log, stderr=log
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while not _ready(base):
            if process.poll() is not None or time.monotonic() > deadline:
                raise AssertionError((state / "run.log").read_text())
            time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    with sync_api.sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")),
            executable_path=CHROMIUM,
            headless=True,
            args=CHROMIUM_ARGS,
            viewport=WIDE,
        )
        context.set_default_timeout(10_000)
        yield context
        context.close()


def state(base: str, person: str) -> dict[str, Any]:
    with urllib.request.urlopen(f"{base}/playground/api/state?as={person}", timeout=5) as got:
        panes: dict[str, Any] = json.load(got)["panes"]
    return panes


def screenshot(page: Any, name: str, **options: Any) -> None:
    if os.environ.get("PLAYGROUND_SCREENSHOTS") == "1":
        page.screenshot(path=str(SCREENSHOTS / name), **options)


def be(page: Any, name: str) -> None:
    """Switch person with the 'You are' links, as someone trying it would."""
    page.get_by_role("navigation", name="Who you are").get_by_role("link", name=name).click()
    expect(page).to_have_title(f"CoffeeBuddy playground · #coffee as {name}")


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
    expect(dialog).to_be_hidden()


def test_three_people_order_one_closes_and_the_runner_is_reminded(local_run: str, browser: Any):
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
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
    expect(dialog).to_be_hidden()
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
    narrow.set_viewport_size(NARROW)
    narrow.goto(f"{local_run}/playground/?as=U0BOB")
    expect(narrow.locator("#dms")).to_contain_text("Coffee pickup in about 5 min")
    width = narrow.evaluate("document.documentElement.scrollWidth")
    assert width <= NARROW["width"], "the narrow page scrolls sideways"
    screenshot(narrow, "playground-narrow.png", full_page=True)
    assert errors == []
