"""Known secret values never show in repr, str, f-strings, error messages or log lines."""

from __future__ import annotations

import logging
import pickle
import traceback
from datetime import timedelta

import pytest

from shared.observability.logging import JsonFormatter
from shared.secrets import Secret, SecretsConfig, SecretsError, load_secret_provider
from shared.secrets.sources import EnvironmentSecrets, LayeredSource, Reading
from tests.secrets.conftest import K8S_JWT, VAULT_TOKEN, VAULT_VALUES, assert_no_secret_in


def test_a_secret_shows_as_stars_and_reveals_on_request():
    secret = Secret(VAULT_TOKEN)

    assert repr(secret) == "Secret('***')"
    assert str(secret) == f"{secret}" == f"{secret!r}" == "Secret('***')"
    assert secret.reveal() == VAULT_TOKEN
    assert secret == Secret(VAULT_TOKEN) and secret != Secret("other") and secret != VAULT_TOKEN
    assert len({secret, Secret(VAULT_TOKEN)}) == 1
    with pytest.raises(TypeError):
        pickle.dumps(secret)


def test_objects_holding_secrets_print_without_them(token_env, clock, vault, tmp_path):
    env = token_env | {"VAULT_ROLE": "cb", "VAULT_K8S_TOKEN_PATH": str(tmp_path / "jwt")}
    config = SecretsConfig.from_env(env)
    provider = load_secret_provider(token_env, clock=clock)
    source = LayeredSource([EnvironmentSecrets(VAULT_VALUES, VAULT_VALUES)])
    reading = source.read()

    texts = [repr(config), str(config), repr(provider), str(provider), repr(reading), str(source)]
    texts.append(repr(provider._current()))  # the cache itself
    assert_no_secret_in(*texts)
    assert isinstance(reading, Reading) and reading.values["SLACK_BOT_TOKEN"].reveal()


def test_no_failure_message_or_log_line_carries_a_secret(token_env, clock, vault, tmp_path, caplog):
    """Every failure path, with every known value present in the environment and in Vault."""
    caplog.set_level(logging.DEBUG)
    jwt_file = tmp_path / "jwt"
    jwt_file.write_text(K8S_JWT)
    vault.configure_kubernetes("cb", "another-jwt")
    loud_env = token_env | VAULT_VALUES
    errors: list[SecretsError] = []

    def expect_failure(env: dict[str, str]) -> None:
        with pytest.raises(SecretsError) as caught:
            load_secret_provider(env, clock=clock)
        errors.append(caught.value)

    expect_failure(loud_env | {"VAULT_TOKEN": VAULT_TOKEN + "x"})
    expect_failure(
        loud_env | {"VAULT_TOKEN": "", "VAULT_ROLE": "cb", "VAULT_K8S_TOKEN_PATH": str(jwt_file)}
    )
    vault.fail_next(500)
    expect_failure(loud_env)
    provider = load_secret_provider(loud_env, clock=clock)
    vault.down()
    clock.advance(timedelta(hours=2))
    with pytest.raises(SecretsError) as caught:
        provider.get("SLACK_SIGNING_SECRET")
    errors.append(caught.value)

    texts = [text for e in errors for text in (str(e), repr(e), *traceback.format_exception(e))]
    texts += [JsonFormatter().format(record) for record in caplog.records]
    assert len(errors) == 4
    assert_no_secret_in(*texts)
