"""functions-framework hands us a Flask request; this is the only place that knows it."""

from __future__ import annotations

from collections.abc import Callable

import flask
from werkzeug.exceptions import RequestEntityTooLarge

from shared.web.http import HttpRequest, HttpResponse

MAX_BODY_BYTES = 1 << 20
TOO_LARGE = HttpResponse(status=413, body=b'{"ok": false, "error": "request too large"}')


def from_flask(
    request: flask.Request, *, too_large: HttpResponse = TOO_LARGE
) -> HttpRequest | HttpResponse:
    """The plain request, or `too_large` when the body is larger than any Slack payload."""
    if (request.content_length or 0) > MAX_BODY_BYTES:
        return too_large
    # Also bounds a chunked body, which has no Content-Length to check first.
    request.max_content_length = MAX_BODY_BYTES
    try:
        body = request.get_data(cache=True)
    except RequestEntityTooLarge:
        return too_large
    if len(body) > MAX_BODY_BYTES:
        return too_large
    headers = {name.lower(): value for name, value in request.headers.items()}
    return HttpRequest(
        method=request.method,
        path=request.path,
        headers=headers,
        body=body,
        query=request.query_string.decode("latin-1"),
    )


def to_flask(response: HttpResponse) -> flask.Response:
    result = flask.Response(
        response.body, status=response.status, content_type=response.content_type
    )
    for name, value in response.headers.items():
        result.headers[name] = value
    return result


def handle_flask(
    request: flask.Request,
    endpoint: Callable[[HttpRequest], HttpResponse],
    *,
    too_large: HttpResponse = TOO_LARGE,
) -> flask.Response:
    plain = from_flask(request, too_large=too_large)
    return to_flask(plain if isinstance(plain, HttpResponse) else endpoint(plain))
