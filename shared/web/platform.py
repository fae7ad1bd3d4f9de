"""The HTTP paths every function answers besides its own: health, metrics, warm-up."""

from __future__ import annotations

from collections.abc import Callable

from shared.observability.metrics import render_metrics
from shared.web.http import HttpRequest, HttpResponse, json_response

# A request here only wakes the pod: Knative starts one for it, the answer does no work.
# A Trigger sends `coffeebuddy.run.created` here on `interactions`, so the first order
# clicks on a new run meet a pod that is up or starting (knative/base/eventing/triggers.yaml).
WARM_UP_PATH = "/warm-up"

# What /health/ready checks: the names of the dependencies that are down (empty: ready).
Readiness = Callable[[], dict[str, str]]


def always_ready() -> dict[str, str]:
    return {}


def serve_platform(request: HttpRequest, *, ready: Readiness = always_ready) -> HttpResponse | None:
    """Answer the health, metrics and warm-up paths; None for anything else."""
    if request.path == WARM_UP_PATH:
        # Not counted in coffeebuddy_requests_total: the error-rate alerts divide by it.
        return HttpResponse(status=204, content_type="text/plain")
    if request.path == "/health/live":
        return json_response(200, {"status": "ok"})
    if request.path == "/health/ready":
        down = ready()
        if down:
            return json_response(503, {"status": "unavailable", **down})
        return json_response(200, {"status": "ok"})
    if request.path == "/metrics":
        body, content_type = render_metrics()
        return HttpResponse(status=200, body=body, content_type=content_type)
    return None
