"""The checks every Slack request passes before any handler sees it, and the answers.

Method, signature (over the raw bytes) and payload shape; then a handler's reply as HTTP.
Light on purpose (no database or Slack client import): the slash function runs this
before its Runtime exists (see :mod:`shared.web.slack_intake`).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable

from shared.clock import Clock
from shared.handlers.replies import SlackReply
from shared.observability.metrics import ERRORS, REQUESTS
from shared.secrets import SLACK_SIGNING_SECRET, SecretProvider
from shared.slack.payloads import PayloadError
from shared.slack.verification import signature_is_valid
from shared.web.http import HttpRequest, HttpResponse, json_response

log = logging.getLogger(__name__)

SORRY = (
    "Sorry, something went wrong on our side. Check the channel before trying again: "
    "part of it may have gone through. (ref {ref})"
)


class Refused:
    """A request turned away before any handler: the answer to give."""

    def __init__(self, response: HttpResponse) -> None:
        self.response = response


def admit[P](
    request: HttpRequest,
    *,
    kind: str,
    parse: Callable[[bytes], P],
    secrets: SecretProvider,
    clock: Clock,
) -> P | Refused:
    """The parsed payload of a genuine Slack POST, or the answer refusing it (405/401/400)."""
    if request.method != "POST":
        return Refused(json_response(405, {"ok": False, "error": "use POST"}, {"Allow": "POST"}))
    if not signature_is_valid(
        signing_secret=secrets.get(SLACK_SIGNING_SECRET),
        body=request.body,
        headers=request.headers,
        clock=clock,
    ):
        ERRORS.labels("signature").inc()
        log.warning("request refused: bad or missing Slack signature", extra={"kind": kind})
        return Refused(json_response(401, {"ok": False, "error": "invalid signature"}))
    REQUESTS.labels(kind).inc()
    try:
        return parse(request.body)
    except PayloadError as error:
        ERRORS.labels("bad_request").inc()
        log.warning("malformed Slack payload", extra={"kind": kind, "reason": str(error)})
        return Refused(json_response(400, {"ok": False, "error": f"malformed request: {error}"}))


def sorry_reply(correlation_id: str) -> SlackReply:
    """Slack shows a 200 with an ephemeral text to the person; a 500 only says 'failed'."""
    return SlackReply(body={"response_type": "ephemeral", "text": SORRY.format(ref=correlation_id)})


def as_response(reply: SlackReply, correlation_id: str) -> HttpResponse:
    body = b"" if reply.body is None else json.dumps(reply.body).encode()
    return HttpResponse(
        status=reply.status, body=body, headers={"X-Correlation-Id": correlation_id}
    )
