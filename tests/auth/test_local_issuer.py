"""The local issuer itself: real HTTP documents, published and unpublished keys, forged tokens."""

from __future__ import annotations

import base64
import json
import urllib.error
import urllib.request
from typing import Any

import pytest

from tests.support.oidc_issuer import OidcIssuer


def _get(url: str) -> dict[str, Any]:
    with urllib.request.urlopen(url, timeout=2) as response:
        document: dict[str, Any] = json.load(response)
    return document


def _header(token: str) -> dict[str, Any]:
    segment = token.split(".")[0]
    header: dict[str, Any] = json.loads(
        base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))
    )
    return header


def test_discovery_points_at_a_jwks_with_the_rsa_and_ec_keys_only(issuer: OidcIssuer):
    discovery = _get(issuer.url + "/.well-known/openid-configuration")
    jwks = _get(discovery["jwks_uri"])

    assert discovery["issuer"] == issuer.url
    assert not issuer.url.endswith("/")
    published = {(key["kid"], key["kty"], key["alg"]) for key in jwks["keys"]}
    assert published == {
        (issuer.key("rsa").kid, "RSA", "RS256"),
        (issuer.key("ec").kid, "EC", "ES256"),
    }
    assert all("d" not in key for key in jwks["keys"])
    assert (issuer.discovery_fetches, issuer.jwks_fetches) == (1, 1)


def test_rotate_replaces_the_published_keys(issuer: OidcIssuer):
    before = {key["kid"] for key in issuer.jwks()["keys"]}

    issuer.rotate()

    after = {key["kid"] for key in issuer.jwks()["keys"]}
    assert after == {issuer.key("rsa").kid, issuer.key("ec").kid}
    assert not before & after


def test_down_answers_503_and_unknown_paths_404(issuer: OidcIssuer):
    with pytest.raises(urllib.error.HTTPError) as missing:
        _get(issuer.url + "/nope")
    issuer.down()
    with pytest.raises(urllib.error.HTTPError) as down:
        _get(issuer.url + "/.well-known/jwks.json")

    assert (missing.value.code, down.value.code) == (404, 503)
    assert issuer.jwks_fetches == 1


def test_mint_headers_follow_the_key_and_can_be_overridden_or_dropped(issuer: OidcIssuer):
    assert _header(issuer.mint(key="ec")) == {
        "alg": "ES256",
        "typ": "JWT",
        "kid": issuer.key("ec").kid,
    }
    assert _header(issuer.mint(kid="k1", headers={"typ": None, "cty": "x"})) == {
        "alg": "RS256",
        "kid": "k1",
        "cty": "x",
    }
