"""Closes runs and delivers to Slack: run.closed → runner, summary, DM; run.updated →
coalesced redraws; the commands and admin clicks handed on; every Slack write after an
answer (Kafka Broker Triggers → this function; shared/handlers/close_events.py)."""

import flask
import functions_framework

from shared.handlers.close_events import CLOSE_ROUTES
from shared.web.event_endpoint import serve_event_flask
from shared.web.startup import start_function

RUNTIME = start_function("close")
ROUTES = CLOSE_ROUTES


@functions_framework.http
def close(request: flask.Request) -> flask.Response:
    return serve_event_flask(RUNTIME, request, ROUTES)
