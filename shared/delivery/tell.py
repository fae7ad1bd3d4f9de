"""Telling the person who clicked, after the answer: an ephemeral note where they clicked."""

from __future__ import annotations

from collections.abc import Sequence

from shared.delivery.notices import Notice, Via, ask_notice, leads_to_slack
from shared.runtime import Runtime
from shared.slack.payloads import BlockAction
from shared.slack.render.blocks import Block
from shared.unit_of_work import unit_of_work


def tell(
    rt: Runtime,
    action: BlockAction,
    text: str,
    blocks: Sequence[Block] | None = None,
    *,
    replace: bool = False,
) -> None:
    """Ask for the note in a transaction of its own (what it reports has already committed,
    or was refused and changed nothing); a click inside a modal has no channel to say it
    in, so there it is a DM. ``replace``: the note takes the place of the message clicked
    (through the click's response_url), so its buttons can't be pressed again; without a
    response_url we may post to, it is a note like any other."""
    if replace and leads_to_slack(rt, action.response_url):
        notice = Notice(
            Via.RESPONSE_URL,
            text,
            blocks,
            response_url=action.response_url,
            extra={"replace_original": True},
        )
    elif action.channel_id is not None:
        notice = Notice(Via.EPHEMERAL, text, blocks, channel=action.channel_id, user=action.user_id)
    else:
        notice = Notice(Via.DM, text, blocks, user=action.user_id)
    with unit_of_work(rt) as session:
        ask_notice(session=session, notice=notice, now=rt.clock.now())
