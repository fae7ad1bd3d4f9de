"""The close function's work for one run.closed event: pick the runner, then deliver.

The pick and the deliveries it asks for (summary, runner DM, redraw) commit together, so a
redelivered or concurrent event finds the runner picked and the deliveries either done or
pending; the delivery worker sends each once, patiently (shared.delivery.worker).
"""

from __future__ import annotations

import logging
import uuid

from shared.delivery import ledger
from shared.delivery.kinds import DeliveryKind, runner_dm_key, summary_key
from shared.delivery.redraws import ask_redraw
from shared.delivery.worker import deliver_run
from shared.events import catalog
from shared.events.envelope import Event
from shared.observability.metrics import RUN_DURATION, RUNS
from shared.reminders.service import merge_into_runner_dm
from shared.runs.closing import assign_runner
from shared.runtime import Runtime
from shared.statuses import RunStatus
from shared.unit_of_work import unit_of_work

log = logging.getLogger(__name__)


def handle_run_closed(rt: Runtime, data: catalog.RunClosed, _event: Event) -> None:
    run_id = uuid.UUID(data.run_id)
    now = rt.clock.now()
    with unit_of_work(rt) as session:
        result = assign_runner(session=session, run_id=run_id, now=now)
        if result is not None and result.newly_closed:
            run = result.run
            if run.status is RunStatus.CLOSED and run.runner_id:
                merge_into_runner_dm(session=session, run=run, now=now)
                ledger.ask(
                    session=session,
                    key=summary_key(run.id),
                    kind=DeliveryKind.SUMMARY,
                    now=now,
                    run_id=run.id,
                )
                ledger.ask(
                    session=session,
                    key=runner_dm_key(run.id, run.runner_id),
                    kind=DeliveryKind.RUNNER_DM,
                    now=now,
                    run_id=run.id,
                    payload={"runner": run.runner_id},
                )
            ask_redraw(session=session, run_id=run.id, now=now)
    if result is None:
        log.warning("run.closed for an unknown run", extra={"run_id": data.run_id})
        return
    run = result.run
    if result.newly_closed:
        RUNS.labels(run.status).inc()
        if run.closed_at:
            RUN_DURATION.observe((run.closed_at - run.started_at).total_seconds())
        log.info("run closed", extra={"run_id": data.run_id, "status": run.status})
    deliver_run(rt, run_id)
