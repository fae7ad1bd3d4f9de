"""Known secret values never reach a log line, an answer, a Slack call, an event or a metric."""

from __future__ import annotations

import io
import json
import logging
from datetime import timedelta

from prometheus_client import REGISTRY, generate_latest

from tests.conftest import BOT_TOKEN, DB_PASSWORD, SIGNING_SECRET
from tests.support.run_steps import click, order, start
from tests.support.slack_requests import command_body, interaction_body, sign


def test_secrets_never_appear_in_any_output(
    runtime, slack, slack_api, events, admin_api_app, oidc_issuer
):
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    from shared.observability.logging import JsonFormatter

    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    answers: list[bytes] = []
    try:
        answers.append(slack.commands.post(command_body("help")).data)
        answers.append(slack.commands.post(command_body("25:99")).data)
        answers.append(slack.commands.post(b"garbage=1").data)
        body = command_body("in 20m")
        answers.append(
            slack.commands.client.post("/", data=body, headers=sign("wrong", body, 1)).data
        )
        run = start(slack, runtime, "in 30m")
        order(slack, run, "U2", "tea")
        answers.append(slack.interactions.post(interaction_body({"type": "block_actions"})).data)
        slack_api.fail_next("chat.postMessage", status=500, times=1)
        click(slack, "run_close", run)
        events.run()
        runtime.clock.advance(timedelta(minutes=26))
        events.tick(runtime.clock)
        answers.append(slack.commands.post(command_body("admin", user="U2")).data)
        api = admin_api_app.test_client()
        answers.append(api.get("/admin/channels", headers={"Authorization": "Bearer nope"}).data)
        answers.append(
            api.get(
                "/admin/channels", headers={"Authorization": f"Bearer {oidc_issuer.mint()}"}
            ).data
        )
    finally:
        root.removeHandler(handler)
        root.setLevel(level)

    outputs = {
        "logs": stream.getvalue(),
        "answers": b"\n".join(answers).decode("utf-8", "replace"),
        "slack calls": json.dumps([c.args for c in slack_api.calls], default=str),
        "events": json.dumps([e.data for e in events.publisher.events], default=str),
        "metrics": generate_latest(REGISTRY).decode(),
        "settings repr": repr(runtime.settings) + repr(runtime),
    }
    assert stream.getvalue().count("\n") > 10  # the run really produced logs
    assert runtime.secrets.get_optional("DATABASE_PASSWORD") == DB_PASSWORD  # it was in use
    for name, text in outputs.items():
        for secret in (SIGNING_SECRET, BOT_TOKEN, DB_PASSWORD):
            assert secret not in text, f"{secret[:6]}… leaked into {name}"
