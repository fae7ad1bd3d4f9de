"""Who may administer CoffeeBuddy: workspace admins and owners, plus a configured allowlist."""

from __future__ import annotations

import logging

from slack_sdk.errors import SlackApiError, SlackClientError

from shared.observability.metrics import ERRORS
from shared.runtime import Runtime

log = logging.getLogger(__name__)

NOT_ADMIN = (
    "Only workspace admins and owners (or people on CoffeeBuddy's admin list) can change "
    "CoffeeBuddy's settings. Nothing was changed."
)


def is_admin(rt: Runtime, user_id: str) -> bool:
    """Asked of Slack each time (admin actions are rare, and rights can be revoked)."""
    if user_id in rt.settings.admin_user_ids:
        return True
    try:
        user = rt.slack.users_info(user=user_id).get("user") or {}
    except (SlackApiError, SlackClientError, OSError):
        ERRORS.labels("slack_api").inc()
        log.warning("users.info failed; treating the person as not an admin")
        return False
    return bool(user.get("is_admin") or user.get("is_owner"))
