"""What the page remembers that the Slack API server does not: who sent which trigger,
which modals were dismissed, answers only a client sees, and when messages appeared."""

from __future__ import annotations

import threading
import uuid
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

JsonObject = dict[str, Any]
SLACKBOT = "Slackbot"
APP_NAME = "CoffeeBuddy"


@dataclass(frozen=True)
class Reply:
    """A slash command's JSON answer (or a response_url post) or a Slack client notice."""

    channel: str
    user: str | None  # None: the whole channel sees it
    ts: str
    text: str
    blocks: list[JsonObject]
    author: str = APP_NAME


@dataclass
class ModalEdits:
    """What was last submitted in a modal and the errors the app gave for it."""

    view_hash: str
    errors: dict[str, str]
    typed: dict[str, list[str]]


@dataclass(frozen=True)
class ResponseTarget:
    user: str
    channel: str
    ts: str | None = None  # the message clicked, which replace_original replaces


def ts_key(ts: object) -> Decimal:
    try:
        return Decimal(str(ts))
    except InvalidOperation:
        return Decimal(0)


@dataclass
class PlaygroundState:
    """Thread-safe through ``lock``; every reader and writer holds it."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    triggers: dict[str, str] = field(default_factory=dict)  # trigger id -> user, as sent
    dismissed: set[str] = field(default_factory=set)
    replies: list[Reply] = field(default_factory=list)
    edits: dict[str, ModalEdits] = field(default_factory=dict)
    first_seen: dict[str, datetime] = field(default_factory=dict)
    response_urls: dict[str, ResponseTarget] = field(default_factory=dict)
    advanced: timedelta = timedelta(0)

    def new_response_url(
        self, base_url: str, user: str, channel: str, ts: str | None = None
    ) -> str:
        token = uuid.uuid4().hex
        with self.lock:
            self.response_urls[token] = ResponseTarget(user=user, channel=channel, ts=ts)
        return f"{base_url}/playground/response/{token}"

    def add_reply(
        self,
        *,
        channel: str,
        user: str | None,
        after: list[str],
        text: str,
        blocks: list[JsonObject],
        author: str = APP_NAME,
    ) -> Reply:
        """``after``: the ts values already on screen; the reply sorts just after them."""
        with self.lock:
            shown = [ts_key(ts) for ts in after] + [ts_key(r.ts) for r in self.replies]
            latest = max(shown, default=Decimal(0))
            reply = Reply(
                channel=channel,
                user=user,
                ts=f"{latest + Decimal('0.000001'):f}",
                text=text,
                blocks=blocks,
                author=author,
            )
            self.replies.append(reply)
        return reply

    def replace_reply(self, ts: str, text: str, blocks: list[JsonObject]) -> bool:
        """Slack's ``replace_original`` for an answer we show: same place, new content."""
        with self.lock:
            for i, reply in enumerate(self.replies):
                if reply.ts == ts:
                    self.replies[i] = replace(reply, text=text, blocks=blocks)
                    return True
        return False

    def replies_for(self, channel: str, user: str) -> list[Reply]:
        with self.lock:
            return [r for r in self.replies if r.channel == channel and r.user in (None, user)]

    def seen_at(self, ts: str, now: datetime) -> datetime:
        with self.lock:
            return self.first_seen.setdefault(ts, now)
