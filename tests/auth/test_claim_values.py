"""Claims a signed token may carry that must still be refused: times that are not finite or out
of range, scopes joined by something other than a space, over-long subjects, hostile headers."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest

from shared.auth import AuthError, Principal, TokenVerifier
from tests.support.oidc_issuer import OidcIssuer


def _status(verifier: TokenVerifier, token: str) -> int:
    result = verifier.verify(f"Bearer {token}")
    return result.status if isinstance(result, AuthError) else 200


@pytest.mark.parametrize("claim", ["exp", "nbf", "iat"])
@pytest.mark.parametrize(
    "value",
    [float("inf"), float("-inf"), float("nan"), 10**400, -(10**400), 1e308, 253402300800, -1],
    ids=["inf", "-inf", "nan", "10^400", "-10^400", "1e308", "year-10000", "negative"],
)
def test_time_claims_that_are_not_finite_or_out_of_range_are_401(
    issuer: OidcIssuer, verifier: TokenVerifier, claim: str, value: float
):
    token = issuer.mint({claim: value})

    result = verifier.verify(f"Bearer {token}")

    assert isinstance(result, AuthError), "a token with an unusable time was accepted"
    assert (result.status, result.code) == (401, "invalid_token")
    assert claim in result.message


def test_fractional_times_within_range_are_accepted(issuer: OidcIssuer, verifier: TokenVerifier):
    token = issuer.mint({"exp": 1800000000.5, "iat": 1795000000.25, "nbf": 1795000000.25})

    assert _status(verifier, token) == 200


@pytest.mark.parametrize(
    "separator", ["\t", "\n", "\u00a0", "\u2003", "\u3000", "\x1f", "\u2028", "\x0b"]
)
def test_scopes_are_split_on_plain_spaces_only(
    issuer: OidcIssuer, verifier: TokenVerifier, separator: str
):
    token = issuer.mint({"scope": f"coffeebuddy:read{separator}coffeebuddy:admin"}, omit=("scp",))

    result = verifier.verify(f"Bearer {token}")

    assert isinstance(result, Principal)
    assert not result.has_scope("coffeebuddy:admin")
    assert not result.has_scope("coffeebuddy:read")


def test_scopes_joined_by_several_spaces_are_each_granted(
    issuer: OidcIssuer, verifier: TokenVerifier
):
    token = issuer.mint({"scope": "  coffeebuddy:read   other  "}, omit=("scp",))

    result = verifier.verify(f"Bearer {token}")

    assert isinstance(result, Principal)
    assert result.scopes == frozenset({"coffeebuddy:read", "other"})


def test_subject_over_255_characters_is_401(issuer: OidcIssuer, verifier: TokenVerifier):
    assert _status(verifier, issuer.mint({"sub": "s" * 255})) == 200
    assert _status(verifier, issuer.mint({"sub": "s" * 256})) == 401


def _b64_json(value: Any) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()


def test_deeply_nested_token_header_is_401(verifier: TokenVerifier):
    nested = "[" * 3000 + "]" * 3000
    header = base64.urlsafe_b64encode(nested.encode()).rstrip(b"=").decode()

    assert _status(verifier, f"{header}.{_b64_json({})}.c2ln") == 401


def test_header_with_a_huge_number_is_401(verifier: TokenVerifier):
    header = base64.urlsafe_b64encode(b'{"alg": "RS256", "kid": ' + b"9" * 5000 + b"}")

    assert _status(verifier, f"{header.rstrip(b'=').decode()}.{_b64_json({})}.c2ln") == 401
