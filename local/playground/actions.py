"""What people do in the page, sent to the app as Slack would send it."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from local.playground.clock import AdjustableClock
from local.playground.modal import FormValues, block_id, missing_required, state_values
from local.playground.payloads import (
    Channel,
    Person,
    button_action,
    command_body,
    interaction_body,
    message_action,
    new_trigger_id,
    view_action,
    view_closed,
    view_submission,
)
from local.playground.reading import Reader
from local.playground.replies import command_reply, failure_text
from local.playground.sender import AppAnswer, SignedSender
from local.playground.state import SLACKBOT, JsonObject, ModalEdits, PlaygroundState
from local.slack_api import SlackApiServer

MAX_ADVANCE_MINUTES = 24 * 60
COMMAND = "/coffee"


@dataclass(frozen=True)
class Notice:
    """A line for the page's status bar: what happened to what the person just did."""

    text: str
    ok: bool = True


@dataclass(frozen=True)
class ButtonRef:
    """Where a clicked button sits: a message (channel + ts) or an open modal (view id)."""

    path: str
    channel: str | None = None
    ts: str | None = None
    view_id: str | None = None


class Playground:
    def __init__(
        self,
        *,
        slack: SlackApiServer,
        sender: SignedSender,
        clock: AdjustableClock,
        tick: Callable[[], None],
        people: Sequence[Person],
        channel: Channel,
        base_url: str,
    ) -> None:
        self.state = PlaygroundState()
        self.reader = Reader(slack, self.state, clock, channel)
        self._slack = slack
        self.people = {person.id: person for person in people}
        self.channel = channel
        self.clock = clock
        self._sender = sender
        self._tick = tick
        self._base_url = base_url.rstrip("/")

    # -- the composer -----------------------------------------------------------------------

    def command(self, person: Person, line: str) -> Notice:
        word, _, text = line.strip().partition(" ")
        if word.lower() != COMMAND:
            self._slackbot(
                person,
                f"`{word or line}` isn't a command here: the playground only sends "
                "`/coffee` to CoffeeBuddy. Try `/coffee help`.",
            )
            return Notice("Only /coffee is installed here.", ok=False)
        trigger = self._trigger(person)
        response_url = self.state.new_response_url(self._base_url, person.id, self.channel.id)
        body = command_body(
            person, self.channel, text.strip(), trigger_id=trigger, response_url=response_url
        )
        answer = self._sender.post("/slack/commands", body)
        reply = command_reply(answer, clock_ahead=self._clock_ahead())
        if reply is not None:
            text_shown, blocks, everyone, author = reply
            self.state.add_reply(
                channel=self.channel.id,
                user=None if everyone else person.id,
                after=self._shown_ts(person, self.channel.id),
                text=text_shown,
                blocks=blocks,
                author=author,
            )
        if answer.status != 200:
            return Notice(f"{COMMAND} failed: {self._failure(answer)}", ok=False)
        return Notice(f"Sent {COMMAND} {text.strip()}".rstrip())

    def respond(self, token: str, body: JsonObject) -> bool:
        """A post to a response_url we handed out: shown like the command's own answer."""
        with self.state.lock:
            target = self.state.response_urls.get(token)
        if target is None or not isinstance(body.get("text", ""), str):
            return False
        blocks = body.get("blocks")
        shown = blocks if isinstance(blocks, list) else []
        text = str(body.get("text", ""))
        replace = body.get("replace_original") is True and target.ts is not None
        if replace and self.state.replace_reply(str(target.ts), text, shown):
            return True
        self.state.add_reply(
            channel=target.channel,
            user=None if body.get("response_type") == "in_channel" else target.user,
            after=self._shown_ts(self.people[target.user], target.channel),
            text=text,
            blocks=shown,
        )
        return True

    # -- buttons and modals -----------------------------------------------------------------

    def click(self, person: Person, ref: ButtonRef, form: FormValues) -> Notice:
        if ref.view_id is not None:
            view = self._open_view(person, ref.view_id)
            if view is None:
                return Notice("That form is no longer open.", ok=False)
            found = find_button(view.get("blocks") or [], ref.path)
            if found is None:
                return Notice("That button is gone.", ok=False)
            payload = view_action(
                person,
                view,
                state_values(view, form),
                button_action(found[1], found[0]),
                trigger_id=self._trigger(person),
            )
        else:
            shown = self.reader.message(person.id, ref.channel or "", ref.ts or "")
            found = find_button(shown.blocks, ref.path) if shown else None
            if shown is None or found is None:
                return Notice("That button is gone.", ok=False)
            where = (
                self.channel
                if shown.channel == self.channel.id
                else Channel(shown.channel, "directmessage")
            )
            payload = message_action(
                person,
                where,
                shown.raw,
                button_action(found[1], found[0]),
                ephemeral=shown.ephemeral,
                trigger_id=self._trigger(person),
                response_url=self.state.new_response_url(
                    self._base_url, person.id, where.id, ts=shown.ts
                ),
            )
        answer = self._sender.post("/slack/interactions", interaction_body(payload))
        if answer.status != 200:
            return Notice(f"The app didn't accept the click: {self._failure(answer)}", ok=False)
        return Notice("")

    def submit(self, person: Person, view_id: str, form: FormValues) -> Notice:
        view = self._open_view(person, view_id)
        if view is None:
            return Notice("That form is no longer open.", ok=False)
        typed = {name: list(values) for name, values in form.items()}
        missing = missing_required(view, form)
        if missing:
            self._remember(view, missing, typed)
            return Notice("Fill in the required fields.", ok=False)
        payload = view_submission(
            person, view, state_values(view, form), trigger_id=self._trigger(person)
        )
        answer = self._sender.post("/slack/interactions", interaction_body(payload))
        reply = answer.json() or {}
        if answer.status != 200:
            self._remember(view, {}, typed)
            return Notice(f"The app didn't take the form: {self._failure(answer)}", ok=False)
        action = reply.get("response_action")
        if action == "errors" and isinstance(reply.get("errors"), dict):
            self._remember(view, {str(k): str(v) for k, v in reply["errors"].items()}, typed)
            return Notice("The app pointed out a problem in the form.", ok=False)
        updated = action == "update" and isinstance(reply.get("view"), dict)
        if updated and self._slack.replace_view(view_id, reply["view"]):  # shows what happened
            self._remember(self._open_view(person, view_id) or view, {}, {})
            return Notice("Submitted.")
        if action == "clear":
            self._dismiss([v["id"] for v in self.reader.open_views(person.id)])
        else:
            self._dismiss([view_id])
        if action not in (None, "clear"):
            return Notice(f"response_action {action!r} isn't drawn by the playground.", ok=False)
        return Notice("Submitted.")

    def close(self, person: Person, view_id: str) -> Notice:
        view = self._open_view(person, view_id)
        if view is None:
            return Notice("That form is no longer open.", ok=False)
        if view.get("notify_on_close"):
            self._sender.post("/slack/interactions", interaction_body(view_closed(person, view)))
        self._dismiss([view_id])
        return Notice("Closed.")

    # -- the clock --------------------------------------------------------------------------

    def advance(self, minutes: int) -> Notice:
        if not 1 <= minutes <= MAX_ADVANCE_MINUTES:
            return Notice(f"Advance by 1 to {MAX_ADVANCE_MINUTES} minutes.", ok=False)
        self.clock.advance(timedelta(minutes=minutes))
        with self.state.lock:
            self.state.advanced += timedelta(minutes=minutes)
        self._tick()
        return Notice(f"Clock moved {minutes} min forward; anything due has been sent.")

    # -- internals --------------------------------------------------------------------------

    def _clock_ahead(self) -> timedelta:
        with self.state.lock:
            return self.state.advanced

    def _failure(self, answer: AppAnswer) -> str:
        return failure_text(answer, clock_ahead=self._clock_ahead())

    def _trigger(self, person: Person) -> str:
        trigger = new_trigger_id()
        with self.state.lock:
            self.state.triggers[trigger] = person.id
        return trigger

    def _open_view(self, person: Person, view_id: str) -> JsonObject | None:
        return next((v for v in self.reader.open_views(person.id) if v["id"] == view_id), None)

    def _remember(self, view: JsonObject, errors: dict[str, str], typed: dict[str, Any]) -> None:
        edits = ModalEdits(view_hash=str(view.get("hash")), errors=errors, typed=typed)
        with self.state.lock:
            self.state.edits[str(view["id"])] = edits

    def _dismiss(self, view_ids: list[str]) -> None:
        with self.state.lock:
            self.state.dismissed.update(view_ids)
            for view_id in view_ids:
                self.state.edits.pop(view_id, None)

    def _shown_ts(self, person: Person, channel: str) -> list[str]:
        return [item.ts for item in self.reader.surface(channel, person.id)]

    def _slackbot(self, person: Person, text: str) -> None:
        self.state.add_reply(
            channel=self.channel.id,
            user=person.id,
            after=self._shown_ts(person, self.channel.id),
            text=text,
            blocks=[],
            author=SLACKBOT,
        )


def find_button(blocks: list[Any], path: str) -> tuple[str, JsonObject] | None:
    """The block id and element at ``<block>.<element>`` (or ``<block>.accessory``)."""
    block_part, _, element_part = path.partition(".")
    if not block_part.isdigit() or int(block_part) >= len(blocks):
        return None
    index = int(block_part)
    block = blocks[index]
    if not isinstance(block, dict):
        return None
    element: object = None
    if element_part == "accessory":
        element = block.get("accessory")
    elif element_part.isdigit() and block.get("type") == "actions":
        elements = block.get("elements") or []
        element = elements[int(element_part)] if int(element_part) < len(elements) else None
    if not isinstance(element, dict) or element.get("type") != "button":
        return None
    return block_id(block, index), element
