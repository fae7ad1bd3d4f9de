"""`response_url`s: the hooks Slack hands out with each slash command and message action.

Each takes up to five replies within 30 minutes of being issued. Slack does not document
the error words it answers past those limits; ours are 404 `used_up` and 404 `expired_url`,
and 404 `no_service` for a URL it never issued. A refused post does not use up a reply.
"""

from __future__ import annotations

import copy
import secrets
from dataclasses import dataclass
from typing import Any

from local.slack_api.chat import MessageContent, read_content
from local.slack_api.payloads import JsonObject, error, flag_arg, resolve_channel
from local.slack_api.transport import ApiResponse

MAX_USES = 5
LIFETIME_SECONDS = 30 * 60
RESPONSE_TYPES = frozenset({"ephemeral", "in_channel"})


@dataclass(frozen=True)
class PostedResponse:
    """One accepted post to a response_url; `body` is all that was posted."""

    url: str
    channel: str
    user: str
    text: str | None
    blocks: list[Any] | None
    response_type: str
    replace_original: bool
    delete_original: bool
    body: dict[str, Any]


@dataclass
class ResponseHook:
    url: str
    channel: str
    user: str
    issued_at: float
    uses: int = 0


class ResponseUrls:
    """Not thread-safe on its own; the server serialises access."""

    def __init__(self) -> None:
        self._hooks: dict[str, ResponseHook] = {}
        self._posted: list[PostedResponse] = []

    def issue(self, prefix: str, *, channel: str, user: str, now: float) -> str:
        token = secrets.token_urlsafe(16)
        url = prefix + token
        self._hooks[token] = ResponseHook(url, resolve_channel(channel), user, issued_at=now)
        return url

    def post(self, token: str, body: JsonObject | None, now: float) -> ApiResponse:
        hook = self._hooks.get(token)
        if hook is None:
            return ApiResponse(404, error("no_service"))
        if now - hook.issued_at > LIFETIME_SECONDS:
            return ApiResponse(404, error("expired_url"))
        if hook.uses >= MAX_USES:
            return ApiResponse(404, error("used_up"))
        if body is None:
            return ApiResponse(400, error("invalid_payload"))
        response_type = body.get("response_type", "ephemeral")
        if response_type not in RESPONSE_TYPES:
            reason = "[ERROR] must be ephemeral or in_channel [json-pointer:/response_type]"
            return ApiResponse(400, error("invalid_payload", reason))
        delete_original = flag_arg(body, "delete_original")
        content = MessageContent(text=None, blocks=None, attachments=None)
        if not delete_original:
            checked = read_content(body)
            if not isinstance(checked, MessageContent):
                return ApiResponse(400, checked)
            content = checked
        hook.uses += 1
        self._posted.append(
            PostedResponse(
                url=hook.url,
                channel=hook.channel,
                user=hook.user,
                text=content.text,
                blocks=copy.deepcopy(content.blocks),
                response_type=str(response_type),
                replace_original=flag_arg(body, "replace_original"),
                delete_original=delete_original,
                body=copy.deepcopy(body),
            )
        )
        return ApiResponse(200, {"ok": True})

    def posted(
        self, url: str | None = None, *, channel: str | None = None, user: str | None = None
    ) -> list[PostedResponse]:
        wanted_channel = resolve_channel(channel) if channel is not None else None
        return [
            posted
            for posted in self._posted
            if url in (None, posted.url)
            and wanted_channel in (None, posted.channel)
            and user in (None, posted.user)
        ]
