"""Buttons and modal submissions (Slack's interactivity URL → Kong → this function)."""

import flask
import functions_framework

from shared.handlers.interactions import handle_interaction
from shared.slack.payloads import parse_interaction
from shared.web.flask_adapter import handle_flask
from shared.web.http import HttpRequest, HttpResponse
from shared.web.slack_endpoint import serve_slack
from shared.web.startup import start_function

RUNTIME = start_function("interactions")


def _endpoint(request: HttpRequest) -> HttpResponse:
    return serve_slack(
        RUNTIME, request, kind="interaction", parse=parse_interaction, handle=handle_interaction
    )


@functions_framework.http
def interactions(request: flask.Request) -> flask.Response:
    return handle_flask(request, _endpoint)
