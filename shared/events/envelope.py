"""The one module that converts between our events and CloudEvents (HTTP and Kafka).

functions-framework 3.10 pins the cloudevents v1 API; keeping every conversion here means a
move to the v2 API touches this file only.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from cloudevents.conversion import to_binary as http_to_binary
from cloudevents.http import CloudEvent, from_http
from cloudevents.kafka import KafkaMessage, from_binary, to_binary

from shared.events.topics import SOURCE, dataschema_for

CORRELATION_ATTRIBUTE = "correlationid"


@dataclass(frozen=True)
class Event:
    type: str
    subject: str
    data: dict[str, Any]
    correlation_id: str = ""
    id: str = field(default_factory=lambda: str(uuid.uuid4()))
    time: datetime = field(default_factory=lambda: datetime.now(UTC))
    source: str = SOURCE

    @property
    def key(self) -> str:
        """Kafka key: the run id, so one run's events stay in order on one partition."""
        return self.subject


class EnvelopeError(ValueError):
    """A message that is not a CloudEvent we can read."""


def to_cloudevent(event: Event) -> CloudEvent:
    attributes = {
        "id": event.id,
        "type": event.type,
        "source": event.source,
        "subject": event.subject,
        "time": event.time.isoformat(),
        "datacontenttype": "application/json",
        "dataschema": dataschema_for(event.type),
    }
    if event.correlation_id:
        attributes[CORRELATION_ATTRIBUTE] = event.correlation_id
    return CloudEvent(attributes, event.data)


def from_cloudevent(cloud_event: Any) -> Event:
    """Our event from any v1 CloudEvent object; EnvelopeError if attributes are missing."""
    try:
        attributes = dict(cloud_event.get_attributes())
        data = cloud_event.get_data()
    except AttributeError:
        raise EnvelopeError("not a CloudEvent") from None
    for required in ("id", "type", "source"):
        if not attributes.get(required):
            raise EnvelopeError(f"CloudEvent attribute '{required}' is missing")
    when = attributes.get("time")
    try:
        time = datetime.fromisoformat(str(when)) if when else datetime.now(UTC)
    except ValueError:
        raise EnvelopeError("CloudEvent attribute 'time' is not a timestamp") from None
    if isinstance(data, bytes | str):
        raise EnvelopeError("CloudEvent data is not JSON")
    return Event(
        id=str(attributes["id"]),
        type=str(attributes["type"]),
        source=str(attributes["source"]),
        subject=str(attributes.get("subject") or ""),
        time=time if time.tzinfo else time.replace(tzinfo=UTC),
        correlation_id=str(attributes.get(CORRELATION_ATTRIBUTE) or "")[:64],
        data=data if isinstance(data, dict) else {},
    )


def to_kafka(event: Event) -> tuple[bytes, bytes, list[tuple[str, bytes]]]:
    """(key, value, headers) in binary content mode: ``ce_*`` headers, JSON value."""
    message = to_binary(to_cloudevent(event))
    key = event.key.encode()
    headers = [(name, value) for name, value in message.headers.items()]
    value = message.value if isinstance(message.value, bytes) else str(message.value).encode()
    return key, value, headers


def from_kafka(key: bytes | None, value: bytes | None, headers: list[tuple[str, bytes]]) -> Event:
    try:
        message = KafkaMessage(headers=dict(headers), key=key, value=value or b"")
        return from_cloudevent(from_binary(message))
    except EnvelopeError:
        raise
    except Exception as error:
        raise EnvelopeError(f"not a binary-mode CloudEvent ({type(error).__name__})") from None


def from_http_request(headers: dict[str, str], body: bytes) -> Event:
    """An event delivered over HTTP (binary or structured mode), as Knative sends it."""
    try:
        cloud_event = from_http(headers, body)
    except Exception as error:  # the SDK raises several unrelated types for bad input
        raise EnvelopeError(f"not a CloudEvent ({type(error).__name__})") from None
    return from_cloudevent(cloud_event)


def to_http(event: Event) -> tuple[dict[str, str], bytes]:
    """Headers and body in HTTP binary content mode, as Knative delivers events."""
    headers, body = http_to_binary(to_cloudevent(event))
    return dict(headers), body if isinstance(body, bytes) else str(body).encode()


__all__ = ["EnvelopeError", "Event", "from_cloudevent"]
