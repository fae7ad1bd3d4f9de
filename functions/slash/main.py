"""`/coffee` slash commands (Slack → Kong → this function)."""

import flask
import functions_framework

from shared.handlers.slash_command import handle_slash_command
from shared.slack.payloads import parse_slash_command
from shared.web.endpoints import serve_slack
from shared.web.flask_adapter import handle_flask
from shared.web.http import HttpRequest, HttpResponse
from shared.web.startup import start_function

RUNTIME = start_function("slash")


def _endpoint(request: HttpRequest) -> HttpResponse:
    return serve_slack(
        RUNTIME,
        request,
        kind="slash_command",
        parse=parse_slash_command,
        handle=handle_slash_command,
    )


@functions_framework.http
def slash(request: flask.Request) -> flask.Response:
    return handle_flask(request, _endpoint)
