"""The close function's other work: everything that reaches Slack after an answer.

A run changed (run.updated): its message is redrawn, and its summary and DMs when the
runner or the arrival changed. Something was asked for (delivery.requested, or the sweep
handing on one that is due again): it is delivered. Both tolerate any order and any
number of deliveries of the same event: asks only add, and the worker settles once.
"""

from __future__ import annotations

import uuid

from shared.delivery.redraws import ask_redraws_after_change
from shared.delivery.worker import deliver, deliver_run
from shared.events import catalog
from shared.events.envelope import Event
from shared.runs.repository import get_run
from shared.runtime import Runtime
from shared.unit_of_work import unit_of_work

# What changes the summary and the DMs, besides the run message.
RUNNER_CHANGES = frozenset({"runner_declined", "arrived"})


def handle_delivery_requested(rt: Runtime, asked: catalog.DeliveryRequested, _event: Event) -> None:
    if asked.run_id:
        deliver_run(rt, uuid.UUID(asked.run_id))
    else:
        deliver(rt, asked.key)


def handle_run_updated(rt: Runtime, change: catalog.RunUpdated, _event: Event) -> None:
    run_id = uuid.UUID(change.run_id)
    with unit_of_work(rt) as session:
        if get_run(session=session, run_id=run_id) is None:
            return  # deleted since (a data reset): nothing to draw
        ask_redraws_after_change(
            session=session,
            run_id=run_id,
            now=rt.clock.now(),
            runner_changed=change.change in RUNNER_CHANGES,
        )
    deliver_run(rt, run_id)
