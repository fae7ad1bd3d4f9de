"""The least a `/coffee` can do that persists through Kafka: verify, produce, answer.

Verifies the signature, produces the raw command body as one record with acks=all (the
same producer settings as CoffeeBuddy's publisher: not idempotent, linger.ms 1), waits for
the broker's acknowledgement and only then answers an empty 200. No CloudEvent envelope,
no parsing beyond the form: a lower bound for CoffeeBuddy's slash intake (docs/cold-start.md).
"""

import hashlib
import hmac
import os
from functools import cache

import flask
import functions_framework
from confluent_kafka import Producer

SECRET = os.environ["SLACK_SIGNING_SECRET"].encode()
TOPIC = os.environ.get("BENCH_FLOOR_TOPIC", "bench.floor.commands")


@cache
def producer() -> Producer:
    """Built in the serving process: librdkafka's threads do not survive gunicorn's fork."""
    return Producer(
        {
            "bootstrap.servers": os.environ["KAFKA_BROKERS"],
            "enable.idempotence": False,
            "max.in.flight.requests.per.connection": 1,
            "acks": "all",
            "linger.ms": 1,
            "message.timeout.ms": 3000,
        }
    )


@functions_framework.http
def kafka_floor(request: flask.Request) -> flask.Response:
    body = request.get_data()
    stamp = request.headers.get("X-Slack-Request-Timestamp", "")
    expected = "v0=" + hmac.new(SECRET, f"v0:{stamp}:".encode() + body, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, request.headers.get("X-Slack-Signature", "")):
        return flask.Response(b"", status=401)
    errors: list[str] = []
    kafka = producer()
    kafka.produce(TOPIC, value=body, on_delivery=lambda e, _m: errors.append(str(e)) if e else None)
    if kafka.flush(3.0) or errors:
        return flask.Response(f"not taken: {errors}".encode(), status=503)
    return flask.Response(b"", status=200)
