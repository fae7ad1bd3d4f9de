"""close and reminders: closing/due statuses, close bookkeeping, fairness index

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

RUN_OLD = "status IN ('open', 'closed', 'canceled', 'failed')"
RUN_NEW = "status IN ('open', 'closing', 'closed', 'canceled', 'failed')"
REMINDER_OLD = "status IN ('scheduled', 'sent', 'skipped', 'canceled')"
REMINDER_NEW = "status IN ('scheduled', 'due', 'sent', 'skipped', 'canceled')"


def upgrade() -> None:
    with op.batch_alter_table("run", schema=None) as batch_op:
        batch_op.add_column(sa.Column("closed_by", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("runner_reason", sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column("summary_ts", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("runner_dm_ts", sa.String(length=32), nullable=True))
        batch_op.drop_constraint("ck_run_status", type_="check")
        batch_op.create_check_constraint("ck_run_status", RUN_NEW)
        batch_op.create_index(
            "ix_run_channel_status_closed", ["channel_id", "status", "closed_at"], unique=False
        )
    with op.batch_alter_table("reminder", schema=None) as batch_op:
        batch_op.drop_constraint("ck_reminder_status", type_="check")
        batch_op.create_check_constraint("ck_reminder_status", REMINDER_NEW)


def downgrade() -> None:
    op.execute("UPDATE reminder SET status = 'scheduled' WHERE status = 'due'")
    op.execute("UPDATE run SET status = 'open' WHERE status = 'closing'")
    with op.batch_alter_table("reminder", schema=None) as batch_op:
        batch_op.drop_constraint("ck_reminder_status", type_="check")
        batch_op.create_check_constraint("ck_reminder_status", REMINDER_OLD)
    with op.batch_alter_table("run", schema=None) as batch_op:
        batch_op.drop_index("ix_run_channel_status_closed")
        batch_op.drop_constraint("ck_run_status", type_="check")
        batch_op.create_check_constraint("ck_run_status", RUN_OLD)
        batch_op.drop_column("runner_dm_ts")
        batch_op.drop_column("summary_ts")
        batch_op.drop_column("runner_reason")
        batch_op.drop_column("closed_by")
