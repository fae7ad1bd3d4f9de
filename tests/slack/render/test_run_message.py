"""The run message drawn from a snapshot: who has ordered, within Block Kit's limits."""

from __future__ import annotations

from shared.runs.snapshot import RunSnapshot
from shared.slack.render.blocks import as_dicts
from shared.slack.render.run_message import run_message
from shared.statuses import RunStatus
from tests.support.blocks import shown
from tests.support.snapshots import a_run


def drawn(run: RunSnapshot) -> str:
    _, blocks = run_message(run)
    return shown(as_dicts(blocks))  # as_dicts checks Slack's limits


def test_names_everyone_who_ordered_in_the_order_they_ordered():
    text = drawn(a_run("U3", "U2", "U4"))
    assert "*Ordered:* <@U3>, <@U2> and <@U4>" in text
    assert "3 people" in text
    assert "*Ordered:* <@U2>\n" in drawn(a_run("U2")) + "\n"


def test_names_the_first_fifteen_and_counts_the_rest():
    people = [f"U{i:031d}" for i in range(40)]  # ids as long as the column holds
    text = drawn(a_run(*people))
    assert all(f"<@{p}>" in text for p in people[:15])
    assert not any(f"<@{p}>" in text for p in people[15:])
    assert f"<@{people[14]}> and 25 more" in text
    assert "40 people" in text


def test_before_the_first_order_it_says_nobody_yet_with_the_buttons_in_their_place():
    text = drawn(a_run())
    assert "*Ordered:* nobody yet" in text and "0 people" in text
    before, after = (as_dicts(run_message(a_run(*people))[1]) for people in ((), ("U2",)))
    assert [b["type"] for b in before] == [b["type"] for b in after]


def test_a_run_canceled_without_orders_names_nobody():
    assert "Ordered:" not in drawn(a_run(status=RunStatus.CANCELED))


def test_the_names_stay_once_orders_are_closed():
    assert "*Ordered:* <@U2> and <@U3>" in drawn(a_run("U2", "U3", status=RunStatus.CLOSING))


def test_someone_forgotten_since_is_not_named():
    text = drawn(a_run("U2", "anon-0123abcdef", status=RunStatus.CLOSED))
    assert "*Ordered:* <@U2> and someone who left" in text and "anon-" not in text
