"""Orders, withdrawals and cancel through the real interactions target."""

from __future__ import annotations

import threading

from prometheus_client import REGISTRY
from sqlmodel import Session, select

from shared.db.models import Order, Run, UserPreference
from tests.support.blocks import shown
from tests.support.run_steps import start
from tests.support.slack_requests import (
    CHANNEL,
    block_action,
    interaction_body,
    view_submission,
)


def orders(rt, *, active_only: bool = True) -> list[Order]:
    with Session(rt.engine) as session:
        rows = list(session.exec(select(Order)).all())
    return [o for o in rows if o.canceled_at is None] if active_only else rows


def submit(slack, run: Run, text: str | None, user: str = "U1"):
    return slack.interactions.post(interaction_body(view_submission(str(run.id), text, user=user)))


def click(slack, action: str, run: Run, user: str = "U1", **kwargs):
    return slack.interactions.post(
        interaction_body(block_action(action, str(run.id), user=user, **kwargs))
    )


def last_message_text(slack_api) -> str:
    return str(slack_api.messages(CHANNEL)[-1]["blocks"])


def test_add_order_opens_modal_prefilled_with_last_order(runtime, slack, slack_api):
    with Session(runtime.engine) as session:
        session.add(UserPreference(user_id="U2", last_order_text="oat flat white"))
        session.commit()
    run = start(slack, runtime, "in 20m")
    response = click(slack, "order_open", run, user="U2")
    assert response.status_code == 200
    [opened] = slack_api.calls_to("views.open")
    view = opened.args["view"]
    assert view["private_metadata"] == str(run.id)
    inputs = [b for b in view["blocks"] if b["type"] == "input"]
    assert inputs[0]["element"]["initial_value"] == "oat flat white"
    assert any(b.get("block_id") == "last_order" for b in view["blocks"])


def test_modal_prefers_this_runs_active_order(runtime, slack, slack_api):
    run = start(slack, runtime, "in 20m")
    submit(slack, run, "tea")
    submit(slack, run, "espresso", user="U2")
    click(slack, "order_open", run)
    view = slack_api.calls_to("views.open")[-1].args["view"]
    [field] = [b for b in view["blocks"] if b.get("block_id") == "order"]
    assert field["element"]["initial_value"] == "tea"
    assert not any(b.get("block_id") == "last_order" for b in view["blocks"])


def test_submitting_saves_order_preference_and_updates_count(runtime, slack, slack_api):
    run = start(slack, runtime, "in 20m")
    response = submit(slack, run, "  flat white  ")
    assert response.status_code == 200 and response.json["response_action"] == "update"
    assert "Your order *flat white* is in" in shown(response.json["view"]["blocks"])
    [order] = orders(runtime)
    assert order.text == "flat white" and order.user_id == "U1"
    with Session(runtime.engine) as session:
        assert session.get(UserPreference, "U1").last_order_text == "flat white"
    assert "1 person" in last_message_text(slack_api)


def test_resubmitting_replaces_the_order_never_duplicates(runtime, slack, slack_api):
    run = start(slack, runtime, "in 20m")
    submit(slack, run, "flat white")
    submit(slack, run, "cortado")
    assert [o.text for o in orders(runtime)] == ["cortado"]
    assert "1 person" in last_message_text(slack_api)


def test_invalid_order_text_is_shown_inline_and_nothing_saved(runtime, slack):
    run = start(slack, runtime, "in 20m")
    for bad, words in (("", "Write what"), ("x" * 151, "150 or fewer"), ("a\u0007b", "one line")):
        response = submit(slack, run, bad)
        assert response.json["response_action"] == "errors"
        assert words in response.json["errors"]["order"]
    assert orders(runtime) == []


def test_database_refuses_a_second_active_order(runtime, slack):
    import pytest
    from sqlalchemy.exc import IntegrityError

    run = start(slack, runtime, "in 20m")
    submit(slack, run, "tea")
    with Session(runtime.engine) as session, pytest.raises(IntegrityError):
        session.add(Order(run_id=run.id, user_id="U1", text="coffee"))
        session.commit()


def test_database_refuses_a_second_open_run_in_a_channel(runtime, slack):
    import pytest
    from sqlalchemy.exc import IntegrityError

    run = start(slack, runtime, "in 20m")
    with Session(runtime.engine) as session, pytest.raises(IntegrityError):
        session.add(Run(channel_id=run.channel_id, initiator_id="U2"))
        session.commit()


def test_withdraw_cancels_the_order(runtime, slack, slack_api):
    run = start(slack, runtime, "in 20m")
    submit(slack, run, "tea", user="U2")
    click(slack, "order_withdraw", run, user="U2")
    assert orders(runtime) == []
    assert len(orders(runtime, active_only=False)) == 1
    assert "0 people" in last_message_text(slack_api)
    [note] = slack_api.calls_to("chat.postEphemeral")
    assert note.args["user"] == "U2" and "withdrawn" in note.args["text"]


def test_the_run_message_names_who_has_ordered(runtime, slack, slack_api):
    run = start(slack, runtime, "in 20m")
    for user in ("U2", "U3", "U4"):
        submit(slack, run, "tea", user=user)
    submit(slack, run, "chai", user="U2")  # an edit keeps their place
    click(slack, "order_withdraw", run, user="U3")
    drawn = shown(slack_api.messages(CHANNEL)[-1]["blocks"])
    assert "*Ordered:* <@U2> and <@U4>" in drawn
    assert "2 people" in drawn


def test_use_my_last_order_places_it_in_one_click(runtime, slack, slack_api):
    with Session(runtime.engine) as session:
        session.add(UserPreference(user_id="U3", last_order_text="matcha latte"))
        session.commit()
    run = start(slack, runtime, "in 20m")
    click(slack, "order_use_last", run, user="U3", view_id="V123", channel=None)
    assert [o.text for o in orders(runtime)] == ["matcha latte"]
    [update] = slack_api.calls_to("views.update")
    assert "matcha latte" in shown(update.args["view"])


def test_closed_run_refuses_orders(runtime, slack, slack_api):
    run = start(slack, runtime, "in 20m")
    click(slack, "run_cancel", run)
    response = submit(slack, run, "tea")
    assert "no longer takes orders" in response.json["errors"]["order"]
    click(slack, "order_open", run, user="U2")
    assert slack_api.calls_to("views.open") == []
    assert "no longer takes orders" in slack_api.calls_to("chat.postEphemeral")[-1].args["text"]
    assert orders(runtime) == []


def test_only_the_initiator_can_cancel(runtime, slack, slack_api):
    run = start(slack, runtime, "in 20m")
    click(slack, "run_cancel", run, user="U2")
    with Session(runtime.engine) as session:
        assert session.get(Run, run.id).status == "open"
    assert "Only <@U1>" in slack_api.calls_to("chat.postEphemeral")[-1].args["text"]
    click(slack, "run_cancel", run, user="U1")
    with Session(runtime.engine) as session:
        assert session.get(Run, run.id).status == "canceled"
    assert "canceled by <@U1>" in last_message_text(slack_api)
    assert "run_actions" not in last_message_text(slack_api)


def test_malformed_payload_is_400_and_unknown_action_is_ignored(runtime, slack):
    assert slack.interactions.post(b"payload=not-json").status_code == 400
    assert slack.interactions.post(b"nothing=here").status_code == 400
    run = start(slack, runtime, "in 20m")
    assert click(slack, "no_such_action", run).status_code == 200
    assert click(slack, "order_withdraw", run).status_code == 200


def test_concurrent_orders_keep_one_per_person_and_the_right_count(runtime, slack, slack_api):
    run = start(slack, runtime, "in 20m")
    people = [f"UB{i:02d}" for i in range(12)]
    errors: list[BaseException] = []

    def order(user: str) -> None:
        try:
            for text in ("latte", "mocha"):
                assert submit(slack, run, text, user=user).status_code == 200
        except BaseException as error:  # surfaced below
            errors.append(error)

    threads = [threading.Thread(target=order, args=(u,)) for u in people]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    active = orders(runtime)
    assert sorted(o.user_id for o in active) == people
    assert {o.text for o in active} == {"mocha"}
    assert "12 people" in last_message_text(slack_api)


def test_a_warm_up_call_is_answered_without_a_signature_and_does_nothing(
    runtime, interactions_app, slack_api
):
    counted = REGISTRY.get_sample_value("coffeebuddy_requests_total", {"type": "interaction"})
    # What the warm-up Trigger sends: a run.created CloudEvent in binary mode, unsigned.
    response = interactions_app.test_client().post(
        "/warm-up",
        data=b'{"run_id": "r"}',
        headers={"ce-specversion": "1.0", "ce-type": "coffeebuddy.run.created", "ce-id": "1"},
    )

    assert (response.status_code, response.data) == (204, b"")
    assert slack_api.calls == []
    with Session(runtime.engine) as session:
        assert session.exec(select(Run)).all() == []
    # Not a Slack request: the error-rate alerts divide by these.
    after = REGISTRY.get_sample_value("coffeebuddy_requests_total", {"type": "interaction"})
    assert after == counted


def test_a_button_nothing_handles_any_more_says_so(runtime, slack, slack_api):
    run = start(slack, runtime, "in 20m")
    click(slack, "order_teleport", run, user="U2")
    [note] = slack_api.ephemerals(CHANNEL, "U2")
    assert "no longer does anything" in note["text"]
