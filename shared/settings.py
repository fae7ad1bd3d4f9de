"""Settings read once from the environment (secrets are not settings: see shared.secrets).

A missing or malformed setting raises :class:`SettingsError` whose message names the
setting and the expected form, never the value (the value may be a secret).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlsplit

DEFAULT_SLACK_API_URL = "https://slack.com/api/"
SLACK_HOOKS_URL = "https://hooks.slack.com/"


class SettingsError(Exception):
    """A setting is missing or malformed; the message is safe to print."""


@dataclass(frozen=True)
class Settings:
    database_url: str
    slack_api_url: str = DEFAULT_SLACK_API_URL
    kafka_brokers: str = ""
    kafka_client_id: str = "coffeebuddy"
    reminder_worker_group: str = "coffeebuddy-reminders"
    channel_default_reminder_minutes: int = 5
    channel_default_retention_days: int = 90
    vault_addr: str = ""
    oidc_issuer: str = ""
    prometheus_metrics_port: int = 9464
    port: int = 8080
    log_level: str = "INFO"
    admin_user_ids: frozenset[str] = frozenset()
    oidc_audience: str = "coffeebuddy"
    audit_retention_days: int = 730
    # Where a command's or click's response_url may lead (Slack's hooks, the Slack API
    # server's own origin, and SLACK_RESPONSE_URL_PREFIXES): a URL read from an event is
    # never followed anywhere else.
    response_url_prefixes: tuple[str, ...] = (SLACK_HOOKS_URL,)

    def __repr__(self) -> str:
        # Never let a secret reach a log line through repr().
        return (
            f"Settings(database={urlsplit(self.database_url).scheme}, "
            f"slack_api_url={self.slack_api_url!r}, kafka_brokers={self.kafka_brokers!r})"
        )


def _required(env: Mapping[str, str], name: str) -> str:
    value = env.get(name, "").strip()
    if not value:
        raise SettingsError(f"{name} is required but not set")
    return value


def _integer(env: Mapping[str, str], name: str, default: int, low: int, high: int) -> int:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a whole number from {low} to {high}") from None
    if not low <= value <= high:
        raise SettingsError(f"{name} must be a whole number from {low} to {high}")
    return value


def _http_url(env: Mapping[str, str], name: str, default: str) -> str:
    raw = env.get(name, "").strip() or default
    if not raw:
        return ""
    parts = urlsplit(raw)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise SettingsError(f"{name} must be an http(s) URL")
    return raw


def _user_ids(env: Mapping[str, str], name: str) -> frozenset[str]:
    ids = frozenset(part.strip() for part in env.get(name, "").split(",") if part.strip())
    if any(not (i.isalnum() and i.isupper()) for i in ids):
        raise SettingsError(f"{name} must be a comma-separated list of Slack user ids (U0123ABC)")
    return ids


def _response_url_prefixes(env: Mapping[str, str], slack_api_url: str) -> tuple[str, ...]:
    parts = urlsplit(slack_api_url)
    found = [SLACK_HOOKS_URL, f"{parts.scheme}://{parts.netloc}/"]
    for raw in env.get("SLACK_RESPONSE_URL_PREFIXES", "").split(","):
        prefix = raw.strip()
        if not prefix:
            continue
        url = urlsplit(prefix)
        if url.scheme not in ("http", "https") or not url.netloc:
            raise SettingsError("SLACK_RESPONSE_URL_PREFIXES must list http(s) URLs")
        found.append(prefix if prefix.endswith("/") else prefix + "/")
    return tuple(dict.fromkeys(found))


def normalize_database_url(raw: str) -> str:
    """Accept the usual Postgres spellings and pin the psycopg 3 driver."""
    scheme = urlsplit(raw).scheme
    if scheme in ("postgres", "postgresql"):
        return "postgresql+psycopg" + raw[len(scheme) :]
    if scheme in ("postgresql+psycopg", "sqlite"):
        return raw
    raise SettingsError("DATABASE_URL must be a postgresql:// or sqlite:// URL")


def load_settings(env: Mapping[str, str] | None = None) -> Settings:
    env = os.environ if env is None else env
    slack_api_url = _http_url(env, "SLACK_API_URL", DEFAULT_SLACK_API_URL)
    if not slack_api_url.endswith("/"):
        slack_api_url += "/"
    log_level = env.get("LOG_LEVEL", "INFO").strip().upper() or "INFO"
    if log_level not in ("DEBUG", "INFO", "WARNING", "ERROR"):
        raise SettingsError("LOG_LEVEL must be one of DEBUG, INFO, WARNING, ERROR")
    return Settings(
        database_url=normalize_database_url(_required(env, "DATABASE_URL")),
        slack_api_url=slack_api_url,
        kafka_brokers=env.get("KAFKA_BROKERS", "").strip(),
        kafka_client_id=env.get("KAFKA_CLIENT_ID", "").strip() or "coffeebuddy",
        reminder_worker_group=env.get("REMINDER_WORKER_GROUP", "").strip()
        or "coffeebuddy-reminders",
        channel_default_reminder_minutes=_integer(
            env, "CHANNEL_DEFAULT_REMINDER_MINUTES", 5, 1, 60
        ),
        channel_default_retention_days=_integer(env, "CHANNEL_DEFAULT_RETENTION_DAYS", 90, 1, 365),
        vault_addr=_http_url(env, "VAULT_ADDR", ""),
        oidc_issuer=_http_url(env, "OIDC_ISSUER", ""),
        prometheus_metrics_port=_integer(env, "PROMETHEUS_METRICS_PORT", 9464, 0, 65535),
        port=_integer(env, "PORT", 8080, 1, 65535),
        log_level=log_level,
        admin_user_ids=_user_ids(env, "ADMIN_USER_IDS"),
        oidc_audience=env.get("OIDC_AUDIENCE", "").strip() or "coffeebuddy",
        audit_retention_days=_integer(env, "AUDIT_RETENTION_DAYS", 730, 30, 3650),
        response_url_prefixes=_response_url_prefixes(env, slack_api_url),
    )


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process's settings, read once."""
    return load_settings()
