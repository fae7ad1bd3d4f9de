"""Refusals the person playing can make sense of: a moved clock says it is the reason."""

from __future__ import annotations

from local.playground.sender import SignedSender
from tests.playground.conftest import Page


def test_a_signature_refused_after_the_clock_moved_says_the_clock_is_why(
    page_off_the_apps_clock: Page,
):
    page = page_off_the_apps_clock
    assert page.post("command", "U1", text="/coffee help")[1]["ok"]
    assert page.post("clock", "U1", minutes=25)[1]["ok"]
    status, body = page.post("command", "U1", text="/coffee help")
    assert status == 200 and not body["ok"]
    notice = body["notice"]
    assert "HTTP 401 (invalid signature)" in notice
    assert "moved 25 min ahead" in notice and "more than 5 minutes" in notice
    assert "Restart the local run" in notice
    slackbot = page.playground.state.replies[-1]
    assert slackbot.author == "Slackbot" and "moved 25 min ahead" in slackbot.text
    assert "moved 25 min ahead" in body["panes"]["channel"]


def test_a_clock_moved_less_than_five_minutes_is_not_blamed(page_off_the_apps_clock: Page):
    page = page_off_the_apps_clock
    page.post("clock", "U1", minutes=4)
    assert page.post("command", "U1", text="/coffee help")[1]["ok"]  # inside Slack's window
    playground = page.playground
    playground._sender = SignedSender(page.base_url, lambda: "wrong", playground.clock)
    notice = page.post("command", "U1", text="/coffee help")[1]["notice"]
    assert "HTTP 401 (invalid signature)" in notice and "clock" not in notice
