"""Every event CoffeeBuddy emits: its CloudEvent type, topic and versioned data schema.

docs/events.md documents the same catalogue; tests check the two agree. A schema change
that is not backwards compatible gets a new version (and a new ``dataschema``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

RUN_TOPIC = "coffeebuddy.run.events"
REMINDER_TOPIC = "coffeebuddy.reminder.events"
SOURCE = "/coffeebuddy"

RUN_CREATED = "coffeebuddy.run.created"
RUN_UPDATED = "coffeebuddy.run.updated"
RUN_CLOSED = "coffeebuddy.run.closed"
RUN_FAILED = "coffeebuddy.run.failed"
REMINDER_SCHEDULED = "coffeebuddy.reminder.scheduled"
REMINDER_DUE = "coffeebuddy.reminder.due"
REMINDER_SENT = "coffeebuddy.reminder.sent"
DELIVERY_REQUESTED = "coffeebuddy.delivery.requested"
TICK = "dev.knative.sources.ping"


class EventData(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    schema_version: Literal[1] = 1


class RunCreated(EventData):
    run_id: str
    channel_id: str
    initiator_id: str
    pickup_at: datetime | None
    has_note: bool


class RunUpdated(EventData):
    run_id: str
    channel_id: str
    status: Literal["open", "closing", "closed", "canceled", "failed"]
    change: Literal[
        "order_placed",
        "order_withdrawn",
        "canceled",
        "runner_assigned",
        "no_orders",
        "runner_declined",
        "arrived",
    ]
    participant_count: int = Field(ge=0)


class RunClosed(EventData):
    run_id: str
    channel_id: str
    closed_by: str


class RunFailed(EventData):
    run_id: str
    channel_id: str
    reason: str = Field(max_length=500)


class ReminderScheduled(EventData):
    reminder_id: str
    run_id: str
    kind: Literal["runner", "last_call"]
    due_at: datetime


class ReminderDue(EventData):
    reminder_id: str
    run_id: str
    kind: Literal["runner", "last_call"]
    due_at: datetime


class ReminderSent(EventData):
    reminder_id: str
    run_id: str
    kind: Literal["runner", "last_call"]
    outcome: Literal["sent", "skipped", "canceled"]
    recipient: Literal["runner", "initiator", "channel", "none"]
    lateness_seconds: float


class DeliveryRequested(EventData):
    """Something is waiting in the Slack delivery ledger (``key``); for a run's delivery,
    ``run_id`` lets the consumer deliver everything pending for that run in order."""

    key: str = Field(max_length=200)
    run_id: str | None = None


SCHEMAS: dict[str, tuple[str, type[EventData]]] = {
    RUN_CREATED: (RUN_TOPIC, RunCreated),
    RUN_UPDATED: (RUN_TOPIC, RunUpdated),
    RUN_CLOSED: (RUN_TOPIC, RunClosed),
    RUN_FAILED: (RUN_TOPIC, RunFailed),
    REMINDER_SCHEDULED: (REMINDER_TOPIC, ReminderScheduled),
    REMINDER_DUE: (REMINDER_TOPIC, ReminderDue),
    REMINDER_SENT: (REMINDER_TOPIC, ReminderSent),
    DELIVERY_REQUESTED: (RUN_TOPIC, DeliveryRequested),
}


class SchemaError(ValueError):
    """Event data that does not match its type's schema; the message names the fields."""


def topic_for(event_type: str) -> str:
    return SCHEMAS[event_type][0]


def dataschema_for(event_type: str) -> str:
    return f"urn:coffeebuddy:schema:{event_type}:v1"


def check_data(event_type: str, data: object) -> EventData:
    """The typed data of an event, or SchemaError; unknown types are errors too."""
    if event_type not in SCHEMAS:
        raise SchemaError(f"unknown event type {event_type[:80]!r}")
    model = SCHEMAS[event_type][1]
    try:
        return model.model_validate(data)
    except ValidationError as error:
        fields = sorted({".".join(str(p) for p in e["loc"]) for e in error.errors()})
        raise SchemaError(f"{event_type} data invalid at {', '.join(fields)[:200]}") from None
