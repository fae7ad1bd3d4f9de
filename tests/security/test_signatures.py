"""Signature bypass attempts on every Slack endpoint: 401, and nothing written or sent."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import Session, select

from shared.db.models import Channel, Order, OutboxEvent, Run
from tests.conftest import SIGNING_SECRET
from tests.support.slack_requests import (
    command_body,
    interaction_body,
    sign,
    view_submission,
)


def _nothing_written(runtime) -> bool:
    with Session(runtime.engine) as session:
        return all(not session.exec(select(m)).all() for m in (Run, Order, Channel, OutboxEvent))


def _bodies():
    return {
        "commands": command_body("in 20m"),
        "interactions": interaction_body(
            view_submission("00000000-0000-0000-0000-000000000000", "tea")
        ),
    }


ATTEMPTS = {
    "no headers": lambda body, now: {},
    "no signature": lambda body, now: {"X-Slack-Request-Timestamp": str(now)},
    "no timestamp": lambda body, now: {
        "X-Slack-Signature": sign(SIGNING_SECRET, body, now)["X-Slack-Signature"]
    },
    "stale timestamp": lambda body, now: sign(SIGNING_SECRET, body, now - 301),
    "future timestamp": lambda body, now: sign(SIGNING_SECRET, body, now + 301),
    "wrong secret": lambda body, now: sign("not-the-secret", body, now),
    "v1 scheme": lambda body, now: {
        **sign(SIGNING_SECRET, body, now),
        "X-Slack-Signature": sign(SIGNING_SECRET, body, now)["X-Slack-Signature"].replace(
            "v0=", "v1="
        ),
    },
    "timestamp swapped": lambda body, now: {
        **sign(SIGNING_SECRET, body, now),
        "X-Slack-Request-Timestamp": str(now - 1),
    },
}


@pytest.mark.parametrize("endpoint", ["commands", "interactions"])
@pytest.mark.parametrize("attempt", list(ATTEMPTS))
def test_bypass_attempts_are_401_with_no_write(runtime, slack, slack_api, endpoint, attempt):
    body = _bodies()[endpoint]
    now = int(runtime.clock.now().timestamp())
    client = getattr(slack, endpoint).client
    response = client.post("/", data=body, headers=ATTEMPTS[attempt](body, now))
    assert response.status_code == 401
    assert _nothing_written(runtime)
    assert slack_api.calls == []


@pytest.mark.parametrize("endpoint", ["commands", "interactions"])
def test_tampered_body_is_401(runtime, slack, endpoint):
    body = _bodies()[endpoint]
    headers = sign(SIGNING_SECRET, body, int(runtime.clock.now().timestamp()))
    response = getattr(slack, endpoint).client.post("/", data=body + b"&extra=1", headers=headers)
    assert response.status_code == 401
    assert _nothing_written(runtime)


def test_replayed_command_within_five_minutes_writes_nothing_twice(
    runtime, slack, slack_api, events
):
    body = command_body("in 20m", trigger_id="trig.replayed")
    headers = sign(SIGNING_SECRET, body, int(runtime.clock.now().timestamp()))
    client = slack.commands.client
    assert client.post("/", data=body, headers=headers).status_code == 200
    events.run()
    with Session(runtime.engine) as session:
        events_before = len(session.exec(select(OutboxEvent)).all())
    runtime.clock.advance(timedelta(minutes=2))
    assert client.post("/", data=body, headers=headers).status_code == 200
    events.run()
    with Session(runtime.engine) as session:
        assert len(session.exec(select(Run)).all()) == 1
        assert len(session.exec(select(OutboxEvent)).all()) == events_before
    assert len(slack_api.calls_to("chat.postMessage")) == 1


def test_replay_after_five_minutes_is_401(runtime, slack):
    body = command_body("in 20m")
    headers = sign(SIGNING_SECRET, body, int(runtime.clock.now().timestamp()))
    runtime.clock.advance(timedelta(minutes=6))
    assert slack.commands.client.post("/", data=body, headers=headers).status_code == 401


def test_get_is_refused_without_touching_anything(runtime, slack):
    assert slack.commands.client.get("/slack/commands").status_code == 405
    assert _nothing_written(runtime)


def test_a_replayed_order_submission_does_not_overwrite_a_newer_one(runtime, slack):
    from tests.support.run_steps import start
    from tests.support.slack_requests import interaction_body, view_submission

    run = start(slack, runtime)
    old = interaction_body(view_submission(str(run.id), "tea", user="U2"))
    headers = sign(SIGNING_SECRET, old, int(runtime.clock.now().timestamp()))
    client = slack.interactions.client
    assert client.post("/", data=old, headers=headers).status_code == 200
    runtime.clock.advance(timedelta(minutes=1))
    slack.interactions.post(interaction_body(view_submission(str(run.id), "mocha", user="U2")))
    runtime.clock.advance(timedelta(minutes=1))
    assert client.post("/", data=old, headers=headers).status_code == 200  # the replay
    with Session(runtime.engine) as session:
        [order] = session.exec(select(Order).where(Order.canceled_at.is_(None))).all()
    assert order.text == "mocha"


def test_a_replayed_withdraw_does_not_withdraw_a_newer_order(runtime, slack):
    from tests.support.run_steps import order, start
    from tests.support.slack_requests import block_action, interaction_body

    run = start(slack, runtime)
    order(slack, run, "U2", "tea")
    withdraw = interaction_body(block_action("order_withdraw", str(run.id), user="U2"))
    headers = sign(SIGNING_SECRET, withdraw, int(runtime.clock.now().timestamp()))
    client = slack.interactions.client
    client.post("/", data=withdraw, headers=headers)
    order(slack, run, "U2", "mocha")
    client.post("/", data=withdraw, headers=headers)  # replayed a minute later
    with Session(runtime.engine) as session:
        active = session.exec(select(Order).where(Order.canceled_at.is_(None))).all()
    assert [o.text for o in active] == ["mocha"]
