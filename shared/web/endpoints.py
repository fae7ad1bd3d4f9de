"""The platform paths of the functions that hold a database: ready when it answers."""

from __future__ import annotations

from shared.runtime import Runtime
from shared.web.http import HttpRequest, HttpResponse
from shared.web.platform import WARM_UP_PATH
from shared.web.platform import serve_platform as serve_platform_paths

__all__ = ["WARM_UP_PATH", "serve_platform"]


def serve_platform(rt: Runtime, request: HttpRequest) -> HttpResponse | None:
    return serve_platform_paths(request, ready=rt.readiness)
