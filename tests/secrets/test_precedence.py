"""Vault wins over the injector's files, which win over the environment, key by key."""

from __future__ import annotations

from pathlib import Path

import pytest

from shared.secrets import SecretsConfig, SecretsError, load_secret_provider
from tests.secrets.conftest import VAULT_VALUES


def _write(directory: Path, name: str, text: str) -> None:
    (directory / name).write_text(text, encoding="utf-8")


def test_vault_beats_files_and_files_beat_the_environment(token_env, clock, vault, secrets_dir):
    vault.put_secret("coffeebuddy", {"SLACK_SIGNING_SECRET": "from-vault"})
    _write(secrets_dir, "SLACK_SIGNING_SECRET", "signing-from-file")
    _write(secrets_dir, "SLACK_BOT_TOKEN", "bot-from-file")
    env = token_env | {
        "SLACK_SIGNING_SECRET": "signing-from-env",
        "SLACK_BOT_TOKEN": "bot-from-env",
        "DATABASE_PASSWORD": "db-from-env",
    }

    provider = load_secret_provider(env, clock=clock)

    assert provider.get("SLACK_SIGNING_SECRET") == "from-vault"
    assert provider.get("SLACK_BOT_TOKEN") == "bot-from-file"
    assert provider.get("DATABASE_PASSWORD") == "db-from-env"


def test_files_in_secrets_dir_are_read_and_stripped_without_vault(clock, secrets_dir):
    _write(secrets_dir, "SLACK_SIGNING_SECRET", "  signing-from-file\n")
    _write(secrets_dir, "SLACK_BOT_TOKEN", "xoxb-from-file\n")
    _write(secrets_dir, "DATABASE_PASSWORD", "\n")  # empty counts as unset
    env = {"SECRETS_DIR": str(secrets_dir), "DATABASE_PASSWORD": "db-from-env"}

    provider = load_secret_provider(env, clock=clock)

    assert provider.get("SLACK_SIGNING_SECRET") == "signing-from-file"
    assert provider.get("SLACK_BOT_TOKEN") == "xoxb-from-file"
    assert provider.get("DATABASE_PASSWORD") == "db-from-env"


def test_environment_alone_serves_a_local_run(clock, tmp_path):
    env = {
        "SECRETS_DIR": str(tmp_path / "absent"),
        "SLACK_SIGNING_SECRET": " s ",
        "SLACK_BOT_TOKEN": "b",
    }

    provider = load_secret_provider(env, clock=clock)

    assert (provider.get("SLACK_SIGNING_SECRET"), provider.get("SLACK_BOT_TOKEN")) == ("s", "b")
    assert provider.get_optional("DATABASE_PASSWORD") is None


def test_a_failing_vault_is_not_replaced_by_lower_layers(token_env, clock, vault, secrets_dir):
    _write(secrets_dir, "SLACK_SIGNING_SECRET", "signing-from-file")
    _write(secrets_dir, "SLACK_BOT_TOKEN", "bot-from-file")
    vault.down()

    with pytest.raises(SecretsError, match="Vault at"):
        load_secret_provider(token_env, clock=clock)


def test_an_unreadable_secret_file_names_the_file(clock, secrets_dir):
    (secrets_dir / "SLACK_BOT_TOKEN").mkdir()  # unreadable as a file, even for root

    with pytest.raises(SecretsError, match=r"cannot read secret file .*SLACK_BOT_TOKEN \("):
        load_secret_provider({"SECRETS_DIR": str(secrets_dir)}, clock=clock)


def test_defaults_follow_the_vault_agent_and_kubernetes_conventions():
    config = SecretsConfig.from_env(
        {"VAULT_ADDR": "https://vault.internal:8200", "VAULT_ROLE": "cb"}
    )

    assert config.vault is not None
    assert str(config.secrets_dir) == "/vault/secrets"
    assert config.refresh.total_seconds() == 300
    assert (config.vault.kv_mount, config.vault.secret_path) == ("secret", "coffeebuddy")
    assert config.vault.k8s_mount == "kubernetes"
    assert str(config.vault.k8s_token_path) == (
        "/var/run/secrets/kubernetes.io/serviceaccount/token"
    )
    assert config.vault.token is None


def test_no_vault_without_vault_addr():
    assert SecretsConfig.from_env({"VAULT_TOKEN": "t"}).vault is None


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"VAULT_ADDR": "https://vault:8200"}, "neither VAULT_TOKEN (token auth) nor VAULT_ROLE"),
        ({"VAULT_ADDR": "vault:8200", "VAULT_TOKEN": "t"}, "VAULT_ADDR must be an http(s) URL"),
        ({"VAULT_REFRESH_SECONDS": "soon"}, "VAULT_REFRESH_SECONDS must be a whole number"),
        ({"VAULT_REFRESH_SECONDS": "0"}, "VAULT_REFRESH_SECONDS must be a whole number"),
    ],
)
def test_bad_vault_settings_name_the_setting(env, message):
    with pytest.raises(SecretsError) as caught:
        SecretsConfig.from_env(env)

    assert message in str(caught.value)
    assert VAULT_VALUES["SLACK_BOT_TOKEN"] not in str(caught.value)
