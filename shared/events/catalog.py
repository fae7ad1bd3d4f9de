"""Every event CoffeeBuddy emits: its CloudEvent type, topic and versioned data schema.

docs/events.md documents the same catalogue; tests check the two agree. A schema change
that is not backwards compatible gets a new version (and a new ``dataschema``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar, Literal, Protocol

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from shared.events.topics import (
    ACTION_REQUESTED,
    COMMAND_RECEIVED,
    DELIVERY_REQUESTED,
    REMINDER_DUE,
    REMINDER_SCHEDULED,
    REMINDER_SENT,
    REMINDER_TOPIC,
    RUN_CLOSED,
    RUN_CREATED,
    RUN_FAILED,
    RUN_TOPIC,
    RUN_UPDATED,
    SOURCE,
    TICK,
    TOPICS,
    dataschema_for,
)
from shared.statuses import ReminderKind, RunStatus

__all__ = [
    "ACTION_REQUESTED",
    "COMMAND_RECEIVED",
    "DELIVERY_REQUESTED",
    "REMINDER_DUE",
    "REMINDER_SCHEDULED",
    "REMINDER_SENT",
    "REMINDER_TOPIC",
    "RUN_CLOSED",
    "RUN_CREATED",
    "RUN_FAILED",
    "RUN_TOPIC",
    "RUN_UPDATED",
    "SCHEMAS",
    "SOURCE",
    "TICK",
    "SchemaError",
    "check_data",
    "checked",
    "dataschema_for",
    "topic_for",
]


class EventData(BaseModel):
    """An event's data; the class knows its CloudEvent type (hence its topic) and what the
    event is about (its subject, the Kafka key), so recording one is ``record(data)``."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    TYPE: ClassVar[str]

    schema_version: Literal[1] = 1

    @property
    def subject(self) -> str:
        """The run it is about; the events about no run say otherwise."""
        run_id = getattr(self, "run_id", None)
        return str(run_id or "")


class RunCreated(EventData):
    TYPE: ClassVar[str] = RUN_CREATED

    run_id: str
    channel_id: str
    initiator_id: str
    pickup_at: datetime | None
    has_note: bool


class RunUpdated(EventData):
    TYPE: ClassVar[str] = RUN_UPDATED

    run_id: str
    channel_id: str
    status: RunStatus
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
    TYPE: ClassVar[str] = RUN_CLOSED

    run_id: str
    channel_id: str
    closed_by: str


class RunFailed(EventData):
    TYPE: ClassVar[str] = RUN_FAILED

    run_id: str
    channel_id: str
    reason: str = Field(max_length=500)


class ReminderScheduled(EventData):
    TYPE: ClassVar[str] = REMINDER_SCHEDULED

    reminder_id: str
    run_id: str
    kind: ReminderKind
    due_at: datetime


class ReminderDue(EventData):
    TYPE: ClassVar[str] = REMINDER_DUE

    reminder_id: str
    run_id: str
    kind: ReminderKind
    due_at: datetime


class ReminderSent(EventData):
    TYPE: ClassVar[str] = REMINDER_SENT

    reminder_id: str
    run_id: str
    kind: ReminderKind
    outcome: Literal["sent", "skipped", "canceled"]
    recipient: Literal["runner", "initiator", "channel", "none"]
    lateness_seconds: float


class DeliveryRequested(EventData):
    """Something is waiting in the Slack delivery ledger (``key``); for a run's delivery,
    ``run_id`` lets the consumer deliver everything pending for that run in order."""

    TYPE: ClassVar[str] = DELIVERY_REQUESTED

    key: str = Field(max_length=200)
    run_id: str | None = None

    @property
    def subject(self) -> str:
        return self.run_id or self.key


class CommandReceived(EventData):
    """A verified `/coffee` that the slash intake could not answer by itself (it needs the
    database or Slack): the command as Slack sent it, and when it arrived."""

    TYPE: ClassVar[str] = COMMAND_RECEIVED

    text: str = Field(max_length=4000)
    user_id: str = Field(min_length=1, max_length=32)
    user_name: str = Field(default="", max_length=255)
    channel_id: str = Field(min_length=1, max_length=32)
    channel_name: str = Field(default="", max_length=255)
    team_id: str = Field(default="", max_length=32)
    trigger_id: str = Field(min_length=1, max_length=255)
    response_url: str = Field(default="", max_length=2000)
    view_id: str | None = Field(default=None, max_length=64)
    received_at: datetime

    @property
    def subject(self) -> str:
        return self.channel_id


class ActionRequested(EventData):
    """A click or submission that only an admin may make, decided after the answer (asking
    Slack whether the person is an admin is a Web API call)."""

    TYPE: ClassVar[str] = ACTION_REQUESTED

    action: Literal["close", "cancel", "admin_settings", "admin_reset"]
    user_id: str = Field(min_length=1, max_length=32)
    channel_id: str | None = Field(default=None, max_length=32)
    run_id: str | None = None
    view_id: str | None = Field(default=None, max_length=64)
    values: dict[str, str | bool] = Field(default_factory=dict)

    @property
    def subject(self) -> str:
        return self.run_id or self.channel_id or self.user_id


class Tick(EventData):
    """The PingSource's tick (its data is ours to set: knative/base/eventing/pingsource.yaml).
    Not in the catalogue: CoffeeBuddy receives it, never emits it."""

    TYPE: ClassVar[str] = TICK

    tick: str = Field(default="", max_length=40)


EVENT_DATA: tuple[type[EventData], ...] = (
    RunCreated,
    RunUpdated,
    RunClosed,
    RunFailed,
    ReminderScheduled,
    ReminderDue,
    ReminderSent,
    DeliveryRequested,
    CommandReceived,
    ActionRequested,
)
SCHEMAS: dict[str, tuple[str, type[EventData]]] = {
    data.TYPE: (TOPICS[data.TYPE], data) for data in EVENT_DATA
}


class _HasTypeAndData(Protocol):
    @property
    def type(self) -> str: ...

    @property
    def data(self) -> dict[str, Any]: ...


class SchemaError(ValueError):
    """Event data that does not match its type's schema; the message names the fields."""


def topic_for(event_type: str) -> str:
    return SCHEMAS[event_type][0]


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


def checked[E: _HasTypeAndData](event: E) -> E:
    """The event, if its data matches its type's schema (SchemaError otherwise)."""
    check_data(event.type, event.data)
    return event
