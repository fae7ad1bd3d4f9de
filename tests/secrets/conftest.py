"""A local Vault API server per test, known secret values to search output for, a manual clock."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from shared.clock import ManualClock
from tests.support.vault_api import VaultApiServer

START = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
VAULT_TOKEN = "hvs.test-root-token-5Rt1xQ"
K8S_JWT = "eyJhbGciOiJSUzI1NiJ9.test-service-account-6Yu8pL"
VAULT_VALUES = {
    "SLACK_SIGNING_SECRET": "vault-signing-secret-7Qx2mB",
    "SLACK_BOT_TOKEN": "xoxb-vault-bot-token-3Zp9nC",
    "DATABASE_PASSWORD": "vault-db-password-8Lk4vD",
}
ROTATED_VALUES = {
    "SLACK_SIGNING_SECRET": "rotated-signing-secret-1Ab2cD",
    "SLACK_BOT_TOKEN": "xoxb-rotated-bot-token-3Ef4gH",
    "DATABASE_PASSWORD": "rotated-db-password-5Ij6kL",
}
# Everything that must never appear in a log line, a message, a repr or a str.
KNOWN_SECRETS = (VAULT_TOKEN, K8S_JWT, *VAULT_VALUES.values(), *ROTATED_VALUES.values())


def assert_no_secret_in(*texts: str) -> None:
    for text in texts:
        for value in KNOWN_SECRETS:
            assert value not in text, f"a secret value leaked into: {text[:200]!r}"


@pytest.fixture
def vault() -> Iterator[VaultApiServer]:
    with VaultApiServer() as server:
        server.add_token(VAULT_TOKEN)
        server.put_secret("coffeebuddy", VAULT_VALUES)
        yield server


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(START)


@pytest.fixture
def secrets_dir(tmp_path: Path) -> Path:
    """An empty injector directory, so no test reads the host's /vault/secrets."""
    directory = tmp_path / "vault-secrets"
    directory.mkdir()
    return directory


@pytest.fixture
def token_env(vault: VaultApiServer, secrets_dir: Path) -> dict[str, str]:
    return {"VAULT_ADDR": vault.url, "VAULT_TOKEN": VAULT_TOKEN, "SECRETS_DIR": str(secrets_dir)}
