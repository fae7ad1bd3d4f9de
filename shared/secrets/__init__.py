"""The process's secrets: SLACK_SIGNING_SECRET, SLACK_BOT_TOKEN and DATABASE_PASSWORD.

Precedence, per secret, highest first:

1. Vault, when `VAULT_ADDR` is set: the KV v2 secret `VAULT_SECRET_PATH` (default
   `coffeebuddy`) on the mount `VAULT_KV_MOUNT` (default `secret`), one key per secret, named
   like the environment variable. Auth by `VAULT_TOKEN` when set, else Kubernetes auth as
   `VAULT_ROLE` with the service-account JWT in `VAULT_K8S_TOKEN_PATH` (default
   `/var/run/secrets/kubernetes.io/serviceaccount/token`) on the auth mount
   `VAULT_K8S_MOUNT` (default `kubernetes`).
2. Files written by the Vault agent injector: `SECRETS_DIR/<NAME>` (default `/vault/secrets`),
   contents stripped; an empty file counts as unset.
3. The environment variable of the same name (local runs, tests).

A key missing from Vault falls through to the files and the environment, but a failing source
(Vault unreachable, sealed, refusing the token; an unreadable file) fails the whole read: a
lower layer never stands in for a source that could not answer.

Values are cached and read again after the Vault lease or `VAULT_REFRESH_SECONDS` (default
300), so rotations are picked up; see :mod:`shared.secrets.provider`. Values travel wrapped in
:class:`Secret`, which never shows them in repr, str or a log line, and every failure is a
:class:`SecretsError` whose message is safe to print: it names hosts, paths and keys, never a
value or a token.
"""

from shared.secrets.config import REQUIRED_SECRETS, SecretsConfig, load_secret_provider
from shared.secrets.provider import SecretProvider
from shared.secrets.secret import (
    DATABASE_PASSWORD,
    SECRET_NAMES,
    SLACK_BOT_TOKEN,
    SLACK_SIGNING_SECRET,
    Secret,
    SecretsError,
)

__all__ = [
    "DATABASE_PASSWORD",
    "REQUIRED_SECRETS",
    "SECRET_NAMES",
    "SLACK_BOT_TOKEN",
    "SLACK_SIGNING_SECRET",
    "Secret",
    "SecretProvider",
    "SecretsConfig",
    "SecretsError",
    "load_secret_provider",
]
