"""A local stand-in for Ory Hydra's token side: discovery, JWKS and minted access tokens.

Serves `/.well-known/openid-configuration` and `/.well-known/jwks.json` over real HTTP with
real RSA and EC keys, and mints tokens with any claims, headers or key, including the
forged ones a verifier must refuse (`alg: none`, HS256 keyed with the public key, a key the
JWKS doesn't publish). It misbehaves on request the ways a real issuer does: down (503),
dripping a document out byte by byte, or holding an answer after its headers; and it rotates
its keys. Every public method is thread-safe.
"""

from __future__ import annotations

import logging
import secrets
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import BufferedIOBase
from typing import Any

from local.background_server import BackgroundServer
from shared.clock import Clock, SystemClock
from tests.support.oidc_signing import IssuerKeys, KeyName, SigningKey, b64, compact_json, sign

__all__ = ["IssuerKeys", "KeyName", "OidcIssuer", "SigningKey"]

logger = logging.getLogger(__name__)

DISCOVERY_PATH = "/.well-known/openid-configuration"
JWKS_PATH = "/.well-known/jwks.json"

# A dripped document is padded with this much JSON whitespace: no client waits that out.
ENDLESS_PADDING = 1 << 30


@dataclass(frozen=True)
class Reply:
    """One answer: its status and body, and how slowly to deliver it."""

    status: int
    body: bytes
    drip_interval: float | None = None  # seconds between bytes; None sends the body at once
    endless: bool = False  # a dripped body never ends (pads with spaces)
    hold: bool = False  # headers first, then nothing until release()

    @property
    def content_length(self) -> int:
        return len(self.body) + (ENDLESS_PADDING if self.endless else 0)


class OidcIssuer(BackgroundServer):
    """Serves discovery and the JWKS on a daemon thread; counts fetches; can go down."""

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        clock: Clock | None = None,
        audience: str = "coffeebuddy",
        keys: IssuerKeys | None = None,
    ) -> None:
        keys = keys or IssuerKeys.generate()
        super().__init__(host, port)
        self._clock = clock or SystemClock()
        self._audience = audience
        self._lock = threading.Lock()
        self._keys: dict[KeyName, SigningKey] = {
            "rsa": keys.rsa,
            "ec": keys.ec,
            "other": keys.other,
        }
        self._down = False
        self._drips: dict[str, tuple[float, bool]] = {}
        self._holds: set[str] = set()
        self._released = threading.Event()
        self._discovery_overrides: dict[str, Any] = {}
        self._jwks_fetches = 0
        self._discovery_fetches = 0
        self.held = threading.Event()
        """Set once a request is being held (see `hold`)."""

    # -- lifecycle --------------------------------------------------------------------------

    name = "oidc-issuer"

    def _make_server(self, address: tuple[str, int]) -> ThreadingHTTPServer:
        return _IssuerHttpServer(address, self)

    @property
    def url(self) -> str:
        """The issuer URL, as in `iss` and the discovery document; no trailing slash."""
        return self.base_url

    def stop(self) -> None:
        self._released.set()  # no slow answer outlives the server
        super().stop()

    # -- control ----------------------------------------------------------------------------

    def down(self) -> None:
        """Answer every request with 503 until `up()`."""
        with self._lock:
            self._down = True

    def up(self) -> None:
        """Answer normally again; answers being dripped or held carry on until `release()`."""
        with self._lock:
            self._down = False
            self._drips.clear()
            self._holds.clear()

    def drip(self, path: str = JWKS_PATH, *, interval: float = 0.02, endless: bool = True) -> None:
        """Send `path`'s document one byte every `interval` seconds, like an issuer behind a
        failing link; `endless` pads it with whitespace that never ends."""
        with self._lock:
            self._drips[path] = (interval, endless)
            self._released.clear()

    def hold(self, path: str = JWKS_PATH) -> None:
        """Answer `path` with its status and headers, then nothing until `release()`; `held` is
        set while a request waits."""
        with self._lock:
            self._holds.add(path)
            self._released.clear()
            self.held.clear()

    def release(self) -> None:
        """Let every held or dripping answer finish at once."""
        self._released.set()

    def rotate(self) -> None:
        """Replace the published RSA and EC keys with new ones (new kids); old ones vanish."""
        fresh: dict[KeyName, SigningKey] = {"rsa": SigningKey.rsa(), "ec": SigningKey.ec()}
        with self._lock:
            self._keys.update(fresh)

    def key(self, name: KeyName = "rsa") -> SigningKey:
        with self._lock:
            return self._keys[name]

    @property
    def jwks_fetches(self) -> int:
        with self._lock:
            return self._jwks_fetches

    @property
    def discovery_fetches(self) -> int:
        with self._lock:
            return self._discovery_fetches

    def jwks(self) -> dict[str, Any]:
        with self._lock:
            published = (self._keys["rsa"], self._keys["ec"])
        return {"keys": [key.public_jwk() for key in published]}

    def override_discovery(self, fields: Mapping[str, Any]) -> None:
        """Change fields of the discovery document (a None value drops the field)."""
        with self._lock:
            self._discovery_overrides.update(fields)

    def discovery(self) -> dict[str, Any]:
        with self._lock:
            overrides = dict(self._discovery_overrides)
        document = {
            "issuer": self.url,
            "jwks_uri": self.url + JWKS_PATH,
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256", "ES256"],
            **overrides,
        }
        return {name: value for name, value in document.items() if value is not None}

    # -- tokens -----------------------------------------------------------------------------

    def mint(
        self,
        claims: Mapping[str, Any] | None = None,
        *,
        key: KeyName = "rsa",
        kid: str | None = None,
        alg: str | None = None,
        headers: Mapping[str, Any] | None = None,
        expires_in: int = 300,
        omit: Iterable[str] = (),
    ) -> str:
        """A compact JWS. `claims` override the defaults, `omit` drops claims by name, and a
        `headers` entry set to None drops that header. An `alg` the key can't produce (HS*,
        `none`, ES256 on an RSA key) gives a forged token, as an attacker would send."""
        signing_key = self.key(key)
        now = int(self._clock.now().timestamp())
        payload: dict[str, Any] = {
            "iss": self.url,
            "aud": self._audience,
            "sub": "ops-user",
            "scp": ["coffeebuddy:read"],
            "client_id": "coffeebuddy-ops",
            "jti": secrets.token_hex(8),
            "iat": now,
            "nbf": now,
            "exp": now + expires_in,
            **(claims or {}),
        }
        for name in omit:
            payload.pop(name, None)
        algorithm = alg or signing_key.algorithm
        header: dict[str, Any] = {"alg": algorithm, "typ": "JWT", "kid": kid or signing_key.kid}
        header.update(headers or {})
        header = {name: value for name, value in header.items() if value is not None}
        signing_input = f"{b64(compact_json(header))}.{b64(compact_json(payload))}".encode()
        signed = sign(signing_input, signing_key, str(header.get("alg", algorithm)))
        return f"{signing_input.decode()}.{b64(signed)}"

    # -- HTTP -------------------------------------------------------------------------------

    def reply(self, path: str) -> Reply:
        with self._lock:
            down = self._down
            drip, hold = self._drips.get(path), path in self._holds
            if path == JWKS_PATH:
                self._jwks_fetches += 1
            elif path == DISCOVERY_PATH:
                self._discovery_fetches += 1
        if down:
            return Reply(503, compact_json({"error": "temporarily_unavailable"}))
        documents = {DISCOVERY_PATH: self.discovery, JWKS_PATH: self.jwks}
        if path not in documents:
            return Reply(404, compact_json({"error": "not_found"}))
        body = compact_json(documents[path]())
        interval, endless = drip if drip is not None else (None, False)
        return Reply(200, body, drip_interval=interval, endless=endless, hold=hold)

    def deliver(self, reply: Reply, out: BufferedIOBase) -> None:
        """Write the body as slowly as the reply says; a client that gives up ends it."""
        if reply.hold:
            self.held.set()
            self._released.wait()
        if reply.drip_interval is None:
            out.write(reply.body)
            return
        sent = 0
        while sent < reply.content_length and not self._released.is_set():
            out.write(reply.body[sent : sent + 1] if sent < len(reply.body) else b" ")
            out.flush()
            sent += 1
            self._released.wait(reply.drip_interval)
        if sent < len(reply.body):
            out.write(reply.body[sent:])


class _IssuerHttpServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], issuer: OidcIssuer) -> None:
        self.issuer = issuer
        super().__init__(address, _IssuerRequestHandler)


class _IssuerRequestHandler(BaseHTTPRequestHandler):
    server: _IssuerHttpServer

    def do_GET(self) -> None:
        reply = self.server.issuer.reply(self.path.split("?", 1)[0])
        self.send_response(reply.status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(reply.content_length))
        self.end_headers()
        try:
            self.server.issuer.deliver(reply, self.wfile)
        except OSError:  # the client hung up on a slow answer
            self.close_connection = True

    def log_message(self, format: str, *args: Any) -> None:
        logger.debug("oidc issuer request: " + format, *args)
