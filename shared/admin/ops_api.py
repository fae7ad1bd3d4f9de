"""The operators' HTTP API on the admin function, behind Ory (OIDC bearer tokens).

Same validation and the same audit rows as `/coffee admin`; the audit actor is
``ops:<token subject>``. Routes and their scopes are listed once, in ``ROUTES``; the
OpenAPI document (``openapi.json`` beside this file) is checked against it in tests.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

from sqlmodel import col, select

from shared.admin.changes import InvalidSettings, UnknownChannel, change_settings, reset_data
from shared.admin.config import ChannelConfig
from shared.admin.service import recent_actions
from shared.auth.access import SCOPE_ADMIN, SCOPE_READ, AuthError, Principal, require
from shared.auth.tokens import TokenVerifier
from shared.db.engine import transaction
from shared.db.models import Channel
from shared.runtime import Runtime
from shared.web.http import HttpRequest, HttpResponse, json_response

OPENAPI = Path(__file__).with_name("openapi.json")
MAX_BODY = 16 * 1024


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


def _body(call: Call) -> dict[str, Any] | HttpResponse:
    if len(call.request.body) > MAX_BODY:
        return json_response(413, {"error": "request body too large"})
    try:
        body = json.loads(call.request.body or b"{}")
    except (json.JSONDecodeError, UnicodeDecodeError):
        return json_response(400, {"error": "the body must be a JSON object"})
    if not isinstance(body, dict):
        return json_response(400, {"error": "the body must be a JSON object"})
    return body


def _patch(call: Call) -> HttpResponse:
    body = _body(call)
    if isinstance(body, HttpResponse):
        return body
    if not body:
        return json_response(422, {"errors": {"body": "Give at least one setting to change."}})
    outcome = change_settings(
        call.rt, channel_id=call.channel_id, actor=_actor(call.principal), raw=body
    )
    if isinstance(outcome, InvalidSettings):
        return json_response(422, {"errors": outcome.errors})
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
    body = _body(call)
    if isinstance(body, HttpResponse):
        return body
    if body.get("confirm") != call.channel_id:
        return json_response(
            422, {"errors": {"confirm": "Repeat the channel id in 'confirm' to delete its data."}}
        )
    outcome = reset_data(
        call.rt, channel_id=call.channel_id, actor=_actor(call.principal), actor_label="An operator"
    )
    if isinstance(outcome, UnknownChannel):
        return _not_found(call.channel_id)
    return json_response(200, {"deleted": outcome.as_dict()})


def _audit(call: Call) -> HttpResponse:
    raw = parse_qs(call.request.query).get("limit", ["50"])[0]
    limit = int(raw) if raw.isdigit() else 0
    if not 1 <= limit <= 200:
        return json_response(
            422, {"errors": {"limit": "limit must be a whole number from 1 to 200."}}
        )
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


ROUTES: list[tuple[str, str, str, Handler]] = [
    ("GET", "/admin/channels", SCOPE_READ, _list),
    ("GET", "/admin/channels/{channel_id}", SCOPE_READ, _get),
    ("PATCH", "/admin/channels/{channel_id}", SCOPE_ADMIN, _patch),
    ("POST", "/admin/channels/{channel_id}/reset", SCOPE_ADMIN, _reset),
    ("GET", "/admin/channels/{channel_id}/audit", SCOPE_READ, _audit),
]
_PATTERNS = [
    (
        method,
        re.compile("^" + path.replace("{channel_id}", "(?P<channel_id>[A-Z0-9]{1,32})") + "$"),
        scope,
        handler,
    )
    for method, path, scope, handler in ROUTES
]


def _actor(principal: Principal) -> str:
    return f"ops:{principal.subject}"[:64]


def _not_found(channel_id: str) -> HttpResponse:
    return json_response(404, {"error": f"no channel {channel_id}"})


def _auth_failure(error: AuthError) -> HttpResponse:
    headers = {}
    challenge = error.www_authenticate()
    if challenge:
        headers["WWW-Authenticate"] = challenge
    return json_response(error.status, {"error": error.code, "message": error.message}, headers)


def serve_ops_api(
    rt: Runtime, verifier: TokenVerifier | None, request: HttpRequest
) -> HttpResponse:
    if request.path == "/admin/openapi.json" and request.method == "GET":
        return HttpResponse(status=200, body=OPENAPI.read_bytes())
    matched = [(m, p.match(request.path), s, h) for m, p, s, h in _PATTERNS]
    matching = [(m, match, s, h) for m, match, s, h in matched if match]
    if not matching:
        return json_response(404, {"error": "no such route"})
    route = next(((match, s, h) for m, match, s, h in matching if m == request.method), None)
    if route is None:
        allowed = ", ".join(sorted({m for m, *_ in matching}))
        return json_response(405, {"error": "method not allowed"}, {"Allow": allowed})
    if verifier is None:
        return json_response(
            503, {"error": "temporarily_unavailable", "message": "OIDC_ISSUER is not configured"}
        )
    principal = verifier.verify(request.headers.get("authorization"))
    if isinstance(principal, AuthError):
        return _auth_failure(principal)
    match, scope, handler = route
    refused = require(principal, scope)
    if refused is not None:
        return _auth_failure(refused)
    return handler(Call(rt, request, principal, match.groupdict().get("channel_id", "")))
