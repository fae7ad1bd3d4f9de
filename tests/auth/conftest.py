"""A real local OIDC issuer per test (keys generated once per session) and a verifier for it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from shared.auth import TokenVerifier
from shared.clock import ManualClock
from tests.support.oidc_issuer import IssuerKeys, OidcIssuer

START = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
AUDIENCE = "coffeebuddy"


@pytest.fixture(scope="session")
def issuer_keys() -> IssuerKeys:
    return IssuerKeys.generate()


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(START)


@pytest.fixture
def issuer(issuer_keys: IssuerKeys, clock: ManualClock) -> Iterator[OidcIssuer]:
    with OidcIssuer(clock=clock, audience=AUDIENCE, keys=issuer_keys) as server:
        yield server


@pytest.fixture
def verifier(issuer: OidcIssuer, clock: ManualClock) -> TokenVerifier:
    return TokenVerifier(issuer.url, AUDIENCE, clock=clock, http_timeout=1.0)
