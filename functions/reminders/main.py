"""Reminders: run events schedule, PingSource ticks claim, reminder.due events send DMs."""

import flask
import functions_framework

from shared.handlers.reminder_events import REMINDER_ROUTES
from shared.web.event_endpoint import serve_event_flask
from shared.web.startup import start_function

RUNTIME = start_function("reminders")
ROUTES = REMINDER_ROUTES


@functions_framework.http
def reminders(request: flask.Request) -> flask.Response:
    return serve_event_flask(RUNTIME, request, ROUTES)
