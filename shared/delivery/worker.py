"""Getting one delivery into Slack: patient with 429s and 5xx, once across retries.

Inside one request a rate limit is waited out (``Retry-After``) and a 5xx or network error
retried after a short backoff, within a budget of waits that keeps the request well under
the Broker's timeout. Past that budget the lease is given back and
:class:`DeliveryPostponedError` is raised: the event endpoint answers 503, the Broker
redelivers with its backoff, and the per-minute sweep carries on after that, up to the
ledger's deadline (~30 min). Only a permanent refusal or the deadline gives a delivery up.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from datetime import timedelta
from enum import Enum
from functools import partial

from sqlmodel import Session

from shared.db.engine import transaction
from shared.db.models import SlackDelivery
from shared.delivery import ledger
from shared.delivery.kinds import ORDER, DeliveryKind
from shared.delivery.plan import NotYet, Sent
from shared.delivery.plans import PLANS
from shared.delivery.postponed import DeliveryPostponedError
from shared.observability.metrics import ERRORS
from shared.runs.repository import get_run
from shared.runtime import Runtime
from shared.slack.errors import SLACK_ERRORS, Refused, TryLater, classify
from shared.statuses import DeliveryStatus
from shared.unit_of_work import unit_of_work

log = logging.getLogger(__name__)

MAX_WAIT_IN_REQUEST = 20.0  # seconds of Retry-After and backoff one request may sleep
MAX_TRIES_IN_REQUEST = 8
BACKOFF = (0.5, 1.0, 2.0)  # after a 5xx or network error, then hand on to the Broker
QUICK_RETRIES_AFTER_ERRORS = len(BACKOFF)
RETRY_LATER = timedelta(seconds=30)
MAX_PASSES = 10  # redraws of one message per request; a longer burst is left to the next


class Outcome(Enum):
    DONE = "done"  # in Slack, or nothing (left) to do
    IDLE = "idle"  # nothing pending, or another request holds it
    FAILED = "failed"  # given up: refused for good, or the deadline passed


def patiently[T](rt: Runtime, call: Callable[[], T], *, what: str) -> T:
    """``call()``, waiting out Slack's Retry-After and backing off after 5xx or network
    errors within this request's budget; past it, or for a refusal, Slack's error is raised."""
    waited, tries, errors = 0.0, 0, 0
    while True:
        tries += 1
        try:
            return call()
        except SLACK_ERRORS as error:
            ERRORS.labels("slack_api").inc()
            verdict = classify(error)
            if not isinstance(verdict, TryLater):
                raise
            errors += 0 if verdict.retry_after is not None else 1
            wait = verdict.retry_after
            if wait is None:
                wait = BACKOFF[min(errors, len(BACKOFF)) - 1]
            if (
                errors > QUICK_RETRIES_AFTER_ERRORS
                or tries >= MAX_TRIES_IN_REQUEST
                or waited + wait > MAX_WAIT_IN_REQUEST
            ):
                raise
            log.info(
                "slack busy; waiting to retry",
                extra={"what": what, "reason": verdict.reason, "wait_seconds": wait},
            )
            rt.sleep(wait)
            waited += wait


def deliver(rt: Runtime, key: str, *, once_more: bool = True) -> Outcome:
    now = rt.clock.now()
    with transaction(rt.engine) as session:
        claim = ledger.claim(session=session, key=key, now=now)
    if claim is None:
        return Outcome.IDLE
    plan = PLANS[claim.kind]
    if claim.deadline_passed:
        _give_up(rt, key, "Slack kept failing for 30 minutes")
        return Outcome.FAILED
    wanted = claim.wanted
    for _ in range(MAX_PASSES):
        with transaction(rt.engine) as session:
            row = ledger.get(session=session, key=key)
        if row is None or row.status is not DeliveryStatus.PENDING:
            return Outcome.DONE  # deleted (a data reset) or settled meanwhile
        sent: Sent | None
        try:
            sent = patiently(rt, partial(plan.send, rt, row), what=key)
        except NotYet:
            _release(rt, key)  # whoever delivers what it waits for delivers it next...
            if once_more and plan.ready(rt, row):
                # ...unless that came while this held the lease: the other request found
                # this one taken and went on, so nobody else would try before the sweep.
                return deliver(rt, key, once_more=False)
            return Outcome.IDLE
        except SLACK_ERRORS as error:
            verdict = classify(error)
            if isinstance(verdict, Refused):
                _give_up(rt, key, verdict.reason)
                return Outcome.FAILED
            if isinstance(verdict, TryLater):
                _postpone(rt, key, verdict.reason, verdict.retry_after or 0.0)
                raise DeliveryPostponedError(f"{key}: {verdict.reason}") from None
            sent = None  # the message is gone: nothing left to draw
        with unit_of_work(rt) as session:
            row = _lock(session, key)
            if row is None or row.status is not DeliveryStatus.PENDING:
                return Outcome.DONE
            now = rt.clock.now()
            if sent is not None:
                plan.record(session, row, sent, now)
            newer = ledger.settle(session=session, row=row, drawn=wanted, now=now)
        if newer is None:
            return Outcome.DONE
        wanted = newer
    _postpone(rt, key, "more changes than one request draws", 0.0)
    return Outcome.DONE


def deliver_run(rt: Runtime, run_id: uuid.UUID) -> None:
    """Every pending delivery of a run, in order, including those that delivering asks
    for (a failed run's notices); DeliveryPostponedError if one has to wait for Slack (the
    rest wait too: the redelivery or the sweep does them in order)."""
    tried: set[str] = set()
    while True:
        with transaction(rt.engine) as session:
            pending = ledger.pending_for_run(session=session, run_id=run_id)
        todo = sorted(
            (row for row in pending if row.key not in tried),
            key=lambda row: ORDER.index(DeliveryKind(row.kind)),
        )
        if not todo:
            return
        tried.add(todo[0].key)
        deliver(rt, todo[0].key)


def _postpone(rt: Runtime, key: str, reason: str, wait: float) -> None:
    now = rt.clock.now()
    retry_at = now + max(RETRY_LATER, timedelta(seconds=wait))
    with transaction(rt.engine) as session:
        ledger.postpone(session=session, key=key, now=now, retry_at=retry_at, reason=reason)
    log.warning("slack delivery postponed", extra={"key": key, "reason": reason})


def _lock(session: Session, key: str) -> SlackDelivery | None:
    """The delivery's row, locked after its run's row: every transaction that holds both
    takes the run first (a close, a failure, an ask made while changing a run), so two of
    them never wait on each other."""
    row = ledger.get(session=session, key=key)
    if row is not None and row.run_id is not None:
        get_run(session=session, run_id=row.run_id, lock="update")
    return ledger.get(session=session, key=key, lock=True)


def _release(rt: Runtime, key: str) -> None:
    with transaction(rt.engine) as session:
        row = ledger.get(session=session, key=key, lock=True)
        if row is not None:
            row.lease_until = None
            session.add(row)


def _give_up(rt: Runtime, key: str, reason: str) -> None:
    with unit_of_work(rt) as session:
        row = _lock(session, key)
        if row is None or row.status is not DeliveryStatus.PENDING:
            return
        now = rt.clock.now()
        ledger.give_up(session=session, row=row, reason=reason, now=now)
        PLANS[DeliveryKind(row.kind)].refused(session, row, reason, now)
    ERRORS.labels("slack_delivery_failed").inc()
    log.error("slack delivery given up", extra={"key": key, "reason": reason})
