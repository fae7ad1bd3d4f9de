"""Event plumbing for tests: a recording publisher and a deliverer that plays Knative.

The deliverer posts each published event to the functions that accept it, over HTTP in
binary content mode, exactly as a KafkaSource or Trigger would.
"""

from __future__ import annotations

import threading
from typing import Any

from shared.events.catalog import TICK
from shared.events.envelope import Event, to_http
from shared.events.publisher import PublishError


class RecordingPublisher:
    def __init__(self) -> None:
        self.events: list[Event] = []
        self.down = False
        self._lock = threading.Lock()

    def publish(self, event: Event) -> None:
        if self.down:
            raise PublishError("broker unavailable")
        with self._lock:
            self.events.append(event)

    def of_type(self, event_type: str) -> list[Event]:
        return [e for e in self.events if e.type == event_type]


class EventDeliverer:
    """Routes published events to function test clients until nothing new is published."""

    def __init__(
        self, publisher: RecordingPublisher | None, routes: list[tuple[Any, frozenset[str]]]
    ):
        self.publisher = publisher
        self.routes = routes
        self.delivered = 0
        self.responses: list[tuple[str, int]] = []

    def post(self, event: Event) -> list[int]:
        headers, body = to_http(event)
        statuses = []
        for client, accepts in self.routes:
            if event.type in accepts:
                response = client.post("/", data=body, headers=headers)
                statuses.append(response.status_code)
                self.responses.append((event.type, response.status_code))
        return statuses

    def run(self, max_rounds: int = 20) -> int:
        """Deliver every event published so far, and what those cause; returns the count."""
        start = self.delivered
        if self.publisher is None:  # events travel through Kafka instead
            return 0
        for _ in range(max_rounds):
            pending = self.publisher.events[self.delivered :]
            if not pending:
                break
            for event in pending:
                self.post(event)
                self.delivered += 1
        return self.delivered - start

    def tick(self, clock: Any) -> None:
        """A PingSource tick to the reminders function, then deliver what it caused."""
        self.post(Event(type=TICK, subject="", data={}, source="/pingsource", time=clock.now()))
        self.run()
