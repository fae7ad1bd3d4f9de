"""How one kind of delivery is sent, recorded and given up: the shape every kind fills in."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session

from shared.db.models import SlackDelivery
from shared.runtime import Runtime
from shared.slack.render.blocks import Block, as_dicts


@dataclass(frozen=True)
class Sent:
    """What Slack now shows: the message posted or edited, and a hash of its content."""

    channel: str
    ts: str
    content_hash: str


class NotYet(Exception):  # noqa: N818 (a signal, not an error)
    """Raised by ``send``: this must wait for another delivery of the run (the runner's DM
    for the summary). The lease is given back; the other delivery's request does it next,
    unless it came by while the lease was held (the plan's ``ready`` says so)."""


def content_hash(text: str, blocks: Sequence[Block | dict[str, Any]] | None) -> str:
    """Equal for equal messages: a redraw that would change nothing is not sent."""
    encoded = json.dumps({"text": text, "blocks": as_dicts(blocks)}, sort_keys=True, default=str)
    return hashlib.sha256(encoded.encode()).hexdigest()


def _nothing(_session: Session, _row: SlackDelivery, *_args: Any) -> None:
    return None


def _never(_rt: Runtime, _row: SlackDelivery) -> bool:
    return False


@dataclass(frozen=True)
class DeliveryPlan:
    """``send`` makes the Slack call (raising Slack's errors) and returns what it put there,
    or None when there is nothing to send (the run ended, the content is already there);
    ``record`` runs in the transaction that marks it delivered; ``refused`` in the one
    that gives it up, for a permanent refusal or the deadline; ``ready``, for a ``send``
    that can raise :class:`NotYet`, whether what it waits for is there now."""

    send: Callable[[Runtime, SlackDelivery], Sent | None]
    record: Callable[[Session, SlackDelivery, Sent, datetime], None] = _nothing
    refused: Callable[[Session, SlackDelivery, str, datetime], None] = _nothing
    ready: Callable[[Runtime, SlackDelivery], bool] = _never
