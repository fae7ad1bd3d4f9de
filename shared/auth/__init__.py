"""Bearer-token authentication for the ops API: OIDC access tokens from Ory Hydra."""

from shared.auth.access import SCOPE_ADMIN, SCOPE_READ, AuthError, Principal, require
from shared.auth.tokens import TokenVerifier

__all__ = ["SCOPE_ADMIN", "SCOPE_READ", "AuthError", "Principal", "TokenVerifier", "require"]
