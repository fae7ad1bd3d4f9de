"""The persistent model: every table CoffeeBuddy owns.

Invariants the database enforces itself (so concurrent requests cannot break them):
one open run per channel, one active order per person per run, one processed record
per (consumer, event id).
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, Column, Index, String, text
from sqlmodel import Field, SQLModel

from shared.db.types import EnumString, UTCDateTime
from shared.limits import ORDER_TEXT_MAX, PICKUP_NOTE_MAX
from shared.statuses import DeliveryStatus, ReminderKind, ReminderStatus, RunStatus, one_of

ADMIN_ACTION_TYPES = ("enable", "disable", "update_config", "data_reset", "forget_me")


def utcnow() -> datetime:
    return datetime.now(UTC)


class User(SQLModel, table=True):
    __tablename__ = "app_user"

    id: str = Field(primary_key=True, max_length=32)
    team_id: str = Field(default="", max_length=32)
    name: str = Field(default="", max_length=255)
    tz: str | None = Field(default=None, max_length=64)
    tz_fetched_at: datetime | None = Field(default=None, sa_type=UTCDateTime())
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime())


class Channel(SQLModel, table=True):
    __tablename__ = "channel"
    __table_args__ = (
        CheckConstraint(
            "reminder_offset_minutes BETWEEN 1 AND 60", name="ck_channel_reminder_offset"
        ),
        CheckConstraint("fairness_window_runs BETWEEN 1 AND 100", name="ck_channel_fairness"),
        CheckConstraint("data_retention_days BETWEEN 1 AND 365", name="ck_channel_retention"),
        CheckConstraint("last_call_minutes BETWEEN 1 AND 60", name="ck_channel_last_call"),
        CheckConstraint(
            "auto_close_minutes IS NULL OR auto_close_minutes BETWEEN 0 AND 60",
            name="ck_channel_auto_close",
        ),
        CheckConstraint("idle_cancel_minutes BETWEEN 10 AND 1440", name="ck_channel_idle_cancel"),
    )

    id: str = Field(primary_key=True, max_length=32)
    team_id: str = Field(default="", max_length=32)
    name: str = Field(default="", max_length=255)
    enabled: bool = True
    reminders_enabled: bool = True
    reminder_offset_minutes: int = 5
    fairness_window_runs: int = 20
    data_retention_days: int = 90
    last_call_enabled: bool = False
    last_call_minutes: int = 10
    # None: close at pickup minus the reminder offset.
    auto_close_minutes: int | None = None
    idle_cancel_minutes: int = 120
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime())
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime())


class Run(SQLModel, table=True):
    __tablename__ = "run"
    __table_args__ = (
        CheckConstraint(one_of("status", RunStatus), name="ck_run_status"),
        Index(
            "uq_run_one_open_per_channel",
            "channel_id",
            unique=True,
            postgresql_where=text("status = 'open'"),
            sqlite_where=text("status = 'open'"),
        ),
        Index("ix_run_channel_started", "channel_id", "started_at"),
        Index("ix_run_channel_status_closed", "channel_id", "status", "closed_at"),
        Index(
            "ix_run_closing_since",
            "closing_since",
            postgresql_where=text("status = 'closing'"),
            sqlite_where=text("status = 'closing'"),
        ),
    )

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    channel_id: str = Field(foreign_key="channel.id", max_length=32)
    initiator_id: str = Field(max_length=32)
    status: RunStatus = Field(default=RunStatus.OPEN, sa_type=EnumString(RunStatus, 16))
    pickup_at: datetime | None = Field(default=None, sa_type=UTCDateTime())
    pickup_note: str | None = Field(default=None, max_length=PICKUP_NOTE_MAX)
    runner_id: str | None = Field(default=None, max_length=32)
    message_ts: str | None = Field(default=None, max_length=32)
    slack_trigger_id: str | None = Field(default=None, max_length=255, unique=True)
    correlation_id: str = Field(default="", max_length=64)
    started_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime())
    closed_at: datetime | None = Field(default=None, sa_type=UTCDateTime())
    failure_reason: str | None = Field(default=None, max_length=500)
    closed_by: str | None = Field(default=None, max_length=32)
    runner_reason: str | None = Field(default=None, max_length=300)
    summary_ts: str | None = Field(default=None, max_length=32)
    runner_dm_ts: str | None = Field(default=None, max_length=32)
    runner_assigned_at: datetime | None = Field(default=None, sa_type=UTCDateTime())
    arrived_at: datetime | None = Field(default=None, sa_type=UTCDateTime())
    arrival_ts: str | None = Field(default=None, max_length=32)
    runner_dm_channel: str | None = Field(default=None, max_length=32)
    closing_since: datetime | None = Field(default=None, sa_type=UTCDateTime())

    # -- what can happen to a run (the rules that decide when are in shared.runs) ---------

    def close_to_orders(self, *, by: str, now: datetime) -> None:
        """No more orders; the close function picks the runner (run.closed)."""
        self.status = RunStatus.CLOSING
        self.closed_by = by[:32]
        self.closing_since = now

    def cancel(self, *, by: str, now: datetime, note: str | None = None) -> None:
        """Nobody goes; ``note`` (our own words) replaces "canceled by …" on the message."""
        self.status = RunStatus.CANCELED
        self.closed_at = now
        self.closed_by = by[:32]
        if note is not None:
            self.runner_reason = note[:300]

    def close_without_orders(self, *, note: str, now: datetime) -> None:
        self.status = RunStatus.CANCELED
        self.closed_at = now
        self.runner_reason = note[:300]

    def assign_runner(self, *, runner_id: str, reason: str, now: datetime) -> None:
        self.status = RunStatus.CLOSED
        self.closed_at = now
        self.runner_id = runner_id
        self.runner_assigned_at = now
        self.runner_reason = reason[:300]

    def hand_on(self, *, runner_id: str, reason: str, now: datetime) -> None:
        """Another runner takes over ("Can't go"); their DM is still to be sent."""
        self.runner_id = runner_id
        self.runner_reason = reason[:300]
        self.runner_assigned_at = now
        self.runner_dm_ts = None
        self.runner_dm_channel = None

    def arrive(self, *, now: datetime) -> bool:
        """True if this recorded the arrival, False if it was recorded already."""
        if self.arrived_at is not None:
            return False
        self.arrived_at = now
        return True

    def fail(self, *, reason: str, now: datetime) -> None:
        self.status = RunStatus.FAILED
        self.failure_reason = reason[:500]
        self.closed_at = now


class Order(SQLModel, table=True):
    __tablename__ = "coffee_order"
    __table_args__ = (
        Index(
            "uq_order_one_active_per_user",
            "run_id",
            "user_id",
            unique=True,
            postgresql_where=text("canceled_at IS NULL"),
            sqlite_where=text("canceled_at IS NULL"),
        ),
    )

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    run_id: uuid.UUID = Field(foreign_key="run.id", index=True)
    user_id: str = Field(max_length=32)
    text: str = Field(max_length=ORDER_TEXT_MAX)
    volunteer: bool = False
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime())
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime())
    canceled_at: datetime | None = Field(default=None, sa_type=UTCDateTime())


class UserPreference(SQLModel, table=True):
    __tablename__ = "user_preference"

    user_id: str = Field(primary_key=True, max_length=32)
    last_order_text: str | None = Field(default=None, max_length=ORDER_TEXT_MAX)
    last_used_at: datetime | None = Field(default=None, sa_type=UTCDateTime())
    allow_repeat_runner: bool = False


class RunnerStats(SQLModel, table=True):
    __tablename__ = "runner_stats"

    channel_id: str = Field(primary_key=True, foreign_key="channel.id", max_length=32)
    user_id: str = Field(primary_key=True, max_length=32)
    runs_served_count: int = 0
    last_run_at: datetime | None = Field(default=None, sa_type=UTCDateTime())


class ChannelAdminAction(SQLModel, table=True):
    __tablename__ = "channel_admin_action"
    __table_args__ = (
        CheckConstraint(
            "action_type IN ('enable', 'disable', 'update_config', 'data_reset', 'forget_me')",
            name="ck_admin_action_type",
        ),
        Index("ix_admin_action_channel_at", "channel_id", "at"),
    )

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    channel_id: str = Field(max_length=32)
    # A Slack user id, or "ops:" and a whole OIDC subject (at most 255 characters).
    actor_id: str = Field(max_length=300)
    action_type: str = Field(max_length=32)
    details: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime())


class RunnerDecline(SQLModel, table=True):
    """A runner who said "can't go" for a run: never picked again for it, and not counted."""

    __tablename__ = "runner_decline"

    run_id: uuid.UUID = Field(primary_key=True, foreign_key="run.id")
    user_id: str = Field(primary_key=True, max_length=32)
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime())


class Reminder(SQLModel, table=True):
    __tablename__ = "reminder"
    __table_args__ = (
        CheckConstraint(one_of("kind", ReminderKind), name="ck_reminder_kind"),
        CheckConstraint(one_of("status", ReminderStatus), name="ck_reminder_status"),
        Index("ix_reminder_status_due", "status", "due_at"),
        Index(
            "uq_reminder_one_scheduled_per_kind",
            "run_id",
            "kind",
            unique=True,
            postgresql_where=text("status = 'scheduled'"),
            sqlite_where=text("status = 'scheduled'"),
        ),
    )

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    run_id: uuid.UUID = Field(foreign_key="run.id", index=True)
    kind: ReminderKind = Field(default=ReminderKind.RUNNER, sa_type=EnumString(ReminderKind, 16))
    due_at: datetime = Field(sa_type=UTCDateTime())
    status: ReminderStatus = Field(
        default=ReminderStatus.SCHEDULED, sa_type=EnumString(ReminderStatus, 16)
    )
    attempts: int = 0
    sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime())
    skip_reason: str | None = Field(default=None, max_length=200)


class OutboxEvent(SQLModel, table=True):
    __tablename__ = "outbox"
    __table_args__ = (
        Index(
            "ix_outbox_unpublished",
            "created_at",
            postgresql_where=text("published_at IS NULL"),
            sqlite_where=text("published_at IS NULL"),
        ),
    )

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    topic: str = Field(max_length=255)
    key: str = Field(max_length=255)
    event_type: str = Field(max_length=255)
    source: str = Field(max_length=255)
    data: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    correlation_id: str = Field(default="", max_length=64)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime())
    published_at: datetime | None = Field(default=None, sa_type=UTCDateTime())
    attempts: int = 0


class SlackDelivery(SQLModel, table=True):
    """One thing CoffeeBuddy must get into Slack after an answer, until it is there.

    A one-shot (a post, a DM, a notice) wants one delivery; a redraw of a posted message
    counts requests in ``wanted`` and the requests drawn in ``done``, so a newer request
    supersedes pending ones and one drawing covers them all. ``lease_until`` keeps one
    delivery in flight per key; ``channel``/``ts`` are the message a one-shot posted or
    the message a redraw edits; ``content_hash`` is what that message shows now.
    """

    __tablename__ = "slack_delivery"
    __table_args__ = (
        CheckConstraint(one_of("status", DeliveryStatus), name="ck_slack_delivery_status"),
        Index(
            "ix_slack_delivery_pending",
            "updated_at",
            postgresql_where=text("status = 'pending'"),
            sqlite_where=text("status = 'pending'"),
        ),
        Index("ix_slack_delivery_run", "run_id"),
    )

    key: str = Field(primary_key=True, max_length=200)
    kind: str = Field(max_length=32)
    run_id: uuid.UUID | None = Field(default=None)
    status: DeliveryStatus = Field(
        default=DeliveryStatus.PENDING, sa_type=EnumString(DeliveryStatus, 16)
    )
    wanted: int = 1
    done: int = 0
    attempts: int = 0
    lease_until: datetime | None = Field(default=None, sa_type=UTCDateTime())
    next_attempt_at: datetime | None = Field(default=None, sa_type=UTCDateTime())
    deadline_at: datetime = Field(sa_type=UTCDateTime())
    channel: str | None = Field(default=None, max_length=32)
    ts: str | None = Field(default=None, max_length=32)
    content_hash: str | None = Field(default=None, max_length=64)
    last_error: str | None = Field(default=None, max_length=200)
    payload: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime())
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime())


class ProcessedEvent(SQLModel, table=True):
    __tablename__ = "processed_event"

    consumer: str = Field(primary_key=True, sa_type=String(64))
    event_id: str = Field(primary_key=True, sa_type=String(255))
    processed_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime())
