"""What reaches Slack after an answer, through the real functions: coalesced redraws,
patience, exactly once, any order."""

from __future__ import annotations

import random
import threading

from shared.delivery import run_posts, worker
from shared.delivery.kinds import runner_dm_key, summary_key
from shared.events import catalog
from shared.handlers import close_run
from tests.support.blocks import shown
from tests.support.run_steps import click, dms, order, reload, start
from tests.support.slack_requests import (
    CHANNEL,
    command_body,
    interaction_body,
    view_submission,
)


def run_message_blocks(slack_api) -> str:
    return str(slack_api.messages(CHANNEL)[0]["blocks"])


def test_a_burst_of_orders_costs_a_few_updates_and_ends_on_the_final_count(
    runtime, slack, slack_api, events
):
    run = start(slack, runtime)
    slack.deliver_events(False)
    users = [f"U{i:02d}" for i in range(30)]
    for user in users:
        response = slack.interactions.post(
            interaction_body(view_submission(str(run.id), "tea", user=user))
        )
        assert response.status_code == 200 and response.json["response_action"] == "update"
    assert slack_api.calls_to("chat.update") == []  # nothing waited on Slack
    updates = [e for e in events.publisher.events if e.type == catalog.RUN_UPDATED]
    threads = [threading.Thread(target=events.post, args=(e,)) for e in updates]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert "30 people" in run_message_blocks(slack_api)
    assert 1 <= len(slack_api.calls_to("chat.update")) <= 10


def test_redraws_skip_what_slack_already_shows(runtime, slack, slack_api, events):
    run = start(slack, runtime)
    order(slack, run, "U2", "tea")
    before = len(slack_api.calls_to("chat.update"))
    for event in events.publisher.of_type(catalog.RUN_UPDATED):
        events.post(event)  # every event again: nothing changed since
    assert len(slack_api.calls_to("chat.update")) == before


def test_an_order_redrawn_while_chat_update_fails_is_right_once_slack_recovers(
    runtime, slack, slack_api, events
):
    run = start(slack, runtime)
    slack_api.fail_next("chat.update", status=503, times=2)
    order(slack, run, "U2", "tea")
    assert "1 person" in run_message_blocks(slack_api)
    assert [c.status for c in slack_api.calls_to("chat.update")] == [503, 503, 200]


def test_events_out_of_order_and_twice_end_the_same(runtime, slack, slack_api, events):
    slack.deliver_events(False)
    slack.commands.post(command_body("in 30m"))
    events.post(events.publisher.of_type(catalog.COMMAND_RECEIVED)[0])
    run = reload_open(runtime)
    slack_api.reset()  # its message posted: start counting again
    for user, drink in (("U1", "latte"), ("U2", "tea"), ("U3", "mocha")):
        order(slack, run, user, drink)
    click(slack, "run_close", run)
    published = list(events.publisher.events)
    shuffled = published * 2
    random.Random(7).shuffle(shuffled)
    for event in shuffled:
        events.post(event)
    events.run()  # and whatever those caused
    done = reload(runtime, run)
    assert done.status == "closed" and done.summary_ts and done.runner_dm_ts
    channel = [c for c in slack_api.calls_to("chat.postMessage") if c.args["channel"] == CHANNEL]
    assert len(channel) == 1  # one summary
    assert len(dms(slack_api, done.runner_id)) == 1
    [update] = [c for c in slack_api.calls_to("chat.update") if "is going" in str(c.args)][-1:]
    assert update.args["ts"] == done.message_ts


def test_a_redraw_slack_refuses_for_good_does_not_touch_the_run(runtime, slack, slack_api):
    run = start(slack, runtime)
    slack_api.fail_next("chat.update", status=200, error="invalid_blocks")
    order(slack, run, "U2", "tea")
    assert reload(runtime, run).status == "open"


def test_the_arrival_is_announced_once_however_often_it_is_clicked(runtime, slack, slack_api):
    run = start(slack, runtime)
    order(slack, run, "U2", "tea")
    click(slack, "run_close", run)
    runner = reload(runtime, run).runner_id
    for _ in range(3):
        click(slack, "run_arrived", run, user=runner)
    announced = [m for m in slack_api.messages(CHANNEL) if "is back with the coffee" in m["text"]]
    assert len(announced) == 1
    assert "Arrived" in shown(slack_api.messages(CHANNEL)[1]["blocks"])  # the summary, redrawn


def reload_open(runtime):
    from sqlmodel import Session, select

    from shared.db.models import Run

    with Session(runtime.engine) as session:
        return session.exec(select(Run).where(Run.status == "open")).one()


def test_a_dm_held_while_its_summary_lands_is_still_sent_at_once(
    runtime, slack, slack_api, events, monkeypatch
):
    """Knative delivers a run's events concurrently: one request holds the runner's DM and
    finds no summary yet, while another sends the summary and finds the DM held. The DM
    still goes now, not a minute later from the sweep."""
    run = start(slack, runtime)
    order(slack, run, "U2", "tea")
    slack.deliver_events(False)
    click(slack, "run_close", run)
    monkeypatch.setattr(close_run, "deliver_run", lambda _rt, _run_id: None)
    events.post(events.publisher.of_type(catalog.RUN_CLOSED)[-1])  # the pick, nothing sent
    runner = reload(runtime, run).runner_id
    assert runner
    before = len(slack_api.messages(runner))
    dm_key, raced = runner_dm_key(run.id, runner), []
    real_load = run_posts.load

    def load_while_the_summary_lands(rt, run_id):
        seen = real_load(rt, run_id)
        if not raced:
            raced.append(True)
            assert seen is not None and seen.summary_ts is None
            assert worker.deliver(rt, summary_key(run.id)) is worker.Outcome.DONE
            assert worker.deliver(rt, dm_key) is worker.Outcome.IDLE  # held by this request
        return seen

    monkeypatch.setattr(run_posts, "load", load_while_the_summary_lands)
    assert worker.deliver(runtime, dm_key) is worker.Outcome.DONE
    after = slack_api.messages(runner)
    assert len(after) == before + 1
    assert "run_arrived" in str(after[0]["blocks"]) and "tea" in shown(after[0]["blocks"])
