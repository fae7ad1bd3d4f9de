"""The run message drawn from a snapshot: who has ordered, within Block Kit's limits."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from shared.runs.snapshot import OrderLine, RunSnapshot
from shared.slack.render.blocks import as_dicts
from shared.slack.render.run_message import run_message
from shared.statuses import RunStatus
from tests.support.blocks import shown


def snapshot(*people: str, status: RunStatus = RunStatus.OPEN) -> RunSnapshot:
    return RunSnapshot(
        id=uuid.uuid4(),
        channel_id="C0COFFEE",
        initiator_id="U1",
        status=status,
        pickup_at=datetime(2026, 11, 25, 9, 30, tzinfo=UTC),
        pickup_note=None,
        runner_id=None,
        message_ts="1.000",
        closed_by=None,
        close_note=None,
        arrived_at=None,
        orders=tuple(OrderLine(user_id=p, text="latte") for p in people),
    )


def drawn(run: RunSnapshot) -> str:
    _, blocks = run_message(run)
    return shown(as_dicts(blocks))  # as_dicts checks Slack's limits


def test_names_everyone_who_ordered_in_the_order_they_ordered():
    text = drawn(snapshot("U3", "U2", "U4"))
    assert "*Ordered:* <@U3>, <@U2> and <@U4>" in text
    assert "3 people" in text
    assert "*Ordered:* <@U2>\n" in drawn(snapshot("U2")) + "\n"


def test_names_the_first_fifteen_and_counts_the_rest():
    people = [f"U{i:031d}" for i in range(40)]  # ids as long as the column holds
    text = drawn(snapshot(*people))
    assert all(f"<@{p}>" in text for p in people[:15])
    assert not any(f"<@{p}>" in text for p in people[15:])
    assert f"<@{people[14]}> and 25 more" in text
    assert "40 people" in text


def test_before_the_first_order_it_says_nobody_yet_with_the_buttons_in_their_place():
    text = drawn(snapshot())
    assert "*Ordered:* nobody yet" in text and "0 people" in text
    before, after = (as_dicts(run_message(snapshot(*people))[1]) for people in ((), ("U2",)))
    assert [b["type"] for b in before] == [b["type"] for b in after]


def test_a_run_canceled_without_orders_names_nobody():
    assert "Ordered:" not in drawn(snapshot(status=RunStatus.CANCELED))


def test_the_names_stay_once_orders_are_closed():
    assert "*Ordered:* <@U2> and <@U3>" in drawn(snapshot("U2", "U3", status=RunStatus.CLOSING))


def test_someone_forgotten_since_is_not_named():
    text = drawn(snapshot("U2", "anon-0123abcdef", status=RunStatus.CLOSED))
    assert "*Ordered:* <@U2> and someone who left" in text and "anon-" not in text
