"""Reminders: run events schedule, PingSource ticks claim, reminder.due events send DMs."""

import flask
import functions_framework

from shared.events import catalog
from shared.handlers import reminder_events
from shared.web.event_endpoint import serve_event_flask
from shared.web.event_routes import On, routes
from shared.web.startup import start_function

RUNTIME = start_function("reminders")
ROUTES = routes(
    On(catalog.RunCreated, reminder_events.follow_run),  # schedule its reminders
    On(catalog.RunUpdated, reminder_events.follow_run),  # cancel them if it ended
    On(catalog.RunFailed, reminder_events.follow_run),
    On(catalog.ReminderDue, reminder_events.deliver_reminder),  # the DM (or last call)
    On(catalog.Tick, reminder_events.on_tick),  # auto-close, claim due, sweep
)


@functions_framework.http
def reminders(request: flask.Request) -> flask.Response:
    return serve_event_flask(RUNTIME, request, ROUTES)
