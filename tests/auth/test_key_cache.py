"""Discovery and JWKS caching, key rotation, unknown-kid rate limiting and an unreachable issuer."""

from __future__ import annotations

import socket
from datetime import timedelta

from shared.auth import AuthError, Principal, TokenVerifier
from shared.clock import ManualClock
from tests.support.oidc_issuer import OidcIssuer

from .conftest import AUDIENCE


def _accepted(verifier: TokenVerifier, token: str) -> bool:
    return isinstance(verifier.verify(f"Bearer {token}"), Principal)


def _status(verifier: TokenVerifier, token: str) -> int:
    result = verifier.verify(f"Bearer {token}")
    return result.status if isinstance(result, AuthError) else 200


def test_nothing_is_fetched_until_the_first_verify(issuer: OidcIssuer, clock: ManualClock):
    TokenVerifier(issuer.url, AUDIENCE, clock=clock)

    assert (issuer.discovery_fetches, issuer.jwks_fetches) == (0, 0)


def test_discovery_and_jwks_are_fetched_once_for_many_verifies(
    issuer: OidcIssuer, verifier: TokenVerifier
):
    tokens = [issuer.mint(key="rsa"), issuer.mint(key="ec")] * 10

    assert all(_accepted(verifier, token) for token in tokens)
    assert (issuer.discovery_fetches, issuer.jwks_fetches) == (1, 1)


def test_jwks_is_refreshed_a_minute_before_its_ttl_by_one_request(
    issuer: OidcIssuer, verifier: TokenVerifier, clock: ManualClock
):
    assert _accepted(verifier, issuer.mint())
    clock.advance(timedelta(seconds=539))
    assert _accepted(verifier, issuer.mint())
    assert issuer.jwks_fetches == 1

    clock.advance(timedelta(seconds=1))

    assert _accepted(verifier, issuer.mint())
    assert _accepted(verifier, issuer.mint())
    assert (issuer.discovery_fetches, issuer.jwks_fetches) == (1, 2)


def test_a_failed_early_refresh_still_answers_from_the_cache_until_the_ttl(
    issuer: OidcIssuer, verifier: TokenVerifier, clock: ManualClock
):
    assert _accepted(verifier, issuer.mint())
    issuer.down()
    clock.advance(timedelta(seconds=540))

    assert _accepted(verifier, issuer.mint())
    assert issuer.jwks_fetches == 2
    clock.advance(timedelta(seconds=59))
    assert _accepted(verifier, issuer.mint())
    clock.advance(timedelta(seconds=1))
    assert _status(verifier, issuer.mint()) == 503


def test_rotated_key_is_fetched_once_and_accepted_without_restart(
    issuer: OidcIssuer, verifier: TokenVerifier
):
    old_token = issuer.mint()
    assert _accepted(verifier, old_token)

    issuer.rotate()
    new_token = issuer.mint()

    assert issuer.key("rsa").kid not in old_token
    assert _accepted(verifier, new_token)
    assert _accepted(verifier, issuer.mint(key="ec"))
    assert issuer.jwks_fetches == 2
    # The withdrawn key is gone from the refetched set, so tokens it signed stop verifying
    # (its kid is a stranger now: refetches come from the budget for unknown kids).
    assert _status(verifier, old_token) == 401
    assert issuer.jwks_fetches == 3


def test_unknown_kid_spam_refetches_three_times_then_once_per_10_seconds(
    issuer: OidcIssuer, verifier: TokenVerifier, clock: ManualClock
):
    assert _accepted(verifier, issuer.mint())

    for n in range(50):
        assert _status(verifier, issuer.mint(kid=f"made-up-{n}")) == 401
    assert issuer.jwks_fetches == 1 + 3

    clock.advance(timedelta(seconds=9))
    assert _status(verifier, issuer.mint(kid="made-up-again")) == 401
    assert issuer.jwks_fetches == 4

    clock.advance(timedelta(seconds=1))
    for n in range(50):
        assert _status(verifier, issuer.mint(kid=f"made-up-later-{n}")) == 401
    assert issuer.jwks_fetches == 5


def test_issuer_answering_errors_gives_503_then_recovers(
    issuer: OidcIssuer, verifier: TokenVerifier, clock: ManualClock
):
    token = issuer.mint({"scp": ["coffeebuddy:admin"]})
    issuer.down()

    result = verifier.verify(f"Bearer {token}")

    assert result == AuthError(
        503, "temporarily_unavailable", "the token issuer can't be reached; try again shortly"
    )
    assert result.www_authenticate() is None
    issuer.up()
    clock.advance(timedelta(seconds=1))  # the failure is backed off for a second
    assert _accepted(verifier, token)


def test_unreachable_issuer_gives_503(issuer: OidcIssuer, clock: ManualClock):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    verifier = TokenVerifier(f"http://127.0.0.1:{closed_port}", AUDIENCE, clock=clock)

    assert _status(verifier, issuer.mint()) == 503


def test_keys_are_not_served_stale_when_the_refetch_after_ttl_fails(
    issuer: OidcIssuer, verifier: TokenVerifier, clock: ManualClock
):
    assert _accepted(verifier, issuer.mint())
    issuer.down()
    clock.advance(timedelta(seconds=600))

    assert _status(verifier, issuer.mint()) == 503


def test_unknown_kid_while_the_issuer_is_down_is_never_accepted(
    issuer: OidcIssuer, verifier: TokenVerifier
):
    assert _accepted(verifier, issuer.mint())
    issuer.rotate()
    issuer.down()

    assert _status(verifier, issuer.mint()) == 503
    assert _status(verifier, issuer.mint(kid="made-up")) == 503


def test_discovery_naming_another_issuer_or_no_jwks_gives_503(
    issuer: OidcIssuer, verifier: TokenVerifier, clock: ManualClock
):
    token = issuer.mint()
    issuer.override_discovery({"issuer": "https://hydra.evil.example"})
    assert _status(verifier, token) == 503

    clock.advance(timedelta(seconds=30))  # past the backoff of each failure
    issuer.override_discovery({"issuer": None})
    assert _status(verifier, token) == 503

    clock.advance(timedelta(seconds=30))
    issuer.override_discovery({"issuer": issuer.url, "jwks_uri": None})
    assert _status(verifier, token) == 503
    assert (issuer.discovery_fetches, issuer.jwks_fetches) == (3, 0)

    clock.advance(timedelta(seconds=30))
    issuer.override_discovery({"jwks_uri": issuer.url + "/.well-known/jwks.json"})
    assert _status(verifier, token) == 200


def test_jwks_that_is_not_a_key_set_gives_503(issuer: OidcIssuer, verifier: TokenVerifier):
    issuer.override_discovery({"jwks_uri": issuer.url + "/.well-known/openid-configuration"})

    assert _status(verifier, issuer.mint()) == 503


def test_jwks_uri_that_is_not_http_is_never_fetched(issuer: OidcIssuer, verifier: TokenVerifier):
    issuer.override_discovery({"jwks_uri": "file:///etc/passwd"})

    assert _status(verifier, issuer.mint()) == 503


def test_tokens_with_refused_algorithms_never_cause_a_fetch(
    issuer: OidcIssuer, verifier: TokenVerifier
):
    for alg in ("none", "HS256", "RS512"):
        assert _status(verifier, issuer.mint(alg=alg, kid=f"unknown-{alg}")) == 401

    assert (issuer.discovery_fetches, issuer.jwks_fetches) == (0, 0)


def test_jwks_address_answering_anything_but_200_gives_503(
    issuer: OidcIssuer, verifier: TokenVerifier
):
    issuer.override_discovery({"jwks_uri": issuer.url + "/nope"})

    assert _status(verifier, issuer.mint()) == 503
