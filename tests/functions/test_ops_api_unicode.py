"""The ops API with what its Unicode fuzzing left out: lone surrogates, which a JSON body
can carry as escapes ("\\ud800") in any key or value and no UTF-8 encoder accepts."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import Session, select

from shared.db.models import ChannelAdminAction
from tests.support.hostile_text import ANY_CHARACTER, TYPED
from tests.support.slack_requests import CHANNEL

FUZZ = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
NAMES = st.sampled_from(["reminder_offset_minutes", "auto_close_minutes", "enabled"]) | st.text(
    ANY_CHARACTER, max_size=12
)


@pytest.fixture
def call(admin_call):
    # ensure_ascii: a lone surrogate travels as \\udXXX
    return lambda method, path, body: admin_call(method, path, data=json.dumps(body).encode())


@given(body=st.dictionaries(NAMES, TYPED | st.text(ANY_CHARACTER, max_size=8), max_size=3))
@FUZZ
def test_a_patch_with_any_code_point_is_applied_or_a_422(call, runtime, body):
    response = call("PATCH", f"/admin/channels/{CHANNEL}", body)

    assert response.mimetype == "application/json"
    assert response.status_code in (200, 422), response.get_json()
    if response.status_code == 422:
        problem = response.get_json()
        assert problem["error"] == "invalid_input" and problem["errors"]
    with Session(runtime.engine) as session:
        for row in session.exec(select(ChannelAdminAction)).all():
            json.dumps(row.details).encode("utf-8")  # what was audited can be read back


@given(confirm=st.text(ANY_CHARACTER, max_size=12))
@FUZZ
def test_a_reset_confirmed_with_any_code_point_is_answered(call, confirm):
    response = call("POST", f"/admin/channels/{CHANNEL}/reset", {"confirm": confirm})

    assert response.mimetype == "application/json"
    assert response.status_code in (200, 422), response.get_json()
