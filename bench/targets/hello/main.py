"""The bare baseline: a functions-framework target that answers every request with 200."""

import flask
import functions_framework


@functions_framework.http
def hello(request: flask.Request) -> tuple[str, int]:
    return "hello", 200
