"""The playground's clock, and how it tells whose modal a view is."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from local.playground.clock import OffsetClock
from local.playground.reading import opened_views
from local.slack_api import SlackApiServer

TOKEN = "xoxb-playground-views"


def test_offset_clock_follows_real_time_plus_what_it_was_advanced():
    clock = OffsetClock()
    assert abs(clock.now() - datetime.now(UTC)) < timedelta(seconds=1)
    moved = clock.advance(timedelta(minutes=25))
    assert abs(moved - datetime.now(UTC) - timedelta(minutes=25)) < timedelta(seconds=1)
    assert clock.now().tzinfo is not None


def test_offset_clock_never_goes_back():
    with pytest.raises(ValueError, match="forward"):
        OffsetClock().advance(timedelta(seconds=-1))


def modal(title: str) -> dict[str, object]:
    return {
        "type": "modal",
        "title": {"type": "plain_text", "text": title},
        "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": title}}],
    }


def test_each_trigger_is_paired_with_the_view_it_opened():
    with SlackApiServer(TOKEN) as server:
        client = WebClient(token=TOKEN, base_url=server.url)
        first = client.views_open(trigger_id="t1", view=modal("same"))["view"]["id"]
        client.views_publish(user_id="U1", view={"type": "home", "blocks": []})
        with pytest.raises(SlackApiError):
            client.views_open(trigger_id="t1", view=modal("same"))  # a used trigger
        client.views_update(view_id=first, view=modal("changed"))
        client.views_publish(user_id="U1", view={"type": "home", "blocks": []})
        second = client.views_open(trigger_id="t2", view=modal("same"))["view"]["id"]
        pushed = client.views_push(trigger_id="t3", view=modal("on top"))["view"]["id"]
        assert opened_views(server.calls, server.views()) == {
            "t1": first,
            "t2": second,
            "t3": pushed,
        }
