"""The operators' HTTP API on the admin function, behind Ory (OIDC bearer tokens).

Same validation and the same audit rows as `/coffee admin`; the audit actor is
``ops:<token subject>``. Routes and their scopes are listed once, in ``ROUTES``, and matched
by werkzeug's router; the OpenAPI document (``openapi.json`` beside this file) is checked
against them in tests. Every refusal is a Problem (``shared.admin.ops_errors``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlmodel import col, select
from werkzeug.exceptions import MethodNotAllowed, NotFound
from werkzeug.routing import BaseConverter, Map, RequestRedirect, Rule

from shared.admin.changes import InvalidSettings, UnknownChannel, change_settings, reset_data
from shared.admin.ops_errors import invalid, oversized_headers, problem
from shared.admin.ops_input import audit_limit, json_object
from shared.admin.service import recent_actions
from shared.auth.access import SCOPE_ADMIN, SCOPE_READ, AuthError, Principal, require
from shared.auth.tokens import TokenVerifier
from shared.channels.config import ChannelConfig
from shared.db.engine import transaction
from shared.db.models import Channel
from shared.runtime import Runtime
from shared.web.http import HttpRequest, HttpResponse, json_response

log = logging.getLogger(__name__)

OPENAPI = Path(__file__).with_name("openapi.json")


@dataclass(frozen=True)
class Call:
    rt: Runtime
    request: HttpRequest
    principal: Principal
    channel_id: str


Handler = Callable[[Call], HttpResponse]


def _channel_json(channel: Channel) -> dict[str, Any]:
    return {"id": channel.id, "name": channel.name, **ChannelConfig.of(channel).as_dict()}


def _list(call: Call) -> HttpResponse:
    with transaction(call.rt.engine) as session:
        channels = session.exec(select(Channel).order_by(col(Channel.id))).all()
        return json_response(200, {"channels": [_channel_json(c) for c in channels]})


def _get(call: Call) -> HttpResponse:
    with transaction(call.rt.engine) as session:
        channel = session.get(Channel, call.channel_id)
        if channel is None:
            return _not_found(call.channel_id)
        return json_response(200, _channel_json(channel))


def _patch(call: Call) -> HttpResponse:
    body = json_object(call.request.body)
    if isinstance(body, HttpResponse):
        return body
    if not body:
        return invalid({"body": "Give at least one setting to change."})
    outcome = change_settings(
        call.rt, channel_id=call.channel_id, actor=_actor(call.principal), raw=body
    )
    if isinstance(outcome, InvalidSettings):
        return invalid(outcome.errors)
    if isinstance(outcome, UnknownChannel):
        return _not_found(call.channel_id)
    return json_response(
        200,
        {
            "before": outcome.before.as_dict(),
            "after": outcome.after.as_dict(),
            "actions": list(outcome.actions),
        },
    )


def _reset(call: Call) -> HttpResponse:
    body = json_object(call.request.body)
    if isinstance(body, HttpResponse):
        return body
    if body.get("confirm") != call.channel_id:
        return invalid({"confirm": "Repeat the channel id in 'confirm' to delete its data."})
    outcome = reset_data(
        call.rt, channel_id=call.channel_id, actor=_actor(call.principal), actor_label="An operator"
    )
    if isinstance(outcome, UnknownChannel):
        return _not_found(call.channel_id)
    return json_response(200, {"deleted": outcome.as_dict()})


def _audit(call: Call) -> HttpResponse:
    limit = audit_limit(call.request.query)
    if isinstance(limit, HttpResponse):
        return limit
    with transaction(call.rt.engine) as session:
        rows = recent_actions(session=session, channel_id=call.channel_id, limit=limit)
        entries = [
            {
                "at": row.at.isoformat(),
                "actor": row.actor_id,
                "action_type": row.action_type,
                "details": row.details,
            }
            for row in rows
        ]
    return json_response(200, {"channel_id": call.channel_id, "entries": entries})


@dataclass(frozen=True)
class Route:
    method: str
    path: str  # as openapi.json writes it: /admin/channels/{channel_id}
    scope: str
    handler: Handler


ROUTES = [
    Route("GET", "/admin/channels", SCOPE_READ, _list),
    Route("GET", "/admin/channels/{channel_id}", SCOPE_READ, _get),
    Route("PATCH", "/admin/channels/{channel_id}", SCOPE_ADMIN, _patch),
    Route("POST", "/admin/channels/{channel_id}/reset", SCOPE_ADMIN, _reset),
    Route("GET", "/admin/channels/{channel_id}/audit", SCOPE_READ, _audit),
]


class _ChannelIdConverter(BaseConverter):
    """A Slack channel id, as openapi.json's ChannelId parameter pattern says."""

    regex = "[A-Z0-9]{1,32}"


def _openapi_document(call: Call | None = None) -> HttpResponse:
    return HttpResponse(status=200, body=OPENAPI.read_bytes())


# Served to anyone, before any token check; not itself in the document.
OPENAPI_ROUTE = Route("GET", "/admin/openapi.json", "", _openapi_document)


def _rule(route: Route) -> Rule:
    path = route.path.replace("{channel_id}", "<channel_id:channel_id>")
    return Rule(path, methods=[route.method], endpoint=route)


_URLS = Map(
    [_rule(route) for route in [*ROUTES, OPENAPI_ROUTE]],
    converters={"channel_id": _ChannelIdConverter},
    merge_slashes=False,
)


def _actor(principal: Principal) -> str:
    """The whole subject (the verifier refuses any over 255 characters): cut short, two long
    subjects that share a prefix would read as one person in the audit log."""
    return f"ops:{principal.subject}"


def _not_found(channel_id: str) -> HttpResponse:
    return problem(404, f"no channel {channel_id}")


def _auth_failure(error: AuthError) -> HttpResponse:
    challenge = error.www_authenticate()
    headers = {"WWW-Authenticate": challenge} if challenge else {}
    return problem(error.status, error.message, code=error.code, headers=headers)


def _route(request: HttpRequest) -> tuple[Route, Mapping[str, Any]] | HttpResponse:
    try:
        route, arguments = _URLS.bind("ops-api").match(request.path, method=request.method)
        return route, arguments
    except MethodNotAllowed as refused:
        allowed = ", ".join(sorted(refused.valid_methods or ()))
        return problem(405, "method not allowed", headers={"Allow": allowed})
    except (NotFound, RequestRedirect):
        return problem(404, "no such route")


def serve_ops_api(
    rt: Runtime, verifier: TokenVerifier | None, request: HttpRequest
) -> HttpResponse:
    refused = oversized_headers(request.headers)
    if refused is not None:
        return refused
    routed = _route(request)
    if isinstance(routed, HttpResponse):
        return routed
    route, arguments = routed
    if route is OPENAPI_ROUTE:
        return _openapi_document()
    if verifier is None:
        return problem(503, "OIDC_ISSUER is not configured")
    principal = verifier.verify(request.headers.get("authorization"))
    if isinstance(principal, AuthError):
        return _auth_failure(principal)
    denied = require(principal, route.scope)
    if denied is not None:
        return _auth_failure(denied)
    call = Call(rt, request, principal, str(arguments.get("channel_id", "")))
    try:
        return route.handler(call)
    except Exception:
        log.exception("ops API request failed", extra={"route": route.path})
        return problem(500, "something went wrong on our side; check the audit log before retrying")
