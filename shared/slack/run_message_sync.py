"""Keeping the run's channel message in step with the database."""

from __future__ import annotations

import logging
import uuid

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from shared.db.engine import transaction
from shared.observability.metrics import ERRORS
from shared.runs.repository import get_run
from shared.runs.snapshot import RunSnapshot, snapshot
from shared.runtime import Runtime
from shared.slack.render.run_message import run_message

log = logging.getLogger(__name__)

MAX_PASSES = 3
# Someone deleted the message (or the channel): not a Slack outage, just nothing to redraw.
GONE = frozenset({"message_not_found", "channel_not_found", "is_archived"})


def load_snapshot(rt: Runtime, run_id: uuid.UUID) -> RunSnapshot | None:
    with transaction(rt.engine) as session:
        run = get_run(session=session, run_id=run_id)
        return None if run is None else snapshot(session=session, run=run)


def refresh_run_message(
    rt: Runtime,
    run_id: uuid.UUID,
    *,
    slack: WebClient | None = None,
) -> bool:
    """Redraw the run message from the database until what Slack shows is current.

    Concurrent order requests each redraw after their commit; one that drew a count
    which changed meanwhile draws again, so the last redraw always shows the latest
    state even when Slack applies the updates out of order.
    """
    drawn: RunSnapshot | None = None
    for _ in range(MAX_PASSES):
        current = load_snapshot(rt, run_id)
        if current is None or current.message_ts is None:
            return False
        if drawn is not None and current == drawn:
            return True
        text, blocks = run_message(current)
        try:
            (slack or rt.slack).chat_update(
                channel=current.channel_id, ts=current.message_ts, text=text, blocks=blocks
            )
        except SlackApiError as error:
            if _slack_error(error) in GONE:
                log.info("run message is gone; nothing to redraw", extra={"run_id": str(run_id)})
                return True
            ERRORS.labels("slack_api").inc()
            log.warning(
                "run message update failed",
                extra={"run_id": str(run_id), "error": _slack_error(error)},
            )
            return False
        except (SlackClientError, OSError) as error:
            ERRORS.labels("slack_api").inc()
            log.warning(
                "run message update failed",
                extra={"run_id": str(run_id), "error": _slack_error(error)},
            )
            return False
        drawn = current
    return True


def _slack_error(error: Exception) -> str:
    if isinstance(error, SlackApiError):
        return str(error.response.get("error", "unknown"))
    return type(error).__name__
