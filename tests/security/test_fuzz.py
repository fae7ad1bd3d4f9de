"""Property-based fuzzing: any text, payload or admin input gets a clear answer, never a
500 and never a partial write."""

from __future__ import annotations

from urllib.parse import urlencode

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from prometheus_client import REGISTRY
from sqlmodel import Session, select

from shared.channels.config import validate_changes
from shared.db.models import Order, OutboxEvent, Run, SlackDelivery
from shared.runs.command import CommandError, parse_command
from tests.support.slack_requests import command_body, interaction_body

FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
TEXT = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=300
) | st.sampled_from(
    ["in 20m", "10:30", "2:15pm note", "help", "admin", "in 0m", "25:00", "x" * 5000]
)


@given(text=TEXT)
@settings(max_examples=300, deadline=None)
def test_parse_command_never_raises(text):
    result = parse_command(text)
    if isinstance(result, CommandError):
        assert result.message


@given(text=TEXT)
@FUZZ
def test_slash_text_always_gets_a_clear_answer(runtime, slack, text):
    slack.deliver_events(False)  # the answer and what it wrote, not what follows
    crashes = _crashes()
    response = slack.commands.post(command_body(text))
    assert _crashes() == crashes
    assert response.status_code in (200, 400)
    if response.status_code == 400:
        assert response.json["error"]
    elif response.data:
        assert response.json["text"]
    with Session(runtime.engine) as session:
        runs = session.exec(select(Run)).all()
        events = session.exec(select(OutboxEvent)).all()
        deliveries = session.exec(select(SlackDelivery)).all()
        for row in [*deliveries, *runs, *events]:
            session.delete(row)
        session.commit()
    created = [e for e in events if e.event_type == "coffeebuddy.run.created"]
    assert len(created) == len(runs)  # every run has its run.created, nothing half-written
    assert len(deliveries) == len(runs)  # and its message asked for


JSONISH = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=20,
)
PAYLOADS = st.fixed_dictionaries(
    {
        "type": st.sampled_from(["block_actions", "view_submission", "shortcut", "", 5]),
        "user": st.one_of(st.fixed_dictionaries({"id": st.sampled_from(["U1", "", 7])}), JSONISH),
    },
    optional={
        "actions": st.lists(
            st.fixed_dictionaries(
                {
                    "action_id": st.sampled_from(
                        ["order_open", "run_close", "run_cancel", "admin_reset", "zz"]
                    )
                },
                optional={"value": st.text(max_size=40) | st.integers()},
            ),
            max_size=2,
        )
        | JSONISH,
        "view": JSONISH
        | st.fixed_dictionaries(
            {
                "id": st.just("V1"),
                "callback_id": st.sampled_from(["order_submit", "admin_settings", "other"]),
                "private_metadata": st.text(max_size=40),
                "state": JSONISH,
            }
        ),
        "channel": JSONISH,
        "container": JSONISH,
        "trigger_id": st.text(max_size=20),
    },
)


def _crashes() -> float:
    """Handler crashes answer 200 with an apology, so count them where they are counted."""
    return sum(
        REGISTRY.get_sample_value("coffeebuddy_errors_total", {"type": kind}) or 0.0
        for kind in ("internal", "database")
    )


@given(payload=PAYLOADS)
@FUZZ
def test_interaction_payloads_never_500(runtime, slack, payload):
    crashes = _crashes()
    response = slack.interactions.post(interaction_body(payload))
    assert response.status_code in (200, 400)
    assert _crashes() == crashes
    with Session(runtime.engine) as session:
        assert session.exec(select(Order)).all() == []


@given(
    raw=st.binary(max_size=200)
    | st.text(max_size=200).map(lambda t: urlencode({"payload": t}).encode())
)
@FUZZ
def test_garbage_interaction_bodies_get_a_clear_answer(runtime, slack, raw):
    crashes = _crashes()
    response = slack.interactions.post(raw)
    assert response.status_code in (200, 400)
    if response.status_code == 400:
        assert "malformed" in response.json["error"]
    assert _crashes() == crashes


@given(raw=st.dictionaries(st.text(max_size=30), JSONISH, max_size=6))
@settings(max_examples=300, deadline=None)
def test_admin_inputs_are_typed_or_explained(raw):
    changes, errors = validate_changes(raw)
    assert set(changes) | set(errors) == {str(k)[:64] for k in raw}
    assert not set(changes) & set(errors)
    assert all(isinstance(m, str) and m for m in errors.values())
    for value in changes.values():
        assert isinstance(value, bool | int)
