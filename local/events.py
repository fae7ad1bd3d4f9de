"""The embedded stand-in for Kafka, Knative Eventing (Broker + Triggers) and PingSource.

Events published in this process are delivered by the in-process bus to the close and
reminders functions' own endpoint code (``serve_event``, as a CloudEvent over "HTTP"),
and a ticker thread sends the PingSource's per-minute tick.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable

from shared.events import catalog
from shared.events.envelope import Event, to_http
from shared.runtime import Runtime
from shared.web.event_endpoint import serve_event
from shared.web.event_routes import EventRoutes
from shared.web.http import HttpRequest

log = logging.getLogger(__name__)

Handler = Callable[[Event], None]


class InProcessBus:
    """Delivers each published event to the subscribed handlers on a worker thread.

    The embedded stand-in for Kafka plus Knative's Broker and Triggers: asynchronous like them,
    so a Slack request never waits for the close or reminder work it caused.
    """

    def __init__(self) -> None:
        self._handlers: list[tuple[frozenset[str], Handler]] = []
        self._queue: queue.Queue[Event | None] = queue.Queue()
        self._worker: threading.Thread | None = None

    def subscribe(self, types: set[str] | frozenset[str], handler: Handler) -> None:
        self._handlers.append((frozenset(types), handler))

    def publish(self, event: Event) -> None:
        self._queue.put(event)

    def start(self) -> None:
        if self._worker is None:
            self._worker = threading.Thread(target=self._run, name="event-bus", daemon=True)
            self._worker.start()

    def stop(self) -> None:
        if self._worker is not None:
            self._queue.put(None)
            self._worker.join(timeout=10)
            self._worker = None

    def _run(self) -> None:
        while True:
            event = self._queue.get()
            if event is None:
                self._queue.task_done()
                return
            self._deliver(event)
            self._queue.task_done()

    def _deliver(self, event: Event) -> None:
        for types, handler in self._handlers:
            if event.type in types:
                try:
                    handler(event)
                except Exception:
                    log.exception("event handler failed", extra={"event_id": event.id})


def _as_request(event: Event) -> HttpRequest:
    headers, body = to_http(event)
    return HttpRequest(
        method="POST", path="/", headers={k.lower(): v for k, v in headers.items()}, body=body
    )


def _deliverer(rt: Runtime, routes: EventRoutes) -> Callable[[Event], None]:
    def deliver(event: Event) -> None:
        response = serve_event(rt, _as_request(event), routes)
        if response.status >= 500:
            log.warning("local delivery failed; the tick's sweep retries what Slack did not take")

    return deliver


def wire_bus(rt: Runtime, bus: InProcessBus) -> None:
    """Each event-driven function's own routes, as its Knative Triggers deliver them."""
    import functions.close.main as close
    import functions.reminders.main as reminders

    for routes in (close.ROUTES, reminders.ROUTES):
        bus.subscribe(frozenset(routes), _deliverer(rt, routes))


def tick(rt: Runtime) -> None:
    event = Event(
        type=catalog.TICK, subject="", data={}, source="/local/ticker", time=rt.clock.now()
    )
    import functions.reminders.main as reminders

    serve_event(rt, _as_request(event), reminders.ROUTES)


class Ticker:
    """Sends a tick every ``interval`` seconds until stopped."""

    def __init__(self, rt: Runtime, interval: float) -> None:
        self._rt = rt
        self._interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="ticker", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(self._interval):
            try:
                tick(self._rt)
            except Exception:
                log.exception("tick failed")

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
