"""run lifecycle: arrival, runner declines, auto-close and idle cancel, forget-me audit

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ACTIONS_OLD = "action_type IN ('enable', 'disable', 'update_config', 'data_reset')"
ACTIONS_NEW = "action_type IN ('enable', 'disable', 'update_config', 'data_reset', 'forget_me')"


def upgrade() -> None:
    with op.batch_alter_table("run", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("runner_assigned_at", sa.DateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(sa.Column("arrived_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("arrival_ts", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("runner_dm_channel", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("closing_since", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("run", schema=None) as batch_op:
        batch_op.create_index(
            "ix_run_closing_since",
            ["closing_since"],
            unique=False,
            postgresql_where=sa.text("status = 'closing'"),
            sqlite_where=sa.text("status = 'closing'"),
        )
    with op.batch_alter_table("channel", schema=None) as batch_op:
        batch_op.add_column(sa.Column("auto_close_minutes", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("idle_cancel_minutes", sa.Integer(), nullable=False, server_default="120")
        )
        batch_op.create_check_constraint(
            "ck_channel_auto_close",
            "auto_close_minutes IS NULL OR auto_close_minutes BETWEEN 0 AND 60",
        )
        batch_op.create_check_constraint(
            "ck_channel_idle_cancel", "idle_cancel_minutes BETWEEN 10 AND 1440"
        )
    with op.batch_alter_table("channel", schema=None) as batch_op:
        batch_op.alter_column("idle_cancel_minutes", server_default=None)
    with op.batch_alter_table("channel_admin_action", schema=None) as batch_op:
        batch_op.drop_constraint("ck_admin_action_type", type_="check")
        batch_op.create_check_constraint("ck_admin_action_type", ACTIONS_NEW)
    with op.batch_alter_table("reminder", schema=None) as batch_op:
        batch_op.add_column(sa.Column("attempts", sa.Integer(), nullable=False, server_default="0"))
    with op.batch_alter_table("reminder", schema=None) as batch_op:
        batch_op.alter_column("attempts", server_default=None)
    op.create_table(
        "runner_decline",
        sa.Column("run_id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["run_id"], ["run.id"]),
        sa.PrimaryKeyConstraint("run_id", "user_id"),
    )


def downgrade() -> None:
    op.drop_table("runner_decline")
    with op.batch_alter_table("reminder", schema=None) as batch_op:
        batch_op.drop_column("attempts")
    op.execute("DELETE FROM channel_admin_action WHERE action_type = 'forget_me'")
    with op.batch_alter_table("channel_admin_action", schema=None) as batch_op:
        batch_op.drop_constraint("ck_admin_action_type", type_="check")
        batch_op.create_check_constraint("ck_admin_action_type", ACTIONS_OLD)
    with op.batch_alter_table("channel", schema=None) as batch_op:
        batch_op.drop_constraint("ck_channel_idle_cancel", type_="check")
        batch_op.drop_constraint("ck_channel_auto_close", type_="check")
        batch_op.drop_column("idle_cancel_minutes")
        batch_op.drop_column("auto_close_minutes")
    with op.batch_alter_table("run", schema=None) as batch_op:
        batch_op.drop_index("ix_run_closing_since")
        batch_op.drop_column("closing_since")
        batch_op.drop_column("runner_dm_channel")
        batch_op.drop_column("arrival_ts")
        batch_op.drop_column("arrived_at")
        batch_op.drop_column("runner_assigned_at")
