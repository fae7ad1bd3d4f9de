"""People we have seen, with their Slack timezone cached."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from shared.db.models import User
from shared.db.upsert import insert_for


def get_user(*, session: Session, user_id: str) -> User | None:
    return session.get(User, user_id)


def remember_user(
    *, session: Session, user_id: str, team_id: str, name: str, tz: str | None, now: datetime
) -> None:
    """Insert or refresh a person; a known timezone is never replaced by an unknown one."""
    values = {"id": user_id, "team_id": team_id, "name": name, "created_at": now}
    if tz:
        values |= {"tz": tz, "tz_fetched_at": now}
    stmt = insert_for(session, User).values(**values)
    update = {"name": stmt.excluded.name}
    if tz:
        update |= {"tz": stmt.excluded.tz, "tz_fetched_at": stmt.excluded.tz_fetched_at}
    session.execute(stmt.on_conflict_do_update(index_elements=["id"], set_=update))
