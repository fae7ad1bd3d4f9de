"""audit actors keep the whole ops subject: channel_admin_action.actor_id up to 300 characters

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("channel_admin_action", schema=None) as batch_op:
        batch_op.alter_column(
            "actor_id", existing_type=sa.String(length=64), type_=sa.String(length=300)
        )


def downgrade() -> None:
    # Cut back as the code before did (so two long subjects may read the same again).
    op.execute(
        "UPDATE channel_admin_action SET actor_id = substr(actor_id, 1, 64) "
        "WHERE length(actor_id) > 64"
    )
    with op.batch_alter_table("channel_admin_action", schema=None) as batch_op:
        batch_op.alter_column(
            "actor_id", existing_type=sa.String(length=300), type_=sa.String(length=64)
        )
