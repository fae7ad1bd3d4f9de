"""The ops API end to end under arbitrary input: any path, query or JSON body gets a JSON
answer documented in openapi.json, never a 500 or an HTML page."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.support.hostile_json import JSON_VALUES, UNICODE, dumps
from tests.support.slack_requests import CHANNEL

OPENAPI = json.loads(
    (Path(__file__).resolve().parents[2] / "shared" / "admin" / "openapi.json").read_text()
)
FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture
def call(admin_call):
    return admin_call


def _documented(response, method: str, path: str, ok: set[int]) -> None:
    assert response.mimetype == "application/json", response.data[:200]
    body = response.get_json()
    if response.status_code in ok:
        return
    responses = OPENAPI["paths"][path][method.lower()]["responses"]
    assert str(response.status_code) in responses, (response.status_code, body)
    assert response.status_code != 500, body
    assert isinstance(body["error"], str) and isinstance(body["message"], str)


@given(body=JSON_VALUES)
@FUZZ
def test_any_json_patch_is_answered_as_documented(call, body):
    response = call("PATCH", f"/admin/channels/{CHANNEL}", data=dumps(body))

    _documented(response, "PATCH", "/admin/channels/{channel_id}", ok={200})


@given(body=JSON_VALUES)
@FUZZ
def test_any_json_reset_is_answered_as_documented(call, body):
    response = call("POST", f"/admin/channels/{CHANNEL}/reset", data=dumps(body))

    _documented(response, "POST", "/admin/channels/{channel_id}/reset", ok={200})


@given(query=UNICODE)
@FUZZ
def test_any_audit_query_is_answered_as_documented(call, query):
    response = call("GET", f"/admin/channels/{CHANNEL}/audit?{quote(query, safe='=&')}")

    _documented(response, "GET", "/admin/channels/{channel_id}/audit", ok={200})


@given(suffix=UNICODE, method=st.sampled_from(["GET", "PATCH", "POST", "DELETE", "PUT"]))
@FUZZ
def test_any_path_gets_a_json_answer(call, suffix, method):
    response = call(method, "/admin/" + quote(suffix, safe="/"), data=b"{}")

    assert response.mimetype == "application/json", response.data[:200]
    assert response.status_code in (200, 404, 405, 422), response.get_json()
