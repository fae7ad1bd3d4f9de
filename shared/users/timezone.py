"""A person's Slack timezone: asked of users.info once, then read from our own table."""

from __future__ import annotations

import logging
from datetime import timedelta
from functools import partial

from shared.db.engine import transaction
from shared.delivery.worker import patiently
from shared.runtime import Runtime
from shared.slack.errors import SLACK_ERRORS
from shared.users.repository import get_user, remember_user

log = logging.getLogger(__name__)

REFRESH_AFTER = timedelta(days=30)


def timezone_for(rt: Runtime, *, user_id: str, team_id: str, name: str) -> str | None:
    """The IANA zone name, or None when Slack can't tell us (callers fall back to UTC)."""
    now = rt.clock.now()
    with transaction(rt.engine) as session:
        user = get_user(session=session, user_id=user_id)
        if user and user.tz and user.tz_fetched_at and now - user.tz_fetched_at < REFRESH_AFTER:
            return user.tz
    tz: str | None = None
    try:
        response = patiently(
            rt, partial(rt.background_slack.users_info, user=user_id), what="users.info"
        )
        found = (response.get("user") or {}).get("tz")
        tz = found if isinstance(found, str) and found else None
    except SLACK_ERRORS as error:
        log.warning("users.info failed; using UTC", extra={"error": type(error).__name__})
    with transaction(rt.engine) as session:
        remember_user(session=session, user_id=user_id, team_id=team_id, name=name, tz=tz, now=now)
        if tz is None and user and user.tz:
            return user.tz
    return tz
