"""What the browser tests share: Debian's chromium, the local run, and a person's moves.

The browser is headless Chromium from Debian's `chromium` package (installed by
scripts/ensure-tools), driven by Playwright; Playwright's own browser download is not used.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
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

NEEDS_CHROMIUM = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not os.access(CHROMIUM, os.X_OK),
        reason="chromium is not installed: run scripts/ensure-tools (Debian's 'chromium')",
    ),
]


def _ready(base: str) -> bool:
    try:
        with urllib.request.urlopen(base + "/health/ready", timeout=1) as response:
            return bool(response.status == 200)
    except OSError:
        return False


@contextmanager
def local_run_process(state: Path) -> Iterator[str]:
    """`python -m local` with no Slack credentials (so the playground is on); its URL."""
    port = free_port()
    prefixes = ("SLACK_", "DATABASE_", "KAFKA_", "OIDC_", "VAULT_", "ADMIN_")
    env = {k: v for k, v in os.environ.items() if not k.startswith(prefixes)}
    env.update({"PORT": str(port), "COFFEEBUDDY_STATE_DIR": str(state), "LOG_LEVEL": "WARNING"})
    env["PROMETHEUS_METRICS_PORT"] = "0"
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


@contextmanager
def chromium(profile: Path) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(profile),
            executable_path=CHROMIUM,
            headless=True,
            args=CHROMIUM_ARGS,
            viewport=WIDE,
        )
        context.set_default_timeout(10_000)
        try:
            yield context
        finally:
            context.close()


def watch(page: Any) -> list[str]:
    """Everything the page's console says is an error, and uncaught script errors."""
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(f"script: {error}"))
    page.on(
        "console",
        lambda message: (
            errors.append(f"console: {message.text}") if message.type == "error" else None
        ),
    )
    return errors


# -- the playground's own JSON API, for setting the scene quickly --------------------------


def state(base: str, person: str) -> dict[str, Any]:
    with urllib.request.urlopen(f"{base}/playground/api/state?as={person}", timeout=5) as got:
        panes: dict[str, Any] = json.load(got)["panes"]
    return panes


def api(base: str, kind: str, person: str, **body: Any) -> dict[str, Any]:
    request = urllib.request.Request(
        f"{base}/playground/api/{kind}",
        data=json.dumps({"as": person, **body}).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        answer: dict[str, Any] = json.load(response)
    assert answer["ok"], answer
    return answer


def wait_for(check: Any, what: str) -> Any:
    """Events arrive a moment after the answer; the page's poll would see them too."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


BUTTON = re.compile(r'data-path="([^"]+)"[^>]*>([^<]*)</button>')
MESSAGE = re.compile(
    r'<article [^>]*data-channel="([^"]+)" data-ts="([^"]+)">(.*?)</article>', re.S
)


def press(base: str, person: str, pane: str, label: str) -> None:
    """Click the latest button called ``label`` in the person's ``pane`` (channel or dms)."""

    def find() -> tuple[str, str, str] | None:
        found = None
        for channel, ts, body in MESSAGE.findall(state(base, person)[pane]):
            for path, text in BUTTON.findall(body):
                if text.replace("&#x27;", "'") == label:
                    found = (channel, ts, path)
        return found

    channel, ts, path = wait_for(find, f"{label!r} in {person}'s {pane}")
    api(base, "click", person, path=path, channel=channel, ts=ts)


def order_through_api(base: str, person: str, text: str, *, volunteer: bool = False) -> None:
    press(base, person, "channel", "Add / edit my order")
    modal = wait_for(lambda: state(base, person)["modal"], f"{person}'s order modal")
    view_id = re.search(r'data-view="([^"]+)"', modal).group(1)
    field = re.search(r'<input type="text" id="(b\d+)"', modal).group(1)
    boxes = re.search(r'type="checkbox" id="[^"]+" name="(b\d+)"', modal).group(1)
    values = {field: text, boxes: ["volunteer"] if volunteer else []}
    api(base, "submit", person, view_id=view_id, values=values)
    api(base, "close", person, view_id=view_id)  # the "Order saved" confirmation


def closed_run(base: str, initiator: str, *orders: tuple[str, str, bool]) -> None:
    """A run ``initiator`` starts and closes, with (person, order, volunteers) orders."""
    summaries = state(base, initiator)["channel"].count("Orders are in!")
    api(base, "command", initiator, text="/coffee in 30m")
    for person, text, volunteer in orders:
        order_through_api(base, person, text, volunteer=volunteer)
    press(base, initiator, "channel", "Close run")
    wait_for(
        lambda: state(base, initiator)["channel"].count("Orders are in!") > summaries,
        "the summary",
    )


# -- a person at the page ------------------------------------------------------------------


def screenshot(page: Any, name: str, **options: Any) -> None:
    if os.environ.get("PLAYGROUND_SCREENSHOTS") == "1":
        page.screenshot(path=str(SCREENSHOTS / name), **options)


def be(page: Any, name: str) -> None:
    """Switch person with the 'You are' links, as someone trying it would."""
    from playwright.sync_api import expect

    page.get_by_role("navigation", name="Who you are").get_by_role("link", name=name).click()
    expect(page).to_have_title(f"CoffeeBuddy playground · #coffee as {name}")
