"""`/coffee forget-me`: offered with a confirm dialog, carried out on the button."""

from __future__ import annotations

import logging

from shared.delivery import ledger
from shared.delivery.kinds import DeliveryKind, runner_dm_key
from shared.delivery.tell import tell
from shared.observability.metrics import FORGOTTEN
from shared.privacy.forget import forget_person
from shared.runs.leaving import leave_runs
from shared.runs.repository import get_run
from shared.runs.service import record_update
from shared.runtime import Runtime
from shared.slack.payloads import BlockAction
from shared.slack.render.forget_me import forgotten_text
from shared.slack.replies import SlackReply, empty
from shared.unit_of_work import unit_of_work

log = logging.getLogger(__name__)


def forget_me(rt: Runtime, action: BlockAction) -> SlackReply:
    if action.value != action.user_id:
        tell(rt, action, "You can only ask CoffeeBuddy to forget yourself.")
        return empty()
    now = rt.clock.now()
    with unit_of_work(rt) as session:
        left = leave_runs(session=session, user_id=action.user_id, now=now)
        for taken in left.handed_on:
            runner = taken.runner_id or ""
            ledger.ask(
                session=session,
                key=runner_dm_key(taken.id, runner),
                kind=DeliveryKind.RUNNER_DM,
                now=now,
                run_id=taken.id,
                payload={"runner": runner},
            )
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
    tell(rt, action, forgotten_text(left), replace=True)  # the offer's button goes with it
    return empty()
