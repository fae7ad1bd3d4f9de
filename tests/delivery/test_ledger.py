"""The delivery ledger's rules, on Postgres: asks add up, one holder at a time, and a
drawing settles only the asks it saw (so an ask made during a drawing is never lost)."""

from __future__ import annotations

import uuid
from datetime import timedelta

from shared.db.engine import transaction
from shared.delivery import ledger
from shared.delivery.kinds import DeliveryKind

KEY = "run:x:redraw:message"


def ask(rt, key: str = KEY, kind: DeliveryKind = DeliveryKind.REDRAW) -> None:
    with transaction(rt.engine) as session:
        ledger.ask(session=session, key=key, kind=kind, now=rt.clock.now())


def claim(rt, key: str = KEY):
    with transaction(rt.engine) as session:
        return ledger.claim(session=session, key=key, now=rt.clock.now())


def settle(rt, drawn: int, key: str = KEY):
    with transaction(rt.engine) as session:
        row = ledger.get(session=session, key=key, lock=True)
        return ledger.settle(session=session, row=row, drawn=drawn, now=rt.clock.now())


def row(rt, key: str = KEY):
    with transaction(rt.engine) as session:
        return ledger.get(session=session, key=key)


def test_every_redraw_ask_counts_but_a_one_shot_is_asked_once(runtime):
    for _ in range(3):
        ask(runtime)
        ask(runtime, "notice:1", DeliveryKind.NOTICE)
    assert row(runtime).wanted == 3
    assert row(runtime, "notice:1").wanted == 1


def test_one_holder_at_a_time_until_the_lease_runs_out(runtime):
    ask(runtime)
    assert claim(runtime) is not None
    assert claim(runtime) is None  # held
    runtime.clock.advance(ledger.LEASE + timedelta(seconds=1))
    assert claim(runtime) is not None  # the holder died: someone else takes over


def test_an_ask_made_while_drawing_is_drawn_before_the_lease_is_given_back(runtime):
    ask(runtime)
    taken = claim(runtime)
    assert taken is not None and taken.wanted == 1
    ask(runtime)  # a change committed while the holder was drawing
    assert settle(runtime, drawn=1) == 2  # the holder must draw again, lease kept
    assert claim(runtime) is None
    assert settle(runtime, drawn=2) is None
    done = row(runtime)
    assert done.status == "done" and done.lease_until is None


def test_a_settled_redraw_is_pending_again_on_the_next_ask(runtime):
    ask(runtime)
    claim(runtime)
    settle(runtime, drawn=1)
    ask(runtime)
    assert row(runtime).status == "pending" and claim(runtime).wanted == 2


def test_the_sweep_finds_what_nobody_holds_once_its_event_had_time_to_arrive(runtime):
    ask(runtime)
    with transaction(runtime.engine) as session:
        assert ledger.due_for_retry(session=session, now=runtime.clock.now()) == []
    runtime.clock.advance(ledger.SWEEP_GRACE + timedelta(seconds=1))
    with transaction(runtime.engine) as session:
        assert ledger.due_for_retry(session=session, now=runtime.clock.now()) == [KEY]
    claim(runtime)
    with transaction(runtime.engine) as session:
        assert ledger.due_for_retry(session=session, now=runtime.clock.now()) == []


def test_a_postponed_delivery_is_due_at_its_retry_time(runtime):
    ask(runtime)
    claim(runtime)
    now = runtime.clock.now()
    with transaction(runtime.engine) as session:
        ledger.postpone(
            session=session, key=KEY, now=now, retry_at=now + timedelta(seconds=30), reason="503"
        )
    with transaction(runtime.engine) as session:
        assert ledger.due_for_retry(session=session, now=now) == []
        assert ledger.due_for_retry(session=session, now=now + timedelta(seconds=31)) == [KEY]
    assert row(runtime).last_error == "503"


def test_the_deadline_is_reported_by_the_claim(runtime):
    ask(runtime, "notice:late", DeliveryKind.NOTICE)
    runtime.clock.advance(ledger.DEADLINE)
    assert claim(runtime, "notice:late").deadline_passed


def test_deliveries_of_deleted_runs_go_with_them(runtime):
    run_id = uuid.uuid4()
    with transaction(runtime.engine) as session:
        ledger.ask(
            session=session,
            key="r",
            kind=DeliveryKind.SUMMARY,
            now=runtime.clock.now(),
            run_id=run_id,
        )
    with transaction(runtime.engine) as session:
        assert ledger.forget_runs(session=session, run_ids=[run_id]) == 1
    assert row(runtime, "r") is None
