"""A local stand-in for Ory Hydra's token side: discovery, JWKS and minted access tokens.

Serves `/.well-known/openid-configuration` and `/.well-known/jwks.json` over real HTTP with
real RSA and EC keys, and mints tokens with any claims, headers or key, including the
forged ones a verifier must refuse (`alg: none`, HS256 keyed with the public key, a key the
JWKS doesn't publish). Every public method is thread-safe.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import secrets
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Literal

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from jwt.algorithms import ECAlgorithm, RSAAlgorithm, get_default_algorithms

from shared.clock import Clock, SystemClock
from shared.local.background_server import BackgroundServer

logger = logging.getLogger(__name__)

DISCOVERY_PATH = "/.well-known/openid-configuration"
JWKS_PATH = "/.well-known/jwks.json"

KeyName = Literal["rsa", "ec", "other"]
_HMAC_HASHES = {"HS256": hashlib.sha256, "HS384": hashlib.sha384, "HS512": hashlib.sha512}


@dataclass(frozen=True)
class SigningKey:
    kid: str
    algorithm: str  # RS256 or ES256
    private_key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey

    @classmethod
    def rsa(cls, kid: str | None = None) -> SigningKey:
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        return cls(kid or f"rsa-{secrets.token_hex(4)}", "RS256", key)

    @classmethod
    def ec(cls, kid: str | None = None) -> SigningKey:
        return cls(
            kid or f"ec-{secrets.token_hex(4)}", "ES256", ec.generate_private_key(ec.SECP256R1())
        )

    def public_jwk(self) -> dict[str, Any]:
        public = self.private_key.public_key()
        if isinstance(public, rsa.RSAPublicKey):
            jwk = RSAAlgorithm.to_jwk(public, as_dict=True)
        else:
            jwk = ECAlgorithm.to_jwk(public, as_dict=True)
        return {**jwk, "kid": self.kid, "alg": self.algorithm, "use": "sig"}

    def public_pem(self) -> bytes:
        return self.private_key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )

    def signs_with(self, algorithm: str) -> bool:
        if isinstance(self.private_key, rsa.RSAPrivateKey):
            return algorithm[:2] in ("RS", "PS")
        return algorithm == "ES256"


@dataclass(frozen=True)
class IssuerKeys:
    """The keys an issuer starts with; `other` is never published in the JWKS.

    RSA generation takes ~30 ms a key, so a test session makes one set and shares it.
    """

    rsa: SigningKey
    ec: SigningKey
    other: SigningKey

    @classmethod
    def generate(cls) -> IssuerKeys:
        return cls(rsa=SigningKey.rsa(), ec=SigningKey.ec(), other=SigningKey.rsa())


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _compact_json(value: Mapping[str, Any]) -> bytes:
    return json.dumps(value, separators=(",", ":")).encode()


def _signature(signing_input: bytes, key: SigningKey, algorithm: str) -> bytes:
    """Signs as the header claims when it can; forges what a verifier must refuse otherwise."""
    if algorithm.lower() == "none":
        return b""
    if algorithm in _HMAC_HASHES:
        # The classic confusion attack: the issuer's *public* key used as an HMAC secret.
        return hmac.new(key.public_pem(), signing_input, _HMAC_HASHES[algorithm]).digest()
    algorithms = get_default_algorithms()
    chosen = algorithm if key.signs_with(algorithm) and algorithm in algorithms else key.algorithm
    return algorithms[chosen].sign(signing_input, key.private_key)


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
        self._discovery_overrides: dict[str, Any] = {}
        self._jwks_fetches = 0
        self._discovery_fetches = 0

    # -- lifecycle --------------------------------------------------------------------------

    name = "oidc-issuer"

    def _make_server(self, address: tuple[str, int]) -> ThreadingHTTPServer:
        return _IssuerHttpServer(address, self)

    @property
    def url(self) -> str:
        """The issuer URL, as in `iss` and the discovery document; no trailing slash."""
        return self.base_url

    # -- control ----------------------------------------------------------------------------

    def down(self) -> None:
        """Answer every request with 503 until `up()`."""
        with self._lock:
            self._down = True

    def up(self) -> None:
        with self._lock:
            self._down = False

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
        signing_input = f"{_b64(_compact_json(header))}.{_b64(_compact_json(payload))}".encode()
        signature = _signature(signing_input, signing_key, str(header.get("alg", algorithm)))
        return f"{signing_input.decode()}.{_b64(signature)}"

    # -- HTTP -------------------------------------------------------------------------------

    def handle(self, path: str) -> tuple[int, dict[str, Any]]:
        with self._lock:
            down = self._down
            if path == JWKS_PATH:
                self._jwks_fetches += 1
            elif path == DISCOVERY_PATH:
                self._discovery_fetches += 1
        if down:
            return 503, {"error": "temporarily_unavailable"}
        if path == DISCOVERY_PATH:
            return 200, self.discovery()
        if path == JWKS_PATH:
            return 200, self.jwks()
        return 404, {"error": "not_found"}


class _IssuerHttpServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], issuer: OidcIssuer) -> None:
        self.issuer = issuer
        super().__init__(address, _IssuerRequestHandler)


class _IssuerRequestHandler(BaseHTTPRequestHandler):
    server: _IssuerHttpServer

    def do_GET(self) -> None:
        status, document = self.server.issuer.handle(self.path.split("?", 1)[0])
        body = _compact_json(document)
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        logger.debug("oidc issuer request: " + format, *args)
