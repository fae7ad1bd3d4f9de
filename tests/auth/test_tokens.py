"""Verifying bearer tokens against a real local issuer: what is accepted, what is refused."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
from datetime import timedelta
from typing import Any

import pytest

from shared.auth import AuthError, Principal, TokenVerifier
from shared.clock import ManualClock
from tests.support.oidc_issuer import KeyName, OidcIssuer


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _b64_json(value: Any) -> str:
    return _b64(json.dumps(value).encode())


def _claims(token: str) -> dict[str, Any]:
    payload = token.split(".")[1]
    decoded: dict[str, Any] = json.loads(
        base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
    )
    return decoded


def _refused(
    verifier: TokenVerifier, token: str, caplog: pytest.LogCaptureFixture, *, header: str = ""
) -> AuthError:
    with caplog.at_level(logging.DEBUG):
        result = verifier.verify(header or f"Bearer {token}")
    assert isinstance(result, AuthError), "the token was accepted"
    assert (result.status, result.code) == (401, "invalid_token")
    if token:
        assert token not in result.message
        assert token not in (result.www_authenticate() or "")
        assert not [part for part in token.split(".") if len(part) > 12 and part in caplog.text]
    return result


# -- accepted ---------------------------------------------------------------------------------


def test_valid_rsa_token_gives_the_principal_and_its_scopes(
    issuer: OidcIssuer, verifier: TokenVerifier
):
    token = issuer.mint({"scp": ["coffeebuddy:read", "coffeebuddy:admin"]})

    assert verifier.verify(f"Bearer {token}") == Principal(
        subject="ops-user",
        scopes=frozenset({"coffeebuddy:read", "coffeebuddy:admin"}),
        client_id="coffeebuddy-ops",
    )


def test_valid_ec_token_is_accepted(issuer: OidcIssuer, verifier: TokenVerifier):
    token = issuer.mint({"sub": "ec-user"}, key="ec")

    result = verifier.verify(f"Bearer {token}")

    assert isinstance(result, Principal)
    assert result.subject == "ec-user"


def test_list_audience_scope_string_and_trailing_slash_issuer_are_accepted(
    issuer: OidcIssuer, verifier: TokenVerifier
):
    token = issuer.mint(
        {
            "aud": ["other-api", "coffeebuddy"],
            "iss": issuer.url + "/",
            "scope": "a coffeebuddy:read",
        },
        omit=("scp", "client_id"),
    )

    result = verifier.verify(f"bearer  {token}")

    assert result == Principal("ops-user", frozenset({"a", "coffeebuddy:read"}), None)


def test_nbf_and_iat_are_optional(issuer: OidcIssuer, verifier: TokenVerifier):
    assert isinstance(verifier.verify(f"Bearer {issuer.mint(omit=('nbf', 'iat'))}"), Principal)


def test_clock_skew_within_thirty_seconds_is_tolerated(
    issuer: OidcIssuer, verifier: TokenVerifier, clock: ManualClock
):
    now = int(clock.now().timestamp())
    early = issuer.mint({"nbf": now + 25, "iat": now + 25})
    late = issuer.mint({"exp": now - 25})

    assert isinstance(verifier.verify(f"Bearer {early}"), Principal)
    assert isinstance(verifier.verify(f"Bearer {late}"), Principal)


# -- refused: the header --------------------------------------------------------------------


@pytest.mark.parametrize(
    "header",
    [None, "", "   ", "Bearer", "Bearer ", "Basic b3BzOnNlY3JldA==", "Token abc.def.ghi"],
)
def test_missing_or_non_bearer_authorization_is_401(verifier: TokenVerifier, header: str | None):
    result = verifier.verify(header)

    assert isinstance(result, AuthError)
    assert (result.status, result.code) == (401, "invalid_token")


@pytest.mark.parametrize(
    "token",
    [
        "garbage",
        "a.b",
        "a.b.c.d.e",
        "x" * 9000 + ".e30.c2ln",
        "!!!.e30.c2ln",
        "é.e30.c2ln",
        f"{_b64(b'not json')}.e30.c2ln",
        f"{_b64_json([1, 2])}.e30.c2ln",
        f"{_b64_json({'alg': 'RS256', 'kid': 7})}.e30.c2ln",
        f"{_b64_json({'alg': 'RS256'})}.e30.c2ln",
        f"{_b64_json({'alg': ['RS256']})}.e30.c2ln",
    ],
)
def test_malformed_tokens_are_401_and_never_raise(
    verifier: TokenVerifier, token: str, caplog: pytest.LogCaptureFixture
):
    _refused(verifier, token, caplog)


def test_token_with_unreadable_payload_is_401(
    issuer: OidcIssuer, verifier: TokenVerifier, caplog: pytest.LogCaptureFixture
):
    header, _, signature = issuer.mint().split(".")

    _refused(verifier, f"{header}.{_b64(b'not json')}.{signature}", caplog)


# -- refused: claims ------------------------------------------------------------------------


def test_expired_token_is_401(
    issuer: OidcIssuer,
    verifier: TokenVerifier,
    clock: ManualClock,
    caplog: pytest.LogCaptureFixture,
):
    token = issuer.mint(expires_in=60)
    assert isinstance(verifier.verify(f"Bearer {token}"), Principal)

    clock.advance(timedelta(seconds=91))

    assert "expired" in _refused(verifier, token, caplog).message


def test_token_not_valid_yet_is_401(
    issuer: OidcIssuer,
    verifier: TokenVerifier,
    clock: ManualClock,
    caplog: pytest.LogCaptureFixture,
):
    now = int(clock.now().timestamp())
    not_before = issuer.mint({"nbf": now + 120})
    issued_later = issuer.mint({"iat": now + 120})

    assert "not valid yet" in _refused(verifier, not_before, caplog).message
    assert "not valid yet" in _refused(verifier, issued_later, caplog).message
    clock.advance(timedelta(seconds=120))
    assert isinstance(verifier.verify(f"Bearer {not_before}"), Principal)


def test_wrong_issuer_is_401(
    issuer: OidcIssuer, verifier: TokenVerifier, caplog: pytest.LogCaptureFixture
):
    token = issuer.mint({"iss": "https://hydra.evil.example"})

    assert "issuer" in _refused(verifier, token, caplog).message


def test_wrong_audience_is_401(
    issuer: OidcIssuer, verifier: TokenVerifier, caplog: pytest.LogCaptureFixture
):
    for audience in ("billing", ["billing", "payroll"]):
        token = issuer.mint({"aud": audience})
        assert "audience" in _refused(verifier, token, caplog).message


@pytest.mark.parametrize("claim", ["sub", "exp", "aud", "iss"])
def test_token_missing_a_required_claim_is_401(
    issuer: OidcIssuer, verifier: TokenVerifier, claim: str, caplog: pytest.LogCaptureFixture
):
    _refused(verifier, issuer.mint(omit=(claim,)), caplog)


@pytest.mark.parametrize(
    "claims",
    [{"sub": ""}, {"sub": 42}, {"exp": "never"}, {"exp": True}, {"nbf": "soon"}, {"scp": [1, 2]}],
)
def test_token_with_malformed_claims_is_401(
    issuer: OidcIssuer,
    verifier: TokenVerifier,
    claims: dict[str, Any],
    caplog: pytest.LogCaptureFixture,
):
    _refused(verifier, issuer.mint(claims), caplog)


# -- refused: keys and signatures -----------------------------------------------------------


def test_token_signed_with_a_key_missing_from_the_jwks_is_401(
    issuer: OidcIssuer, verifier: TokenVerifier, caplog: pytest.LogCaptureFixture
):
    own_kid = issuer.mint(key="other")
    borrowed_kid = issuer.mint(key="other", kid=issuer.key("rsa").kid)

    assert "does not publish" in _refused(verifier, own_kid, caplog).message
    assert "signature" in _refused(verifier, borrowed_kid, caplog).message


def test_alg_none_token_is_401(
    issuer: OidcIssuer, verifier: TokenVerifier, caplog: pytest.LogCaptureFixture
):
    claims = _claims(issuer.mint({"scp": ["coffeebuddy:admin"]}))
    for alg in ("none", "None", "NONE"):
        header = _b64_json({"alg": alg, "typ": "JWT", "kid": issuer.key("rsa").kid})
        unsigned = f"{header}.{_b64_json(claims)}."
        with_junk_signature = f"{unsigned}c2lnbmF0dXJl"
        _refused(verifier, unsigned, caplog)
        assert "not accepted" in _refused(verifier, with_junk_signature, caplog).message


def test_hs256_token_keyed_with_the_rsa_public_key_is_401(
    issuer: OidcIssuer, verifier: TokenVerifier, caplog: pytest.LogCaptureFixture
):
    token = issuer.mint({"scp": ["coffeebuddy:admin"]}, alg="HS256")
    signing_input, _, signature = token.rpartition(".")
    # A genuine confusion-attack token: HMAC-SHA256 keyed with the published public key.
    forged = hmac.new(issuer.key("rsa").public_pem(), signing_input.encode(), hashlib.sha256)
    assert signature == _b64(forged.digest())

    assert "not accepted" in _refused(verifier, token, caplog).message


def test_alg_that_does_not_match_the_key_type_is_401(
    issuer: OidcIssuer, verifier: TokenVerifier, caplog: pytest.LogCaptureFixture
):
    es256_on_rsa_kid = issuer.mint(key="ec", kid=issuer.key("rsa").kid)
    rs256_on_ec_kid = issuer.mint(key="rsa", kid=issuer.key("ec").kid)
    rs512 = issuer.mint(alg="RS512")

    assert "does not match" in _refused(verifier, es256_on_rsa_kid, caplog).message
    assert "does not match" in _refused(verifier, rs256_on_ec_kid, caplog).message
    assert "not accepted" in _refused(verifier, rs512, caplog).message


@pytest.mark.parametrize("key", ["rsa", "ec"])
def test_tampered_payload_is_401(
    issuer: OidcIssuer, verifier: TokenVerifier, key: KeyName, caplog: pytest.LogCaptureFixture
):
    token = issuer.mint(key=key)
    header, _, signature = token.split(".")
    claims = {**_claims(token), "scp": ["coffeebuddy:admin"]}
    tampered = f"{header}.{_b64_json(claims)}.{signature}"
    assert isinstance(verifier.verify(f"Bearer {token}"), Principal)

    assert "signature" in _refused(verifier, tampered, caplog).message
