"""Admin: the daily retention purge (PingSource CloudEvent, target `admin`) and the operators'
API behind Ory (HTTP, target `admin_api`). `/coffee admin` itself is answered by the slash
intake and the close function (docs/decisions.md says why)."""

import flask
import functions_framework
from werkzeug.exceptions import HTTPException

from shared.admin.ops_api import serve_ops_api
from shared.admin.ops_errors import body_too_large, framework_problem
from shared.auth.tokens import TokenVerifier
from shared.clock import ClockOf
from shared.events.catalog import Tick
from shared.handlers.retention_tick import handle_retention_tick
from shared.web.endpoints import serve_platform
from shared.web.event_endpoint import serve_event_flask
from shared.web.event_routes import On, routes
from shared.web.flask_adapter import MAX_BODY_BYTES, handle_flask, to_flask
from shared.web.http import HttpRequest, HttpResponse
from shared.web.startup import start_function

RUNTIME = start_function("admin")
ROUTES = routes(On(Tick, handle_retention_tick))  # the daily purge
VERIFIER = (
    TokenVerifier(
        RUNTIME.settings.oidc_issuer, RUNTIME.settings.oidc_audience, clock=ClockOf(RUNTIME)
    )
    if RUNTIME.settings.oidc_issuer
    else None
)
TOO_LARGE = body_too_large(MAX_BODY_BYTES)


def _api(request: HttpRequest) -> HttpResponse:
    return serve_platform(RUNTIME, request) or serve_ops_api(RUNTIME, VERIFIER, request)


@functions_framework.http
def admin(request: flask.Request) -> flask.Response:
    return serve_event_flask(RUNTIME, request, ROUTES)


@functions_framework.http
def admin_api(request: flask.Request) -> flask.Response:
    return handle_flask(request, _api, too_large=TOO_LARGE)


def _framework_error(error: HTTPException) -> flask.Response:
    """What Flask answers before a target runs (e.g. functions-framework's own 404 for
    /robots.txt) in the ops API's JSON shape; the retention target shares it, harmlessly."""
    return to_flask(framework_problem(error.code))


functions_framework.errorhandler(HTTPException)(_framework_error)
