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


# The Broker's delivery spec (knative/base/eventing/brokers.yaml): retry 6, exponential
# backoff from 0.5 s. tests/platform checks these against the file.
BROKER_RETRIES = 6
BROKER_BACKOFF_SECONDS = 0.5


class Sleeps:
    """A stand-in for ``time.sleep`` that only records: waits in tests cost no time."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


class EventDeliverer:
    """Routes published events to function test clients until nothing new is published,
    retrying a 5xx or 429 answer the way the Broker's delivery spec says (the backoff is
    recorded in ``sleep``, not slept, unless a real sleep is given)."""

    def __init__(
        self,
        publisher: RecordingPublisher | None,
        routes: list[tuple[Any, frozenset[str]]],
        sleep: Any = None,
    ):
        self.publisher = publisher
        self.routes = routes
        self.delivered = 0
        self.responses: list[tuple[str, int]] = []
        self.sleep = sleep or Sleeps()
        self.retries = BROKER_RETRIES

    def post(self, event: Event) -> list[int]:
        headers, body = to_http(event)
        statuses = []
        for client, accepts in self.routes:
            if event.type in accepts:
                status = self._post_with_retries(client, event.type, headers, body)
                statuses.append(status)
        return statuses

    def _post_with_retries(self, client: Any, event_type: str, headers: Any, body: bytes) -> int:
        status = 0
        for attempt in range(self.retries + 1):
            if attempt:
                self.sleep(BROKER_BACKOFF_SECONDS * 2 ** (attempt - 1))
            status = client.post("/", data=body, headers=headers).status_code
            self.responses.append((event_type, status))
            if status < 500 and status != 429:
                break
        return status

    def run(self, max_rounds: int = 20) -> int:
        """Deliver every event published so far, and what those cause; returns the count."""
        start = self.delivered
        if not isinstance(self.publisher, RecordingPublisher):  # they travel through Kafka
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
