"""Each Web API method of the local Slack server: happy path, argument errors, resulting state."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from slack_sdk import WebClient

from local.slack_api import SlackApiServer
from shared.clock import ManualClock
from tests.local.helpers import TOKEN, home, modal, section, slack_error

TS = re.compile(r"^\d{10}\.\d{6}$")


def test_auth_test_names_the_bot(slack_client: WebClient) -> None:
    reply = slack_client.auth_test()
    assert reply["ok"] is True
    assert reply["user_id"].startswith("U")
    assert reply["team_id"].startswith("T")
    assert reply["bot_id"].startswith("B")


# -- chat.postMessage -------------------------------------------------------------------------


def test_post_message_returns_increasing_unique_ts(
    slack_client: WebClient, slack_server: SlackApiServer
) -> None:
    first = slack_client.chat_postMessage(channel="C1", text="first")
    second = slack_client.chat_postMessage(channel="C1", text="second", blocks=[section("hi")])

    assert first["channel"] == "C1"
    assert TS.match(first["ts"]) and TS.match(second["ts"])
    assert float(second["ts"]) > float(first["ts"])
    assert second["message"]["blocks"] == [section("hi")]
    assert [m["text"] for m in slack_server.messages("C1")] == ["first", "second"]
    assert slack_server.messages("C2") == []


def test_post_message_in_a_thread_keeps_thread_ts(
    slack_client: WebClient, slack_server: SlackApiServer
) -> None:
    parent = slack_client.chat_postMessage(channel="C1", text="run")
    slack_client.chat_postMessage(channel="C1", text="reply", thread_ts=parent["ts"])
    assert slack_server.messages("C1")[1]["thread_ts"] == parent["ts"]


def test_post_message_to_a_user_lands_in_their_dm(
    slack_client: WebClient, slack_server: SlackApiServer
) -> None:
    reply = slack_client.chat_postMessage(channel="U1", text="your coffee")
    assert reply["channel"] == "DU1"
    assert [m["text"] for m in slack_server.messages("DU1")] == ["your coffee"]
    assert slack_server.messages("U1") == slack_server.messages("DU1")


def test_post_message_needs_a_channel(slack_client: WebClient) -> None:
    response = slack_error(slack_client.chat_postMessage, channel="", text="hi")
    assert response["error"] == "channel_not_found"


def test_post_message_needs_text_or_blocks(slack_client: WebClient) -> None:
    with pytest.warns(UserWarning):
        response = slack_error(slack_client.chat_postMessage, channel="C1")
    assert response["error"] == "no_text"


def test_post_message_text_is_limited(
    slack_client: WebClient, slack_server: SlackApiServer
) -> None:
    assert slack_client.chat_postMessage(channel="C1", text="x" * 40_000)["ok"] is True
    response = slack_error(slack_client.chat_postMessage, channel="C1", text="x" * 40_001)
    assert response["error"] == "msg_too_long"
    assert len(slack_server.messages("C1")) == 1


# -- chat.update / chat.delete ----------------------------------------------------------------


def test_update_is_reflected_in_messages(
    slack_client: WebClient, slack_server: SlackApiServer
) -> None:
    kept = slack_client.chat_postMessage(channel="C1", text="kept")
    posted = slack_client.chat_postMessage(channel="C1", text="open", blocks=[section("open")])

    reply = slack_client.chat_update(
        channel="C1", ts=posted["ts"], text="closed", blocks=[section("closed")]
    )

    assert (reply["ts"], reply["text"]) == (posted["ts"], "closed")
    messages = slack_server.messages("C1")
    assert [m["ts"] for m in messages] == [kept["ts"], posted["ts"]]
    assert messages[1]["text"] == "closed"
    assert messages[1]["blocks"] == [section("closed")]


def test_update_keeps_omitted_blocks_and_drops_emptied_ones(
    slack_client: WebClient, slack_server: SlackApiServer
) -> None:
    posted = slack_client.chat_postMessage(channel="C1", text="a", blocks=[section("a")])
    slack_client.chat_update(channel="C1", ts=posted["ts"], text="b")
    assert slack_server.messages("C1")[0]["blocks"] == [section("a")]
    slack_client.chat_update(channel="C1", ts=posted["ts"], text="c", blocks=[])
    assert "blocks" not in slack_server.messages("C1")[0]


def test_update_of_unknown_message(slack_client: WebClient) -> None:
    slack_client.chat_postMessage(channel="C1", text="hi")
    response = slack_error(slack_client.chat_update, channel="C1", ts="1700000000.999999", text="x")
    assert response["error"] == "message_not_found"


def test_update_needs_a_channel(slack_client: WebClient) -> None:
    posted = slack_client.chat_postMessage(channel="C1", text="hi")
    response = slack_error(slack_client.chat_update, channel="", ts=posted["ts"], text="x")
    assert response["error"] == "channel_not_found"


def test_update_checks_blocks(slack_client: WebClient, slack_server: SlackApiServer) -> None:
    posted = slack_client.chat_postMessage(channel="C1", text="hi")
    response = slack_error(
        slack_client.chat_update, channel="C1", ts=posted["ts"], text="x", blocks=[{"type": "x"}]
    )
    assert response["error"] == "invalid_blocks"
    assert slack_server.messages("C1")[0]["text"] == "hi"


def test_delete_removes_the_message(slack_client: WebClient, slack_server: SlackApiServer) -> None:
    gone = slack_client.chat_postMessage(channel="C1", text="gone")
    slack_client.chat_postMessage(channel="C1", text="stays")
    assert slack_client.chat_delete(channel="C1", ts=gone["ts"])["ts"] == gone["ts"]
    assert [m["text"] for m in slack_server.messages("C1")] == ["stays"]
    response = slack_error(slack_client.chat_delete, channel="C1", ts=gone["ts"])
    assert response["error"] == "message_not_found"


# -- chat.postEphemeral -----------------------------------------------------------------------


def test_post_ephemeral(slack_client: WebClient, slack_server: SlackApiServer) -> None:
    reply = slack_client.chat_postEphemeral(channel="C1", user="U1", text="only you")
    slack_client.chat_postEphemeral(channel="C1", user="U2", text="only them")
    slack_client.chat_postEphemeral(channel="C2", user="U1", text="elsewhere")

    assert TS.match(reply["message_ts"])
    assert [e["text"] for e in slack_server.ephemerals(channel="C1", user="U1")] == ["only you"]
    assert [e["text"] for e in slack_server.ephemerals(user="U1")] == ["only you", "elsewhere"]
    assert len(slack_server.ephemerals()) == 3
    assert slack_server.messages("C1") == []


def test_post_ephemeral_needs_a_user(slack_client: WebClient) -> None:
    response = slack_error(slack_client.chat_postEphemeral, channel="C1", user="", text="hi")
    assert response["error"] == "invalid_arguments"
    assert "user" in response["response_metadata"]["messages"][0]


# -- conversations.open / users.info ----------------------------------------------------------


def test_conversations_open_gives_a_dm_per_user(slack_client: WebClient) -> None:
    first = slack_client.conversations_open(users="U1")
    assert first["channel"] == {"id": "DU1"}
    assert "already_open" not in first
    assert slack_client.conversations_open(users=["U1"])["already_open"] is True
    group = slack_client.conversations_open(users=["U1", "U2"])["channel"]["id"]
    assert group.startswith("G")
    assert slack_client.conversations_open(users="U2,U1")["channel"]["id"] == group


def test_conversations_open_needs_users(slack_client: WebClient) -> None:
    response = slack_error(slack_client.api_call, api_method="conversations.open", params={})
    assert response["error"] == "users_list_not_supplied"


def test_users_info_describes_the_user(
    slack_client: WebClient, slack_server: SlackApiServer
) -> None:
    slack_server.add_user("U1", "ann", tz="Asia/Tokyo", is_admin=True, real_name="Ann Lee")
    user = slack_client.users_info(user="U1")["user"]
    assert user["id"] == "U1"
    assert (user["name"], user["real_name"]) == ("ann", "Ann Lee")
    assert (user["tz"], user["tz_offset"], user["tz_label"]) == ("Asia/Tokyo", 9 * 3600, "JST")
    assert (user["is_admin"], user["is_owner"], user["deleted"]) == (True, False, False)


def test_users_info_offset_follows_daylight_saving() -> None:
    clock = ManualClock(datetime(2026, 1, 15, 12, tzinfo=UTC))
    with SlackApiServer(TOKEN, clock=clock) as server:
        server.add_user("U1", "ann", tz="Europe/Berlin")
        client = WebClient(token=TOKEN, base_url=server.url)
        assert client.users_info(user="U1")["user"]["tz_offset"] == 3600
        clock.set(datetime(2026, 7, 15, 12, tzinfo=UTC))
        assert client.users_info(user="U1")["user"]["tz_offset"] == 7200


def test_users_info_errors(slack_client: WebClient) -> None:
    assert slack_error(slack_client.users_info, user="U404")["error"] == "user_not_found"
    response = slack_error(slack_client.api_call, api_method="users.info", params={})
    assert response["error"] == "invalid_arguments"


def test_add_user_rejects_unknown_zone(slack_server: SlackApiServer) -> None:
    with pytest.raises(KeyError):  # ZoneInfoNotFoundError is a KeyError
        slack_server.add_user("U1", "ann", tz="Mars/Olympus")


# -- views.* ----------------------------------------------------------------------------------


def test_views_open(slack_client: WebClient, slack_server: SlackApiServer) -> None:
    view = modal(section("pick"), callback_id="order", private_metadata="run-1")
    opened = slack_client.views_open(trigger_id="trig-1", view=view)["view"]
    assert opened["id"].startswith("V")
    assert opened["hash"]
    assert (opened["callback_id"], opened["private_metadata"]) == ("order", "run-1")
    assert slack_server.views() == {opened["id"]: opened}


def test_trigger_ids_are_single_use(slack_client: WebClient) -> None:
    slack_client.views_open(trigger_id="trig-1", view=modal())
    response = slack_error(slack_client.views_open, trigger_id="trig-1", view=modal())
    assert response["error"] == "exchanged_trigger_id"
    response = slack_error(slack_client.views_push, trigger_id="trig-1", view=modal())
    assert response["error"] == "exchanged_trigger_id"


def test_views_open_needs_trigger_and_view(slack_client: WebClient) -> None:
    assert slack_error(slack_client.views_open, view=modal())["error"] == "invalid_arguments"
    response = slack_error(
        slack_client.api_call, api_method="views.open", json={"trigger_id": "trig-1"}
    )
    assert response["error"] == "invalid_arguments"


def test_views_open_only_opens_modals(slack_client: WebClient) -> None:
    response = slack_error(slack_client.views_open, trigger_id="trig-1", view=home())
    assert response["error"] == "invalid_arguments"


def test_views_update_by_id_and_external_id(
    slack_client: WebClient, slack_server: SlackApiServer
) -> None:
    opened = slack_client.views_open(trigger_id="t", view=modal(external_id="run-1"))["view"]
    updated = slack_client.views_update(view_id=opened["id"], view=modal(title="Step 2"))["view"]
    assert updated["id"] == opened["id"]
    assert updated["hash"] != opened["hash"]
    assert updated["external_id"] == "run-1"
    slack_client.views_update(external_id="run-1", view=modal(title="Step 3"))
    assert slack_server.views()[opened["id"]]["title"]["text"] == "Step 3"


def test_views_update_errors(slack_client: WebClient) -> None:
    opened = slack_client.views_open(trigger_id="t", view=modal())["view"]
    missing = slack_error(slack_client.views_update, view_id="V404", view=modal())
    assert missing["error"] == "not_found"
    stale = slack_error(slack_client.views_update, view_id=opened["id"], view=modal(), hash="1.x")
    assert stale["error"] == "hash_conflict"
    response = slack_error(slack_client.api_call, api_method="views.update", json={"view": modal()})
    assert response["error"] == "invalid_arguments"


def test_views_push(slack_client: WebClient, slack_server: SlackApiServer) -> None:
    first = slack_client.views_open(trigger_id="t1", view=modal())["view"]
    pushed = slack_client.views_push(trigger_id="t2", view=modal(title="Details"))["view"]
    assert pushed["id"] != first["id"]
    assert set(slack_server.views()) == {first["id"], pushed["id"]}
    assert slack_error(slack_client.views_push, view=modal())["error"] == "invalid_arguments"


def test_views_publish_keeps_one_home_per_user(
    slack_client: WebClient, slack_server: SlackApiServer
) -> None:
    first = slack_client.views_publish(user_id="U1", view=home(section("a")))["view"]
    again = slack_client.views_publish(user_id="U1", view=home(section("b")))["view"]
    other = slack_client.views_publish(user_id="U2", view=home(section("c")))["view"]
    assert again["id"] == first["id"] != other["id"]
    assert slack_server.views()[first["id"]]["blocks"] == [section("b")]


def test_views_publish_errors(slack_client: WebClient) -> None:
    response = slack_error(slack_client.views_publish, user_id="U1", view=modal())
    assert response["error"] == "invalid_arguments"
    response = slack_error(slack_client.api_call, api_method="views.publish", json={"view": home()})
    assert response["error"] == "invalid_arguments"
