"""The issuer's discovery document and signing keys, fetched lazily and cached.

Not PyJWT's `PyJWKClient`: it reads time from `time.monotonic()` (tests can't move it),
knows nothing of OIDC discovery, and accepts whatever algorithm a JWK claims. Here the
cache runs on the injected clock, the JWKS address comes from the discovery document, and
only RS256 (RSA ≥ 2048 bits) and ES256 (P-256) public keys are kept.
"""

from __future__ import annotations

import http.client
import json
import logging
import threading
import urllib.request
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.error import URLError
from urllib.parse import urlsplit

import jwt
from cryptography.hazmat.primitives.asymmetric.ec import SECP256R1, EllipticCurvePublicKey
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey

from shared.clock import Clock

logger = logging.getLogger(__name__)

DISCOVERY_PATH = "/.well-known/openid-configuration"
MIN_RSA_BITS = 2048
MAX_DOCUMENT_BYTES = 256 * 1024


class IssuerUnavailableError(Exception):
    """The discovery document or the JWKS could not be read; the message is safe to log."""


@dataclass(frozen=True)
class VerificationKey:
    kid: str
    algorithm: str  # "RS256" or "ES256": the only algorithm this key may verify
    public_key: RSAPublicKey | EllipticCurvePublicKey


def same_issuer(a: str, b: str) -> bool:
    """Issuer URLs compare exactly, except for one trailing slash.

    Hydra before v2 always added a slash to `iss` and the discovery `issuer`; v2 uses the
    configured value as is. OIDC Discovery allows for exactly this difference.
    """
    return a.removesuffix("/") == b.removesuffix("/")


def fetch_json(url: str, timeout: float) -> dict[str, Any]:
    if urlsplit(url).scheme not in ("http", "https"):
        raise IssuerUnavailableError("issuer document address is not an http(s) URL")
    request = urllib.request.Request(url, headers={"Accept": "application/json"})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            body = response.read(MAX_DOCUMENT_BYTES + 1)
    except (URLError, TimeoutError, http.client.HTTPException, OSError) as exc:
        raise IssuerUnavailableError(f"can't fetch {url}: {type(exc).__name__}") from None
    if len(body) > MAX_DOCUMENT_BYTES:
        raise IssuerUnavailableError(f"{url} answered with an oversized document")
    try:
        document = json.loads(body)
    except ValueError:
        raise IssuerUnavailableError(f"{url} did not answer with JSON") from None
    if not isinstance(document, dict):
        raise IssuerUnavailableError(f"{url} did not answer with a JSON object")
    return document


def parse_jwks(document: dict[str, Any]) -> dict[str, VerificationKey]:
    """The usable signing keys by `kid`; anything else in the set is skipped."""
    entries = document.get("keys")
    if not isinstance(entries, list):
        raise IssuerUnavailableError("the JWKS has no 'keys' list")
    keys: dict[str, VerificationKey] = {}
    for entry in entries:
        key = _verification_key(entry)
        if key is not None and key.kid not in keys:
            keys[key.kid] = key
    return keys


def _verification_key(entry: object) -> VerificationKey | None:
    if not isinstance(entry, dict):
        return None
    kid, kty, use = entry.get("kid"), entry.get("kty"), entry.get("use")
    if not isinstance(kid, str) or not kid or use not in (None, "sig"):
        return None
    algorithm = {"RSA": "RS256", "EC": "ES256"}.get(kty) if isinstance(kty, str) else None
    if algorithm is None or entry.get("alg") not in (None, algorithm):
        return None
    try:
        # Naming the algorithm stops PyJWK from trusting the JWK's own `alg`.
        public_key = jwt.PyJWK(entry, algorithm=algorithm).key
    except jwt.PyJWTError:
        logger.warning("skipping unreadable JWK", extra={"kid": kid})
        return None
    # A JWK carrying private parts loads as a private key: never verify with one.
    if isinstance(public_key, RSAPublicKey) and public_key.key_size >= MIN_RSA_BITS:
        return VerificationKey(kid, algorithm, public_key)
    if isinstance(public_key, EllipticCurvePublicKey) and isinstance(public_key.curve, SECP256R1):
        return VerificationKey(kid, algorithm, public_key)
    logger.warning("skipping unsuitable JWK", extra={"kid": kid})
    return None


class IssuerKeys:
    """Signing keys of one issuer, refreshed after `ttl` or, rate-limited, on an unknown kid.

    Thread-safe; a fetch happens under the lock so concurrent requests share it.
    """

    def __init__(
        self,
        issuer: str,
        *,
        clock: Clock,
        http_timeout: float,
        ttl: timedelta,
        unknown_kid_interval: timedelta,
    ) -> None:
        self._issuer = issuer
        self._clock = clock
        self._timeout = http_timeout
        self._ttl = ttl
        self._unknown_kid_interval = unknown_kid_interval
        self._lock = threading.Lock()
        self._jwks_uri: str | None = None
        self._keys: dict[str, VerificationKey] | None = None
        self._fetched_at: datetime | None = None
        self._forced_at: datetime | None = None

    def key_for(self, kid: str) -> VerificationKey | None:
        """The key with this kid, or None if the issuer doesn't publish it.

        Raises IssuerUnavailableError when a needed fetch fails. Stale keys are not served after
        `ttl`: a key the issuer withdrew stops verifying within that time, even while the
        issuer is unreachable.
        """
        with self._lock:
            now = self._clock.now()
            keys = self._keys
            if keys is None or self._fetched_at is None or now >= self._fetched_at + self._ttl:
                keys = self._refresh(now)
            key = keys.get(kid)
            if key is None and self._may_refetch_for_unknown_kid(now):
                self._forced_at = now
                key = self._refresh(now).get(kid)
            return key

    def _may_refetch_for_unknown_kid(self, now: datetime) -> bool:
        # Bounded so a stream of made-up kids can't turn into a stream of JWKS fetches.
        return self._forced_at is None or now >= self._forced_at + self._unknown_kid_interval

    def _refresh(self, now: datetime) -> dict[str, VerificationKey]:
        jwks_uri = self._jwks_uri or self._discover()
        try:
            keys = parse_jwks(fetch_json(jwks_uri, self._timeout))
        except IssuerUnavailableError:
            self._jwks_uri = None  # the next attempt reads the discovery document again
            self._keys = self._fetched_at = None
            raise
        self._jwks_uri, self._keys, self._fetched_at = jwks_uri, keys, now
        logger.info("fetched issuer signing keys", extra={"keys": len(keys)})
        return keys

    def _discover(self) -> str:
        document = fetch_json(self._issuer.removesuffix("/") + DISCOVERY_PATH, self._timeout)
        issuer, jwks_uri = document.get("issuer"), document.get("jwks_uri")
        if not isinstance(issuer, str) or not same_issuer(issuer, self._issuer):
            raise IssuerUnavailableError("the discovery document names a different issuer")
        if not isinstance(jwks_uri, str) or not jwks_uri:
            raise IssuerUnavailableError("the discovery document has no jwks_uri")
        return jwks_uri
