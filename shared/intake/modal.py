"""`/coffee admin`'s settings modal must open inside the 3 s its trigger_id lives, before
anything is known about the person: the intake opens a modal that says it is loading, and
the close function fills it in (or says why not) with ``views.update``."""

from __future__ import annotations

import logging

from shared.intake.runtime import IntakeRuntime
from shared.observability.metrics import ERRORS
from shared.secrets import SLACK_BOT_TOKEN

log = logging.getLogger(__name__)

LOADING = ":hourglass_flowing_sand: Loading this channel's settings…"


def open_loading_modal(rt: IntakeRuntime, trigger_id: str) -> str | None:
    """The new view's id, or None if Slack did not open it (the person is told)."""
    from slack_sdk import WebClient  # only this path needs it: off the cold /coffee path

    from shared.slack.errors import SLACK_ERRORS
    from shared.slack.render.blocks import modal, section

    client = WebClient(
        token=rt.secrets.get(SLACK_BOT_TOKEN), base_url=rt.settings.slack_api_url, timeout=2
    )
    try:
        loading = modal("CoffeeBuddy", [section(LOADING)])
        response = client.views_open(trigger_id=trigger_id, view=loading)
    except SLACK_ERRORS:
        ERRORS.labels("slack_api").inc()
        log.warning("views.open failed for the admin settings")
        return None
    view = response.get("view") or {}
    view_id = view.get("id") if isinstance(view, dict) else None
    return view_id if isinstance(view_id, str) else None
