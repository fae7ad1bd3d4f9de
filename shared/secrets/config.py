"""Which sources to read, from the environment; the one call start-up makes."""

from __future__ import annotations

import os
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

from shared.clock import Clock, SystemClock
from shared.secrets.provider import DEFAULT_MAX_AGE, SecretProvider
from shared.secrets.secret import (
    SECRET_NAMES,
    SLACK_BOT_TOKEN,
    SLACK_SIGNING_SECRET,
    Secret,
    SecretsError,
)
from shared.secrets.sources import EnvironmentSecrets, LayeredSource, SecretsDirectory, SecretSource
from shared.secrets.vault import (
    DEFAULT_K8S_MOUNT,
    DEFAULT_K8S_TOKEN_PATH,
    DEFAULT_KV_MOUNT,
    DEFAULT_SECRET_PATH,
    VaultConfig,
    VaultSource,
)

DEFAULT_SECRETS_DIR = Path("/vault/secrets")
DEFAULT_REFRESH_SECONDS = 300
REQUIRED_SECRETS = (SLACK_SIGNING_SECRET, SLACK_BOT_TOKEN)


@dataclass(frozen=True)
class SecretsConfig:
    vault: VaultConfig | None
    secrets_dir: Path = DEFAULT_SECRETS_DIR
    refresh: timedelta = timedelta(seconds=DEFAULT_REFRESH_SECONDS)

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> SecretsConfig:
        def value(name: str, default: str = "") -> str:
            return (env.get(name) or "").strip() or default

        try:
            refresh = int(value("VAULT_REFRESH_SECONDS", str(DEFAULT_REFRESH_SECONDS)))
        except ValueError:
            refresh = 0
        if not 1 <= refresh <= 86_400:
            raise SecretsError("VAULT_REFRESH_SECONDS must be a whole number from 1 to 86400")
        vault = None
        if addr := value("VAULT_ADDR"):
            parts = urlsplit(addr)
            if parts.scheme not in ("http", "https") or not parts.hostname:
                raise SecretsError("VAULT_ADDR must be an http(s) URL")
            token = value("VAULT_TOKEN")
            role = value("VAULT_ROLE")
            if not token and not role:
                raise SecretsError(
                    "VAULT_ADDR is set but neither VAULT_TOKEN (token auth) "
                    "nor VAULT_ROLE (Kubernetes auth) is"
                )
            vault = VaultConfig(
                addr=addr,
                kv_mount=value("VAULT_KV_MOUNT", DEFAULT_KV_MOUNT),
                secret_path=value("VAULT_SECRET_PATH", DEFAULT_SECRET_PATH),
                token=Secret(token) if token else None,
                role=role,
                k8s_token_path=Path(value("VAULT_K8S_TOKEN_PATH", str(DEFAULT_K8S_TOKEN_PATH))),
                k8s_mount=value("VAULT_K8S_MOUNT", DEFAULT_K8S_MOUNT),
            )
        return cls(
            vault=vault,
            secrets_dir=Path(value("SECRETS_DIR", str(DEFAULT_SECRETS_DIR))),
            refresh=timedelta(seconds=refresh),
        )


def build_source(
    config: SecretsConfig, env: Mapping[str, str], names: Collection[str] = SECRET_NAMES
) -> SecretSource:
    """Vault (when configured), then the injector's files, then the environment."""
    sources: list[SecretSource] = []
    if config.vault is not None:
        sources.append(VaultSource(config.vault))
    sources.append(SecretsDirectory(config.secrets_dir, names))
    sources.append(EnvironmentSecrets(env, names))
    return LayeredSource(sources)


def load_secret_provider(
    env: Mapping[str, str] | None = None,
    *,
    clock: Clock | None = None,
    required: Collection[str] = REQUIRED_SECRETS,
    max_age: timedelta = DEFAULT_MAX_AGE,
) -> SecretProvider:
    """The process's secrets, read once now: :class:`SecretsError` if any source fails."""
    env = os.environ if env is None else env
    config = SecretsConfig.from_env(env)
    provider = SecretProvider(
        build_source(config, env),
        clock=clock or SystemClock(),
        required=required,
        refresh=config.refresh,
        max_age=max_age,
    )
    provider.load()
    return provider
