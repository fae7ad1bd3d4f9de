"""HTTP plumbing: turn requests into method calls and replies into Slack-shaped JSON responses."""

from __future__ import annotations

import contextlib
import json
import logging
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Protocol
from urllib.parse import parse_qsl, urlsplit

from local.slack_api.payloads import JsonObject

logger = logging.getLogger(__name__)

API_PREFIX = "/api/"
RESPONSE_PREFIX = "/response/"
# Fields Slack accepts as JSON text inside form bodies; JSON bodies may also carry them as strings.
JSON_FIELDS = ("blocks", "attachments", "view", "metadata", "user_auth_blocks")


@dataclass(frozen=True)
class ApiRequest:
    method: str
    authorization: str | None
    args: JsonObject
    problem: str | None = None


@dataclass(frozen=True)
class ApiResponse:
    status: int
    body: JsonObject
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ResponseUrlPost:
    """A post to a response_url; `body` is None when it is not a JSON object."""

    token: str
    body: JsonObject | None


class ApiEndpoint(Protocol):
    def handle(self, request: ApiRequest) -> ApiResponse: ...

    def handle_response_url(self, post: ResponseUrlPost) -> ApiResponse: ...


def parse_args(query: str, body: bytes, content_type: str) -> tuple[JsonObject, str | None]:
    """Query string and body merged into one dict, plus a Slack error code if unreadable."""
    args: JsonObject = dict(parse_qsl(query, keep_blank_values=True))
    media_type = content_type.split(";", 1)[0].strip().lower()
    if body:
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            return args, "invalid_charset"
        if media_type == "application/json":
            try:
                decoded = json.loads(text)
            except json.JSONDecodeError:
                return args, "invalid_json"
            if not isinstance(decoded, dict):
                return args, "invalid_json"
            args.update(decoded)
        elif media_type in ("application/x-www-form-urlencoded", ""):
            args.update(parse_qsl(text, keep_blank_values=True))
        else:
            return args, "invalid_form_data"
    for name in JSON_FIELDS:
        value = args.get(name)
        if isinstance(value, str):
            # Undecodable text is kept as is; the method then reports the field as malformed.
            with contextlib.suppress(json.JSONDecodeError):
                args[name] = json.loads(value)
    return args, None


def parse_response_body(body: bytes, content_type: str) -> JsonObject | None:
    """A response_url body: JSON, or (as incoming webhooks allow) a form with `payload`."""
    media_type = content_type.split(";", 1)[0].strip().lower()
    try:
        text = body.decode("utf-8")
        if media_type == "application/x-www-form-urlencoded":
            text = dict(parse_qsl(text)).get("payload", "")
        decoded = json.loads(text)
    except (UnicodeDecodeError, json.JSONDecodeError):
        return None
    return decoded if isinstance(decoded, dict) else None


class ApiHttpServer(ThreadingHTTPServer):
    daemon_threads = True
    # socketserver's default backlog of 5 drops bursts of connections, costing a 1 s SYN retry.
    request_queue_size = 128

    def __init__(self, address: tuple[str, int], endpoint: ApiEndpoint) -> None:
        super().__init__(address, ApiRequestHandler)
        self.endpoint = endpoint


class ApiRequestHandler(BaseHTTPRequestHandler):
    server: ApiHttpServer

    def do_POST(self) -> None:
        self._dispatch()

    def do_GET(self) -> None:
        self._dispatch()

    def _dispatch(self) -> None:
        url = urlsplit(self.path)
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        content_type = self.headers.get("Content-Type", "")
        if url.path.startswith(RESPONSE_PREFIX) and self.command == "POST":
            post = ResponseUrlPost(
                token=url.path.removeprefix(RESPONSE_PREFIX),
                body=parse_response_body(body, content_type),
            )
            self._send(self.server.endpoint.handle_response_url(post))
            return
        if not url.path.startswith(API_PREFIX):
            self._send(ApiResponse(404, {"ok": False, "error": "not_found"}))
            return
        args, problem = parse_args(url.query, body, content_type)
        request = ApiRequest(
            method=url.path.removeprefix(API_PREFIX),
            authorization=self.headers.get("Authorization"),
            args=args,
            problem=problem,
        )
        self._send(self.server.endpoint.handle(request))

    def _send(self, response: ApiResponse) -> None:
        payload = json.dumps(response.body, ensure_ascii=False).encode("utf-8")
        self.send_response(response.status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(payload)))
        for name, value in response.headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, format: str, *args: object) -> None:
        logger.debug("slack api %s: " + format, self.address_string(), *args)
