"""Channel rows: created on first use with the deployment's defaults."""

from __future__ import annotations

from sqlmodel import Session

from shared.db.models import Channel
from shared.db.upsert import insert_for


def ensure_channel(
    *,
    session: Session,
    channel_id: str,
    team_id: str,
    name: str,
    default_reminder_minutes: int,
    default_retention_days: int,
) -> Channel:
    """The channel's row, inserted with defaults if this is its first run (race-safe)."""
    stmt = (
        insert_for(session, Channel)
        .values(
            id=channel_id,
            team_id=team_id,
            name=name,
            reminder_offset_minutes=default_reminder_minutes,
            data_retention_days=default_retention_days,
        )
        .on_conflict_do_nothing(index_elements=["id"])
    )
    session.execute(stmt)
    channel = session.get(Channel, channel_id)
    assert channel is not None
    return channel
