from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from shared.db.models import Channel, Run
from shared.reminders.rules import last_call_at, plan_delivery, runner_reminder_at
from shared.runs.lifecycle import closes_at
from shared.statuses import ReminderKind, RunStatus
from shared.tick import claim_horizon

NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)


def test_runner_reminder_is_pickup_minus_offset_or_now_if_that_passed():
    pickup = NOW + timedelta(minutes=30)
    assert runner_reminder_at(pickup, 5, NOW) == pickup - timedelta(minutes=5)
    assert runner_reminder_at(NOW + timedelta(minutes=3), 5, NOW) == NOW
    assert runner_reminder_at(None, 5, NOW) is None
    assert runner_reminder_at(NOW - timedelta(minutes=1), 5, NOW) is None


def test_last_call_is_before_the_run_closes_and_only_when_on():
    closes = NOW + timedelta(minutes=25)
    assert last_call_at(closes, True, 10, NOW) == closes - timedelta(minutes=10)
    assert last_call_at(closes, False, 10, NOW) is None
    assert last_call_at(NOW + timedelta(minutes=5), True, 10, NOW) is None


def test_claim_horizon_looks_55_seconds_ahead():
    assert claim_horizon(NOW) - NOW == timedelta(seconds=55)


def _run(minutes: int | None) -> Run:
    pickup = NOW + timedelta(minutes=minutes) if minutes is not None else None
    return Run(channel_id="C", initiator_id="U", pickup_at=pickup, started_at=NOW)


def test_closes_at_uses_the_cut_off_or_the_reminder_offset():
    channel = Channel(id="C", reminder_offset_minutes=5)
    assert closes_at(_run(30), channel) == NOW + timedelta(minutes=25)
    channel.auto_close_minutes = 15
    assert closes_at(_run(30), channel) == NOW + timedelta(minutes=15)
    assert closes_at(_run(None), channel) is None


def test_a_pickup_sooner_than_the_cut_off_closes_at_pickup():
    assert closes_at(_run(3), Channel(id="C", reminder_offset_minutes=5)) == NOW + timedelta(
        minutes=3
    )


@pytest.mark.parametrize(
    ("kwargs", "outcome", "recipient"),
    [
        ({"run_status": "closed", "has_runner": True}, "sent", "runner"),
        ({"run_status": "open", "has_runner": False}, "sent", "initiator"),
        (
            {"run_status": "open", "has_runner": False, "closes_within_the_minute": True},
            "wait",
            "none",
        ),
        ({"run_status": "closing", "has_runner": False}, "wait", "none"),
        ({"run_status": "canceled", "has_runner": False}, "canceled", "none"),
        (
            {"run_status": "closed", "has_runner": True, "reminders_enabled": False},
            "skipped",
            "none",
        ),
        ({"kind": "last_call", "run_status": "open", "has_runner": False}, "sent", "channel"),
        ({"kind": "last_call", "run_status": "closed", "has_runner": True}, "skipped", "none"),
        (
            {
                "kind": "last_call",
                "run_status": "open",
                "has_runner": False,
                "last_call_enabled": False,
            },
            "skipped",
            "none",
        ),
    ],
)
def test_plan_delivery(kwargs, outcome, recipient):
    args = {"kind": "runner", "reminders_enabled": True, "last_call_enabled": True} | kwargs
    args["kind"], args["run_status"] = ReminderKind(args["kind"]), RunStatus(args["run_status"])
    plan = plan_delivery(**args)
    assert (plan.outcome, plan.recipient) == (outcome, recipient)


@pytest.mark.parametrize(
    ("seconds", "phrase"),
    [
        (300, "in about 5 min"),
        (61, "in about 1 min"),
        (20, "is now"),
        (-25, "is now"),
        (-90, "was 2 min ago"),
        (-600, "was 10 min ago"),
    ],
)
def test_pickup_phrase_says_how_early_or_late(seconds, phrase):
    from datetime import UTC, datetime, timedelta

    from shared.reminders.rules import pickup_phrase

    now = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
    assert pickup_phrase(now + timedelta(seconds=seconds), now) == phrase
    assert pickup_phrase(None, now) == "is soon"


def test_too_early_is_more_than_a_minute_before_due():
    from datetime import UTC, datetime, timedelta

    from shared.reminders.rules import too_early

    now = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
    assert not too_early(now + timedelta(seconds=60), now)
    assert too_early(now + timedelta(seconds=61), now)


def test_an_arrived_run_gets_no_reminder():
    plan = plan_delivery(
        kind=ReminderKind.RUNNER,
        run_status=RunStatus.CLOSED,
        has_runner=True,
        reminders_enabled=True,
        last_call_enabled=True,
        arrived=True,
    )
    assert plan.outcome == "canceled"
