"""Which published keys may verify tokens: RS256 (RSA >= 2048) and ES256 (P-256) public keys."""

from __future__ import annotations

from typing import Any

from cryptography.hazmat.primitives.asymmetric import ec, rsa
from jwt.algorithms import ECAlgorithm, RSAAlgorithm

from shared.auth.oidc import parse_jwks
from tests.support.oidc_issuer import IssuerKeys


def test_only_rs256_and_es256_public_signing_keys_are_kept(issuer_keys: IssuerKeys):
    rsa_jwk = issuer_keys.rsa.public_jwk()
    private_jwk: dict[str, Any] = {
        **RSAAlgorithm.to_jwk(issuer_keys.other.private_key, as_dict=True),
        "kid": "private",
    }
    weak = rsa.generate_private_key(public_exponent=65537, key_size=1024).public_key()  # noqa: S505
    p384 = ec.generate_private_key(ec.SECP384R1()).public_key()
    document = {
        "keys": [
            rsa_jwk,
            issuer_keys.ec.public_jwk(),
            {**{k: v for k, v in rsa_jwk.items() if k != "alg"}, "kid": "no-alg"},
            {**rsa_jwk, "kid": "rs512", "alg": "RS512"},
            {**rsa_jwk, "kid": "encryption", "use": "enc"},
            {**rsa_jwk, "kid": ""},
            {"kty": "oct", "kid": "hmac", "k": "c2VjcmV0"},
            {"kty": "RSA", "kid": "broken", "n": "AQAB"},
            {**RSAAlgorithm.to_jwk(weak, as_dict=True), "kid": "rsa-1024"},
            {**ECAlgorithm.to_jwk(p384, as_dict=True), "kid": "p-384"},
            private_jwk,
            "not a key",
        ]
    }

    keys = parse_jwks(document)

    assert sorted(keys) == sorted([issuer_keys.rsa.kid, issuer_keys.ec.kid, "no-alg"])
    assert keys[issuer_keys.rsa.kid].algorithm == "RS256"
    assert keys[issuer_keys.ec.kid].algorithm == "ES256"
