"""Closes runs and delivers to Slack: run.closed → runner, summary, DM; run.updated →
coalesced redraws; delivery.requested → notices and retries (Kafka Broker → this function)."""

import flask
import functions_framework

from shared.handlers.close_events import CLOSE_EVENTS, handle_close_event
from shared.web.event_endpoint import serve_event
from shared.web.flask_adapter import handle_flask
from shared.web.http import HttpRequest, HttpResponse
from shared.web.startup import start_function

RUNTIME = start_function("close")
ACCEPTS = CLOSE_EVENTS


def _endpoint(request: HttpRequest) -> HttpResponse:
    return serve_event(RUNTIME, request, accepts=ACCEPTS, handle=handle_close_event)


@functions_framework.http
def close(request: flask.Request) -> flask.Response:
    return handle_flask(request, _endpoint)
