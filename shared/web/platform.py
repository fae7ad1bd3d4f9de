"""The platform paths that need no database: liveness and the Prometheus metrics."""

from __future__ import annotations

from shared.observability.metrics import render_metrics
from shared.web.http import HttpRequest, HttpResponse, json_response

LIVE = "/health/live"
READY = "/health/ready"
METRICS = "/metrics"


def serve_live_or_metrics(request: HttpRequest) -> HttpResponse | None:
    """Answer `/health/live` and `/metrics`; None for anything else (including ready)."""
    if request.path == LIVE:
        return json_response(200, {"status": "ok"})
    if request.path == METRICS:
        body, content_type = render_metrics()
        return HttpResponse(status=200, body=body, content_type=content_type)
    return None
