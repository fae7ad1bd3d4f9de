"""Slack requests seen before: a signed interaction replayed inside its five fresh minutes
(an older order submission, an old Withdraw) must not apply itself again.

Each signature is recorded once (``processed_event``, kept 14 days like the events'); the
same signature again is the same request. `/coffee` needs none of this: its command event
is keyed on the trigger_id, and the run on it too.
"""

from __future__ import annotations

from shared.db.engine import transaction
from shared.events.idempotency import first_delivery
from shared.runtime import Runtime

CONSUMER = "slack-interactions"


def first_time(rt: Runtime, signature: str) -> bool:
    with transaction(rt.engine) as session:
        return first_delivery(
            session=session, consumer=CONSUMER, event_id=signature, now=rt.clock.now()
        )
