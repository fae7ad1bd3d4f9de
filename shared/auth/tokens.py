"""Verifying OIDC access tokens (JWTs) from Ory Hydra.

Every refusal is a 401 `invalid_token` with a fixed message (never the token, never PyJWT's
own text); an unreachable issuer is a 503, never an accepted token. Time is checked here
against the injected clock, because PyJWT's own exp/nbf/iat checks read the system time.
"""

from __future__ import annotations

import logging
import math
import re
from datetime import timedelta
from typing import Any

import jwt

from shared.auth.access import AuthError, Principal, invalid_token, issuer_unavailable
from shared.auth.key_cache import IssuerKeys
from shared.auth.oidc import IssuerUnavailableError, same_issuer
from shared.clock import Clock

logger = logging.getLogger(__name__)

ALGORITHMS = frozenset({"RS256", "ES256"})
LEEWAY = timedelta(seconds=30)
MAX_TOKEN_CHARS = 8192
# OIDC Core 1.0 §2: a subject "MUST NOT exceed 255 ASCII characters"; the audit log keeps it whole.
MAX_SUBJECT_CHARS = 255
# 9999-12-31T23:59:59Z: later (or negative) times are no times a token can mean.
LATEST_TIMESTAMP = 253402300799
# Three base64url segments with a signature: rejects JWE, unsigned and non-ASCII tokens early.
_COMPACT_JWS = re.compile(r"[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+")
_REQUIRED_CLAIMS = ["iss", "aud", "exp", "sub"]


class TokenVerifier:
    """Checks `Authorization: Bearer <jwt>` headers against one issuer and audience.

    Build one per process: it caches the issuer's discovery document and keys.
    """

    def __init__(
        self,
        issuer: str,
        audience: str,
        *,
        clock: Clock,
        http_timeout: float = 3.0,
        fetch_deadline: float = 5.0,
        jwks_ttl_seconds: float = 600,
    ) -> None:
        """`http_timeout` bounds each read from the issuer, `fetch_deadline` a whole fetch of
        its keys (discovery and JWKS): seconds of real time, whatever the clock says."""
        self.issuer = issuer
        self.audience = audience
        self._clock = clock
        self._keys = IssuerKeys(
            issuer,
            clock=clock,
            ttl=timedelta(seconds=jwks_ttl_seconds),
            fetch_deadline=fetch_deadline,
            read_timeout=http_timeout,
        )

    def verify(self, authorization_header: str | None) -> Principal | AuthError:
        token = _bearer_token(authorization_header)
        if isinstance(token, AuthError):
            return token
        result = self._verify_token(token)
        if isinstance(result, AuthError):
            logger.info(
                "bearer token refused", extra={"status": result.status, "reason": result.message}
            )
        return result

    def _verify_token(self, token: str) -> Principal | AuthError:
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError:
            return invalid_token("the bearer token is not a well-formed JWT")
        algorithm, kid = header.get("alg"), header.get("kid")
        if not isinstance(algorithm, str) or algorithm not in ALGORITHMS:
            return invalid_token("the token's signing algorithm is not accepted")
        if not isinstance(kid, str) or not kid:
            return invalid_token("the token names no signing key (kid)")
        try:
            key = self._keys.key_for(kid)
        except IssuerUnavailableError:
            return issuer_unavailable()  # the key cache logged why, once per failed fetch
        if key is None:
            return invalid_token("the token is signed with a key the issuer does not publish")
        if key.algorithm != algorithm:
            return invalid_token("the token's algorithm does not match its signing key")
        try:
            claims: dict[str, Any] = jwt.decode(
                token,
                key.public_key,
                algorithms=[key.algorithm],
                audience=self.audience,
                options={
                    "verify_exp": False,
                    "verify_nbf": False,
                    "verify_iat": False,
                    "verify_iss": False,
                    "require": _REQUIRED_CLAIMS,
                },
            )
        except jwt.InvalidSignatureError:
            return invalid_token("the token's signature does not verify")
        except jwt.MissingRequiredClaimError as exc:
            return invalid_token(f"the token has no {exc.claim} claim")
        except jwt.InvalidAudienceError:
            return invalid_token("the token is not meant for this API (audience)")
        except jwt.PyJWTError:
            return invalid_token("the token could not be verified")
        return self._principal(claims)

    def _principal(self, claims: dict[str, Any]) -> Principal | AuthError:
        issuer = claims["iss"]
        if not isinstance(issuer, str) or not same_issuer(issuer, self.issuer):
            return invalid_token("the token comes from another issuer")
        problem = _time_problem(claims, self._clock.now().timestamp())
        if problem is not None:
            return invalid_token(problem)
        subject = claims["sub"]
        if not isinstance(subject, str) or not subject:
            return invalid_token("the token's subject is empty")
        if len(subject) > MAX_SUBJECT_CHARS:
            return invalid_token("the token's subject is longer than 255 characters")
        scopes = _scopes(claims)
        if scopes is None:
            return invalid_token("the token's scopes are malformed")
        client_id = claims.get("client_id", claims.get("azp"))
        return Principal(
            subject=subject,
            scopes=scopes,
            client_id=client_id if isinstance(client_id, str) else None,
        )


def _bearer_token(authorization_header: str | None) -> str | AuthError:
    if not authorization_header or not authorization_header.strip():
        return invalid_token("an Authorization: Bearer token is required")
    scheme, _, token = authorization_header.strip().partition(" ")
    if scheme.lower() != "bearer":
        return invalid_token("the Authorization header must use the Bearer scheme")
    token = token.strip()
    if len(token) > MAX_TOKEN_CHARS or not _COMPACT_JWS.fullmatch(token):
        return invalid_token("the bearer token is not a well-formed JWT")
    return token


def _timestamp(value: object) -> float | None:
    """Seconds since the epoch, or None for anything that is not a finite time in range.

    JSON allows 1e999 (infinity) and integers too large for a float: neither may mean
    "never expires", and neither may reach float arithmetic.
    """
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if not 0 <= value <= LATEST_TIMESTAMP:
        return None
    return float(value)


def _time_problem(claims: dict[str, Any], now: float) -> str | None:
    leeway = LEEWAY.total_seconds()
    expires = _timestamp(claims["exp"])
    if expires is None:
        return "the token's exp claim is not a valid time"
    if expires <= now - leeway:
        return "the token has expired"
    for name in ("nbf", "iat"):
        if name not in claims:
            continue
        at = _timestamp(claims[name])
        if at is None:
            return f"the token's {name} claim is not a valid time"
        if at > now + leeway:
            return "the token is not valid yet"
    return None


def _scopes(claims: dict[str, Any]) -> frozenset[str] | None:
    """Hydra puts a list in `scp`; others use a `scope` string.

    RFC 6749 §3.3 separates scopes with a plain space (%x20) only: split on any other
    whitespace, `"coffeebuddy:read\u2003coffeebuddy:admin"` would grant two scopes where the
    issuer meant one (unknown) scope.
    """
    raw = claims.get("scp", claims.get("scope", []))
    if isinstance(raw, str):
        return frozenset(scope for scope in raw.split(" ") if scope)
    if isinstance(raw, list) and all(isinstance(scope, str) for scope in raw):
        return frozenset(raw)
    return None
