"""The outbox sweep: failures wait for the next sweep, and one bad event never blocks the rest."""

from __future__ import annotations

from sqlmodel import Session, select

from shared.db.models import OutboxEvent
from shared.events import catalog
from shared.events.envelope import Event
from shared.events.outbox import MAX_ATTEMPTS, publish_pending, record
from shared.events.publisher import PublishError


class Picky:
    """Refuses events whose subject is 'poison'."""

    def __init__(self) -> None:
        self.published: list[Event] = []

    def publish(self, event: Event) -> None:
        if event.subject == "poison":
            raise PublishError("message too large")
        self.published.append(event)


def _record(runtime, subject: str) -> None:
    with Session(runtime.engine) as session:
        record(
            session=session,
            data=catalog.RunClosed(run_id=subject, channel_id="C1", closed_by="U1"),
            now=runtime.clock.now(),
        )
        session.commit()


def _rows(runtime) -> list[OutboxEvent]:
    with Session(runtime.engine) as session:
        return list(session.exec(select(OutboxEvent)).all())


def test_a_poison_event_goes_last_and_stops_blocking_the_rest(runtime):
    publisher = Picky()
    _record(runtime, "poison")
    _record(runtime, "good-1")
    publish_pending(runtime.engine, publisher, now=runtime.clock.now())
    assert publisher.published == []  # the first sweep tried the oldest and stopped
    _record(runtime, "good-2")
    for _ in range(3):
        publish_pending(runtime.engine, publisher, now=runtime.clock.now())
    assert sorted(e.subject for e in publisher.published) == ["good-1", "good-2"]


def test_an_event_is_given_up_after_max_attempts(runtime):
    publisher = Picky()
    _record(runtime, "poison")
    for _ in range(MAX_ATTEMPTS + 5):
        publish_pending(runtime.engine, publisher, now=runtime.clock.now())
    [row] = _rows(runtime)
    assert row.published_at is None and row.attempts == MAX_ATTEMPTS


def test_events_written_with_state_are_published_once(runtime):
    publisher = Picky()
    _record(runtime, "good")
    assert publish_pending(runtime.engine, publisher, now=runtime.clock.now()) == 1
    assert publish_pending(runtime.engine, publisher, now=runtime.clock.now()) == 0
    assert [e.subject for e in publisher.published] == ["good"]
