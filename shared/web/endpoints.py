"""The HTTP surface every function shares: health, metrics, warm-up; verified Slack calls."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import TypeVar

from sqlalchemy.exc import SQLAlchemyError

from shared.db.engine import database_is_reachable
from shared.handlers.replies import SlackReply
from shared.observability.logging import correlation
from shared.observability.metrics import ERRORS, REQUESTS, render_metrics
from shared.runtime import Runtime
from shared.secrets import SLACK_SIGNING_SECRET
from shared.slack.payloads import PayloadError
from shared.slack.verification import signature_is_valid
from shared.web.http import HttpRequest, HttpResponse, json_response

log = logging.getLogger(__name__)

P = TypeVar("P")

SORRY = (
    "Sorry, something went wrong on our side. Check the channel before trying again: "
    "part of it may have gone through. (ref {ref})"
)


# A request here only wakes the pod: Knative starts one for it, the answer does no work.
# A Trigger sends `coffeebuddy.run.created` here on `interactions`, so the first order
# clicks on a new run meet a pod that is up or starting (knative/base/eventing/triggers.yaml).
WARM_UP_PATH = "/warm-up"


def serve_platform(rt: Runtime, request: HttpRequest) -> HttpResponse | None:
    """Answer the health, metrics and warm-up paths; None for anything else."""
    if request.path == WARM_UP_PATH:
        # Not counted in coffeebuddy_requests_total: the error-rate alerts divide by it.
        return HttpResponse(status=204, content_type="text/plain")
    if request.path == "/health/live":
        return json_response(200, {"status": "ok"})
    if request.path == "/health/ready":
        if database_is_reachable(rt.engine):
            return json_response(200, {"status": "ok", "database": "ok"})
        return json_response(503, {"status": "unavailable", "database": "unreachable"})
    if request.path == "/metrics":
        body, content_type = render_metrics()
        return HttpResponse(status=200, body=body, content_type=content_type)
    return None


def serve_slack[P](
    rt: Runtime,
    request: HttpRequest,
    *,
    kind: str,
    parse: Callable[[bytes], P],
    handle: Callable[[Runtime, P], SlackReply],
) -> HttpResponse:
    """Verify, parse and handle one Slack request, always with a clear answer."""
    platform = serve_platform(rt, request)
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
        try:
            payload = parse(request.body)
        except PayloadError as error:
            ERRORS.labels("bad_request").inc()
            log.warning("malformed Slack payload", extra={"kind": kind, "reason": str(error)})
            return json_response(400, {"ok": False, "error": f"malformed request: {error}"})
        try:
            reply = handle(rt, payload)
        except SQLAlchemyError:
            ERRORS.labels("database").inc()
            log.exception("database error", extra={"kind": kind})
            return _sorry(correlation_id)
        except Exception:
            ERRORS.labels("internal").inc()
            log.exception("unhandled error", extra={"kind": kind})
            return _sorry(correlation_id)
        body = b"" if reply.body is None else json.dumps(reply.body).encode()
        return HttpResponse(
            status=reply.status, body=body, headers={"X-Correlation-Id": correlation_id}
        )


def _sorry(correlation_id: str) -> HttpResponse:
    """Slack shows a 200 with an ephemeral text to the person; a 500 only says 'failed'."""
    return json_response(
        200,
        {"response_type": "ephemeral", "text": SORRY.format(ref=correlation_id)},
        {"X-Correlation-Id": correlation_id},
    )
