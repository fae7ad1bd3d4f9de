"""What the issuer publishes: its discovery document and the signing keys in its JWKS.

Not PyJWT's `PyJWKClient`: it reads time from `time.monotonic()` (tests can't move it),
knows nothing of OIDC discovery, and accepts whatever algorithm a JWK claims. Here the JWKS
address comes from the discovery document, and only RS256 (RSA ≥ 2048 bits) and ES256
(P-256) public keys are kept; `shared.auth.key_cache` caches them on the injected clock.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric.ec import SECP256R1, EllipticCurvePublicKey
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey

logger = logging.getLogger(__name__)

DISCOVERY_PATH = "/.well-known/openid-configuration"
MIN_RSA_BITS = 2048


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


def jwks_uri_of(issuer: str, discovery: dict[str, Any]) -> str:
    """The JWKS address from the issuer's discovery document, once it names the same issuer."""
    named, jwks_uri = discovery.get("issuer"), discovery.get("jwks_uri")
    if not isinstance(named, str) or not same_issuer(named, issuer):
        raise IssuerUnavailableError("the discovery document names a different issuer")
    if not isinstance(jwks_uri, str) or not jwks_uri:
        raise IssuerUnavailableError("the discovery document has no jwks_uri")
    return jwks_uri
