"""A Slack-facing function that answers before its Runtime exists (the cold start).

On a cold process, building the Runtime (database stack, Slack client) costs over a second,
and Knative's own scale-from-zero comes on top inside Slack's 3 s. So the intake verifies
the signature and parses the payload with nothing but the secrets and a clock, answers what
needs no state at once (help, a syntax error), and for the rest:

- once the Runtime is built (a warm process), handles the request and answers with the
  result, exactly like :func:`shared.web.endpoints.serve_slack`;
- before that (the first requests of a cold process), answers an empty 200 at once and
  finishes the request right after, on a thread of its own: the run is saved and posted, and
  any reply (a refusal, "sorry") reaches the person through the command's response_url.

Importing this module stays cheap: the handler and everything it needs are loaded through
`handler`, a callable that imports them when first called.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from shared.handlers.replies import SlackReply
from shared.lazy_runtime import LazyRuntime
from shared.observability.logging import correlation
from shared.web.http import HttpRequest, HttpResponse, json_response
from shared.web.platform import READY, serve_live_or_metrics
from shared.web.slack_gate import Refused, admit, as_response

if TYPE_CHECKING:
    from shared.runtime import Runtime

log = logging.getLogger(__name__)

type Handler[P] = Callable[[Runtime, P], SlackReply]


def _ready(lazy: LazyRuntime, request: HttpRequest) -> HttpResponse:
    """Ready once it can answer. Before the Runtime exists the database is not checked:
    Knative holds the first request until the pod is ready, so checking would put the very
    imports this module avoids in front of it. Once built, ready checks the database."""
    rt = lazy.built()
    if rt is None:
        return json_response(200, {"status": "ok", "database": "not checked until first use"})
    from shared.web.endpoints import serve_platform

    return serve_platform(rt, request) or HttpResponse(status=404)


def serve_slack_lazily[P](
    lazy: LazyRuntime,
    request: HttpRequest,
    *,
    kind: str,
    parse: Callable[[bytes], P],
    answer_now: Callable[[P], SlackReply | None],
    handler: Callable[[], Handler[P]],
    response_url: Callable[[P], str],
) -> HttpResponse:
    """Verify and parse; answer at once what needs no state; the rest now or just after."""
    light = serve_live_or_metrics(request)
    if light is not None:
        return light
    if request.path == READY:
        return _ready(lazy, request)
    request_id = request.headers.get("x-request-id")
    incoming = request.headers.get("x-correlation-id") or request_id
    with correlation(incoming, request_id=request_id) as correlation_id:
        admitted = admit(request, kind=kind, parse=parse, secrets=lazy.secrets(), clock=lazy.clock)
        if isinstance(admitted, Refused):
            return admitted.response
        quick = answer_now(admitted)
        if quick is not None:
            lazy.warm_up()
            return as_response(quick, correlation_id)
        rt = lazy.built()
        if rt is not None:
            from shared.web.endpoints import answer

            return answer(rt, admitted, kind=kind, handle=handler(), correlation_id=correlation_id)
        url = response_url(admitted)

        def finish(rt: Runtime) -> None:
            from shared.web.endpoints import finish_later

            finish_later(
                rt,
                admitted,
                kind=kind,
                handle=handler(),
                correlation_id=correlation_id,
                response_url=url,
            )

        lazy.defer(finish, name=f"coffeebuddy-{kind}")
        log.info("answered before the runtime was ready: finishing after the answer")
        return as_response(SlackReply(), correlation_id)
