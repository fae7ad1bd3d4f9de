"""`/coffee` slash commands (Slack → Kong → this function): verify, parse, answer or hand
on as one Kafka record; nothing here imports the database stack or slack-sdk's client."""

import flask
import functions_framework

from shared.intake.command import handle_intake
from shared.intake.runtime import start_intake
from shared.slack.payloads import parse_slash_command
from shared.web.slack_endpoint import serve_slack_flask

RUNTIME = start_intake("slash")


@functions_framework.http
def slash(request: flask.Request) -> flask.Response:
    return serve_slack_flask(
        RUNTIME, request, kind="slash_command", parse=parse_slash_command, handle=handle_intake
    )
