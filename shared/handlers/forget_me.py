"""`/coffee forget-me`: offered with a confirm dialog, carried out on the button."""

from __future__ import annotations

import logging

from shared.delivery.tell import tell
from shared.observability.metrics import FORGOTTEN
from shared.privacy.forget import forget_person
from shared.runs.repository import get_run
from shared.runs.service import record_update
from shared.runtime import Runtime
from shared.slack.payloads import BlockAction
from shared.slack.replies import SlackReply, empty
from shared.unit_of_work import unit_of_work

log = logging.getLogger(__name__)


def forget_me(rt: Runtime, action: BlockAction) -> SlackReply:
    if action.value != action.user_id:
        tell(rt, action, "You can only ask CoffeeBuddy to forget yourself.")
        return empty()
    now = rt.clock.now()
    with unit_of_work(rt) as session:
        result = forget_person(
            session=session,
            user_id=action.user_id,
            channel_id=action.channel_id or "",
            now=now,
        )
        for run_id in set(result.affected_runs):
            run = get_run(session=session, run_id=run_id)
            if run is not None:
                record_update(session=session, run=run, change="order_withdrawn", now=now)
    FORGOTTEN.inc()
    log.info("a person was forgotten", extra={"counts": result.as_dict()})
    tell(rt, action, "Done: CoffeeBuddy has forgotten you.")
    return empty()
