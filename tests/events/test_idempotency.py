"""A consumer sees each event id once, even when the same event comes twice (Postgres)."""

from __future__ import annotations

from shared.db.engine import transaction
from shared.events.idempotency import first_delivery


def test_the_second_delivery_of_an_event_is_not_a_first(runtime):
    seen = []
    for _ in range(2):
        with transaction(runtime.engine) as session:
            seen.append(
                first_delivery(
                    session=session, consumer="reminders", event_id="e-1", now=runtime.clock.now()
                )
            )
    assert seen == [True, False]


def test_another_consumer_sees_the_same_event_for_the_first_time(runtime):
    for consumer in ("reminders", "slack-interactions"):
        with transaction(runtime.engine) as session:
            assert first_delivery(
                session=session, consumer=consumer, event_id="e-2", now=runtime.clock.now()
            )
