"""Notes to a person or a channel, decided by a request and delivered after its answer.

A request that has something to say (a refusal after a click, "Your order was withdrawn",
a modal's "Saved") asks for a notice in its own transaction; the event-driven worker
delivers it once, patiently. Where it goes is the notice's ``via``.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from datetime import datetime
from enum import StrEnum
from typing import Any

from slack_sdk.webhook import WebhookClient
from sqlmodel import Session

from shared.db.models import SlackDelivery
from shared.delivery import ledger
from shared.delivery.kinds import DeliveryKind, notice_key
from shared.delivery.plan import DeliveryPlan, Sent, content_hash
from shared.delivery.requests import record_nudge
from shared.runtime import Runtime
from shared.slack.errors import ResponseUrlError, retry_after_of
from shared.slack.render.blocks import Block, View, as_dict, as_dicts


class Via(StrEnum):
    EPHEMERAL = "ephemeral"  # chat.postEphemeral to ``user`` in ``channel``
    RESPONSE_URL = "response_url"  # the command's or the click's own reply URL
    VIEW = "view"  # views.update of an open modal
    DM = "dm"  # chat.postMessage to ``user``
    CHANNEL = "channel"  # chat.postMessage in ``channel``
    EDIT = "edit"  # chat.update of ``channel``/``ts`` (a message that is no run's any more)


@dataclass(frozen=True)
class Notice:
    via: Via
    text: str = ""
    blocks: Sequence[Block | dict[str, Any]] | None = None
    channel: str | None = None
    user: str | None = None
    response_url: str | None = None
    view_id: str | None = None
    view: View | dict[str, Any] | None = None
    ts: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)  # e.g. replace_original

    def as_payload(self) -> dict[str, Any]:
        """Slack's JSON for the ledger (Block Kit objects checked and serialised)."""
        values = {f.name: getattr(self, f.name) for f in fields(self)}
        values["blocks"], values["view"] = as_dicts(self.blocks), as_dict(self.view)
        return {k: v for k, v in values.items() if v not in (None, {}, "")}

    @classmethod
    def from_payload(cls, payload: dict[str, Any]) -> Notice:
        values = dict(payload)
        values["via"] = Via(values.get("via", ""))
        return cls(**{k: v for k, v in values.items() if k in cls.__dataclass_fields__})


def ask_notice(
    *,
    session: Session,
    notice: Notice,
    now: datetime,
    run_id: uuid.UUID | None = None,
    key: str | None = None,
) -> str:
    """Ask for ``notice`` in the caller's transaction; the worker is nudged by an event.
    A ``key`` made from what caused the notice (an event id) makes asking again a no-op."""
    key = key or notice_key(uuid.uuid4())
    ledger.ask(
        session=session,
        key=key,
        kind=DeliveryKind.NOTICE,
        now=now,
        run_id=run_id,
        payload=notice.as_payload(),
    )
    record_nudge(session=session, key=key, run_id=run_id, now=now)
    return key


def _send(rt: Runtime, row: SlackDelivery) -> Sent | None:
    notice = Notice.from_payload(row.payload)
    slack = rt.background_slack
    shown = notice.blocks or ([as_dict(notice.view) or {}] if notice.view else None)
    digest = content_hash(notice.text, shown)
    if notice.via is Via.EPHEMERAL:
        slack.chat_postEphemeral(
            channel=notice.channel or "",
            user=notice.user or "",
            text=notice.text,
            blocks=notice.blocks,
        )
        return Sent(notice.channel or "", "", digest)
    if notice.via is Via.RESPONSE_URL:
        _reply(rt, notice)
        return Sent("", "", digest)
    if notice.via is Via.VIEW:
        slack.views_update(view_id=notice.view_id or "", view=notice.view or {})
        return Sent("", "", digest)
    if notice.via is Via.EDIT:
        slack.chat_update(
            channel=notice.channel or "", ts=notice.ts or "", text=notice.text, blocks=notice.blocks
        )
        return Sent(notice.channel or "", notice.ts or "", digest)
    where = notice.user if notice.via is Via.DM else notice.channel
    response = slack.chat_postMessage(channel=where or "", text=notice.text, blocks=notice.blocks)
    return Sent(str(response["channel"]), str(response["ts"]), digest)


def leads_to_slack(rt: Runtime, url: str | None) -> bool:
    """Whether ``url`` is a response_url we post to: Slack's (or the configured stand-in's)."""
    if not url:
        return False
    return any(url.startswith(prefix) for prefix in rt.settings.response_url_prefixes)


def _reply(rt: Runtime, notice: Notice) -> None:
    """Post to a response_url, only one that leads to Slack (or the configured stand-in):
    the URL comes from an event, and any in-cluster producer could have written it."""
    url = notice.response_url or ""
    if not leads_to_slack(rt, url):
        raise ResponseUrlError(403, "response_url_not_allowed")
    body: dict[str, Any] = {"response_type": "ephemeral", "text": notice.text, **notice.extra}
    if notice.blocks:
        body["blocks"] = notice.blocks
    response = WebhookClient(url, timeout=10).send_dict(body)
    if response.status_code != 200:
        raise ResponseUrlError(
            response.status_code, response.body or "", retry_after_of(dict(response.headers))
        )


NOTICE = DeliveryPlan(send=_send)
