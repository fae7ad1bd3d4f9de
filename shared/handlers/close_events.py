"""Every CloudEvent the close function handles, and who handles it.

`close` is where CoffeeBuddy's Slack work happens after an answer: picking the runner,
the commands the slash intake handed on, admin-only clicks, and every delivery (redraws,
summaries, DMs, notices). knative/base/eventing/triggers.yaml routes exactly these types.
"""

from __future__ import annotations

from collections.abc import Callable

from shared.events import catalog
from shared.events.envelope import Event
from shared.handlers.admin_actions import handle_action
from shared.handlers.close_run import handle_run_closed
from shared.handlers.commands import handle_command
from shared.handlers.run_deliveries import handle_delivery_requested, handle_run_updated
from shared.runtime import Runtime

CLOSE_HANDLERS: dict[str, Callable[[Runtime, Event], None]] = {
    catalog.RUN_CLOSED: handle_run_closed,
    catalog.RUN_UPDATED: handle_run_updated,
    catalog.DELIVERY_REQUESTED: handle_delivery_requested,
    catalog.COMMAND_RECEIVED: handle_command,
    catalog.ACTION_REQUESTED: handle_action,
}
CLOSE_EVENTS = frozenset(CLOSE_HANDLERS)


def handle_close_event(rt: Runtime, event: Event) -> None:
    CLOSE_HANDLERS[event.type](rt, event)
