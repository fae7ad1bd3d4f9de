"""Where events go: Kafka in production and tests, an in-process bus in the embedded run."""

from __future__ import annotations

import logging
import os
import threading
import weakref
from functools import partial
from typing import Any, Protocol

from shared.events.envelope import Event, to_kafka
from shared.events.topics import topic_for

log = logging.getLogger(__name__)

# A Slack-facing request publishes after its commit and must still answer within ~2 s:
# with the broker down it gives up after this long and leaves the event to the sweep.
FLUSH_TIMEOUT_SECONDS = 1.0
KAFKA_LOG = logging.getLogger("kafka")


class PublishError(Exception):
    """The event was not accepted; it stays in the outbox."""


class EventPublisher(Protocol):
    def publish(self, event: Event) -> None:
        """Deliver durably or raise PublishError."""
        ...


class KafkaPublisher:
    """confluent-kafka producer; ``publish`` returns once every in-sync replica has it."""

    def __init__(self, brokers: str, client_id: str, **overrides: Any) -> None:
        from confluent_kafka import Producer

        config: dict[str, Any] = {
            "bootstrap.servers": brokers,
            "client.id": client_id,
            # Not idempotent: librdkafka's idempotent producer first fetches a producer id
            # and took 0.5-1 s to deliver its first message, all of it inside a cold
            # function's first answer. Consumers dedupe by CloudEvent id and never rely on
            # order (docs/events.md), so a retry's duplicate changes nothing; one request
            # in flight per connection keeps a run's events in order through retries anyway.
            "enable.idempotence": False,
            "max.in.flight.requests.per.connection": 1,
            "acks": "all",
            "linger.ms": 1,
            "message.timeout.ms": 3000,
            "socket.timeout.ms": 3000,
            "logger": KAFKA_LOG,
        }
        config.update(overrides)
        self._producer = Producer(config)

    def publish(self, event: Event) -> None:
        key, value, ce_headers = to_kafka(event)
        headers: list[tuple[str, str | bytes | None]] = list(ce_headers)
        errors: list[str] = []

        def delivered(error: Any, _message: Any) -> None:
            if error is not None:
                errors.append(str(error))

        try:
            self._producer.produce(
                topic_for(event.type), key=key, value=value, headers=headers, on_delivery=delivered
            )
        except Exception as error:  # BufferError, KafkaException, ...: all mean "not accepted"
            raise PublishError(type(error).__name__) from None
        remaining = self._producer.flush(FLUSH_TIMEOUT_SECONDS)
        if remaining or errors:
            raise PublishError(errors[0] if errors else "delivery timed out")

    def close(self) -> None:
        self._producer.flush(FLUSH_TIMEOUT_SECONDS)


class ResilientKafkaPublisher:
    """A KafkaPublisher made on first use and replaced after a failure.

    Made on first use, not at process start: functions-framework imports the function in
    gunicorn's parent and forks the worker, and a producer's threads don't survive a fork.
    Worse, destroying a parent's producer in the child waits on those missing threads
    (~1 s, measured), so a child never destroys one: it sets it aside, untouched, and makes
    its own on its first publish (a few ms: librdkafka connects on its own threads).
    """

    def __init__(self, brokers: str, client_id: str) -> None:
        self._brokers = brokers
        self._client_id = client_id
        self._lock = threading.Lock()
        self._producer: KafkaPublisher | None = None
        os.register_at_fork(after_in_child=partial(_forget_after_fork, weakref.ref(self)))

    def _forget_parents_producer(self) -> None:
        self._lock = threading.Lock()
        if self._producer is not None:
            _FROM_PARENT.append(self._producer)
            self._producer = None

    def publish(self, event: Event) -> None:
        with self._lock:
            if self._producer is None:
                self._producer = KafkaPublisher(self._brokers, self._client_id)
            producer = self._producer
        try:
            producer.publish(event)
        except PublishError:
            # A producer that failed may be stuck (lost connections, a broker that moved);
            # the next publish starts a fresh one.
            with self._lock:
                self._producer = None
            raise


# Producers inherited through fork(): kept referenced so they are never destroyed in the
# child (their threads live only in the parent).
_FROM_PARENT: list[KafkaPublisher] = []


def _forget_after_fork(ref: weakref.ref[ResilientKafkaPublisher]) -> None:
    publisher = ref()
    if publisher is not None:
        publisher._forget_parents_producer()


class NoBroker:
    """What publishes without KAFKA_BROKERS until someone hands the runtime a publisher (the
    embedded run hands it its in-process bus): nothing is accepted, so events stay in the
    outbox and the slash intake apologises rather than losing a command."""

    def publish(self, event: Event) -> None:
        raise PublishError("no broker configured (KAFKA_BROKERS is empty)")


def build_publisher(settings: HasKafka) -> EventPublisher:
    if not settings.kafka_brokers:
        return NoBroker()
    return ResilientKafkaPublisher(settings.kafka_brokers, settings.kafka_client_id)


class HasKafka(Protocol):
    @property
    def kafka_brokers(self) -> str: ...

    @property
    def kafka_client_id(self) -> str: ...
