"""Forget-me while a run still needs the person: their runs end first (issue 13, item 1)."""

from __future__ import annotations

from shared.statuses import RunStatus
from tests.support.blocks import shown
from tests.support.run_steps import click, dms, order, reload, start
from tests.support.slack_requests import CHANNEL, block_action, interaction_body


def forget(slack, user: str) -> None:
    slack.interactions.post(interaction_body(block_action("forget_me", user, user=user)))


def told(slack_api, user: str) -> str:
    return slack_api.ephemerals(CHANNEL, user)[-1]["text"]


def test_the_initiator_leaving_cancels_their_open_run(runtime, slack, slack_api):
    run = start(slack, runtime, user="U2")
    order(slack, run, "U1", "latte")
    forget(slack, "U2")
    done = reload(runtime, run)
    assert done.status is RunStatus.CANCELED and "forget them" in (done.runner_reason or "")
    assert "canceled" in shown(slack_api.messages(CHANNEL)[0]["blocks"]).lower()
    assert f"Your run in <#{CHANNEL}> was canceled" in told(slack_api, "U2")


def test_the_runner_leaving_hands_the_run_to_the_next_person(runtime, slack, slack_api):
    run = start(slack, runtime)
    order(slack, run, "U2", "tea", options=("volunteer",))
    order(slack, run, "U3", "mocha")
    click(slack, "run_close", run)
    assert reload(runtime, run).runner_id == "U2"
    forget(slack, "U2")
    done = reload(runtime, run)
    assert done.status is RunStatus.CLOSED and done.runner_id == "U3"
    assert len(dms(slack_api, "U3")) == 1  # the new runner gets the list
    assert "<@U3> takes over" in told(slack_api, "U2")
    assert "<@U2>" not in (done.runner_reason or "") and "someone who left" in done.runner_reason
    for message in slack_api.messages(CHANNEL):  # the run message and the redrawn summary
        drawn = shown(message["blocks"]) + message["text"]
        assert "<@U2>" not in drawn and "anon-" not in drawn, drawn


def test_the_runner_leaving_alone_cancels_the_run(runtime, slack, slack_api):
    run = start(slack, runtime)
    order(slack, run, "U2", "tea")
    click(slack, "run_close", run)
    forget(slack, "U2")
    assert reload(runtime, run).status is RunStatus.CANCELED
    assert "was canceled" in told(slack_api, "U2")


def test_a_finished_run_is_kept_and_only_anonymised(runtime, slack, slack_api):
    run = start(slack, runtime)
    order(slack, run, "U2", "tea")
    click(slack, "run_close", run)
    click(slack, "run_arrived", run, user="U2")
    forget(slack, "U2")
    done = reload(runtime, run)
    assert done.status is RunStatus.CLOSED and (done.runner_id or "").startswith("anon-")


def test_a_run_an_hour_past_its_pickup_is_history_not_handed_on(runtime, slack):
    from datetime import timedelta

    run = start(slack, runtime)  # pickup in 30 minutes
    order(slack, run, "U2", "tea", options=("volunteer",))
    order(slack, run, "U3", "mocha")
    click(slack, "run_close", run)
    runtime.clock.advance(timedelta(minutes=95))  # nobody clicked Arrived
    forget(slack, "U2")
    done = reload(runtime, run)
    assert done.status is RunStatus.CLOSED and (done.runner_id or "").startswith("anon-")
