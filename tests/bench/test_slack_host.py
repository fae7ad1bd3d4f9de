"""The bench's Slack host keeps every message write, refused or not, for the burst counts."""

from __future__ import annotations

from bench.slack_host import TimedSlackApiServer, answer
from local.slack_api.transport import ApiRequest

TOKEN = "xoxb-bench-test"


def _call(server: TimedSlackApiServer, method: str, **args: object) -> dict[str, object]:
    response = server.handle(ApiRequest(method=method, authorization=f"Bearer {TOKEN}", args=args))
    return dict(response.body)


def test_refused_update_is_a_write_but_not_a_match() -> None:
    server = TimedSlackApiServer(token=TOKEN)
    posted = _call(server, "chat.postMessage", channel="CB", text="Coffee run: 1 person")
    mark = answer(server, {"op": "write_mark"})["mark"]
    server.schedule_fault("chat.update", status=429, seconds=60, retry_after=1)
    _call(server, "chat.update", channel="CB", ts=posted["ts"], text="30 people ordered")

    writes = answer(server, {"op": "writes", "since": mark, "channel": "CB"})["writes"]
    found = answer(
        server,
        {"op": "wait_text", "since": mark, "channel": "CB", "fragment": "30 people", "timeout": 0},
    )

    assert [(w["method"], w["status"], w["ok"]) for w in writes] == [("chat.update", 429, False)]
    assert found["write"] is None


def test_wait_text_finds_the_first_successful_write_with_the_fragment() -> None:
    server = TimedSlackApiServer(token=TOKEN)
    posted = _call(server, "chat.postMessage", channel="CB", text="Coffee run: 1 person")
    _call(server, "chat.postMessage", channel="COTHER", text="30 people elsewhere")
    _call(server, "chat.update", channel="CB", ts=posted["ts"], text="Coffee run: 30 people")

    found = answer(
        server,
        {"op": "wait_text", "since": 0, "channel": "CB", "fragment": "30 people", "timeout": 0},
    )

    assert found["write"]["method"] == "chat.update"
    assert found["write"]["ts"] == posted["ts"]


def test_writes_of_every_channel_without_a_channel() -> None:
    server = TimedSlackApiServer(token=TOKEN)
    _call(server, "chat.postMessage", channel="CA", text="a")
    _call(server, "chat.postMessage", channel="CB", text="b")

    writes = answer(server, {"op": "writes", "since": 0})["writes"]

    assert [w["channel"] for w in writes] == ["CA", "CB"]
