"""The key cache when the issuer fails, drips, holds or rotates, and strangers send made-up kids.

Time is the test's clock for the cache; the few real waits are bounded by events and generous
joins, never measured.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest

from shared.auth import AuthError, Principal, TokenVerifier
from shared.clock import ManualClock
from tests.support.oidc_issuer import DISCOVERY_PATH, JWKS_PATH, OidcIssuer

from .conftest import AUDIENCE

GENEROUS = 10.0  # seconds: only ever reached when the behaviour under test is broken


def _status(verifier: TokenVerifier, token: str) -> int:
    result = verifier.verify(f"Bearer {token}")
    return result.status if isinstance(result, AuthError) else 200


def _in_thread(call: Callable[[], int]) -> tuple[threading.Thread, list[int]]:
    results: list[int] = []
    thread = threading.Thread(target=lambda: results.append(call()), daemon=True)
    thread.start()
    return thread, results


@pytest.fixture
def patient_verifier(issuer: OidcIssuer, clock: ManualClock) -> Iterator[TokenVerifier]:
    """Reads and fetches that would take GENEROUS seconds to give up by themselves."""
    yield TokenVerifier(
        issuer.url, AUDIENCE, clock=clock, http_timeout=GENEROUS, fetch_deadline=GENEROUS
    )
    issuer.release()


# -- 1. a failed refetch keeps the cached keys ------------------------------------------------


def test_a_made_up_kid_during_an_issuer_blip_does_not_lock_out_valid_tokens(
    issuer: OidcIssuer, verifier: TokenVerifier, clock: ManualClock
):
    assert _status(verifier, issuer.mint()) == 200
    issuer.down()

    assert _status(verifier, issuer.mint(kid="made-up")) == 503
    assert _status(verifier, issuer.mint()) == 200
    assert _status(verifier, issuer.mint(key="ec")) == 200

    clock.advance(timedelta(seconds=599))
    assert _status(verifier, issuer.mint()) == 200
    clock.advance(timedelta(seconds=1))
    assert _status(verifier, issuer.mint()) == 503  # expired: never served stale


# -- 2. a failed fetch is remembered and backed off -------------------------------------------


def test_forged_tokens_against_a_down_issuer_cost_one_fetch_per_backoff(
    issuer: OidcIssuer, verifier: TokenVerifier, clock: ManualClock
):
    issuer.down()

    assert {_status(verifier, issuer.mint(kid=f"forged-{n}")) for n in range(300)} == {503}
    assert issuer.discovery_fetches == 1

    clock.advance(timedelta(seconds=1))
    assert {_status(verifier, issuer.mint(kid=f"again-{n}")) for n in range(300)} == {503}
    assert issuer.discovery_fetches == 2
    clock.advance(timedelta(seconds=1))  # the second failure waits 2 s
    assert _status(verifier, issuer.mint()) == 503
    assert issuer.discovery_fetches == 2

    issuer.up()
    clock.advance(timedelta(seconds=1))
    assert _status(verifier, issuer.mint()) == 200
    assert issuer.discovery_fetches == 3


def test_concurrent_forged_tokens_against_a_down_issuer_share_one_fetch(
    issuer: OidcIssuer, verifier: TokenVerifier
):
    issuer.down()
    tokens = [issuer.mint(kid=f"forged-{n}") for n in range(300)]

    with ThreadPoolExecutor(max_workers=16) as pool:
        statuses = set(pool.map(lambda token: _status(verifier, token), tokens))

    assert statuses == {503}
    assert issuer.discovery_fetches == 1


def test_valid_requests_on_a_cold_cache_share_one_fetch(
    issuer: OidcIssuer, verifier: TokenVerifier
):
    tokens = [issuer.mint(key="rsa" if n % 2 else "ec") for n in range(40)]

    with ThreadPoolExecutor(max_workers=16) as pool:
        statuses = set(pool.map(lambda token: _status(verifier, token), tokens))

    assert statuses == {200}
    assert (issuer.discovery_fetches, issuer.jwks_fetches) == (1, 1)


# -- 3. a slow issuer holds up no one for long, and no one whose key is cached ----------------


@pytest.mark.parametrize("path", [DISCOVERY_PATH, JWKS_PATH])
def test_an_issuer_dripping_its_documents_is_cut_off_at_the_fetch_deadline(
    issuer: OidcIssuer, clock: ManualClock, path: str
):
    verifier = TokenVerifier(
        issuer.url, AUDIENCE, clock=clock, http_timeout=GENEROUS, fetch_deadline=0.2
    )
    issuer.drip(path, interval=0.01)

    fetching, result = _in_thread(lambda: _status(verifier, issuer.mint()))
    fetching.join(GENEROUS)

    assert not fetching.is_alive(), "the fetch went on past its deadline"
    assert result == [503]


def test_a_request_whose_key_is_cached_never_waits_for_a_refetch(
    issuer: OidcIssuer, patient_verifier: TokenVerifier
):
    assert _status(patient_verifier, issuer.mint()) == 200
    issuer.hold(JWKS_PATH)
    stranger, stranger_result = _in_thread(
        lambda: _status(patient_verifier, issuer.mint(kid="made-up"))
    )
    assert issuer.held.wait(GENEROUS)

    valid, valid_result = _in_thread(lambda: _status(patient_verifier, issuer.mint()))
    valid.join(GENEROUS)

    assert valid_result == [200]
    assert stranger.is_alive(), "the refetch ended before the valid request was answered"
    issuer.release()
    stranger.join(GENEROUS)
    assert stranger_result == [401]


def test_an_early_refresh_held_by_the_issuer_makes_no_other_request_wait(
    issuer: OidcIssuer, patient_verifier: TokenVerifier, clock: ManualClock
):
    assert _status(patient_verifier, issuer.mint()) == 200
    clock.advance(timedelta(seconds=550))  # due for its refresh
    issuer.hold(JWKS_PATH)
    refreshing, refreshed = _in_thread(lambda: _status(patient_verifier, issuer.mint()))
    assert issuer.held.wait(GENEROUS)

    others = [_status(patient_verifier, issuer.mint(key="ec")) for _ in range(20)]

    assert others == [200] * 20
    assert refreshing.is_alive()
    issuer.release()
    refreshing.join(GENEROUS)
    assert refreshed == [200]
    assert issuer.jwks_fetches == 2


# -- 9. key rotation is not slowed by strangers -----------------------------------------------


def test_a_key_published_just_after_a_stranger_s_made_up_kid_is_accepted_at_once(
    issuer: OidcIssuer, verifier: TokenVerifier
):
    assert _status(verifier, issuer.mint()) == 200
    assert _status(verifier, issuer.mint(kid="made-up")) == 401

    issuer.rotate()

    assert _status(verifier, issuer.mint()) == 200
    assert _status(verifier, issuer.mint(key="ec")) == 200
    assert issuer.jwks_fetches == 3


def test_under_a_stream_of_made_up_kids_a_new_key_is_accepted_within_10_seconds(
    issuer: OidcIssuer, verifier: TokenVerifier, clock: ManualClock
):
    assert _status(verifier, issuer.mint()) == 200
    for n in range(100):
        assert _status(verifier, issuer.mint(kid=f"made-up-{n}")) == 401
    issuer.rotate()
    assert _status(verifier, issuer.mint()) == 401  # the budget is spent: no fetch

    clock.advance(timedelta(seconds=10))
    # Whoever spends the next refetch, the JWKS it brings in has the new key.
    assert _status(verifier, issuer.mint(kid="made-up-next")) == 401
    assert _status(verifier, issuer.mint()) == 200
    assert issuer.jwks_fetches == 1 + 3 + 1


def test_a_new_key_arriving_during_a_refetch_shares_it(
    issuer: OidcIssuer, patient_verifier: TokenVerifier
):
    assert _status(patient_verifier, issuer.mint()) == 200
    issuer.rotate()
    issuer.hold(JWKS_PATH)
    first, first_result = _in_thread(lambda: _status(patient_verifier, issuer.mint()))
    assert issuer.held.wait(GENEROUS)
    second, second_result = _in_thread(lambda: _status(patient_verifier, issuer.mint(key="ec")))

    issuer.release()
    first.join(GENEROUS)
    second.join(GENEROUS)

    assert first_result == second_result == [200]
    assert issuer.jwks_fetches == 2


def test_tokens_are_accepted_again_once_a_failed_issuer_is_back(
    issuer: OidcIssuer, verifier: TokenVerifier, clock: ManualClock
):
    assert isinstance(verifier.verify(f"Bearer {issuer.mint()}"), Principal)
    issuer.rotate()
    issuer.down()
    assert _status(verifier, issuer.mint()) == 503

    issuer.up()
    clock.advance(timedelta(seconds=1))

    assert _status(verifier, issuer.mint()) == 200
