"""`/coffee admin` in Slack: who may, settings with inline range errors, audit, reset."""

from __future__ import annotations

import dataclasses
import re
from datetime import timedelta

import pytest
from sqlmodel import Session, select

from shared.db.models import Channel, ChannelAdminAction, Order, Reminder, Run, RunnerStats
from tests.support.blocks import action_ids, shown
from tests.support.run_steps import click, order, reload, start
from tests.support.slack_requests import CHANNEL, block_action, command_body, interaction_body


@pytest.fixture
def admins(runtime, slack_api):
    slack_api.add_user("UADMIN", "ada", tz="UTC", is_admin=True)
    slack_api.add_user("UOWNER", "olga", tz="UTC", is_owner=True)
    return runtime


def settings_submission(
    user: str, *, switches=("enabled", "reminders_enabled"), view_id: str = "VADMIN", **numbers
) -> dict:
    values = {
        "admin_switches": {"switches": {"selected_options": [{"value": v} for v in switches]}},
    }
    defaults = {
        "reminder_offset_minutes": "5",
        "last_call_minutes": "10",
        "fairness_window_runs": "20",
        "data_retention_days": "90",
        "idle_cancel_minutes": "120",
        "auto_close_minutes": "",
    }
    for field, value in (defaults | {k: str(v) for k, v in numbers.items()}).items():
        values[f"admin_{field}"] = {"value": {"type": "plain_text_input", "value": value}}
    return {
        "type": "view_submission",
        "user": {"id": user},
        "team": {"id": "T0TEAM"},
        "view": {
            "id": view_id,
            "callback_id": "admin_settings",
            "private_metadata": CHANNEL,
            "state": {"values": values},
        },
    }


def channel(runtime) -> Channel:
    with Session(runtime.engine) as session:
        return session.get(Channel, CHANNEL)


def audit(runtime) -> list[ChannelAdminAction]:
    with Session(runtime.engine) as session:
        return list(session.exec(select(ChannelAdminAction).order_by(ChannelAdminAction.at)).all())


def replies(slack_api, user: str) -> list[dict]:
    """What reached ``user`` through their command's response_url."""
    return [r.body for r in slack_api.responses(user=user)]


def open_view(slack_api) -> str:
    """The id of the modal the intake opened last (what Slack sends back on submit)."""
    return list(slack_api.views())[-1]


def modals_shown(slack_api) -> list[dict]:
    """The views the close function put into modals the intake opened (views.update)."""
    return [call.args["view"] for call in slack_api.calls_to("views.update") if call.ok]


def test_non_admin_sees_why_in_the_modal_and_no_settings(admins, slack, slack_api):
    assert slack.commands.post(command_body("admin", user="U2")).data == b""
    [opened] = slack_api.calls_to("views.open")  # at once: the trigger_id lives 3 s
    assert "Loading" in shown(opened.args["view"]["blocks"])
    [modal] = modals_shown(slack_api)
    assert "Only workspace admins" in shown(modal["blocks"])
    assert "callback_id" not in modal


def test_admin_and_owner_get_the_settings_modal(admins, slack, slack_api):
    for user in ("UADMIN", "UOWNER"):
        assert slack.commands.post(command_body("admin", user=user)).data == b""
    assert len(slack_api.calls_to("views.open")) == 2
    views = modals_shown(slack_api)
    assert len(views) == 2
    view = views[0]
    assert view["callback_id"] == "admin_settings" and view["private_metadata"] == CHANNEL
    offset = next(b for b in view["blocks"] if b.get("block_id") == "admin_reminder_offset_minutes")
    assert offset["element"]["initial_value"] == "5"


def test_allowlisted_user_is_an_admin(admins, slack, slack_api):
    admins.settings = dataclasses.replace(admins.settings, admin_user_ids=frozenset({"U3"}))
    try:
        assert slack.commands.post(command_body("admin", user="U3")).data == b""
    finally:
        admins.settings = dataclasses.replace(admins.settings, admin_user_ids=frozenset())
    [view] = modals_shown(slack_api)
    assert view["callback_id"] == "admin_settings"


def test_settings_change_is_saved_with_an_audit_row_and_says_what_changed(admins, slack, slack_api):
    slack.commands.post(command_body("admin", user="UADMIN"))
    response = slack.interactions.post(
        interaction_body(
            settings_submission(
                "UADMIN",
                view_id=open_view(slack_api),
                reminder_offset_minutes=12,
                data_retention_days=30,
            )
        )
    )
    assert response.status_code == 200 and response.json["response_action"] == "update"
    assert "Saving" in shown(response.json["view"]["blocks"])
    confirmation = str(modals_shown(slack_api)[-1]["blocks"])
    assert "Saved" in confirmation and "12 (was 5)" in confirmation
    saved = channel(admins)
    assert (saved.reminder_offset_minutes, saved.data_retention_days) == (12, 30)
    [row] = audit(admins)
    assert row.action_type == "update_config" and row.actor_id == "UADMIN"
    assert row.details == {
        "before": {"reminder_offset_minutes": 5, "data_retention_days": 90},
        "after": {"reminder_offset_minutes": 12, "data_retention_days": 30},
    }


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("reminder_offset_minutes", "0", "from 1 to 60 minutes"),
        ("reminder_offset_minutes", "61", "from 1 to 60 minutes"),
        ("fairness_window_runs", "101", "from 1 to 100 runs"),
        ("data_retention_days", "366", "from 1 to 365 days"),
        ("last_call_minutes", "ten", "from 1 to 60 minutes"),
    ],
)
def test_out_of_range_values_are_refused_inline(admins, slack, field, value, words):
    slack.commands.post(command_body("admin", user="UADMIN"))
    response = slack.interactions.post(
        interaction_body(settings_submission("UADMIN", **{field: value}))
    )
    assert response.json["response_action"] == "errors"
    assert words in response.json["errors"][f"admin_{field}"]
    assert audit(admins) == []
    assert channel(admins).reminder_offset_minutes == 5


def test_non_admin_submission_changes_nothing(admins, slack, slack_api):
    slack.commands.post(command_body("admin", user="UADMIN"))
    view_id = open_view(slack_api)
    slack.interactions.post(
        interaction_body(settings_submission("U2", view_id=view_id, reminder_offset_minutes=9))
    )
    assert "Only workspace admins" in shown(modals_shown(slack_api)[-1]["blocks"])
    assert channel(admins).reminder_offset_minutes == 5 and audit(admins) == []


def test_disabling_cancels_open_runs_and_later_commands_record_nothing(
    admins, slack, slack_api, events
):
    run = start(slack, admins, "in 30m")
    events.run()
    response = slack.interactions.post(
        interaction_body(settings_submission("UADMIN", switches=("reminders_enabled",)))
    )
    assert response.json["response_action"] == "update"
    assert reload(admins, run).status == "canceled"
    assert "turned off" in shown(slack_api.messages(CHANNEL)[0]["blocks"])
    [row] = audit(admins)
    assert row.action_type == "disable" and row.details == {"before": True, "after": False}
    events.run()
    with Session(admins.engine) as session:
        assert [r.status for r in session.exec(select(Reminder)).all()] == ["canceled"]
    slack.commands.post(command_body("in 20m", user="U2"))
    [reply] = replies(slack_api, "U2")
    assert "turned off in this channel" in reply["text"]
    with Session(admins.engine) as session:
        assert len(session.exec(select(Run)).all()) == 1


def audit_lines(slack_api, user: str) -> dict[int, set[str]]:
    """What ``/coffee admin audit`` said, by the Unix time each line shows (Slack's date
    formatting, which every reader sees in their own timezone)."""
    [reply] = replies(slack_api, user)
    head, *lines = reply["text"].splitlines()
    assert head == "*Recent CoffeeBuddy admin changes here*"
    said: dict[int, set[str]] = {}
    for line in lines:
        found = re.fullmatch(
            r"• <!date\^(\d+)\^\{date_short_pretty\} \{time\}\|[^>]+> · (.+)", line
        )
        assert found, line
        said.setdefault(int(found[1]), set()).add(found[2])
    return said


def test_audit_lists_recent_changes_as_sentences(admins, slack, slack_api):
    slack.commands.post(command_body("admin", user="UADMIN"))
    slack.interactions.post(interaction_body(settings_submission("UADMIN", fairness_window_runs=7)))
    admins.clock.advance(timedelta(minutes=5))
    submission = settings_submission(
        "UADMIN",
        switches=("last_call_enabled",),
        reminder_offset_minutes=10,
        auto_close_minutes=3,
        fairness_window_runs=7,
    )
    slack.interactions.post(interaction_body(submission))
    slack.commands.post(command_body("admin audit", user="UOWNER"))
    first, second = sorted({int(row.at.timestamp()) for row in audit(admins)})
    assert audit_lines(slack_api, "UOWNER") == {
        first: {"<@UADMIN> changed the fairness window to 7 runs (was 20)"},
        second: {
            "<@UADMIN> turned CoffeeBuddy off",
            "<@UADMIN> turned reminders off, turned the last call on and changed the reminder "
            "to 10 min (was 5), auto-close to 3 min before pickup (was with the reminder)",
        },
    }


def test_audit_tells_resets_forgetting_and_operators_in_words(admins, slack, slack_api, events):
    run = start(slack, admins, "in 30m")
    order(slack, run, "U2", "tea")
    click(slack, "run_close", run)
    events.run()
    slack.interactions.post(interaction_body(block_action("forget_me", "U2", user="U2")))
    slack.interactions.post(interaction_body(block_action("admin_reset", CHANNEL, user="UADMIN")))
    with Session(admins.engine) as session:
        session.add(
            ChannelAdminAction(
                channel_id=CHANNEL,
                actor_id="ops:alice <ops@example.com>",
                action_type="update_config",
                details={
                    "before": {"auto_close_minutes": 3},
                    "after": {"auto_close_minutes": None},
                },
                at=admins.clock.now(),
            )
        )
        session.commit()
    slack.commands.post(command_body("admin audit", user="UOWNER"))
    [said] = audit_lines(slack_api, "UOWNER").values()
    assert said == {
        "Someone asked CoffeeBuddy to forget them (1 past order anonymised, "
        "0 open orders withdrawn)",
        "<@UADMIN> reset the channel's data (1 run, 1 order)",
        "ops:alice &lt;ops@example.com&gt; changed auto-close to follow the reminder (was 3)",
    }


def test_reset_needs_an_admin_and_deletes_the_channels_data_but_keeps_audit(
    admins, slack, slack_api, events
):
    run = start(slack, admins, "in 30m")
    order(slack, run, "U2", "tea")
    click(slack, "run_close", run)
    events.run()
    second = start(slack, admins, "in 40m")
    events.run()
    slack.commands.post(command_body("admin reset", user="UADMIN"))
    [prompt] = replies(slack_api, "UADMIN")
    assert "Reset" in prompt["text"] and "admin_reset" in action_ids(prompt["blocks"])

    slack.interactions.post(interaction_body(block_action("admin_reset", CHANNEL, user="U2")))
    with Session(admins.engine) as session:
        assert len(session.exec(select(Run)).all()) == 2

    slack.interactions.post(interaction_body(block_action("admin_reset", CHANNEL, user="UADMIN")))
    with Session(admins.engine) as session:
        for model in (Run, Order, Reminder, RunnerStats):
            assert session.exec(select(model)).all() == []
        assert session.get(Channel, CHANNEL) is not None
    [row] = audit(admins)
    assert row.action_type == "data_reset" and row.details["deleted"]["runs"] == 2
    told = [
        m for m in slack_api.messages(CHANNEL) if "reset CoffeeBuddy's data" in m.get("text", "")
    ]
    assert len(told) == 1
    removed = next(m for m in slack_api.messages(CHANNEL) if m["ts"] == second.message_ts)
    assert "removed by a data reset" in shown(removed["blocks"])


def test_admin_may_close_someone_elses_run(admins, slack, slack_api, events):
    run = start(slack, admins, "in 30m", user="U1")
    order(slack, run, "U2", "tea")
    click(slack, "run_close", run, user="U3")
    assert reload(admins, run).status == "open"
    click(slack, "run_close", run, user="UADMIN")
    assert reload(admins, run).status == "closed"


def test_auto_close_can_be_set_and_left_empty_to_follow_the_reminder(admins, slack):
    slack.commands.post(command_body("admin", user="UADMIN"))
    slack.interactions.post(
        interaction_body(
            settings_submission("UADMIN", auto_close_minutes=15, idle_cancel_minutes=45)
        )
    )
    saved = channel(admins)
    assert (saved.auto_close_minutes, saved.idle_cancel_minutes) == (15, 45)
    slack.interactions.post(interaction_body(settings_submission("UADMIN", auto_close_minutes="")))
    assert channel(admins).auto_close_minutes is None
    bad = slack.interactions.post(
        interaction_body(settings_submission("UADMIN", idle_cancel_minutes=5))
    )
    assert "from 10 to 1440 minutes" in bad.json["errors"]["admin_idle_cancel_minutes"]
