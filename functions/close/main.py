"""Closes runs and makes every Slack write that follows an answer (the Kafka Broker's
Triggers → this function): the runner pick, the commands the slash intake handed on,
admin-only clicks, and coalesced redraws, summaries, DMs and notes (shared/delivery)."""

import flask
import functions_framework

from shared.events import catalog
from shared.handlers import admin_actions, close_run, commands, run_deliveries
from shared.web.event_endpoint import serve_event_flask
from shared.web.event_routes import On, routes
from shared.web.startup import start_function

RUNTIME = start_function("close")
ROUTES = routes(
    On(catalog.RunClosed, close_run.handle_run_closed),  # pick the runner, then deliver
    On(catalog.CommandReceived, commands.handle_command),  # start a run, stats, admin
    On(catalog.ActionRequested, admin_actions.handle_action),  # admin-only clicks
    On(catalog.RunUpdated, run_deliveries.handle_run_updated),  # redraw what changed
    On(catalog.DeliveryRequested, run_deliveries.handle_delivery_requested),
)


@functions_framework.http
def close(request: flask.Request) -> flask.Response:
    return serve_event_flask(RUNTIME, request, ROUTES)
