"""The local playground: a web page that acts as a Slack channel for CoffeeBuddy.

It drives the real functions through signed requests to the app's own Slack endpoints and
shows what the bot did by reading the local Slack Web API server, so the page sees exactly
what Slack would receive. Only mounted when the local run uses that server.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable

import flask

from local.playground.actions import Playground
from local.playground.clock import AdjustableClock, OffsetClock
from local.playground.payloads import Channel, Person
from local.playground.routes import PREFIX, build_blueprint
from local.playground.sender import SignedSender
from local.slack_api import SlackApiServer
from shared.runtime import Runtime
from shared.secrets import SLACK_SIGNING_SECRET

POLL_PATH = f"{PREFIX}/api/state"
__all__ = ["OffsetClock", "Playground", "mount_playground"]

CHANNEL = Channel(id="C0COFFEE", name="coffee")
log = logging.getLogger("coffeebuddy.local")


def mount_playground(
    app: flask.Flask,
    rt: Runtime,
    slack: SlackApiServer,
    *,
    clock: AdjustableClock,
    people: Iterable[tuple[str, str, str]],
    base_url: str,
    tick: Callable[[], None] | None = None,
) -> Playground:
    """Serve the page on ``app``; ``clock`` must be the runtime's clock (it signs requests).

    ``tick`` sends the PingSource tick after the clock moves (default: the embedded one).
    """
    if tick is None:
        from local.events import tick as send_tick

        def embedded_tick() -> None:
            send_tick(rt)

        tick = embedded_tick
    playground = Playground(
        slack=slack,
        sender=SignedSender(base_url, lambda: rt.secrets.get(SLACK_SIGNING_SECRET), clock),
        clock=clock,
        tick=tick,
        people=[Person(id=i, name=name, tz=tz) for i, name, tz in people],
        channel=CHANNEL,
        base_url=base_url,
    )
    app.register_blueprint(build_blueprint(playground))
    logging.getLogger("werkzeug").addFilter(_quiet_polling)
    log.info("playground is open", extra={"playground": f"{base_url}{PREFIX}/"})
    return playground


def _quiet_polling(record: logging.LogRecord) -> bool:
    """The page polls every second; one access-log line per poll would drown the rest."""
    return POLL_PATH not in record.getMessage()
