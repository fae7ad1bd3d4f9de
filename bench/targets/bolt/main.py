"""The same minimal `/coffee` written with Slack Bolt for Python on functions-framework.

Request verification is on (the signing secret), token verification at start is off (no
auth.test round trip before serving), and the command handler only acks: the least a Bolt
app can do. Bolt still authorizes the first request with one auth.test call (then caches
it), so its WebClient points at SLACK_API_URL, the same local Slack API server CoffeeBuddy
talks to in the bench.
"""

import os

import flask
import functions_framework
from slack_bolt import Ack, App
from slack_bolt.adapter.flask import SlackRequestHandler
from slack_sdk import WebClient

app = App(
    client=WebClient(
        token=os.environ["SLACK_BOT_TOKEN"],
        base_url=os.environ.get("SLACK_API_URL", "https://slack.com/api/"),
    ),
    signing_secret=os.environ["SLACK_SIGNING_SECRET"],
    process_before_response=True,
    request_verification_enabled=True,
    token_verification_enabled=False,
)


@app.command("/coffee")
def coffee(ack: Ack) -> None:
    ack()


handler = SlackRequestHandler(app)


@functions_framework.http
def bolt_coffee(request: flask.Request) -> flask.Response:
    return handler.handle(request)
