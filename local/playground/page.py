"""The page's panes for one person, as HTML fragments the page swaps in when they change."""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from local.playground.actions import Playground
from local.playground.blocks import blocks_html
from local.playground.modal import modal_html
from local.playground.mrkdwn import RenderContext, mrkdwn_html
from local.playground.payloads import IDENTITY, Person
from local.playground.reading import Shown
from local.playground.state import SLACKBOT

AVATARS = {SLACKBOT: "\U0001f916"}
APP_AVATAR = "\u2615\ufe0f"
EMPTY_CHANNEL = (
    '<p class="pg-empty">No messages yet. Type <code>/coffee in 30m</code> below to start '
    "a run, or <code>/coffee help</code>.</p>"
)
EMPTY_DMS = (
    '<p class="pg-empty">No direct messages yet. The runner\'s list and the pickup reminder '
    "arrive here.</p>"
)


@dataclass(frozen=True)
class Panes:
    channel: str
    dms: str
    modal: str | None
    dm_counts: dict[str, int]
    clock: str
    advanced_minutes: int

    def as_json(self) -> dict[str, Any]:
        return {
            "channel": self.channel,
            "dms": self.dms,
            "modal": self.modal,
            "dm_counts": self.dm_counts,
            "clock": self.clock,
            "advanced_minutes": self.advanced_minutes,
        }


def render_context(playground: Playground, viewer: Person) -> RenderContext:
    people = {person.id: person.name for person in playground.people.values()}
    people[IDENTITY.user_id] = "CoffeeBuddy"
    return RenderContext(
        people=people,
        channels={playground.channel.id: playground.channel.name},
        viewer=viewer.id,
        tz=ZoneInfo(viewer.tz),
        now=playground.clock.now(),
    )


def panes(playground: Playground, viewer: Person) -> Panes:
    ctx = render_context(playground, viewer)
    reader = playground.reader
    timeline = reader.timeline(viewer.id)
    dms = reader.direct_messages(viewer.id)
    modal = reader.modal(viewer.id)
    modal_markup = None
    if modal is not None:
        modal_markup = modal_html(
            modal.view,
            ctx,
            errors=modal.edits.errors if modal.edits else {},
            typed=modal.edits.typed if modal.edits else None,
        )
    with playground.state.lock:
        advanced = playground.state.advanced
    now = ctx.now.astimezone(ctx.tz)
    return Panes(
        channel="".join(message_html(m, ctx) for m in timeline) or EMPTY_CHANNEL,
        dms="".join(message_html(m, ctx) for m in dms) or EMPTY_DMS,
        modal=modal_markup,
        dm_counts={p: reader.dm_count(p) for p in playground.people},
        clock=f"Now {now:%a %H:%M} {now.tzname() or viewer.tz}",
        advanced_minutes=int(advanced.total_seconds() // 60),
    )


def message_html(message: Shown, ctx: RenderContext) -> str:
    body = blocks_html(message.blocks, ctx) if message.blocks else mrkdwn_html(message.text, ctx)
    seen = message.seen_at.astimezone(ctx.tz)
    author = html.escape(message.author)
    badge = "" if message.author == SLACKBOT else ' <span class="pg-badge">APP</span>'
    edited = ' <span class="pg-edited">(edited)</span>' if message.edited else ""
    only_you = (
        '<p class="pg-only-you"><span aria-hidden="true">\U0001f441</span> Only visible to you</p>'
        if message.ephemeral
        else ""
    )
    css = "pg-msg pg-ephemeral" if message.ephemeral else "pg-msg"
    return (
        f'<article class="{css}" data-channel="{html.escape(message.channel)}" '
        f'data-ts="{html.escape(message.ts)}">'
        f'<div class="pg-avatar" aria-hidden="true">'
        f"{AVATARS.get(message.author, APP_AVATAR)}</div>"
        '<div class="pg-msg-main"><header class="pg-msg-head">'
        f'<strong class="pg-author">{author}</strong>{badge} '
        f'<time class="pg-time" datetime="{seen.isoformat()}">{seen:%H:%M}</time>{edited}'
        f'</header><div class="pg-msg-body">{body}</div>{only_you}</div></article>'
    )
