"""Every CloudEvent the close function handles, and who handles it.

`close` is where CoffeeBuddy's Slack work happens after an answer: picking the runner,
the commands the slash intake handed on, admin-only clicks, and every delivery (redraws,
summaries, DMs, notices). knative/base/eventing/triggers.yaml routes exactly these types.
"""

from __future__ import annotations

from shared.events import catalog
from shared.handlers.admin_actions import handle_action
from shared.handlers.close_run import handle_run_closed
from shared.handlers.commands import handle_command
from shared.handlers.run_deliveries import handle_delivery_requested, handle_run_updated
from shared.web.event_routes import On, routes

CLOSE_ROUTES = routes(
    On(catalog.RunClosed, handle_run_closed),
    On(catalog.RunUpdated, handle_run_updated),
    On(catalog.DeliveryRequested, handle_delivery_requested),
    On(catalog.CommandReceived, handle_command),
    On(catalog.ActionRequested, handle_action),
)
