"""Reminders: run events schedule, PingSource ticks claim, reminder.due events send DMs."""

import flask
import functions_framework

from shared.events import catalog
from shared.handlers.reminder_events import RUN_EVENTS, handle_reminder_event
from shared.web.event_endpoint import serve_event
from shared.web.flask_adapter import handle_flask
from shared.web.http import HttpRequest, HttpResponse
from shared.web.startup import start_function

RUNTIME = start_function("reminders")
ACCEPTS = RUN_EVENTS | {catalog.TICK, catalog.REMINDER_DUE}


def _endpoint(request: HttpRequest) -> HttpResponse:
    return serve_event(RUNTIME, request, accepts=ACCEPTS, handle=handle_reminder_event)


@functions_framework.http
def reminders(request: flask.Request) -> flask.Response:
    return handle_flask(request, _endpoint)
