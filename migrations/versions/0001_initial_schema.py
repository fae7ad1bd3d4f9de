"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-25 14:47:00.494459
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "app_user",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("tz", sa.String(length=64), nullable=True),
        sa.Column("tz_fetched_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "channel",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("reminders_enabled", sa.Boolean(), nullable=False),
        sa.Column("reminder_offset_minutes", sa.Integer(), nullable=False),
        sa.Column("fairness_window_runs", sa.Integer(), nullable=False),
        sa.Column("data_retention_days", sa.Integer(), nullable=False),
        sa.Column("last_call_enabled", sa.Boolean(), nullable=False),
        sa.Column("last_call_minutes", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("data_retention_days BETWEEN 1 AND 365", name="ck_channel_retention"),
        sa.CheckConstraint("fairness_window_runs BETWEEN 1 AND 100", name="ck_channel_fairness"),
        sa.CheckConstraint("last_call_minutes BETWEEN 1 AND 60", name="ck_channel_last_call"),
        sa.CheckConstraint(
            "reminder_offset_minutes BETWEEN 1 AND 60",
            name="ck_channel_reminder_offset",
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "channel_admin_action",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("channel_id", sa.String(length=32), nullable=False),
        sa.Column("actor_id", sa.String(length=64), nullable=False),
        sa.Column("action_type", sa.String(length=32), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "action_type IN ('enable', 'disable', 'update_config', 'data_reset')",
            name="ck_admin_action_type",
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("channel_admin_action", schema=None) as batch_op:
        batch_op.create_index("ix_admin_action_channel_at", ["channel_id", "at"], unique=False)

    op.create_table(
        "outbox",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("topic", sa.String(length=255), nullable=False),
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("event_type", sa.String(length=255), nullable=False),
        sa.Column("source", sa.String(length=255), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("correlation_id", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.create_index(
            "ix_outbox_unpublished",
            ["created_at"],
            unique=False,
            postgresql_where=sa.text("published_at IS NULL"),
            sqlite_where=sa.text("published_at IS NULL"),
        )

    op.create_table(
        "processed_event",
        sa.Column("consumer", sa.String(length=64), nullable=False),
        sa.Column("event_id", sa.String(length=255), nullable=False),
        sa.Column("processed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("consumer", "event_id"),
    )
    op.create_table(
        "user_preference",
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("last_order_text", sa.String(length=150), nullable=True),
        sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("allow_repeat_runner", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("user_id"),
    )
    op.create_table(
        "run",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("channel_id", sa.String(length=32), nullable=False),
        sa.Column("initiator_id", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("pickup_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("pickup_note", sa.String(length=200), nullable=True),
        sa.Column("runner_id", sa.String(length=32), nullable=True),
        sa.Column("message_ts", sa.String(length=32), nullable=True),
        sa.Column("slack_trigger_id", sa.String(length=255), nullable=True),
        sa.Column("correlation_id", sa.String(length=64), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("failure_reason", sa.String(length=500), nullable=True),
        sa.CheckConstraint(
            "status IN ('open', 'closed', 'canceled', 'failed')", name="ck_run_status"
        ),
        sa.ForeignKeyConstraint(
            ["channel_id"],
            ["channel.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("slack_trigger_id"),
    )
    with op.batch_alter_table("run", schema=None) as batch_op:
        batch_op.create_index("ix_run_channel_started", ["channel_id", "started_at"], unique=False)
        batch_op.create_index(
            "uq_run_one_open_per_channel",
            ["channel_id"],
            unique=True,
            postgresql_where=sa.text("status = 'open'"),
            sqlite_where=sa.text("status = 'open'"),
        )

    op.create_table(
        "runner_stats",
        sa.Column("channel_id", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("runs_served_count", sa.Integer(), nullable=False),
        sa.Column("last_run_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["channel_id"],
            ["channel.id"],
        ),
        sa.PrimaryKeyConstraint("channel_id", "user_id"),
    )
    op.create_table(
        "coffee_order",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("run_id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("text", sa.String(length=150), nullable=False),
        sa.Column("volunteer", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("canceled_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["run.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("coffee_order", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_coffee_order_run_id"), ["run_id"], unique=False)
        batch_op.create_index(
            "uq_order_one_active_per_user",
            ["run_id", "user_id"],
            unique=True,
            postgresql_where=sa.text("canceled_at IS NULL"),
            sqlite_where=sa.text("canceled_at IS NULL"),
        )

    op.create_table(
        "reminder",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("run_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("skip_reason", sa.String(length=200), nullable=True),
        sa.CheckConstraint("kind IN ('runner', 'last_call')", name="ck_reminder_kind"),
        sa.CheckConstraint(
            "status IN ('scheduled', 'sent', 'skipped', 'canceled')",
            name="ck_reminder_status",
        ),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["run.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("reminder", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_reminder_run_id"), ["run_id"], unique=False)
        batch_op.create_index("ix_reminder_status_due", ["status", "due_at"], unique=False)
        batch_op.create_index(
            "uq_reminder_one_scheduled_per_kind",
            ["run_id", "kind"],
            unique=True,
            postgresql_where=sa.text("status = 'scheduled'"),
            sqlite_where=sa.text("status = 'scheduled'"),
        )


def downgrade() -> None:
    with op.batch_alter_table("reminder", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_reminder_one_scheduled_per_kind",
            postgresql_where=sa.text("status = 'scheduled'"),
            sqlite_where=sa.text("status = 'scheduled'"),
        )
        batch_op.drop_index("ix_reminder_status_due")
        batch_op.drop_index(batch_op.f("ix_reminder_run_id"))

    op.drop_table("reminder")
    with op.batch_alter_table("coffee_order", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_order_one_active_per_user",
            postgresql_where=sa.text("canceled_at IS NULL"),
            sqlite_where=sa.text("canceled_at IS NULL"),
        )
        batch_op.drop_index(batch_op.f("ix_coffee_order_run_id"))

    op.drop_table("coffee_order")
    op.drop_table("runner_stats")
    with op.batch_alter_table("run", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_run_one_open_per_channel",
            postgresql_where=sa.text("status = 'open'"),
            sqlite_where=sa.text("status = 'open'"),
        )
        batch_op.drop_index("ix_run_channel_started")

    op.drop_table("run")
    op.drop_table("user_preference")
    op.drop_table("processed_event")
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_index(
            "ix_outbox_unpublished",
            postgresql_where=sa.text("published_at IS NULL"),
            sqlite_where=sa.text("published_at IS NULL"),
        )

    op.drop_table("outbox")
    with op.batch_alter_table("channel_admin_action", schema=None) as batch_op:
        batch_op.drop_index("ix_admin_action_channel_at")

    op.drop_table("channel_admin_action")
    op.drop_table("channel")
    op.drop_table("app_user")
