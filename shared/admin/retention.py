"""The daily purge: run data past each channel's retention, and old bookkeeping rows.

Runs (with their orders and reminders) are deleted when they started more than the
channel's ``data_retention_days`` ago and are finished; open runs are never purged.
Audit rows follow their own retention (AUDIT_RETENTION_DAYS, default 730 days), so
admin history outlives the data it describes. Published outbox rows and processed-event
records are kept 14 days: long enough to debug and to deduplicate any redelivery.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlmodel import Session, col, select

from shared.admin.service import delete_runs
from shared.db.models import Channel, ChannelAdminAction, OutboxEvent, ProcessedEvent, Run
from shared.statuses import RunStatus

BOOKKEEPING_DAYS = 14
FINISHED = (RunStatus.CLOSED, RunStatus.CANCELED, RunStatus.FAILED)


@dataclass
class PurgeCounts:
    runs: int = 0
    orders: int = 0
    reminders: int = 0
    audit: int = 0
    outbox: int = 0
    processed_events: int = 0

    def as_dict(self) -> dict[str, int]:
        return dict(self.__dict__)


def purge_expired(
    *, session: Session, now: datetime, audit_retention_days: int, batch: int = 5000
) -> PurgeCounts:
    counts = PurgeCounts()
    for channel in session.exec(select(Channel)).all():
        cutoff = now - timedelta(days=channel.data_retention_days)
        run_ids = list(
            session.exec(
                select(Run.id)
                .where(
                    Run.channel_id == channel.id,
                    col(Run.status).in_(FINISHED),
                    col(Run.started_at) < cutoff,
                )
                .limit(batch)
            ).all()
        )
        runs, orders, reminders = delete_runs(session, run_ids)
        counts.runs += runs
        counts.orders += orders
        counts.reminders += reminders
    counts.audit = _delete(
        session,
        ChannelAdminAction,
        col(ChannelAdminAction.at) < now - timedelta(days=audit_retention_days),
    )
    old = now - timedelta(days=BOOKKEEPING_DAYS)
    counts.outbox = _delete(
        session,
        OutboxEvent,
        col(OutboxEvent.published_at).is_not(None) & (col(OutboxEvent.published_at) < old),
    )
    counts.processed_events = _delete(
        session, ProcessedEvent, col(ProcessedEvent.processed_at) < old
    )
    return counts


def _delete(session: Session, model: type, condition: object) -> int:
    result = session.execute(delete(model).where(condition))  # type: ignore[arg-type]
    return int(result.rowcount)  # type: ignore[attr-defined]
