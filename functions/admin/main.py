"""Admin: the daily retention purge (PingSource CloudEvent, target `admin`) and the operators'
API behind Ory (HTTP, target `admin_api`). `/coffee admin` itself is answered by the
Slack-facing functions (docs/decisions.md says why)."""

import flask
import functions_framework

from shared.admin.ops_api import serve_ops_api
from shared.auth.tokens import TokenVerifier
from shared.clock import ClockOf
from shared.events.catalog import TICK
from shared.handlers.retention_tick import handle_retention_tick
from shared.web.endpoints import serve_platform
from shared.web.event_endpoint import serve_event
from shared.web.flask_adapter import handle_flask
from shared.web.http import HttpRequest, HttpResponse
from shared.web.startup import start_function

RUNTIME = start_function("admin")
ACCEPTS = frozenset({TICK})
VERIFIER = (
    TokenVerifier(
        RUNTIME.settings.oidc_issuer, RUNTIME.settings.oidc_audience, clock=ClockOf(RUNTIME)
    )
    if RUNTIME.settings.oidc_issuer
    else None
)


def _events(request: HttpRequest) -> HttpResponse:
    return serve_event(RUNTIME, request, accepts=ACCEPTS, handle=handle_retention_tick)


def _api(request: HttpRequest) -> HttpResponse:
    return serve_platform(RUNTIME, request) or serve_ops_api(RUNTIME, VERIFIER, request)


@functions_framework.http
def admin(request: flask.Request) -> flask.Response:
    return handle_flask(request, _events)


@functions_framework.http
def admin_api(request: flask.Request) -> flask.Response:
    return handle_flask(request, _api)
