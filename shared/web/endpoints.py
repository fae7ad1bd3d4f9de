"""The HTTP surface every Slack-facing function shares: health, metrics, verified Slack calls."""

from __future__ import annotations

import logging
from collections.abc import Callable

from sqlalchemy.exc import SQLAlchemyError

from shared.db.engine import database_is_reachable
from shared.handlers.replies import SlackReply
from shared.observability.logging import correlation
from shared.observability.metrics import ERRORS
from shared.runtime import Runtime
from shared.slack.response_url import send_to_response_url
from shared.web.http import HttpRequest, HttpResponse, json_response
from shared.web.platform import READY, serve_live_or_metrics
from shared.web.slack_gate import Refused, admit, as_response, sorry_reply

log = logging.getLogger(__name__)


def serve_platform(rt: Runtime, request: HttpRequest) -> HttpResponse | None:
    """Answer the health and metrics paths; None for anything else."""
    if request.path == READY:
        if database_is_reachable(rt.engine):
            return json_response(200, {"status": "ok", "database": "ok"})
        return json_response(503, {"status": "unavailable", "database": "unreachable"})
    return serve_live_or_metrics(request)


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
        admitted = admit(request, kind=kind, parse=parse, secrets=rt.secrets, clock=rt.clock)
        if isinstance(admitted, Refused):
            return admitted.response
        return answer(rt, admitted, kind=kind, handle=handle, correlation_id=correlation_id)


def answer[P](
    rt: Runtime,
    payload: P,
    *,
    kind: str,
    handle: Callable[[Runtime, P], SlackReply],
    correlation_id: str,
) -> HttpResponse:
    """The handler's reply as the HTTP answer; a failure is a 200 'sorry' with a reference."""
    reply = _handled(rt, payload, kind=kind, handle=handle) or sorry_reply(correlation_id)
    return as_response(reply, correlation_id)


def finish_later[P](
    rt: Runtime,
    payload: P,
    *,
    kind: str,
    handle: Callable[[Runtime, P], SlackReply],
    correlation_id: str,
    response_url: str,
) -> None:
    """Handle a request already answered: a reply with a body goes to its response_url."""
    reply = _handled(rt, payload, kind=kind, handle=handle) or sorry_reply(correlation_id)
    if reply.body is not None:
        send_to_response_url(response_url, reply.body, slack_api_url=rt.settings.slack_api_url)


def _handled[P](
    rt: Runtime, payload: P, *, kind: str, handle: Callable[[Runtime, P], SlackReply]
) -> SlackReply | None:
    """The handler's reply; None when it failed (counted and logged)."""
    try:
        return handle(rt, payload)
    except SQLAlchemyError:
        ERRORS.labels("database").inc()
        log.exception("database error", extra={"kind": kind})
    except Exception:
        ERRORS.labels("internal").inc()
        log.exception("unhandled error", extra={"kind": kind})
    return None
