"""Event type names and the topic each travels on: what the light slash intake needs,
without the schemas (shared.events.catalog, on pydantic) that consumers check against."""

from __future__ import annotations

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
COMMAND_RECEIVED = "coffeebuddy.command.received"
ACTION_REQUESTED = "coffeebuddy.action.requested"
TICK = "dev.knative.sources.ping"

TOPICS: dict[str, str] = {
    RUN_CREATED: RUN_TOPIC,
    RUN_UPDATED: RUN_TOPIC,
    RUN_CLOSED: RUN_TOPIC,
    RUN_FAILED: RUN_TOPIC,
    DELIVERY_REQUESTED: RUN_TOPIC,
    COMMAND_RECEIVED: RUN_TOPIC,
    ACTION_REQUESTED: RUN_TOPIC,
    REMINDER_SCHEDULED: REMINDER_TOPIC,
    REMINDER_DUE: REMINDER_TOPIC,
    REMINDER_SENT: REMINDER_TOPIC,
}


def topic_for(event_type: str) -> str:
    return TOPICS[event_type]


def dataschema_for(event_type: str) -> str:
    return f"urn:coffeebuddy:schema:{event_type}:v1"
