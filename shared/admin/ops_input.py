"""Reading what an operator sends: the JSON body and the query string, never raising.

Every input becomes a value or a Problem response (400, 413, 422); the property tests in
tests/admin/test_ops_input.py feed these arbitrary bytes, Unicode and JSON.
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import parse_qs

from shared.admin.ops_errors import body_too_large, invalid, problem
from shared.web.http import HttpResponse

MAX_BODY = 16 * 1024
# Longer integers can be in no setting's range: read as ±infinity, they fail validation (422)
# instead of meeting Python's int-conversion limit (4300 digits) as an exception.
MAX_INTEGER_DIGITS = 30
_ASCII_DIGITS = re.compile(r"[0-9]{1,3}")


def _integer(literal: str) -> int | float:
    if len(literal.lstrip("-")) > MAX_INTEGER_DIGITS:
        return float("-inf") if literal.startswith("-") else float("inf")
    return int(literal)


def json_object(raw: bytes) -> dict[str, Any] | HttpResponse:
    """The body as a JSON object (empty means `{}`), or why it isn't one."""
    if len(raw) > MAX_BODY:
        return body_too_large(MAX_BODY)
    try:
        value = json.loads(raw.decode("utf-8") or "{}", parse_int=_integer)
    except (ValueError, RecursionError):  # UnicodeDecodeError and JSONDecodeError included
        return problem(400, "the body must be a JSON object (UTF-8, not nested too deeply)")
    if not isinstance(value, dict):
        return problem(400, "the body must be a JSON object")
    return value


def audit_limit(query: str, *, default: int = 50, most: int = 200) -> int | HttpResponse:
    """`limit` from the query string: ASCII digits 1..`most`; absent means `default`."""
    values = parse_qs(query, keep_blank_values=True).get("limit")
    if not values:
        return default
    raw = values[0]
    if _ASCII_DIGITS.fullmatch(raw) and 1 <= int(raw) <= most:
        return int(raw)
    return invalid({"limit": f"limit must be a whole number from 1 to {most}."})
