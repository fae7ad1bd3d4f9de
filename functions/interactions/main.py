"""Buttons and modal submissions (Slack's interactivity URL → Kong → this function)."""

import flask
import functions_framework

from shared.handlers import replays
from shared.handlers.interactions import apologize, handle_interaction
from shared.slack.payloads import parse_interaction
from shared.web.slack_endpoint import serve_slack_flask
from shared.web.startup import start_function

RUNTIME = start_function("interactions")


@functions_framework.http
def interactions(request: flask.Request) -> flask.Response:
    return serve_slack_flask(
        RUNTIME,
        request,
        kind="interaction",
        parse=parse_interaction,
        handle=handle_interaction,
        first_time=replays.first_time,  # a replayed click or submission applies once
        apologize=apologize,  # where Slack shows it: the modal, or a note where clicked
    )
