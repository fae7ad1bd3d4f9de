"""What a caller sees when something breaks on our side."""

from __future__ import annotations

import uuid

from prometheus_client import REGISTRY

from shared.events import catalog
from shared.events.envelope import Event
from tests.support.blocks import shown
from tests.support.run_steps import click, order, start
from tests.support.slack_requests import (
    CHANNEL,
    command_body,
    interaction_body,
    view_submission,
)


def _count(kind: str) -> float:
    return REGISTRY.get_sample_value("coffeebuddy_errors_total", {"type": kind}) or 0.0


def test_a_failing_event_handler_answers_500_so_knative_redelivers(
    runtime, slack, events, monkeypatch
):
    import shared.handlers.close_run as close_run

    def broken(**_kwargs):
        raise RuntimeError("bug")

    monkeypatch.setattr(close_run, "assign_runner", broken)
    before = _count("event_handler")
    event = Event(
        type=catalog.RUN_CLOSED,
        subject="r",
        data={"run_id": str(uuid.uuid4()), "channel_id": "C1", "closed_by": "U1"},
    )
    events.retries = 0  # one delivery, not the Broker's seven
    assert events.post(event) == [500]
    assert _count("event_handler") == before + 1


def test_a_bug_in_a_slack_handler_gets_an_apology_with_a_reference(runtime, slack, monkeypatch):
    import shared.intake.command as intake

    def broken(*_args, **_kwargs):
        raise RuntimeError("bug")

    monkeypatch.setattr(intake, "parse_command", broken)
    before = _count("internal")
    response = slack.commands.post(command_body("in 20m"))
    assert response.status_code == 200
    assert response.json["response_type"] == "ephemeral"
    assert "went wrong on our side" in response.json["text"]
    assert response.headers["X-Correlation-Id"] in response.json["text"]
    assert _count("internal") == before + 1


def test_users_info_failing_means_not_an_admin(runtime, slack, slack_api):
    slack_api.add_user("UADMIN", "ada", tz="UTC", is_admin=True)
    slack_api.fail_next("users.info", status=500, times=4)  # past the request's retries
    slack.commands.post(command_body("admin", user="UADMIN"))
    [modal] = [c.args["view"] for c in slack_api.calls_to("views.update")]
    assert "Only workspace admins" in shown(modal["blocks"])


def test_a_run_message_that_cannot_be_redrawn_does_not_fail_a_delivered_close(
    runtime, slack, slack_api, events
):
    from tests.support.run_steps import reload

    run = start(slack, runtime)
    order(slack, run, "U2", "tea")
    before = _count("slack_api")
    slack_api.fail_next("chat.update", status=200, error="message_not_found", times=5)
    click(slack, "run_close", run)
    done = reload(runtime, run)
    assert done.status == "closed" and done.summary_ts and done.runner_dm_ts
    assert _count("slack_api") > before


def test_a_bug_behind_a_modal_is_apologised_for_in_the_modal(runtime, slack, monkeypatch):
    import shared.handlers.orders as orders

    def broken(**_kwargs):
        raise RuntimeError("bug")

    run = start(slack, runtime)
    monkeypatch.setattr(orders, "place_order", broken)
    response = slack.interactions.post(interaction_body(view_submission(str(run.id), "tea")))
    assert response.status_code == 200
    assert response.json["response_action"] == "update"  # Slack shows this; a bare body not
    assert "went wrong on our side" in shown(response.json["view"]["blocks"])
    assert response.headers["X-Correlation-Id"] in shown(response.json["view"]["blocks"])


def test_a_bug_behind_a_button_is_apologised_for_where_it_was_clicked(
    runtime, slack, slack_api, monkeypatch
):
    import shared.handlers.orders as orders

    def broken(**_kwargs):
        raise RuntimeError("bug")

    run = start(slack, runtime)
    monkeypatch.setattr(orders, "withdraw_order", broken)
    response = click(slack, "order_withdraw", run, user="U2")
    assert response.status_code == 200 and response.data == b""  # Slack ignores a click's body
    [note] = slack_api.ephemerals(CHANNEL, "U2")
    assert "went wrong on our side" in note["text"]
    assert response.headers["X-Correlation-Id"] in note["text"]
