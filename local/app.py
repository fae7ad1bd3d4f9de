"""One Flask app serving every function the way Kong routes them in production."""

from __future__ import annotations

from collections.abc import Callable

import flask
from flask.typing import ResponseReturnValue

from shared.runtime import Runtime
from shared.web.endpoints import serve_platform
from shared.web.flask_adapter import handle_flask, to_flask
from shared.web.http import HttpRequest, HttpResponse, json_response

FlaskTarget = Callable[[flask.Request], ResponseReturnValue]


def build_app(rt: Runtime, routes: dict[str, FlaskTarget]) -> flask.Flask:
    """``routes`` maps a path to a function's own functions-framework target."""
    app = flask.Flask("coffeebuddy-local")

    def platform(request: HttpRequest) -> HttpResponse:
        return serve_platform(rt, request) or json_response(
            404, {"ok": False, "error": "not found"}
        )

    @app.route("/health/live")
    @app.route("/health/ready")
    @app.route("/metrics")
    def health() -> flask.Response:
        return handle_flask(flask.request, platform)

    for path, target in routes.items():
        app.add_url_rule(
            path,
            endpoint=path,
            view_func=lambda target=target: target(flask.request),
            methods=["GET", "POST"],
        )

    @app.errorhandler(404)
    def not_found(_error: Exception) -> flask.Response:
        return to_flask(json_response(404, {"ok": False, "error": "not found"}))

    return app
