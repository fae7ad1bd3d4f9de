"""The runner's buttons: "Arrived" (summary and DM) and "Can't go" (DM).

Each records its change with the deliveries it causes (the arrival announcement, the new
runner's DM) and answers; the close function announces, DMs and redraws the summary and
DMs after the answer (the run.updated each change records asks for the redraws).
"""

from __future__ import annotations

import logging
import uuid

from shared.delivery import ledger
from shared.delivery.kinds import DeliveryKind, arrival_key, runner_dm_key
from shared.delivery.tell import tell
from shared.refusal import Refusal
from shared.runs.arrival import mark_arrived
from shared.runs.decline import decline_runner
from shared.runs.service import record_update
from shared.runtime import Runtime
from shared.slack.payloads import BlockAction
from shared.slack.replies import SlackReply, empty
from shared.unit_of_work import unit_of_work

log = logging.getLogger(__name__)


def arrived(rt: Runtime, action: BlockAction, run_id: uuid.UUID) -> SlackReply:
    now = rt.clock.now()
    with unit_of_work(rt) as session:
        outcome = mark_arrived(session=session, run_id=run_id, actor_id=action.user_id, now=now)
        if isinstance(outcome, Refusal):
            refusal: str | None = outcome.message
        else:
            refusal = None
            if outcome.newly:  # a repeat click changes nothing
                ledger.ask(
                    session=session,
                    key=arrival_key(run_id),
                    kind=DeliveryKind.ARRIVAL,
                    now=now,
                    run_id=run_id,
                )
                record_update(session=session, run=outcome.run, change="arrived", now=now)
    if refusal is not None:
        tell(rt, action, refusal)
    else:
        log.info("coffee arrived", extra={"run_id": str(run_id)})
    return empty()


def decline(rt: Runtime, action: BlockAction, run_id: uuid.UUID) -> SlackReply:
    now = rt.clock.now()
    with unit_of_work(rt) as session:
        outcome = decline_runner(session=session, run_id=run_id, actor_id=action.user_id, now=now)
        if isinstance(outcome, Refusal):
            session.rollback()
            refusal: str | None = outcome.message
        else:
            refusal = None
            runner = outcome.run.runner_id or ""
            ledger.ask(
                session=session,
                key=runner_dm_key(run_id, runner),
                kind=DeliveryKind.RUNNER_DM,
                now=now,
                run_id=run_id,
                payload={"runner": runner},
            )
    if refusal is not None:
        tell(rt, action, refusal)
        return empty()
    log.info("runner declined", extra={"run_id": str(run_id), "new_runner": runner})
    return empty()
