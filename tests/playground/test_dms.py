"""The DM pane: what the bot posted to a person, and what only they see in that DM."""

from __future__ import annotations

from typing import Any

from tests.playground.conftest import Page
from tests.playground.test_routes import click_run, order, path_of
from tests.support.slack_requests import CHANNEL


def runner_dm(page: Page, user: str) -> dict[str, Any]:
    return page.slack_api.messages(f"D{user}")[-1]


def click_dm(page: Page, user: str, action_id: str) -> tuple[int, dict[str, Any]]:
    dm = runner_dm(page, user)
    path = path_of(dm["blocks"], action_id)
    return page.post("click", user, path=path, channel=f"D{user}", ts=dm["ts"])


def test_a_refusal_clicked_in_a_dm_shows_in_that_dm_only_to_them(page: Page):
    page.post("command", "U1", text="/coffee in 30m")
    order(page, "U1", "latte")
    click_run(page, "U1", "run_close")
    status, _ = click_dm(page, "U1", "runner_decline")  # nobody else ordered
    assert status == 200
    [refusal] = page.slack_api.ephemerals(channel="DU1")
    assert "still the runner" in refusal["text"]
    ann = page.state("U1")
    assert "Nobody else in this run can go" in ann["dms"]
    assert "Only visible to you" in ann["dms"]
    assert ann["dms"].index("on the coffee run") < ann["dms"].index("Nobody else")
    assert ann["dm_counts"]["U1"] == 1  # the badge counts what was posted
    assert "Nobody else" not in ann["channel"]


def test_a_response_url_reply_to_a_dm_click_shows_in_the_dm(page: Page):
    page.post("command", "U1", text="/coffee in 30m")
    order(page, "U1", "latte")
    click_run(page, "U1", "run_close")
    click_dm(page, "U1", "runner_decline")
    token = next(
        t for t, target in page.playground.state.response_urls.items() if target.channel == "DU1"
    )
    response = page.client.post(f"/playground/response/{token}", json={"text": "noted *here*"})
    assert response.status_code == 200
    ann = page.state("U1")
    assert "noted <strong>here</strong>" in ann["dms"]
    assert "noted" not in ann["channel"]


def test_a_reply_replaced_by_the_app_is_gone_with_its_button(page: Page):
    """Forget me's offer is a command answer; the click's "Done" replaces it in place."""
    page.post("command", "U2", text="/coffee forget-me")
    [offer] = page.playground.state.replies_for(CHANNEL, "U2")
    status, _ = page.post(
        "click", "U2", path=path_of(offer.blocks, "forget_me"), channel=CHANNEL, ts=offer.ts
    )
    assert status == 200
    [done] = page.playground.state.replies_for(CHANNEL, "U2")
    assert done.ts == offer.ts and done.text.startswith("Done: CoffeeBuddy has forgotten you.")
    assert "forget_me" not in str(done.blocks)
    assert "has forgotten you" in page.state("U2")["channel"]
