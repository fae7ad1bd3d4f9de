"""A verified Slack request, always with a clear answer: signature, parse, handle.

Light on purpose (no database or Slack client imports): the slash intake's cold start
is this module plus what its handler needs.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from functools import partial
from typing import Protocol, TypeVar

import flask

from shared.clock import Clock
from shared.observability.logging import correlation
from shared.observability.metrics import ERRORS, REQUESTS
from shared.secrets import SLACK_SIGNING_SECRET, SecretProvider
from shared.slack.payloads import PayloadError
from shared.slack.replies import SlackReply
from shared.slack.verification import signature_is_valid
from shared.web.flask_adapter import handle_flask
from shared.web.http import HttpRequest, HttpResponse, json_response
from shared.web.platform import Readiness, serve_platform

log = logging.getLogger(__name__)

P = TypeVar("P")

SORRY = (
    "Sorry, something went wrong on our side. Check the channel before trying again: "
    "part of it may have gone through. (ref {ref})"
)

UNREADABLE = "the payload could not be read"


class SlackFacing(Protocol):
    """What answering Slack needs of a function's runtime."""

    @property
    def secrets(self) -> SecretProvider: ...

    @property
    def clock(self) -> Clock: ...

    def readiness(self) -> dict[str, str]: ...


def serve_slack[R: SlackFacing, P](
    rt: R,
    request: HttpRequest,
    *,
    kind: str,
    parse: Callable[[bytes], P],
    handle: Callable[[R, P], SlackReply],
    first_time: Callable[[R, str], bool] | None = None,
    apologize: Callable[[R, P, str], SlackReply] | None = None,
) -> HttpResponse:
    """Verify, parse and handle one Slack request, always with a clear answer.

    A failure of ours is apologised for where Slack shows it: ``apologize(rt, payload,
    text)`` (a modal's ``response_action``, a note where a button was clicked); without it,
    the answer's body (what a slash command shows).

    ``first_time(rt, signature)`` says whether this signed request was seen before: a
    replay of it (inside the 5 minutes a signature stays fresh) is answered and ignored."""
    ready: Readiness = rt.readiness
    platform = serve_platform(request, ready=ready)
    if platform is not None:
        return platform
    request_id = request.headers.get("x-request-id")
    incoming = request.headers.get("x-correlation-id") or request_id
    with correlation(incoming, request_id=request_id) as correlation_id:
        if request.method != "POST":
            return json_response(405, {"ok": False, "error": "use POST"}, {"Allow": "POST"})
        if not signature_is_valid(
            signing_secret=rt.secrets.get(SLACK_SIGNING_SECRET),
            body=request.body,
            headers=request.headers,
            clock=rt.clock,
        ):
            ERRORS.labels("signature").inc()
            log.warning("request refused: bad or missing Slack signature", extra={"kind": kind})
            return json_response(401, {"ok": False, "error": "invalid signature"})
        REQUESTS.labels(kind).inc()
        if first_time is not None and not first_time(rt, request.headers["x-slack-signature"]):
            ERRORS.labels("replay").inc()
            log.warning("replayed Slack request ignored", extra={"kind": kind})
            return HttpResponse(status=200, headers={"X-Correlation-Id": correlation_id})
        try:
            payload = parse(request.body)
        except PayloadError as error:
            return _malformed(kind, str(error))
        except Exception:  # the parser met a shape it didn't foresee: still the body's fault
            log.warning("unreadable Slack payload", extra={"kind": kind}, exc_info=True)
            return _malformed(kind, UNREADABLE)
        try:
            reply = handle(rt, payload)
        except Exception as error:
            if _from_the_database(error):
                ERRORS.labels("database").inc()
                log.exception("database error", extra={"kind": kind})
            else:
                ERRORS.labels("internal").inc()
                log.exception("unhandled error", extra={"kind": kind})
            text = SORRY.format(ref=correlation_id)
            if apologize is None:
                return _sorry(correlation_id)
            try:
                reply = apologize(rt, payload, text)
            except Exception:  # the apology needs what just failed (the database, say)
                log.exception("could not apologise", extra={"kind": kind})
                return _sorry(correlation_id)
        body = b"" if reply.body is None else json.dumps(reply.body).encode()
        return HttpResponse(
            status=reply.status, body=body, headers={"X-Correlation-Id": correlation_id}
        )


def _malformed(kind: str, reason: str) -> HttpResponse:
    ERRORS.labels("bad_request").inc()
    log.warning("malformed Slack payload", extra={"kind": kind, "reason": reason})
    return json_response(400, {"ok": False, "error": f"malformed request: {reason}"})


def _from_the_database(error: BaseException) -> bool:
    """SQLAlchemy's or the driver's errors, told apart without importing either."""
    return type(error).__module__.split(".", 1)[0] in ("sqlalchemy", "psycopg", "sqlite3")


def _sorry(correlation_id: str) -> HttpResponse:
    """Slack shows a 200 with an ephemeral text to the person; a 500 only says 'failed'."""
    return json_response(
        200,
        {"response_type": "ephemeral", "text": SORRY.format(ref=correlation_id)},
        {"X-Correlation-Id": correlation_id},
    )


def serve_slack_flask[R: SlackFacing, P](
    rt: R,
    request: flask.Request,
    *,
    kind: str,
    parse: Callable[[bytes], P],
    handle: Callable[[R, P], SlackReply],
    first_time: Callable[[R, str], bool] | None = None,
    apologize: Callable[[R, P, str], SlackReply] | None = None,
) -> flask.Response:
    """A Slack-facing function's whole entry point: the Flask request in, its answer out."""
    serve = partial(
        serve_slack,
        rt,
        kind=kind,
        parse=parse,
        handle=handle,
        first_time=first_time,
        apologize=apologize,
    )
    return handle_flask(request, serve)
