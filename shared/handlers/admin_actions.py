"""The close function's half of admin-only clicks: check the person, apply, say so.

An admin may close or cancel someone else's run, change a channel's settings or reset its
data. Asking Slack whether someone is an admin happens here, after the interactions
function has answered; the outcome reaches the person as a note where they clicked, or in
the settings modal they submitted. Applying is idempotent: a redelivered close or cancel
finds the run no longer open (the note says so once: keyed on the event id).
"""

from __future__ import annotations

import uuid

from shared.admin.access import NOT_ADMIN, is_admin
from shared.admin.changes import InvalidSettings, UnknownChannel, change_settings, reset_data
from shared.delivery.notices import Notice, Via, ask_notice
from shared.delivery.worker import deliver
from shared.events import catalog
from shared.events.envelope import Event
from shared.handlers.ending import end_run
from shared.refusal import Refusal
from shared.runs.ending import Ending
from shared.runtime import Runtime
from shared.slack.render.admin_view import message_modal, settings_saved_text
from shared.unit_of_work import unit_of_work

UNKNOWN_CHANNEL = "This channel has no CoffeeBuddy settings yet."


def handle_action(rt: Runtime, action: catalog.ActionRequested, event: Event) -> None:
    tell = _Teller(rt, event.id, action)
    admin = is_admin(rt, action.user_id)
    if action.action in ("close", "cancel"):
        _end_run(rt, action, tell, actor_is_admin=admin)  # the rules word the refusal
    elif not admin:
        tell.say(NOT_ADMIN)
    elif action.action == "admin_settings":
        outcome = change_settings(
            rt,
            channel_id=action.channel_id or "",
            actor=action.user_id,
            raw=dict(action.values),
        )
        if isinstance(outcome, InvalidSettings):
            tell.say("Nothing was saved: " + " ".join(outcome.errors.values()))
        elif isinstance(outcome, UnknownChannel):
            tell.say(UNKNOWN_CHANNEL)
        else:
            tell.say(settings_saved_text(outcome.before, outcome.after))
    else:
        reset = reset_data(
            rt,
            channel_id=action.channel_id or "",
            actor=action.user_id,
            actor_label=f"<@{action.user_id}>",
        )
        if isinstance(reset, UnknownChannel):
            tell.say("There is no CoffeeBuddy data in this channel.")


def _end_run(
    rt: Runtime, action: catalog.ActionRequested, tell: _Teller, *, actor_is_admin: bool
) -> None:
    ending = Ending.CLOSE if action.action == "close" else Ending.CANCEL
    try:
        run_id = uuid.UUID(action.run_id or "")
    except ValueError:
        tell.say("That button belongs to a coffee run I can't find.")
        return
    outcome = end_run(
        rt, run_id=run_id, actor_id=action.user_id, ending=ending, actor_is_admin=actor_is_admin
    )
    if isinstance(outcome, Refusal):
        tell.say(outcome.message)


class _Teller:
    """Says one thing back, once per event: in the modal that was submitted, else as a
    note where the person clicked (a DM when there is no channel to say it in)."""

    def __init__(self, rt: Runtime, event_id: str, action: catalog.ActionRequested) -> None:
        self.rt, self.action = rt, action
        self.key = f"notice:{uuid.uuid5(uuid.NAMESPACE_URL, f'{event_id}/told')}"

    def say(self, text: str) -> None:
        action = self.action
        if action.view_id:
            notice = Notice(Via.VIEW, view_id=action.view_id, view=message_modal(text))
        elif action.channel_id:
            notice = Notice(Via.EPHEMERAL, text, channel=action.channel_id, user=action.user_id)
        else:
            notice = Notice(Via.DM, text, user=action.user_id)
        with unit_of_work(self.rt) as session:
            ask_notice(session=session, notice=notice, now=self.rt.clock.now(), key=self.key)
        deliver(self.rt, self.key)
