"""The HTTP surface of the event-driven functions: CloudEvents in, a status out.

Knative delivers each event as an HTTP request and retries on 5xx; so a transient
failure (database down) answers 500 and the event comes again, while an event that can
never be handled (bad envelope, wrong schema) is logged, counted and acknowledged with
202, so it never blocks the partition behind it.
"""

from __future__ import annotations

import logging
from functools import partial

import flask

from shared.delivery.postponed import DeliveryPostponedError
from shared.events.catalog import SchemaError
from shared.events.envelope import EnvelopeError, from_http_request
from shared.observability.logging import correlation
from shared.observability.metrics import ERRORS, REQUESTS
from shared.runtime import Runtime
from shared.web.endpoints import serve_platform
from shared.web.event_routes import EventRoutes
from shared.web.flask_adapter import handle_flask
from shared.web.http import HttpRequest, HttpResponse, json_response

log = logging.getLogger(__name__)


def serve_event(rt: Runtime, request: HttpRequest, routes: EventRoutes) -> HttpResponse:
    platform = serve_platform(rt, request)
    if platform is not None:
        return platform
    if request.method != "POST":
        return json_response(405, {"ok": False, "error": "use POST"}, {"Allow": "POST"})
    try:
        event = from_http_request(request.headers, request.body)
    except EnvelopeError as error:
        ERRORS.labels("event_envelope").inc()
        log.warning("not a CloudEvent; dropped", extra={"reason": str(error)})
        return json_response(400, {"ok": False, "error": str(error)})
    request_id = request.headers.get("x-request-id")
    with correlation(event.correlation_id or request_id, request_id=request_id, event_id=event.id):
        route = routes.get(event.type)
        if route is None:
            log.info(
                "event type not handled here",
                extra={"event_id": event.id, "event_type": event.type[:80]},
            )
            return json_response(202, {"ok": True, "handled": False})
        try:
            data = route.checked(event)
        except SchemaError as error:
            ERRORS.labels("event_schema").inc()
            log.warning(
                "event failed its schema; dropped",
                extra={"event_id": event.id, "reason": str(error)},
            )
            return json_response(202, {"ok": True, "handled": False, "error": str(error)})
        REQUESTS.labels("event").inc()
        log.info("event received", extra={"event_id": event.id, "event_type": event.type})
        try:
            route.handle(rt, data, event)
        except DeliveryPostponedError as waiting:
            log.warning(
                "slack unavailable; asking for redelivery",
                extra={"event_id": event.id, "reason": str(waiting)},
            )
            return json_response(
                503, {"ok": False, "error": "slack unavailable", "event_id": event.id}
            )
        except Exception:
            ERRORS.labels("event_handler").inc()
            log.exception(
                "event handling failed; asking for redelivery", extra={"event_id": event.id}
            )
            return json_response(
                500, {"ok": False, "error": "handler failed", "event_id": event.id}
            )
        return json_response(200, {"ok": True, "handled": True})


def serve_event_flask(rt: Runtime, request: flask.Request, routes: EventRoutes) -> flask.Response:
    """An event-driven function's whole entry point: the Flask request in, its answer out."""
    return handle_flask(request, partial(serve_event, rt, routes=routes))
