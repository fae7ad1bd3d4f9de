"""A local stand-in for the part of Vault's HTTP API CoffeeBuddy uses, reached through hvac.

Token lookup (`GET /v1/auth/token/lookup-self`), Kubernetes login
(`POST /v1/auth/<mount>/login`) and KV v2 reads (`GET /v1/<mount>/data/<path>`), with Vault's
JSON shapes and status codes: a bad or missing token is 403 `{"errors": ["permission denied"]}`,
a missing secret 404 `{"errors": []}`, a sealed server 503. Outages are simulated with
`down()`/`up()` or `fail_next(status)`; every request is recorded (path and method only).
"""

from __future__ import annotations

import json
import logging
import secrets
import threading
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from local.background_server import BackgroundServer

logger = logging.getLogger(__name__)

JsonObject = dict[str, Any]


@dataclass(frozen=True)
class RecordedRequest:
    method: str
    path: str
    authenticated: bool
    body: JsonObject = field(default_factory=dict, repr=False)


@dataclass
class _KubernetesRole:
    jwt: str
    token_ttl: int


def _envelope(**overrides: Any) -> JsonObject:
    body: JsonObject = {
        "request_id": str(uuid.uuid4()),
        "lease_id": "",
        "renewable": False,
        "lease_duration": 0,
        "data": None,
        "wrap_info": None,
        "warnings": None,
        "auth": None,
    }
    body.update(overrides)
    return body


class VaultApiServer(BackgroundServer):
    """Serves `/v1/...` on a daemon thread; every public method is thread-safe."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        super().__init__(host, port)
        self._lock = threading.Lock()
        self._tokens: set[str] = set()
        self._roles: dict[tuple[str, str], _KubernetesRole] = {}
        self._secrets: dict[tuple[str, str], list[tuple[JsonObject, int, str]]] = {}
        self._failures: list[int] = []
        self._sealed = False
        self._requests: list[RecordedRequest] = []

    # -- lifecycle --------------------------------------------------------------------------

    name = "vault-api-server"

    def _make_server(self, address: tuple[str, int]) -> ThreadingHTTPServer:
        return _VaultHttpServer(address, self)

    @property
    def url(self) -> str:
        """What VAULT_ADDR would be: `http://host:port`, no path (hvac adds `/v1/...`)."""
        return self.base_url

    # -- setup ------------------------------------------------------------------------------

    def add_token(self, token: str) -> None:
        """Accept `token` in `X-Vault-Token`; it may read every secret."""
        with self._lock:
            self._tokens.add(token)

    def revoke_token(self, token: str) -> None:
        with self._lock:
            self._tokens.discard(token)

    def revoke_all_tokens(self) -> None:
        """As if every token had expired: clients must log in again."""
        with self._lock:
            self._tokens.clear()

    def configure_kubernetes(
        self, role: str, jwt: str, *, mount: str = "kubernetes", token_ttl: int = 3600
    ) -> None:
        """Let a login as `role` with exactly `jwt` succeed on the auth mount `mount`."""
        with self._lock:
            self._roles[(mount, role)] = _KubernetesRole(jwt=jwt, token_ttl=token_ttl)

    def put_secret(
        self, path: str, data: JsonObject, *, lease_duration: int = 0, mount: str = "secret"
    ) -> int:
        """Create or rotate the KV v2 secret at `mount/path`; returns its new version."""
        created = datetime.now(UTC).isoformat().replace("+00:00", "Z")
        with self._lock:
            versions = self._secrets.setdefault((mount, path.strip("/")), [])
            versions.append((dict(data), lease_duration, created))
            return len(versions)

    def delete_secret(self, path: str, *, mount: str = "secret") -> None:
        with self._lock:
            self._secrets.pop((mount, path.strip("/")), None)

    def down(self) -> None:
        """Answer every request 503, as a sealed or standby-less Vault does."""
        with self._lock:
            self._sealed = True

    def up(self) -> None:
        with self._lock:
            self._sealed = False

    def fail_next(self, status: int = 503, *, times: int = 1) -> None:
        with self._lock:
            self._failures.extend([status] * times)

    @property
    def requests(self) -> list[RecordedRequest]:
        with self._lock:
            return list(self._requests)

    def clear_requests(self) -> None:
        with self._lock:
            self._requests.clear()

    # -- handling ---------------------------------------------------------------------------

    def handle(
        self, method: str, target: str, token: str | None, body: JsonObject
    ) -> tuple[int, JsonObject]:
        parts = urlsplit(target)
        path = parts.path
        with self._lock:
            authenticated = token is not None and token in self._tokens
            self._requests.append(RecordedRequest(method, path, authenticated, body))
            if self._sealed:
                return 503, {"errors": ["Vault is sealed"]}
            if self._failures:
                status = self._failures.pop(0)
                return status, {"errors": [f"simulated failure {status}"]}
            segments = path.strip("/").split("/")
            if segments[:1] != ["v1"] or len(segments) < 3:
                return 404, {"errors": []}
            if method == "POST" and segments[1] == "auth" and segments[-1] == "login":
                return self._login("/".join(segments[2:-1]), body)
            if not authenticated:
                return 403, {"errors": ["permission denied"]}
            if method == "GET" and segments[1:] == ["auth", "token", "lookup-self"]:
                return 200, _envelope(data={"id": token, "policies": ["default"], "ttl": 0})
            if method == "GET" and len(segments) >= 4 and segments[2] == "data":
                version = parse_qs(parts.query).get("version", ["0"])[0] or "0"
                if not version.isascii() or not version.isdigit():
                    return 400, {"errors": ["invalid version"]}
                return self._read(segments[1], "/".join(segments[3:]), int(version))
            return 404, {"errors": []}

    def _login(self, mount: str, body: JsonObject) -> tuple[int, JsonObject]:
        role_name = str(body.get("role", ""))
        role = self._roles.get((mount, role_name))
        if role is None:
            return 400, {"errors": [f'invalid role name "{role_name}"']}
        if body.get("jwt") != role.jwt:
            return 403, {"errors": ["permission denied"]}
        client_token = "hvs." + secrets.token_urlsafe(24)
        self._tokens.add(client_token)
        auth = {
            "client_token": client_token,
            "accessor": secrets.token_urlsafe(12),
            "policies": ["default", role_name],
            "token_policies": ["default", role_name],
            "metadata": {"role": role_name},
            "lease_duration": role.token_ttl,
            "renewable": True,
        }
        return 200, _envelope(auth=auth)

    def _read(self, mount: str, path: str, version: int) -> tuple[int, JsonObject]:
        versions = self._secrets.get((mount, path))
        if not versions or version > len(versions):
            return 404, {"errors": []}
        number = version or len(versions)
        data, lease_duration, created = versions[number - 1]
        metadata = {
            "created_time": created,
            "custom_metadata": None,
            "deletion_time": "",
            "destroyed": False,
            "version": number,
        }
        return 200, _envelope(
            lease_duration=lease_duration, data={"data": dict(data), "metadata": metadata}
        )


class _VaultHttpServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 64

    def __init__(self, address: tuple[str, int], vault: VaultApiServer) -> None:
        super().__init__(address, _VaultRequestHandler)
        self.vault = vault


class _VaultRequestHandler(BaseHTTPRequestHandler):
    server: _VaultHttpServer
    protocol_version = "HTTP/1.1"  # keep-alive, as requests' session expects
    # Headers and body go out in two writes; with Nagle on, a kept-alive connection waits
    # out the client's delayed ACK (~40 ms) before the body.
    disable_nagle_algorithm = True

    def do_GET(self) -> None:
        self._serve("GET")

    def do_POST(self) -> None:
        self._serve("POST")

    def do_PUT(self) -> None:
        self._serve("PUT")

    def _serve(self, method: str) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        try:
            decoded = json.loads(raw) if raw else {}
        except json.JSONDecodeError:
            decoded = None
        if not isinstance(decoded, dict):
            self._reply(400, {"errors": ["failed to parse JSON input"]})
            return
        token = self.headers.get("X-Vault-Token")
        status, body = self.server.vault.handle(method, self.path, token, decoded)
        self._reply(status, body)

    def _reply(self, status: int, body: JsonObject) -> None:
        payload = json.dumps(body).encode()
        self.send_response(status)
        # Exactly this value: hvac only reads the `errors` list when the header matches it.
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, format: str, *args: Any) -> None:
        logger.debug("vault api request", extra={"request_line": self.requestline})
