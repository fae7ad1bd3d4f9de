"""A signed body we can't read is the body's fault, whatever goes wrong reading it: a 400
with a JSON reason, counted as a bad request, never a 500 or an apology for a crash."""

from __future__ import annotations

import json
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from prometheus_client import REGISTRY
from sqlmodel import Session, select

from shared.db.models import Order
from shared.slack import payloads
from tests.support.hostile_json import JSON_VALUES, dumps
from tests.support.hostile_text import ANY_CHARACTER
from tests.support.run_steps import start
from tests.support.slack_requests import command_body, view_submission

FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _count(kind: str) -> float:
    return REGISTRY.get_sample_value("coffeebuddy_errors_total", {"type": kind}) or 0.0


def _crashes() -> float:
    return _count("internal") + _count("database")


def _post(sender, raw_payload: str):
    return sender.post(urlencode({"payload": raw_payload}).encode())


def _assert_refused(response, before: float) -> None:
    assert response.status_code == 400
    assert response.mimetype == "application/json"
    assert response.json["ok"] is False and response.json["error"].startswith("malformed request")
    assert _count("bad_request") == before + 1


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ('{"type": "block_actions", "n": ' + "9" * 5000 + "}", "not valid JSON"),
        ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
        ('{"type": "block_actions", "user": {"id": "U1\\ud800"}}', "valid Unicode"),
    ],
    ids=["an integer Python won't read", "deep nesting", "a lone surrogate"],
)
def test_json_that_cant_be_read_is_a_400_naming_why(runtime, slack, raw, reason):
    before, crashes = _count("bad_request"), _crashes()

    response = _post(slack.interactions, raw)

    _assert_refused(response, before)
    assert reason in response.json["error"]
    assert _crashes() == crashes


def test_an_order_holding_half_a_surrogate_pair_is_refused_not_stored(runtime, slack):
    run = start(slack, runtime)
    raw = json.dumps(view_submission(str(run.id), "latte \ud83d"))  # JSON escapes it: \ud83d
    before = _count("bad_request")

    _assert_refused(_post(slack.interactions, raw), before)
    with Session(runtime.engine) as session:
        assert session.exec(select(Order)).all() == []


@pytest.mark.parametrize("error", [TypeError, AttributeError, RecursionError, KeyError, IndexError])
def test_any_failure_reading_an_interaction_is_a_400(runtime, slack, monkeypatch, error):
    def unforeseen(*args, **kwargs):
        raise error("a shape the parser didn't foresee")

    monkeypatch.setattr(payloads, "_block_action", unforeseen)
    before, crashes = _count("bad_request"), _crashes()

    response = _post(
        slack.interactions,
        json.dumps({"type": "block_actions", "user": {"id": "U1"}, "actions": [{}]}),
    )

    _assert_refused(response, before)
    assert "could not be read" in response.json["error"]
    assert _crashes() == crashes


def test_any_failure_reading_a_command_is_a_400(runtime, slack, monkeypatch):
    def unforeseen(*args, **kwargs):
        raise AttributeError("'list' object has no attribute 'get'")

    monkeypatch.setattr(payloads, "_field", unforeseen)
    before = _count("bad_request")

    _assert_refused(slack.commands.post(command_body("in 20m")), before)


SURROGATE_TEXT = st.text(ANY_CHARACTER, max_size=20)
HOSTILE = st.recursive(
    JSON_VALUES | SURROGATE_TEXT,
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(SURROGATE_TEXT, children, max_size=3)
    ),
    max_leaves=12,
)


@given(
    kind=st.sampled_from(["block_actions", "view_submission", "view_closed"]),
    fields=st.dictionaries(
        st.sampled_from(["user", "team", "actions", "view", "channel", "container", "trigger_id"]),
        HOSTILE,
    ),
)
@FUZZ
def test_hostile_json_in_any_field_is_answered_never_crashes(runtime, slack, kind, fields):
    crashes = _crashes()
    raw = dumps({"type": kind, **fields}).decode()

    response = _post(slack.interactions, raw)

    assert response.status_code in (200, 400)
    if response.status_code == 400:
        assert response.json["error"].startswith("malformed request")
    assert _crashes() == crashes
