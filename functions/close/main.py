"""Closes runs: run.closed CloudEvents (KafkaSource → this function) → runner, summary, DM."""

import flask
import functions_framework

from shared.events.catalog import RUN_CLOSED
from shared.handlers.close_run import handle_run_closed
from shared.web.event_endpoint import serve_event
from shared.web.flask_adapter import handle_flask
from shared.web.http import HttpRequest, HttpResponse
from shared.web.startup import start_function

RUNTIME = start_function("close")
ACCEPTS = frozenset({RUN_CLOSED})


def _endpoint(request: HttpRequest) -> HttpResponse:
    return serve_event(RUNTIME, request, accepts=ACCEPTS, handle=handle_run_closed)


@functions_framework.http
def close(request: flask.Request) -> flask.Response:
    return handle_flask(request, _endpoint)
