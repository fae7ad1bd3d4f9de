"""The local issuer's keys and signatures: real RSA and EC keys, and the forged signatures
(`alg: none`, HMAC keyed with the public key) a verifier must refuse."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from jwt.algorithms import ECAlgorithm, RSAAlgorithm, get_default_algorithms

KeyName = Literal["rsa", "ec", "other"]
_HMAC_HASHES = {"HS256": hashlib.sha256, "HS384": hashlib.sha384, "HS512": hashlib.sha512}


@dataclass(frozen=True)
class SigningKey:
    kid: str
    algorithm: str  # RS256 or ES256
    private_key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey

    @classmethod
    def rsa(cls, kid: str | None = None) -> SigningKey:
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        return cls(kid or f"rsa-{secrets.token_hex(4)}", "RS256", key)

    @classmethod
    def ec(cls, kid: str | None = None) -> SigningKey:
        return cls(
            kid or f"ec-{secrets.token_hex(4)}", "ES256", ec.generate_private_key(ec.SECP256R1())
        )

    def public_jwk(self) -> dict[str, Any]:
        public = self.private_key.public_key()
        if isinstance(public, rsa.RSAPublicKey):
            jwk = RSAAlgorithm.to_jwk(public, as_dict=True)
        else:
            jwk = ECAlgorithm.to_jwk(public, as_dict=True)
        return {**jwk, "kid": self.kid, "alg": self.algorithm, "use": "sig"}

    def public_pem(self) -> bytes:
        return self.private_key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )

    def signs_with(self, algorithm: str) -> bool:
        if isinstance(self.private_key, rsa.RSAPrivateKey):
            return algorithm[:2] in ("RS", "PS")
        return algorithm == "ES256"


@dataclass(frozen=True)
class IssuerKeys:
    """The keys an issuer starts with; `other` is never published in the JWKS.

    RSA generation takes ~30 ms a key, so a test session makes one set and shares it.
    """

    rsa: SigningKey
    ec: SigningKey
    other: SigningKey

    @classmethod
    def generate(cls) -> IssuerKeys:
        return cls(rsa=SigningKey.rsa(), ec=SigningKey.ec(), other=SigningKey.rsa())


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def compact_json(value: Mapping[str, Any]) -> bytes:
    return json.dumps(value, separators=(",", ":")).encode()


def sign(signing_input: bytes, key: SigningKey, algorithm: str) -> bytes:
    """Signs as the header claims when it can; forges what a verifier must refuse otherwise."""
    if algorithm.lower() == "none":
        return b""
    if algorithm in _HMAC_HASHES:
        # The classic confusion attack: the issuer's *public* key used as an HMAC secret.
        return hmac.new(key.public_pem(), signing_input, _HMAC_HASHES[algorithm]).digest()
    algorithms = get_default_algorithms()
    chosen = algorithm if key.signs_with(algorithm) and algorithm in algorithms else key.algorithm
    return algorithms[chosen].sign(signing_input, key.private_key)
