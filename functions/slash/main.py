"""`/coffee` slash commands (Slack → Kong → this function).

Imports only what verifying and answering needs: the handler, and with it the database stack
and the Slack client, load on first need (a cold process answers first; see
docs/cold-start.md and `shared.web.slack_intake`).
"""

import flask
import functions_framework

from shared.handlers.slash_syntax import answer_without_state
from shared.lazy_runtime import LazyRuntime
from shared.slack.payloads import SlashCommand, parse_slash_command
from shared.web.flask_adapter import handle_flask
from shared.web.http import HttpRequest, HttpResponse
from shared.web.slack_intake import Handler, serve_slack_lazily
from shared.web.startup import start_lazily

RUNTIME = start_lazily("slash")


def _handler() -> Handler[SlashCommand]:
    from shared.handlers.slash_command import handle_slash_command

    return handle_slash_command


def serve(runtime: LazyRuntime, request: HttpRequest) -> HttpResponse:
    return serve_slack_lazily(
        runtime,
        request,
        kind="slash_command",
        parse=parse_slash_command,
        answer_now=answer_without_state,
        handler=_handler,
        response_url=lambda cmd: cmd.response_url,
    )


@functions_framework.http
def slash(request: flask.Request) -> flask.Response:
    return handle_flask(request, lambda plain: serve(RUNTIME, plain))
