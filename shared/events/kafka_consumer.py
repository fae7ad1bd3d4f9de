"""A Kafka consumer loop that hands CloudEvents to a dispatcher.

Production wiring is Knative Eventing (a Kafka Broker per topic with Triggers filtered by
CloudEvent type, POSTing to the functions; knative/base/eventing); this loop is the same
job in-process, consuming as ``REMINDER_WORKER_GROUP``, for the tests and for clusters
without Knative Eventing. Offsets are committed only after the dispatcher
returns, so a crash means redelivery (which the consumers are idempotent against),
never loss. A message that is not a valid CloudEvent is logged, counted and skipped.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable
from typing import Any

from shared.events.envelope import EnvelopeError, Event, from_kafka
from shared.observability.metrics import ERRORS

log = logging.getLogger(__name__)

Dispatch = Callable[[Event], None]

# Measured on Tansu: a group join takes ~3 s with these, ~23 s with librdkafka's defaults.
FAST_GROUP = {"session.timeout.ms": 6000, "heartbeat.interval.ms": 500, "fetch.wait.max.ms": 5}


class KafkaEventConsumer:
    def __init__(
        self,
        *,
        brokers: str,
        group_id: str,
        topics: Iterable[str],
        dispatch: Dispatch,
        client_id: str = "coffeebuddy",
        **overrides: Any,
    ) -> None:
        from confluent_kafka import Consumer

        config: dict[str, Any] = {
            "bootstrap.servers": brokers,
            "group.id": group_id,
            "client.id": client_id,
            "enable.auto.commit": False,
            "auto.offset.reset": "earliest",
            "logger": logging.getLogger("kafka"),
            **FAST_GROUP,
        }
        config.update(overrides)
        self._consumer = Consumer(config)
        self._consumer.subscribe(list(topics))
        self._dispatch = dispatch
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def poll_once(self, timeout: float = 0.1) -> bool:
        """Handle at most one message; True if one was consumed."""
        message = self._consumer.poll(timeout)
        if message is None:
            return False
        if message.error():
            log.warning("kafka consumer error", extra={"error": str(message.error())})
            return False
        raw_headers = message.headers() or []
        pairs = raw_headers.items() if isinstance(raw_headers, dict) else raw_headers
        headers = [
            (name, value if isinstance(value, bytes) else str(value or "").encode())
            for name, value in pairs
        ]
        try:
            event = from_kafka(message.key(), message.value(), headers)
        except EnvelopeError as error:
            ERRORS.labels("event_envelope").inc()
            log.warning("skipping a message that is not a CloudEvent", extra={"reason": str(error)})
        else:
            try:
                self._dispatch(event)
            except Exception:
                # Rewind so this message is read again rather than skipped.
                from confluent_kafka import TopicPartition

                partition = TopicPartition(
                    message.topic() or "", message.partition() or 0, message.offset() or 0
                )
                self._consumer.seek(partition)
                raise
        self._consumer.commit(message=message, asynchronous=False)
        return True

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="kafka-consumer", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.poll_once(0.05)
            except Exception:
                ERRORS.labels("event_handler").inc()
                log.exception("dispatch failed; the message will be redelivered")
                self._stop.wait(0.5)

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
        self._consumer.close()
