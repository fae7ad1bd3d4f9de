"""Starting and canceling runs: the rules, applied inside the caller's transaction."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from shared.db.models import Channel, Run
from shared.events import catalog
from shared.events.outbox import record
from shared.refusal import Refusal
from shared.runs.repository import count_participants, get_open_run, get_run, get_run_by_trigger
from shared.statuses import RunStatus

DISABLED_CHANNEL = (
    "CoffeeBuddy is turned off in this channel, so nothing was started. "
    "A workspace admin can turn it back on with `/coffee admin`."
)


@dataclass(frozen=True)
class AlreadyStarted:
    """The same Slack request (by trigger id) was handled before: a retry or a replay."""

    run: Run


def start_run(
    *,
    session: Session,
    channel: Channel,
    initiator_id: str,
    pickup_at: datetime | None,
    note: str | None,
    trigger_id: str,
    correlation_id: str,
    now: datetime,
) -> Run | AlreadyStarted | Refusal:
    earlier = get_run_by_trigger(session=session, trigger_id=trigger_id)
    if earlier is not None:
        return AlreadyStarted(earlier)
    if not channel.enabled:
        return Refusal(DISABLED_CHANNEL)
    existing = get_open_run(session=session, channel_id=channel.id)
    if existing is not None:
        return _already_open(existing)
    run = Run(
        channel_id=channel.id,
        initiator_id=initiator_id,
        pickup_at=pickup_at,
        pickup_note=note,
        slack_trigger_id=trigger_id,
        correlation_id=correlation_id,
        started_at=now,
    )
    try:
        with session.begin_nested():
            session.add(run)
    except IntegrityError:
        # A concurrent /coffee won the race for the channel's one open run (or this
        # very request is being handled twice at once).
        earlier = get_run_by_trigger(session=session, trigger_id=trigger_id)
        if earlier is not None:
            return AlreadyStarted(earlier)
        existing = get_open_run(session=session, channel_id=channel.id)
        return _already_open(existing) if existing else Refusal("Please try again.")
    record(
        session=session,
        data=catalog.RunCreated(
            run_id=str(run.id),
            channel_id=run.channel_id,
            initiator_id=initiator_id,
            pickup_at=pickup_at,
            has_note=bool(note),
        ),
        now=now,
    )
    return run


def _already_open(run: Run) -> Refusal:
    return Refusal(
        f"There's already an open coffee run here, started by <@{run.initiator_id}>. "
        "Add your order to it, or ask them to close it before starting another."
    )


def lock_open_run_for(
    *, session: Session, run_id: uuid.UUID, actor_id: str, actor_is_admin: bool, verb: str
) -> Run | Refusal:
    """The open run, row-locked, if ``actor_id`` (its initiator or an admin) may ``verb`` it."""
    run = get_run(session=session, run_id=run_id, lock="update")
    if run is None:
        return Refusal("That coffee run no longer exists.")
    if run.status is RunStatus.CLOSING:
        return Refusal("This run is already closing; the runner is being picked.")
    if run.status is not RunStatus.OPEN:
        return Refusal(f"This run is already {run.status}.")
    if actor_id != run.initiator_id and not actor_is_admin:
        return Refusal(
            f"Only <@{run.initiator_id}>, who started this run, or an admin can {verb} it."
        )
    return run


def record_update(*, session: Session, run: Run, change: str, now: datetime) -> None:
    """A run.updated event for ``run`` in the caller's transaction."""
    record(
        session=session,
        data=catalog.RunUpdated.model_validate(
            {
                "run_id": str(run.id),
                "channel_id": run.channel_id,
                "status": run.status,
                "change": change,
                "participant_count": count_participants(session=session, run_id=run.id),
            }
        ),
        now=now,
    )


def mark_failed(*, session: Session, run: Run, reason: str, now: datetime) -> None:
    run.fail(reason=reason, now=now)
    session.add(run)
