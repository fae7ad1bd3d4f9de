"""Scopes: read needs coffeebuddy:read, write needs coffeebuddy:admin, and admin implies read."""

from __future__ import annotations

from shared.auth import SCOPE_ADMIN, SCOPE_READ, AuthError, Principal, TokenVerifier, require
from tests.support.oidc_issuer import OidcIssuer


def _principal(*scopes: str) -> Principal:
    return Principal(subject="ops-user", scopes=frozenset(scopes), client_id=None)


def test_read_scope_may_read_but_not_write():
    reader = _principal(SCOPE_READ)

    assert require(reader, SCOPE_READ) is None
    refusal = require(reader, SCOPE_ADMIN)
    assert refusal == AuthError(403, "insufficient_scope", "this needs the coffeebuddy:admin scope")
    assert refusal.www_authenticate() == (
        'Bearer realm="coffeebuddy", error="insufficient_scope", '
        'error_description="this needs the coffeebuddy:admin scope"'
    )


def test_admin_scope_implies_read():
    admin = _principal(SCOPE_ADMIN)

    assert require(admin, SCOPE_ADMIN) is None
    assert require(admin, SCOPE_READ) is None


def test_token_without_coffeebuddy_scopes_is_403_for_read_and_write(
    issuer: OidcIssuer, verifier: TokenVerifier
):
    principal = verifier.verify(f"Bearer {issuer.mint({'scp': ['openid', 'offline']})}")

    assert isinstance(principal, Principal)
    for scope in (SCOPE_READ, SCOPE_ADMIN):
        refusal = require(principal, scope)
        assert isinstance(refusal, AuthError)
        assert (refusal.status, refusal.code) == (403, "insufficient_scope")


def test_token_without_any_scope_claim_has_no_scopes(issuer: OidcIssuer, verifier: TokenVerifier):
    principal = verifier.verify(f"Bearer {issuer.mint(omit=('scp',))}")

    assert isinstance(principal, Principal)
    assert principal.scopes == frozenset()
    assert require(principal, SCOPE_READ) is not None
