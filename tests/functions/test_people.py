"""/coffee stats, "My usual" with undo, and /coffee forget-me."""

from __future__ import annotations

import json
from datetime import timedelta

from prometheus_client import REGISTRY
from sqlmodel import Session, select

from shared.db.models import ChannelAdminAction, Order, Run, RunnerStats, User, UserPreference
from shared.runs.command import ForgetMe, ShowStats, parse_command
from tests.support.blocks import shown
from tests.support.run_steps import click, order, reload, start
from tests.support.slack_requests import (
    CHANNEL,
    block_action,
    command_body,
    interaction_body,
    replies,
)


def closed(slack, runtime, events, orders: dict[str, str]) -> Run:
    run = start(slack, runtime)
    for user, text in orders.items():
        order(slack, run, user, text)
    click(slack, "run_close", run)
    events.run()
    return reload(runtime, run)


def test_stats_and_forget_me_are_commands():
    assert parse_command("stats") == ShowStats()
    assert parse_command("forget-me") == ForgetMe()


def test_stats_show_runs_cups_and_who_ran_versus_received(runtime, slack, slack_api, events):
    first = closed(slack, runtime, events, {"U1": "latte", "U2": "tea", "U3": "mocha"})
    runtime.clock.advance(timedelta(days=1))
    second = closed(slack, runtime, events, {"U1": "latte", "U2": "tea"})
    assert slack.commands.post(command_body("stats", user="U3")).data == b""
    [text] = replies(slack_api, "U3")
    assert "2 runs · 5 cups" in text
    for run in (first, second):
        assert f"<@{run.runner_id}>: ran" in text
    received_by_u1 = sum(1 for r in (first, second) if r.runner_id != "U1")
    assert (
        f"<@U1>: ran {[first.runner_id, second.runner_id].count('U1')} · got {received_by_u1}"
        in text
    )


def test_stats_show_a_forgotten_person_as_someone_who_left(runtime, slack, slack_api, events):
    for runner in ("U2", "U1"):  # U2 runs once, then receives a cup from U1
        run = start(slack, runtime)
        order(slack, run, runner, "latte", options=("volunteer",))
        order(slack, run, "U1" if runner == "U2" else "U2", "tea")
        click(slack, "run_close", run)
        events.run()
        assert reload(runtime, run).runner_id == runner
        runtime.clock.advance(timedelta(hours=1))
    slack.interactions.post(interaction_body(block_action("forget_me", "U2", user="U2")))
    slack.commands.post(command_body("stats", user="U3"))
    [text] = replies(slack_api, "U3")
    assert "• someone who left: ran 1 · got 1" in text.splitlines()
    assert "<@U2>" not in text and "anon-" not in text
    assert "• <@U1>: ran 1 · got 1" in text.splitlines()


def test_stats_only_count_the_last_four_weeks(runtime, slack, slack_api, events):
    closed(slack, runtime, events, {"U1": "latte", "U2": "tea"})
    runtime.clock.advance(timedelta(days=29))
    slack.commands.post(command_body("stats"))
    text = replies(slack_api)[-1]
    assert "No coffee runs closed here yet" in text


def test_my_usual_places_the_saved_order_with_undo(runtime, slack, slack_api, events):
    with Session(runtime.engine) as session:
        session.add(UserPreference(user_id="U2", last_order_text="flat white"))
        session.commit()
    run = start(slack, runtime)
    order(slack, run, "U2", "tea")
    with Session(runtime.engine) as session:
        session.get(UserPreference, "U2").last_order_text = "flat white"
        session.add(session.get(UserPreference, "U2"))
        session.commit()
    slack.interactions.post(interaction_body(block_action("order_usual", str(run.id), user="U2")))
    with Session(runtime.engine) as session:
        [active] = session.exec(select(Order).where(Order.canceled_at.is_(None))).all()
    assert active.text == "flat white"
    note = slack_api.calls_to("chat.postEphemeral")[-1]
    [undo] = [e for b in note.args["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert json.loads(undo["value"]) == {
        "run": str(run.id),
        "previous": "tea",
        "placed": active.updated_at.isoformat(),
    }
    slack.interactions.post(interaction_body(block_action("order_undo", undo["value"], user="U2")))
    with Session(runtime.engine) as session:
        [active] = session.exec(select(Order).where(Order.canceled_at.is_(None))).all()
        assert session.get(UserPreference, "U2").last_order_text == "flat white"  # still the usual
    assert active.text == "tea"


def test_my_usual_keeps_the_volunteer_tick(runtime, slack, slack_api):
    run = start(slack, runtime)
    order(slack, run, "U3", "mocha", options=("volunteer",))
    with Session(runtime.engine) as session:
        session.get(UserPreference, "U3").last_order_text = "cortado"
        session.commit()
    slack.interactions.post(interaction_body(block_action("order_usual", str(run.id), user="U3")))
    with Session(runtime.engine) as session:
        [active] = session.exec(select(Order).where(Order.canceled_at.is_(None))).all()
    assert (active.text, active.volunteer) == ("cortado", True)


def test_my_usual_without_a_saved_order_explains(runtime, slack, slack_api):
    run = start(slack, runtime)
    slack.interactions.post(interaction_body(block_action("order_usual", str(run.id), user="U3")))
    assert "don't have a usual" in slack_api.calls_to("chat.postEphemeral")[-1].args["text"]


def test_undo_of_a_first_order_withdraws_it(runtime, slack, slack_api):
    with Session(runtime.engine) as session:
        session.add(UserPreference(user_id="U3", last_order_text="cortado"))
        session.commit()
    run = start(slack, runtime)
    slack.interactions.post(interaction_body(block_action("order_usual", str(run.id), user="U3")))
    value = undo_value(slack_api)
    assert json.loads(value)["previous"] is None
    slack.interactions.post(interaction_body(block_action("order_undo", value, user="U3")))
    with Session(runtime.engine) as session:
        assert session.exec(select(Order).where(Order.canceled_at.is_(None))).all() == []
    assert "withdrawn" in slack_api.calls_to("chat.postEphemeral")[-1].args["text"]


def test_forget_me_needs_confirmation_then_forgets(runtime, slack, slack_api, events):
    done = closed(slack, runtime, events, {"U1": "latte", "U2": "oat flat white"})
    open_run = start(slack, runtime, "in 40m", user="U3")
    order(slack, open_run, "U2", "tea")
    offer = slack.commands.post(command_body("forget-me", user="U2")).json
    assert "Forget me" in shown(offer["blocks"])
    with Session(runtime.engine) as session:
        assert session.get(UserPreference, "U2") is not None
    before = REGISTRY.get_sample_value("coffeebuddy_forget_me_total") or 0

    slack.interactions.post(interaction_body(block_action("forget_me", "U1", user="U2")))
    with Session(runtime.engine) as session:
        assert session.get(UserPreference, "U2") is not None  # only yourself

    slack.interactions.post(interaction_body(block_action("forget_me", "U2", user="U2")))
    with Session(runtime.engine) as session:
        assert session.get(UserPreference, "U2") is None
        assert session.get(User, "U2") is None
        assert session.get(RunnerStats, (CHANNEL, "U2")) is None
        orders = session.exec(select(Order)).all()
        assert all(o.user_id != "U2" for o in orders)
        assert any(o.user_id.startswith("anon-") for o in orders)
        assert all(
            r.runner_id != "U2" and r.initiator_id != "U2" for r in session.exec(select(Run)).all()
        )
        [row] = session.exec(select(ChannelAdminAction)).all()
    assert row.action_type == "forget_me" and row.actor_id == "privacy"
    assert "U2" not in json.dumps(row.details) and "oat" not in json.dumps(row.details)
    assert row.details["withdrawn"] == 1
    assert (REGISTRY.get_sample_value("coffeebuddy_forget_me_total") or 0) == before + 1
    assert reload(runtime, done).status == "closed"  # others' history is kept
    assert reload(runtime, done).runner_id != "U2"
    redrawn = next(m for m in slack_api.messages(CHANNEL) if m["ts"] == open_run.message_ts)
    assert "0 people" in shown(redrawn["blocks"])


def test_forget_me_done_takes_the_place_of_the_offer(runtime, slack, slack_api, events):
    """The offer's button can't be pressed again: "Done" replaces it (replace_original)."""
    url = slack_api.new_response_url(channel=CHANNEL, user="U2")
    click = block_action("forget_me", "U2", user="U2", response_url=url)
    slack.interactions.post(interaction_body(click))

    [done] = slack_api.responses(url)
    assert done.replace_original
    assert done.text is not None and done.text.startswith("Done: CoffeeBuddy has forgotten you.")
    assert not any(c.args.get("user") == "U2" for c in slack_api.calls_to("chat.postEphemeral"))


def test_forget_me_done_is_a_note_when_the_response_url_is_not_slacks(
    runtime, slack, slack_api, events
):
    click = block_action("forget_me", "U2", user="U2", response_url="https://evil.example/x")
    slack.interactions.post(interaction_body(click))
    [note] = [c for c in slack_api.calls_to("chat.postEphemeral") if c.args.get("user") == "U2"]
    assert note.args["text"].startswith("Done: CoffeeBuddy has forgotten you.")


def test_my_usual_when_it_already_is_the_order_says_so(runtime, slack, slack_api):
    run = start(slack, runtime)
    order(slack, run, "U2", "tea")
    slack.interactions.post(interaction_body(block_action("order_usual", str(run.id), user="U2")))
    note = slack_api.calls_to("chat.postEphemeral")[-1].args
    assert "already is your usual" in note["text"] and "blocks" not in note


def undo_value(slack_api) -> str:
    note = slack_api.calls_to("chat.postEphemeral")[-1]
    [undo] = [e for b in note.args["blocks"] if b["type"] == "actions" for e in b["elements"]]
    return str(undo["value"])


def test_only_the_latest_my_usual_can_be_undone(runtime, slack, slack_api):
    with Session(runtime.engine) as session:
        session.add(UserPreference(user_id="U3", last_order_text="cortado"))
        session.commit()
    run = start(slack, runtime)
    slack.interactions.post(interaction_body(block_action("order_usual", str(run.id), user="U3")))
    stale = undo_value(slack_api)
    runtime.clock.advance(timedelta(minutes=1))
    order(slack, run, "U3", "mocha")  # changed since that notice
    slack.interactions.post(interaction_body(block_action("order_undo", stale, user="U3")))
    with Session(runtime.engine) as session:
        [active] = session.exec(select(Order).where(Order.canceled_at.is_(None))).all()
    assert active.text == "mocha"
    assert "earlier change" in slack_api.calls_to("chat.postEphemeral")[-1].args["text"]
