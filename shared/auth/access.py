"""Who a verified bearer token speaks for, and what it may do.

Refusals are values, not exceptions: a bad token is something a caller can cause, so the
ops API turns an :class:`AuthError` straight into a 401/403/503 response.
"""

from __future__ import annotations

from dataclasses import dataclass

SCOPE_READ = "coffeebuddy:read"
SCOPE_ADMIN = "coffeebuddy:admin"

# A scope granted here also grants the scopes it maps to: admin may read.
_IMPLIED_SCOPES: dict[str, frozenset[str]] = {SCOPE_ADMIN: frozenset({SCOPE_READ})}


@dataclass(frozen=True)
class Principal:
    """The caller behind a verified access token."""

    subject: str
    scopes: frozenset[str]
    client_id: str | None

    def has_scope(self, scope: str) -> bool:
        return scope in self.scopes or any(
            scope in _IMPLIED_SCOPES.get(granted, frozenset()) for granted in self.scopes
        )


@dataclass(frozen=True)
class AuthError:
    """Why a request is refused.

    `code` is an RFC 6750 error code (`invalid_token`, `insufficient_scope`) or
    `temporarily_unavailable` when the issuer can't be reached. `message` is safe to show and
    to log: it never contains the token.
    """

    status: int
    code: str
    message: str

    def www_authenticate(self, realm: str = "coffeebuddy") -> str | None:
        """The `WWW-Authenticate` header value for a 401 or 403, None otherwise."""
        if self.status not in (401, 403):
            return None
        description = self.message.replace("\\", "").replace('"', "'")
        return f'Bearer realm="{realm}", error="{self.code}", error_description="{description}"'


def invalid_token(message: str) -> AuthError:
    return AuthError(401, "invalid_token", message)


def issuer_unavailable() -> AuthError:
    return AuthError(
        503, "temporarily_unavailable", "the token issuer can't be reached; try again shortly"
    )


def require(principal: Principal, scope: str) -> AuthError | None:
    """None when the principal holds `scope` (directly or through admin), else a 403."""
    if principal.has_scope(scope):
        return None
    return AuthError(403, "insufficient_scope", f"this needs the {scope} scope")
