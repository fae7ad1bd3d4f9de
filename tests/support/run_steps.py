"""The steps of a run as tests take them: start it, order, click, look again.

Shared by the function, delivery, e2e and security tests (not test modules importing one
another)."""

from __future__ import annotations

from sqlmodel import Session, select

from shared.db.models import Channel, Run
from tests.support.slack_requests import (
    CHANNEL,
    block_action,
    command_body,
    interaction_body,
    view_submission,
)


def start(slack, runtime, text: str = "in 30m", user: str = "U1") -> Run:
    slack.commands.post(command_body(text, user=user))
    with Session(runtime.engine) as session:
        return session.exec(select(Run).where(Run.status == "open")).one()


def order(slack, run: Run, user: str, text: str, options: tuple[str, ...] = ()) -> None:
    payload = view_submission(str(run.id), text, user=user)
    if options:
        payload["view"]["state"]["values"]["options"] = {
            "choices": {"selected_options": [{"value": v} for v in options]}
        }
    assert slack.interactions.post(interaction_body(payload)).status_code == 200


def click(slack, action: str, run: Run, user: str = "U1"):
    return slack.interactions.post(interaction_body(block_action(action, str(run.id), user=user)))


def reload(runtime, run: Run) -> Run:
    with Session(runtime.engine) as session:
        return session.get(Run, run.id)


def dms(slack_api, user: str) -> list[dict]:
    return slack_api.messages(user)


def summary_posts_since_reset(slack_api) -> list:
    return [c for c in slack_api.calls_to("chat.postMessage") if c.args["channel"] == CHANNEL]


def summary_posts(slack_api) -> list:
    return [c for c in slack_api.calls_to("chat.postMessage") if c.args["channel"] == CHANNEL][1:]


def set_channel(runtime, **values) -> None:
    with Session(runtime.engine) as session:
        channel = session.get(Channel, CHANNEL)
        for key, value in values.items():
            setattr(channel, key, value)
        session.add(channel)
        session.commit()


def reload_open(runtime) -> Run:
    with Session(runtime.engine) as session:
        return session.exec(select(Run).where(Run.status == "open")).one()
