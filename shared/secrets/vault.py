"""Secrets from a Vault KV v2 engine through hvac, with token or Kubernetes auth.

hvac (and requests under it, ~0.25 s of imports) is imported on first use, so a process whose
secrets come from files or the environment never pays for it. Every hvac or requests error is
turned into a :class:`SecretsError` that names the Vault host, the mount, path or role and the
kind of failure; hvac's own messages are not passed on (they carry the full URL, which may hold
credentials) and the original exception is not chained.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from shared.secrets.secret import Secret, SecretsError
from shared.secrets.sources import Reading

DEFAULT_KV_MOUNT = "secret"
DEFAULT_SECRET_PATH = "coffeebuddy"  # noqa: S105
DEFAULT_K8S_MOUNT = "kubernetes"
DEFAULT_K8S_TOKEN_PATH = Path("/var/run/secrets/kubernetes.io/serviceaccount/token")

# hvac raises one exception class per HTTP status; it keeps no status code, so map the class.
_VAULT_FAILURES = {
    "InvalidRequest": "request rejected (400)",
    "Unauthorized": "unauthorized (401)",
    "Forbidden": "permission denied (403)",
    "InvalidPath": "not found (404)",
    "RateLimitExceeded": "rate limited (429)",
    "InternalServerError": "internal server error (500)",
    "VaultNotInitialized": "not initialized (501)",
    "BadGateway": "bad gateway (502)",
    "VaultDown": "sealed or unavailable (503)",
}


class _RefusedError(SecretsError):
    """Vault answered 401 or 403: the token is bad, expired or lacks the policy."""


@dataclass(frozen=True)
class VaultConfig:
    """How to reach Vault. With a token, token auth; otherwise Kubernetes auth as `role`."""

    addr: str
    kv_mount: str = DEFAULT_KV_MOUNT
    secret_path: str = DEFAULT_SECRET_PATH
    token: Secret | None = None
    role: str = ""
    k8s_token_path: Path = DEFAULT_K8S_TOKEN_PATH
    k8s_mount: str = DEFAULT_K8S_MOUNT
    timeout_seconds: float = 5.0

    @property
    def host(self) -> str:
        """`host:port` of VAULT_ADDR, without any user info the URL may carry."""
        parts = urlsplit(self.addr)
        host = parts.hostname or "?"
        return f"{host}:{parts.port}" if parts.port else host

    @property
    def secret_location(self) -> str:
        return f"{self.kv_mount.strip('/')}/{self.secret_path.strip('/')}"


class VaultSource:
    """Reads the one KV v2 secret holding every key; logs in again when a login token expires.

    Not thread-safe on its own (a requests session is not): the provider serialises reads.
    """

    def __init__(self, config: VaultConfig) -> None:
        if config.token is None and not config.role:
            raise SecretsError(
                "Vault needs VAULT_TOKEN (token auth) or VAULT_ROLE (Kubernetes auth)"
            )
        self._config = config
        self._client: Any = None

    @property
    def description(self) -> str:
        return f"Vault at {self._config.host} ({self._config.secret_location})"

    def read(self) -> Reading:
        if self._client is None:
            self._client = self._connect()
        try:
            response = self._read_secret(self._client)
        except _RefusedError:
            if self._config.token is not None:
                raise
            # A Kubernetes login token expires (or is revoked): one fresh login, one more try.
            self._disconnect()
            self._client = self._connect()
            response = self._read_secret(self._client)
        return self._reading(response)

    def close(self) -> None:
        self._disconnect()

    def _connect(self) -> Any:
        import hvac

        config = self._config
        # An explicit "" keeps hvac from picking up VAULT_TOKEN or ~/.vault-token on its own.
        token = config.token.reveal() if config.token is not None else ""
        client = hvac.Client(url=config.addr, token=token, timeout=config.timeout_seconds)
        if config.token is None:
            jwt = self._service_account_jwt()
            with self._vault_errors(f"Kubernetes login as role {config.role!r}"):
                client.auth.kubernetes.login(
                    role=config.role, jwt=jwt, mount_point=config.k8s_mount
                )
        return client

    def _disconnect(self) -> None:
        client, self._client = self._client, None
        if client is not None:
            client.adapter.close()

    def _service_account_jwt(self) -> str:
        path = self._config.k8s_token_path
        try:
            jwt = path.read_text(encoding="utf-8").strip()
        except (OSError, UnicodeDecodeError) as error:
            problem = type(error).__name__
            raise SecretsError(
                f"cannot read the Kubernetes service-account token {path} ({problem})"
            ) from None
        if not jwt:
            raise SecretsError(f"the Kubernetes service-account token {path} is empty")
        return jwt

    def _read_secret(self, client: Any) -> Any:
        config = self._config
        with self._vault_errors(f"reading KV v2 secret {config.secret_location}"):
            return client.secrets.kv.v2.read_secret_version(
                path=config.secret_path,
                mount_point=config.kv_mount,
                raise_on_deleted_version=True,  # also silences hvac's DeprecationWarning
            )

    def _reading(self, response: Any) -> Reading:
        try:
            data = response["data"]["data"]
            lease = response.get("lease_duration") or 0
        except (TypeError, KeyError, AttributeError):
            data, lease = None, 0
        if not isinstance(data, dict) or not isinstance(lease, int):
            raise SecretsError(f"{self.description}: unexpected response shape, not a KV v2 secret")
        values = {key: Secret(value) for key, value in data.items() if isinstance(value, str)}
        return Reading(values, timedelta(seconds=lease) if lease > 0 else None)

    @contextmanager
    def _vault_errors(self, action: str) -> Iterator[None]:
        import hvac.exceptions
        import requests

        where = f"Vault at {self._config.host}"
        try:
            yield
        except (hvac.exceptions.Forbidden, hvac.exceptions.Unauthorized) as error:
            reason = _VAULT_FAILURES[type(error).__name__]
            raise _RefusedError(f"{where}: {action} failed: {reason}") from None
        except hvac.exceptions.VaultError as error:
            reason = _VAULT_FAILURES.get(type(error).__name__, "unexpected response")
            raise SecretsError(f"{where}: {action} failed: {reason}") from None
        except requests.Timeout:
            timeout = self._config.timeout_seconds
            raise SecretsError(
                f"{where}: {action} failed: no answer within {timeout:g} s"
            ) from None
        except requests.exceptions.SSLError:
            raise SecretsError(f"{where}: {action} failed: TLS handshake failed") from None
        except requests.ConnectionError:
            raise SecretsError(f"{where}: {action} failed: unreachable") from None
        except requests.RequestException as error:
            problem = type(error).__name__
            raise SecretsError(f"{where}: {action} failed: {problem}") from None
