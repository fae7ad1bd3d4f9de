"""The ops API's one error shape, ``Problem`` in openapi.json: ``{"error": code, "message":
text}``, plus ``"errors"`` (a message per field) on a 422. Every refusal uses it, including
the ones decided before the API's own code runs (oversized headers or body, a path the web
framework answers itself).
"""

from __future__ import annotations

from collections.abc import Mapping

from shared.web.http import HttpResponse, json_response

CODES = {
    400: "bad_request",
    401: "invalid_token",
    403: "insufficient_scope",
    404: "not_found",
    405: "method_not_allowed",
    413: "payload_too_large",
    422: "invalid_input",
    431: "header_fields_too_large",
    500: "internal_error",
    503: "temporarily_unavailable",
}

# Header limits the API checks itself (gunicorn is configured to let twice as much through,
# shared/web/gunicorn_config.py, so these answers are always ours). A JWT access token is at
# most 8 KiB (shared.auth.tokens.MAX_TOKEN_CHARS), so one field of 16 KiB leaves it room.
MAX_HEADER_FIELD_BYTES = 16 * 1024
MAX_HEADER_BYTES = 32 * 1024
MAX_HEADER_FIELDS = 100


def problem(
    status: int,
    message: str,
    *,
    code: str | None = None,
    errors: Mapping[str, str] | None = None,
    headers: dict[str, str] | None = None,
) -> HttpResponse:
    body: dict[str, object] = {"error": code or CODES.get(status, "error"), "message": message}
    if errors is not None:
        body["errors"] = dict(errors)
    return json_response(status, body, headers)


def invalid(errors: Mapping[str, str]) -> HttpResponse:
    return problem(422, "some values are not valid; nothing was changed", errors=errors)


def body_too_large(limit: int) -> HttpResponse:
    return problem(413, f"the request body is larger than {limit} bytes")


def oversized_headers(headers: Mapping[str, str]) -> HttpResponse | None:
    """A 431 when the headers are beyond what the API reads, else None.

    Header names and values arrive as latin-1 text, so their lengths are their bytes.
    """
    sizes = [len(name) + 2 + len(value) for name, value in headers.items()]
    if len(sizes) > MAX_HEADER_FIELDS:
        return problem(431, f"more than {MAX_HEADER_FIELDS} header fields")
    if any(size > MAX_HEADER_FIELD_BYTES for size in sizes):
        return problem(431, f"a header field is larger than {MAX_HEADER_FIELD_BYTES} bytes")
    if sum(sizes) > MAX_HEADER_BYTES:
        return problem(431, f"the header fields are larger than {MAX_HEADER_BYTES} bytes together")
    return None


def framework_problem(status: int | None) -> HttpResponse:
    """An error the web framework raised before the API saw the request (functions-framework
    answers `/robots.txt` and `/favicon.ico` itself, for one)."""
    known = status if status is not None and 400 <= status <= 599 else 500
    messages = {404: "no such route", 405: "method not allowed"}
    return problem(known, messages.get(known, "the request could not be handled"))
