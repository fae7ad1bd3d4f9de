"""Data access for the Slack delivery ledger (``slack_delivery``): ask, claim, settle.

Every function takes the caller's session; the worker keeps each of its transactions short,
so no database connection or row lock is held while Slack is being called.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, or_
from sqlmodel import Session, col, select

from shared.db.models import SlackDelivery
from shared.db.upsert import insert_for
from shared.delivery.kinds import DeliveryKind
from shared.statuses import DeliveryStatus

# One delivery in flight per key: longer than any wait inside one request (see worker).
LEASE = timedelta(minutes=2)
# How long a transient Slack failure is retried before the delivery is given up.
DEADLINE = timedelta(minutes=30)
# A pending delivery younger than this is waiting for its own event: the sweep leaves it.
SWEEP_GRACE = timedelta(minutes=1)
SWEEP_BATCH = 200


@dataclass(frozen=True)
class Claim:
    key: str
    kind: DeliveryKind
    wanted: int
    deadline_passed: bool


def ask(
    *,
    session: Session,
    key: str,
    kind: DeliveryKind,
    now: datetime,
    run_id: uuid.UUID | None = None,
    payload: dict[str, Any] | None = None,
    target: tuple[str, str] | None = None,
    content_hash: str | None = None,
) -> None:
    """Ask for a one-shot delivery once (asking again changes nothing), or for one more
    drawing of a redraw (every ask counts; a drawing covers every ask before it)."""
    values: dict[str, Any] = {
        "key": key,
        "kind": kind.value,
        "run_id": run_id,
        "status": DeliveryStatus.PENDING.value,
        "wanted": 1,
        "done": 0,
        "attempts": 0,
        "deadline_at": now + DEADLINE,
        "payload": payload or {},
        "created_at": now,
        "updated_at": now,
    }
    if target is not None:
        values["channel"], values["ts"] = target
    if content_hash is not None:
        values["content_hash"] = content_hash
    stmt = insert_for(session, SlackDelivery).values(**values)
    if kind is DeliveryKind.REDRAW:
        again: dict[str, Any] = {
            "wanted": SlackDelivery.wanted + 1,
            "status": DeliveryStatus.PENDING.value,
            "deadline_at": now + DEADLINE,
            "updated_at": now,
        }
        if target is not None:
            again["channel"], again["ts"] = target
        if content_hash is not None:
            again["content_hash"] = content_hash
        stmt = stmt.on_conflict_do_update(index_elements=["key"], set_=again)
    else:
        stmt = stmt.on_conflict_do_nothing(index_elements=["key"])
    session.execute(stmt)


def get(*, session: Session, key: str, lock: bool = False) -> SlackDelivery | None:
    stmt = select(SlackDelivery).where(SlackDelivery.key == key)
    if lock:
        stmt = stmt.with_for_update().execution_options(populate_existing=True)
    return session.exec(stmt).first()


def claim(*, session: Session, key: str, now: datetime) -> Claim | None:
    """Take the delivery's lease, if it is pending and nobody else holds it."""
    row = get(session=session, key=key, lock=True)
    if row is None or row.status is not DeliveryStatus.PENDING or row.done >= row.wanted:
        return None
    if row.lease_until is not None and row.lease_until > now:
        return None
    row.lease_until = now + LEASE
    row.attempts += 1
    row.updated_at = now
    session.add(row)
    return Claim(
        key=row.key,
        kind=DeliveryKind(row.kind),
        wanted=row.wanted,
        deadline_passed=row.deadline_at <= now,
    )


def settle(*, session: Session, row: SlackDelivery, drawn: int, now: datetime) -> int | None:
    """Record that every ask up to ``drawn`` is in Slack. Returns None when that was the
    last ask (the lease is released), or the newer ``wanted`` to draw next (lease kept)."""
    row.done = max(row.done, drawn)
    row.updated_at = now
    row.last_error = None
    row.next_attempt_at = None
    if row.wanted > row.done:
        row.lease_until = now + LEASE
        session.add(row)
        return row.wanted
    row.status = DeliveryStatus.DONE
    row.lease_until = None
    session.add(row)
    return None


def postpone(*, session: Session, key: str, now: datetime, retry_at: datetime, reason: str) -> None:
    """Give the lease back after a transient failure; the sweep retries from ``retry_at``."""
    row = get(session=session, key=key, lock=True)
    if row is None:
        return
    row.lease_until = None
    row.next_attempt_at = retry_at
    row.last_error = reason[:200]
    row.updated_at = now
    session.add(row)


def give_up(*, session: Session, row: SlackDelivery, reason: str, now: datetime) -> None:
    row.status = DeliveryStatus.FAILED
    row.lease_until = None
    row.last_error = reason[:200]
    row.updated_at = now
    session.add(row)


def pending_for_run(*, session: Session, run_id: uuid.UUID) -> list[SlackDelivery]:
    stmt = select(SlackDelivery).where(
        SlackDelivery.run_id == run_id, SlackDelivery.status == DeliveryStatus.PENDING
    )
    return list(session.exec(stmt).all())


def redraws_of(*, session: Session, run_id: uuid.UUID, surface: str) -> list[SlackDelivery]:
    """The redraw deliveries of one surface of a run (every DM ever sent for it, say)."""
    prefix = f"run:{run_id}:redraw:{surface}"
    stmt = select(SlackDelivery).where(
        SlackDelivery.run_id == run_id, col(SlackDelivery.key).startswith(prefix)
    )
    return list(session.exec(stmt).all())


def due_for_retry(*, session: Session, now: datetime) -> list[str]:
    """Pending deliveries nobody is working on whose retry time has come (or never set,
    once their own event has had time to arrive): what the per-minute sweep hands on."""
    stmt = (
        select(SlackDelivery.key)
        .where(
            SlackDelivery.status == DeliveryStatus.PENDING,
            or_(col(SlackDelivery.lease_until).is_(None), col(SlackDelivery.lease_until) < now),
            or_(
                col(SlackDelivery.next_attempt_at) <= now,
                (col(SlackDelivery.next_attempt_at).is_(None))
                & (col(SlackDelivery.updated_at) < now - SWEEP_GRACE),
            ),
        )
        .order_by(col(SlackDelivery.updated_at))
        .limit(SWEEP_BATCH)
    )
    return list(session.exec(stmt).all())


def forget_runs(*, session: Session, run_ids: list[uuid.UUID]) -> int:
    """Deliveries of deleted runs go with them (data reset, retention)."""
    if not run_ids:
        return 0
    result = session.execute(delete(SlackDelivery).where(col(SlackDelivery.run_id).in_(run_ids)))
    return int(result.rowcount)  # type: ignore[attr-defined]


def purge_finished(*, session: Session, before: datetime) -> int:
    result = session.execute(
        delete(SlackDelivery).where(
            col(SlackDelivery.status).in_((DeliveryStatus.DONE, DeliveryStatus.FAILED)),
            col(SlackDelivery.updated_at) < before,
        )
    )
    return int(result.rowcount)  # type: ignore[attr-defined]
