"""Who may administer CoffeeBuddy: workspace admins and owners, plus a configured allowlist."""

from __future__ import annotations

import logging
from functools import partial

from shared.delivery.worker import patiently
from shared.runtime import Runtime
from shared.slack.errors import SLACK_ERRORS

log = logging.getLogger(__name__)

NOT_ADMIN = (
    "Only workspace admins and owners (or people on CoffeeBuddy's admin list) can change "
    "CoffeeBuddy's settings. Nothing was changed."
)


def is_admin(rt: Runtime, user_id: str) -> bool:
    """Asked of Slack each time (admin actions are rare, and rights can be revoked), by the
    close function after the answer: never inside a Slack-facing request."""
    if user_id in rt.settings.admin_user_ids:
        return True
    try:
        answer = patiently(
            rt, partial(rt.background_slack.users_info, user=user_id), what="users.info"
        )
    except SLACK_ERRORS:
        log.warning("users.info failed; treating the person as not an admin")
        return False
    user = answer.get("user") or {}
    return bool(user.get("is_admin") or user.get("is_owner"))
