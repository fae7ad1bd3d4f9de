"""Handing an admin-only click on to the close function, which asks Slack whether the
person is an admin after the Slack-facing answer (shared.handlers.admin_actions)."""

from __future__ import annotations

from shared.events import catalog
from shared.events.outbox import record
from shared.runtime import Runtime
from shared.unit_of_work import unit_of_work


def request_action(rt: Runtime, data: catalog.ActionRequested) -> None:
    """Hand an admin-only change on to the close function, durably (the outbox)."""
    with unit_of_work(rt) as session:
        record(
            session=session,
            data=data,
            now=rt.clock.now(),
        )
