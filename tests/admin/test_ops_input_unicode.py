"""What tests/admin/test_ops_input.py's Unicode leaves out: lone surrogates (JSON escapes
them, "\\ud800") in keys, values and the query string."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from shared.admin.ops_input import audit_limit, json_object
from shared.channels.config import validate_changes
from shared.web.http import HttpResponse
from tests.support.hostile_text import ANY_CHARACTER, TYPED

MANY = settings(max_examples=200, deadline=None)
TEXT = TYPED | st.text(ANY_CHARACTER, max_size=20)


@given(body=st.dictionaries(TEXT, TEXT | st.integers() | st.none() | st.booleans(), max_size=4))
@MANY
def test_a_body_with_any_code_point_is_typed_or_explained(body):
    parsed = json_object(json.dumps(body).encode())  # ensure_ascii: \udXXX escapes

    assert isinstance(parsed, dict)
    changes, errors = validate_changes(parsed)
    assert set(changes) | set(errors) == {key[:64] for key in body}
    json.dumps(errors)  # the 422's body can always be written


@given(query=TEXT)
@MANY
def test_a_query_with_any_code_point_is_a_limit_or_a_422(query: str):
    result = audit_limit(query)

    assert (isinstance(result, int) and 1 <= result <= 200) or (
        isinstance(result, HttpResponse) and result.status == 422
    )
