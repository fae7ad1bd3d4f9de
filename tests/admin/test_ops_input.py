"""Property tests of what the ops API reads: any bytes, any Unicode, any JSON gives a value or
a 400/413/422 Problem, never an exception."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

from hypothesis import given, settings
from hypothesis import strategies as st

from shared.admin.ops_input import MAX_BODY, audit_limit, json_object
from shared.channels.config import RANGES, SWITCHES, validate_changes
from shared.web.http import HttpResponse
from tests.support.hostile_json import DIGITS_ANYWHERE, HUGE, JSON_VALUES, UNICODE, Huge, dumps

MANY = settings(max_examples=200, deadline=None)


def _refusal(result: object, *statuses: int) -> None:
    assert isinstance(result, HttpResponse)
    assert result.status in statuses
    body = json.loads(result.body)
    assert isinstance(body["error"], str) and isinstance(body["message"], str)


@given(raw=st.binary(max_size=MAX_BODY + 64))
@MANY
def test_any_bytes_are_an_object_or_a_400_or_413(raw: bytes):
    result = json_object(raw)

    if not isinstance(result, dict):
        _refusal(result, 400, 413)


@given(value=JSON_VALUES)
@MANY
def test_any_json_is_an_object_or_a_400(value: Any):
    raw = dumps(value)
    result = json_object(raw)

    if len(raw) > MAX_BODY:
        _refusal(result, 413)
    elif isinstance(value, dict):
        assert isinstance(result, dict)
        assert set(result) == {json.loads(json.dumps(key)) for key in value}
    else:
        _refusal(result, 400)


@given(depth=st.integers(min_value=1, max_value=5000), opener=st.sampled_from(["[", '{"a":']))
@settings(max_examples=60, deadline=None)
def test_deep_nesting_is_an_object_or_a_400(depth: int, opener: str):
    closer = "]" if opener == "[" else "}"
    raw = ("{" + '"x":' + opener * depth + "1" + closer * depth + "}").encode()

    result = json_object(raw)

    if not isinstance(result, dict):
        _refusal(result, 400, 413)


@given(value=JSON_VALUES, field=st.sampled_from([*RANGES, *SWITCHES]))
@MANY
def test_any_setting_value_is_typed_or_explained(value: Any, field: str):
    body = json_object(dumps({field: value}))
    if isinstance(body, HttpResponse):
        return  # too large

    changes, errors = validate_changes(body)

    assert set(changes) | set(errors) == {field}
    if field in changes and field in RANGES and changes[field] is not None:
        low, high, _ = RANGES[field]
        number = changes[field]
        assert isinstance(number, int) and not isinstance(number, bool)
        assert low <= number <= high


@given(text=DIGITS_ANYWHERE | UNICODE)
@MANY
def test_a_typed_number_is_only_ever_ascii_digits(text: str):
    changes, errors = validate_changes({"reminder_offset_minutes": text})

    stripped = text.strip()
    if changes:
        assert stripped.isascii() and stripped.isdigit() and 1 <= int(stripped) <= 60
    else:
        assert errors


@given(query=UNICODE | st.builds(lambda v: urlencode({"limit": v}), DIGITS_ANYWHERE | UNICODE))
@MANY
def test_any_query_string_is_a_limit_or_a_422(query: str):
    result = audit_limit(query)

    if isinstance(result, int):
        assert 1 <= result <= 200
    else:
        _refusal(result, 422)


@given(limit=st.integers(min_value=-(10**6), max_value=10**6))
@MANY
def test_a_limit_is_accepted_exactly_when_it_is_1_to_200(limit: int):
    result = audit_limit(urlencode({"limit": str(limit)}))

    assert result == limit if 1 <= limit <= 200 else isinstance(result, HttpResponse)


@given(value=HUGE)
@settings(max_examples=20, deadline=None)
def test_a_limit_longer_than_ints_can_read_is_a_422(value: Huge):
    _refusal(audit_limit(urlencode({"limit": value.literal()})), 422)
