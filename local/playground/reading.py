"""What one person sees, read from the local Slack API server the bot talks to."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from local.playground.payloads import Channel
from local.playground.state import (
    APP_NAME,
    JsonObject,
    ModalEdits,
    PlaygroundState,
    ts_key,
)
from local.slack_api import SlackApiServer
from local.slack_api.payloads import dm_channel
from local.slack_api.recording import RecordedCall
from shared.clock import Clock

CREATES_VIEW = ("views.open", "views.push")


@dataclass(frozen=True)
class Shown:
    """A message as one person sees it."""

    channel: str
    ts: str
    author: str
    text: str
    blocks: list[JsonObject]
    ephemeral: bool
    edited: bool
    seen_at: datetime
    raw: JsonObject  # as the API server stores it: what a click's payload carries


@dataclass(frozen=True)
class OpenModal:
    view: JsonObject
    edits: ModalEdits | None  # what was last submitted, while the view is unchanged


def opened_views(calls: Iterable[RecordedCall], view_ids: Iterable[str]) -> dict[str, str]:
    """Trigger id -> the view its ``views.open``/``views.push`` created, in opening order.

    The server stores views in the order it records the calls that created them (a
    person's first ``views.publish`` creates one too), and both happen under its lock.
    Read ``calls`` before ``views()``: a view created in between is then left over, never
    paired with the wrong call.
    """
    creators: list[str | None] = []
    homes: set[object] = set()
    for call in calls:
        if not call.ok:
            continue
        if call.method in CREATES_VIEW:
            trigger = call.args.get("trigger_id") or call.args.get("interactivity_pointer")
            creators.append(str(trigger) if trigger else None)
        elif call.method == "views.publish" and call.args.get("user_id") not in homes:
            homes.add(call.args.get("user_id"))
            creators.append(None)
    pairs = zip(creators, view_ids, strict=False)
    return {trigger: view_id for trigger, view_id in pairs if trigger}


class Reader:
    def __init__(
        self, slack: SlackApiServer, state: PlaygroundState, clock: Clock, channel: Channel
    ) -> None:
        self._slack = slack
        self._state = state
        self._clock = clock
        self.channel = channel

    def timeline(self, viewer: str) -> list[Shown]:
        """The channel's messages, plus what only ``viewer`` sees, in posting order."""
        return self.surface(self.channel.id, viewer)

    def direct_messages(self, viewer: str) -> list[Shown]:
        """The app's DM with ``viewer``: what it posted there, and what only they see there
        (a refused "Can't go" or "Arrived" clicked in the DM is an ephemeral in the DM)."""
        return self.surface(dm_channel(viewer), viewer)

    def dm_count(self, viewer: str) -> int:
        """How many messages the app posted to ``viewer`` (the badge; ephemerals aside)."""
        return len(self._slack.messages(dm_channel(viewer)))

    def surface(self, channel: str, viewer: str) -> list[Shown]:
        """A channel or DM as ``viewer`` sees it, in posting order."""
        shown = [self._shown(m, channel, ephemeral=False) for m in self._slack.messages(channel)]
        shown += [
            self._shown(e, channel, ephemeral=True)
            for e in self._slack.ephemerals(channel=channel, user=viewer)
        ]
        for reply in self._state.replies_for(channel, viewer):
            shown.append(
                Shown(
                    channel=channel,
                    ts=reply.ts,
                    author=reply.author,
                    text=reply.text,
                    blocks=reply.blocks,
                    ephemeral=reply.user is not None,
                    edited=False,
                    seen_at=self._state.seen_at(reply.ts, self._clock.now()),
                    raw={"type": "message", "ts": reply.ts, "text": reply.text},
                )
            )
        return sorted(shown, key=lambda item: ts_key(item.ts))

    def message(self, viewer: str, channel: str, ts: str) -> Shown | None:
        """A message ``viewer`` can see (and so click in), by where and when it was posted."""
        if channel not in (self.channel.id, dm_channel(viewer)):
            return None
        return next((item for item in self.surface(channel, viewer) if item.ts == ts), None)

    def open_views(self, viewer: str) -> list[JsonObject]:
        """The modals ``viewer`` has open, bottom of the stack first."""
        calls = self._slack.calls
        views = self._slack.views()
        opened = opened_views(calls, views)
        with self._state.lock:
            mine = [
                view_id
                for trigger, view_id in opened.items()
                if self._state.triggers.get(trigger) == viewer
                and view_id not in self._state.dismissed
            ]
        return [views[view_id] for view_id in mine]

    def modal(self, viewer: str) -> OpenModal | None:
        stack = self.open_views(viewer)
        if not stack:
            return None
        view = stack[-1]
        with self._state.lock:
            edits = self._state.edits.get(str(view["id"]))
        if edits is not None and edits.view_hash != view.get("hash"):
            edits = None
        return OpenModal(view=view, edits=edits)

    def _shown(self, message: JsonObject, channel: str, *, ephemeral: bool) -> Shown:
        ts = str(message.get("ts", ""))
        blocks = message.get("blocks")
        return Shown(
            channel=channel,
            ts=ts,
            author=APP_NAME,
            text=str(message.get("text", "")),
            blocks=blocks if isinstance(blocks, list) else [],
            ephemeral=ephemeral,
            edited="edited" in message,
            seen_at=self._state.seen_at(ts, self._clock.now()),
            raw=message,
        )
