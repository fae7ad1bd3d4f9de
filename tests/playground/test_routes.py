"""The playground's routes drive the real functions with signed requests, and show what the
bot did as each person sees it: the channel, their ephemerals, their DMs, their modal."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest

from local.playground.actions import Playground
from local.playground.payloads import Channel, Person
from local.playground.sender import SignedSender
from tests.playground.conftest import Page
from tests.support.slack_requests import CHANNEL


def run_message(page: Page) -> dict[str, Any]:
    """The latest run's message."""
    return [m for m in page.slack_api.messages(CHANNEL) if "Coffee run by" in m["text"]][-1]


def path_of(blocks: list[dict[str, Any]], action_id: str) -> str:
    for index, block in enumerate(blocks):
        for number, element in enumerate(block.get("elements") or []):
            if element.get("action_id") == action_id:
                return f"{index}.{number}"
        if (block.get("accessory") or {}).get("action_id") == action_id:
            return f"{index}.accessory"
    raise AssertionError(f"no {action_id} button")


def click_run(page: Page, as_: str, action_id: str) -> tuple[int, dict[str, Any]]:
    message = run_message(page)
    return page.post(
        "click",
        as_,
        path=path_of(message["blocks"], action_id),
        channel=CHANNEL,
        ts=message["ts"],
    )


def open_order_modal(page: Page, as_: str) -> str:
    status, body = click_run(page, as_, "order_open")
    assert status == 200, body
    modal = body["panes"]["modal"]
    assert modal and "Your coffee order" in modal
    return re.search(r'data-view="([^"]+)"', modal).group(1)


def order(page: Page, as_: str, text: str, *ticked: str) -> dict[str, Any]:
    view_id = open_order_modal(page, as_)
    status, body = page.post(
        "submit", as_, view_id=view_id, values={"b1": text, "b2": list(ticked)}
    )
    assert status == 200, body
    assert "Order saved" in body["panes"]["modal"]  # what was saved, as Slack would show it
    status, body = page.post("close", as_, view_id=view_id)
    assert body["panes"]["modal"] is None
    return body


def test_root_redirects_to_the_page(page: Page):
    response = page.client.get("/")
    assert response.status_code == 302 and response.headers["Location"] == "/playground/"


def test_page_is_server_rendered_for_the_chosen_person(page: Page):
    page.post("command", "U1", text="/coffee in 30m")
    html = page.client.get("/playground/?as=U2").get_data(as_text=True)
    assert 'data-viewer="U2"' in html
    assert re.search(r'href="\?as=U2" data-person="U2"\s+aria-current="page"', html)
    assert "<strong>Coffee run</strong> started by" in html
    assert "DMs from CoffeeBuddy to ben" in html
    default = page.client.get("/playground/?as=nobody").get_data(as_text=True)
    assert 'data-viewer="U1"' in default


def test_static_files_are_served(page: Page):
    for name in ("playground.js", "playground.css"):
        assert page.client.get(f"/playground/static/{name}").status_code == 200


def test_requests_must_name_a_sample_person_and_be_json(page: Page):
    assert page.client.get("/playground/api/state?as=U9").status_code == 400
    assert page.client.post("/playground/api/command", data="as=U1").status_code == 400
    response = page.client.post("/playground/api/command", json={"as": "U9", "text": "/coffee"})
    assert response.status_code == 400
    assert page.client.post("/playground/api/command", json=["U1"]).status_code == 400


def test_coffee_command_posts_the_run_message_everyone_sees(page: Page):
    status, body = page.post("command", "U1", text="/coffee in 30m corner <b>cafe</b> & co")
    assert status == 200 and body["notice"].startswith("Sent /coffee in 30m")
    [call] = page.slack_api.calls_to("chat.postMessage")
    assert call.args["channel"] == CHANNEL
    ben = page.state("U2")["channel"]
    assert "<strong>Coffee run</strong> started by" in ben
    assert "corner &lt;b&gt;cafe&lt;/b&gt; &amp; co" in ben
    assert "<b>" not in ben
    assert 'data-ts="' in ben and "Add / edit my order" in ben


def test_command_reply_is_shown_only_to_whoever_typed_it(page: Page):
    status, _ = page.post("command", "U1", text="/coffee help")
    assert status == 200
    assert "Only visible to you" in page.state("U1")["channel"]
    assert "CoffeeBuddy" in page.state("U1")["channel"]
    assert "Only visible to you" not in page.state("U2")["channel"]


def test_other_commands_and_plain_text_never_reach_the_app(page: Page):
    for line in ("/tea now", "hello"):
        status, body = page.post("command", "U1", text=line)
        assert status == 200 and not body["ok"]
    assert page.slack_api.calls == []
    ann = page.state("U1")["channel"]
    assert "Slackbot" in ann and "<code>/tea</code>" in ann


def test_three_orders_close_runner_dm_and_reminder_after_advancing_the_clock(page: Page):
    page.post("command", "U1", text="/coffee in 30m")
    order(page, "U1", "oat flat white")
    order(page, "U2", "tea <script>alert(1)</script>", "volunteer")
    body = order(page, "U3", "espresso")
    assert "3 people" in body["panes"]["channel"]
    status, _ = click_run(page, "U1", "run_close")
    assert status == 200
    channel = page.state("U3")["channel"]
    assert "Orders are in!" in channel and "&lt;script&gt;alert(1)&lt;/script&gt;" in channel
    ben = page.state("U2")
    assert "on the coffee run" in ben["dms"] and ben["dm_counts"] == {"U1": 0, "U2": 1, "U3": 0}
    assert "No direct messages yet" in page.state("U1")["dms"]
    before = page.playground.clock.now()
    status, body = page.post("clock", "U2", minutes=25)
    assert status == 200 and body["panes"]["advanced_minutes"] == 25
    assert page.playground.clock.now() - before == timedelta(minutes=25)
    dms = page.state("U2")["dms"]
    assert "Coffee pickup in about 5 min" in dms
    # Requests keep verifying after the move: signatures use the same clock.
    assert page.post("command", "U3", text="/coffee help")[0] == 200


def test_clock_only_moves_forward_by_whole_minutes(page: Page):
    for minutes in (0, -5, 1441):
        status, body = page.post("clock", "U1", minutes=minutes)
        assert status == 200 and not body["ok"] and "1 to 1440" in body["notice"]
    for minutes in ("5", True, 2.5):
        assert page.post("clock", "U1", minutes=minutes)[0] == 400


def test_empty_required_input_is_refused_without_asking_the_app(page: Page):
    page.post("command", "U1", text="/coffee")
    view_id = open_order_modal(page, "U2")
    calls = len(page.slack_api.calls)
    status, body = page.post("submit", "U2", view_id=view_id, values={"b1": " "})
    assert status == 200 and not body["ok"]
    assert "Please complete this required field." in body["panes"]["modal"]
    assert len(page.slack_api.calls) == calls


def test_apps_inline_errors_show_under_the_block_and_keep_the_typing(page: Page):
    page.post("command", "U1", text="/coffee")
    order(page, "U1", "latte")
    view_id = open_order_modal(page, "U2")
    click_run(page, "U1", "run_close")
    status, body = page.post("submit", "U2", view_id=view_id, values={"b1": "mocha"})
    assert status == 200 and not body["ok"]
    modal = body["panes"]["modal"]
    assert 'class="pg-error" id="b1-error"' in modal and 'value="mocha"' in modal
    assert page.post("close", "U2", view_id=view_id)[0] == 200
    assert page.state("U2")["modal"] is None


def test_a_long_order_reaches_the_app_which_answers_under_the_field(page: Page):
    page.post("command", "U1", text="/coffee")
    view_id = open_order_modal(page, "U2")
    assert "maxlength" not in page.state("U2")["modal"]
    long_order = "oat flat white, " * 9 + "extra hot"  # 153 characters
    status, body = page.post("submit", "U2", view_id=view_id, values={"b1": long_order})
    assert status == 200 and not body["ok"]
    modal = body["panes"]["modal"]
    assert "That&#x27;s 153 characters; keep your order to 150 or fewer." in modal
    assert f'value="{long_order}"' in modal


def test_modal_button_updates_the_open_view(page: Page):
    page.post("command", "U1", text="/coffee")
    order(page, "U2", "flat white")
    status, _ = click_run(page, "U1", "run_cancel")  # the confirm dialog is the page's job
    assert status == 200
    assert "canceled" in page.state("U1")["channel"]
    page.post("command", "U1", text="/coffee")
    view_id = open_order_modal(page, "U2")
    [view] = [v for v in page.slack_api.views().values() if v["id"] == view_id]
    status, body = page.post(
        "click",
        "U2",
        view_id=view_id,
        path=path_of(view["blocks"], "order_use_last"),
        values={"b2": []},
    )
    assert status == 200, body
    assert "Order saved" in body["panes"]["modal"]
    assert "1 person" in body["panes"]["channel"]
    assert page.post("close", "U2", view_id=view_id)[1]["panes"]["modal"] is None


def test_each_person_sees_only_their_own_modal(page: Page):
    page.post("command", "U1", text="/coffee")
    view_id = open_order_modal(page, "U2")
    assert page.state("U1")["modal"] is None
    assert page.post("submit", "U1", view_id=view_id, values={"b1": "x"})[1]["ok"] is False
    assert page.post("close", "U3", view_id=view_id)[1]["ok"] is False


def test_buttons_that_are_gone_are_not_sent(page: Page):
    page.post("command", "U1", text="/coffee")
    message = run_message(page)
    for ref in (
        {"path": "9.0", "channel": CHANNEL, "ts": message["ts"]},
        {"path": "3.0", "channel": CHANNEL, "ts": "1.0"},
        {"path": "3.0", "channel": "C0OTHER", "ts": message["ts"]},
        {"path": "0.0", "view_id": "V0NOPE"},
    ):
        status, body = page.post("click", "U2", **ref)
        assert status == 200 and not body["ok"], ref


def test_ephemeral_buttons_are_clicked_as_ephemeral(page: Page):
    page.slack_api.add_user("U1", "ann", tz="Europe/London", is_admin=True)
    status, body = page.post("command", "U1", text="/coffee admin reset")
    assert status == 200 and "Delete this channel" in body["panes"]["channel"]
    reply = next(r for r in page.playground.state.replies if r.blocks)
    status, _ = page.post(
        "click", "U1", path=path_of(reply.blocks, "admin_reset"), channel=CHANNEL, ts=reply.ts
    )
    assert status == 200


def test_response_url_posts_show_up_like_replies(page: Page):
    page.post("command", "U1", text="/coffee help")
    [token] = list(page.playground.state.response_urls)
    response = page.client.post(
        f"/playground/response/{token}", json={"text": "later *news*", "response_type": "x"}
    )
    assert response.status_code == 200
    assert "later <strong>news</strong>" in page.state("U1")["channel"]
    assert "later" not in page.state("U2")["channel"]
    assert page.client.post("/playground/response/nope", json={"text": "x"}).status_code == 404


def test_refused_requests_are_shown_with_what_the_app_said(page: Page, slack_api: Any):
    playground = page.playground
    wrong = Playground(
        slack=slack_api,
        sender=SignedSender(playground._base_url, lambda: "not-the-secret", playground.clock),
        clock=playground.clock,
        tick=lambda: None,
        people=[Person("U1", "ann", "Europe/London")],
        channel=Channel(CHANNEL, "coffee"),
        base_url=playground._base_url,
    )
    notice = wrong.command(wrong.people["U1"], "/coffee in 10m")
    assert not notice.ok and "HTTP 401 (invalid signature)" in notice.text
    [reply] = wrong.state.replies
    assert reply.author == "Slackbot" and 'failed with the error "dispatch_failed"' in reply.text


def test_an_app_that_does_not_answer_is_reported(slack_api: Any):
    from shared.clock import SystemClock
    from tests.support.tansu import free_port

    sender = SignedSender(f"http://127.0.0.1:{free_port()}", lambda: "s", SystemClock())
    answer = sender.post("/slack/commands", b"x=1")
    assert answer.status == 0 and answer.json() is None
    with pytest.raises(ValueError, match="http"):
        SignedSender("file:///etc/passwd", lambda: "s", SystemClock())
