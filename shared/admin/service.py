"""Admin changes to a channel, each with its audit row in the same transaction."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import delete
from sqlmodel import Session, col, select

from shared.channels.config import ChannelConfig
from shared.db.models import (
    Channel,
    ChannelAdminAction,
    Order,
    Reminder,
    Run,
    RunnerDecline,
    RunnerStats,
)
from shared.delivery.ledger import forget_runs
from shared.runs.service import record_update
from shared.statuses import RunStatus

DISABLED_NOTE = "CoffeeBuddy was turned off in this channel, so this run was canceled."


@dataclass
class ConfigChange:
    before: ChannelConfig
    after: ChannelConfig
    actions: list[str] = field(default_factory=list)
    canceled_runs: list[Run] = field(default_factory=list)


def lock_channel(*, session: Session, channel_id: str) -> Channel | None:
    return session.exec(select(Channel).where(Channel.id == channel_id).with_for_update()).first()


def _audit(
    session: Session,
    channel_id: str,
    actor: str,
    action: str,
    details: dict[str, Any],
    now: datetime,
) -> None:
    session.add(
        ChannelAdminAction(
            channel_id=channel_id, actor_id=actor, action_type=action, details=details, at=now
        )
    )


def apply_config(
    *,
    session: Session,
    channel: Channel,
    actor: str,
    changes: dict[str, bool | int | None],
    now: datetime,
) -> ConfigChange:
    """Apply validated changes to a locked channel; audit each kind of change."""
    before = ChannelConfig.of(channel)
    for name, value in changes.items():
        setattr(channel, name, value)
    after = ChannelConfig.of(channel)
    result = ConfigChange(before=before, after=after)
    if after == before:
        return result
    channel.updated_at = now
    session.add(channel)
    if before.enabled != after.enabled:
        action = "enable" if after.enabled else "disable"
        _audit(
            session,
            channel.id,
            actor,
            action,
            {"before": before.enabled, "after": after.enabled},
            now,
        )
        result.actions.append(action)
    changed = {
        k: (v, after.as_dict()[k])
        for k, v in before.as_dict().items()
        if k != "enabled" and v != after.as_dict()[k]
    }
    if changed:
        _audit(
            session,
            channel.id,
            actor,
            "update_config",
            {
                "before": {k: v[0] for k, v in changed.items()},
                "after": {k: v[1] for k, v in changed.items()},
            },
            now,
        )
        result.actions.append("update_config")
    if before.enabled and not after.enabled:
        result.canceled_runs = _cancel_open_runs(session, channel.id, actor, now)
    return result


def _cancel_open_runs(session: Session, channel_id: str, actor: str, now: datetime) -> list[Run]:
    runs = list(
        session.exec(
            select(Run)
            .where(
                Run.channel_id == channel_id,
                col(Run.status).in_((RunStatus.OPEN, RunStatus.CLOSING)),
            )
            .with_for_update()
        ).all()
    )
    for run in runs:
        run.cancel(by=actor, now=now, note=DISABLED_NOTE)
        session.add(run)
        record_update(session=session, run=run, change="canceled", now=now)
    return runs


@dataclass(frozen=True)
class ResetCounts:
    runs: int
    orders: int
    reminders: int
    stats: int

    def as_dict(self) -> dict[str, int]:
        return {
            "runs": self.runs,
            "orders": self.orders,
            "reminders": self.reminders,
            "stats": self.stats,
        }


def delete_runs(session: Session, run_ids: list[Any]) -> tuple[int, int, int]:
    """Delete runs with their orders and reminders; returns (runs, orders, reminders)."""
    if not run_ids:
        return 0, 0, 0
    forget_runs(session=session, run_ids=run_ids)
    session.execute(delete(RunnerDecline).where(col(RunnerDecline.run_id).in_(run_ids)))
    reminders = session.execute(delete(Reminder).where(col(Reminder.run_id).in_(run_ids))).rowcount  # type: ignore[attr-defined]
    orders = session.execute(delete(Order).where(col(Order.run_id).in_(run_ids))).rowcount  # type: ignore[attr-defined]
    runs = session.execute(delete(Run).where(col(Run.id).in_(run_ids))).rowcount  # type: ignore[attr-defined]
    return int(runs), int(orders), int(reminders)


def reset_channel(*, session: Session, channel: Channel, actor: str, now: datetime) -> ResetCounts:
    """Delete the channel's runs, orders, reminders and runner stats; keep settings and audit."""
    run_ids = list(session.exec(select(Run.id).where(Run.channel_id == channel.id)).all())
    runs, orders, reminders = delete_runs(session, run_ids)
    stats = session.execute(
        delete(RunnerStats).where(col(RunnerStats.channel_id) == channel.id)
    ).rowcount  # type: ignore[attr-defined]
    counts = ResetCounts(runs=runs, orders=orders, reminders=reminders, stats=int(stats))
    _audit(session, channel.id, actor, "data_reset", {"deleted": counts.as_dict()}, now)
    return counts


def recent_actions(
    *, session: Session, channel_id: str, limit: int = 10
) -> list[ChannelAdminAction]:
    stmt = (
        select(ChannelAdminAction)
        .where(ChannelAdminAction.channel_id == channel_id)
        .order_by(col(ChannelAdminAction.at).desc())
        .limit(limit)
    )
    return list(session.exec(stmt).all())
