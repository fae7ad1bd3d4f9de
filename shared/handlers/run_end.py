"""Ending a run from its message: Cancel, or Close (the runner is picked after the answer).

Whoever started the run ends it at once; anyone else's click is handed on to the close
function, which asks Slack whether they are an admin (shared.handlers.admin_actions).
"""

from __future__ import annotations

import logging
import uuid

from shared.admin.handoff import request_action
from shared.db.engine import transaction
from shared.db.models import Run
from shared.delivery.tell import tell
from shared.events import catalog
from shared.handlers.ending import end_run
from shared.refusal import Refusal
from shared.runs.ending import Ending
from shared.runs.repository import get_run
from shared.runtime import Runtime
from shared.slack.payloads import BlockAction
from shared.slack.replies import SlackReply, empty

log = logging.getLogger(__name__)


def _end_run(rt: Runtime, action: BlockAction, run_id: uuid.UUID, ending: Ending) -> Run | None:
    """Cancel or close (``end``) as the clicker; the message is redrawn after the answer.
    Someone else's run may be ended by an admin only, which Slack has to confirm: that is
    handed on to the close function rather than asked here."""
    with transaction(rt.engine) as session:
        run = get_run(session=session, run_id=run_id)
    if run is not None and run.initiator_id != action.user_id:
        request_action(
            rt,
            catalog.ActionRequested(
                action="close" if ending is Ending.CLOSE else "cancel",
                user_id=action.user_id,
                channel_id=action.channel_id,
                run_id=str(run_id),
            ),
        )
        return None
    outcome = end_run(rt, run_id=run_id, actor_id=action.user_id, ending=ending)
    if isinstance(outcome, Refusal):
        tell(rt, action, outcome.message)
        return None
    return outcome


def cancel(rt: Runtime, action: BlockAction, run_id: uuid.UUID) -> SlackReply:
    if _end_run(rt, action, run_id, Ending.CANCEL) is not None:
        log.info("run canceled", extra={"run_id": str(run_id)})
    return empty()


def close(rt: Runtime, action: BlockAction, run_id: uuid.UUID) -> SlackReply:
    """Close to orders now (the message says so at once); the close function picks the runner."""
    if _end_run(rt, action, run_id, Ending.CLOSE) is not None:
        log.info("run closing", extra={"run_id": str(run_id)})
    return empty()
