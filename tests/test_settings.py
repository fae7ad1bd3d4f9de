from __future__ import annotations

import pytest

from shared.settings import SettingsError, load_settings

BASE = {
    "SLACK_SIGNING_SECRET": "s3cret-value",
    "SLACK_BOT_TOKEN": "xoxb-secret-token",
    "DATABASE_URL": "postgresql://user:hunter2@db/coffee",
}


def test_defaults():
    settings = load_settings(BASE)
    assert settings.database_url == "postgresql+psycopg://user:hunter2@db/coffee"
    assert settings.slack_api_url == "https://slack.com/api/"
    assert settings.reminder_worker_group == "coffeebuddy-reminders"
    assert settings.channel_default_reminder_minutes == 5
    assert settings.channel_default_retention_days == 90
    assert settings.prometheus_metrics_port == 9464
    assert settings.port == 8080


@pytest.mark.parametrize("name", ["DATABASE_URL"])
def test_missing_required_setting_names_it(name):
    env = {k: v for k, v in BASE.items() if k != name}
    with pytest.raises(SettingsError, match=name):
        load_settings(env)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("PORT", "eighty"),
        ("PORT", "70000"),
        ("CHANNEL_DEFAULT_REMINDER_MINUTES", "99"),
        ("CHANNEL_DEFAULT_RETENTION_DAYS", "400"),
        ("PROMETHEUS_METRICS_PORT", "-1"),
        ("SLACK_API_URL", "ftp://files"),
        ("VAULT_ADDR", "vault"),
        ("LOG_LEVEL", "LOUD"),
    ],
)
def test_malformed_setting_names_it_never_its_value(name, value):
    with pytest.raises(SettingsError) as raised:
        load_settings({**BASE, name: value})
    assert name in str(raised.value)
    assert value not in str(raised.value)


def test_database_url_must_be_postgres_or_sqlite_and_error_hides_it():
    with pytest.raises(SettingsError) as raised:
        load_settings({**BASE, "DATABASE_URL": "mysql://root:hunter2@db/x"})
    assert "hunter2" not in str(raised.value)


def test_repr_hides_secrets():
    text = repr(load_settings(BASE))
    for secret in ("s3cret-value", "xoxb-secret-token", "hunter2"):
        assert secret not in text


def test_slack_api_url_gets_trailing_slash():
    assert load_settings({**BASE, "SLACK_API_URL": "http://127.0.0.1:9/api"}).slack_api_url == (
        "http://127.0.0.1:9/api/"
    )
