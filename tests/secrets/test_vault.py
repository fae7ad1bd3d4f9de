"""Reading from Vault with the real hvac client: token and Kubernetes auth, and every failure."""

from __future__ import annotations

import socket
import traceback
from datetime import timedelta

import pytest

from shared.clock import ManualClock
from shared.secrets import Secret, SecretsError, load_secret_provider
from shared.secrets.vault import VaultConfig, VaultSource
from tests.secrets.conftest import K8S_JWT, VAULT_TOKEN, VAULT_VALUES, assert_no_secret_in
from tests.support.vault_api import VaultApiServer


def _data_reads(vault: VaultApiServer) -> list[str]:
    return [r.path for r in vault.requests if r.path.startswith("/v1/secret/data/")]


def _error_texts(error: SecretsError) -> tuple[str, ...]:
    return str(error), repr(error), "".join(traceback.format_exception(error))


def test_token_auth_reads_every_secret_from_the_kv_v2_path(token_env, clock, vault):
    provider = load_secret_provider(token_env, clock=clock)

    assert provider.get("SLACK_SIGNING_SECRET") == VAULT_VALUES["SLACK_SIGNING_SECRET"]
    assert provider.get("SLACK_BOT_TOKEN") == VAULT_VALUES["SLACK_BOT_TOKEN"]
    assert provider.get_optional("DATABASE_PASSWORD") == VAULT_VALUES["DATABASE_PASSWORD"]
    assert _data_reads(vault) == ["/v1/secret/data/coffeebuddy"]
    assert all(r.authenticated for r in vault.requests)


def test_mount_and_path_come_from_the_environment(token_env, clock, vault):
    vault.put_secret(
        "apps/coffee", {"SLACK_SIGNING_SECRET": "s", "SLACK_BOT_TOKEN": "b"}, mount="kv"
    )
    env = token_env | {"VAULT_KV_MOUNT": "kv", "VAULT_SECRET_PATH": "apps/coffee"}

    provider = load_secret_provider(env, clock=clock)

    assert provider.get("SLACK_BOT_TOKEN") == "b"
    assert [r.path for r in vault.requests] == ["/v1/kv/data/apps/coffee"]


def test_kubernetes_auth_logs_in_with_the_service_account_jwt(vault, clock, secrets_dir, tmp_path):
    jwt_file = tmp_path / "token"
    jwt_file.write_text(K8S_JWT + "\n")
    vault.configure_kubernetes("coffeebuddy", K8S_JWT, mount="k8s-prod")
    env = {
        "VAULT_ADDR": vault.url,
        "VAULT_ROLE": "coffeebuddy",
        "VAULT_K8S_TOKEN_PATH": str(jwt_file),
        "VAULT_K8S_MOUNT": "k8s-prod",
        "SECRETS_DIR": str(secrets_dir),
    }

    provider = load_secret_provider(env, clock=clock)

    assert provider.get("SLACK_BOT_TOKEN") == VAULT_VALUES["SLACK_BOT_TOKEN"]
    login, read = vault.requests
    assert (login.method, login.path) == ("POST", "/v1/auth/k8s-prod/login")
    assert login.body == {"role": "coffeebuddy", "jwt": K8S_JWT}
    assert (read.path, read.authenticated) == ("/v1/secret/data/coffeebuddy", True)


def test_kubernetes_auth_logs_in_again_when_its_token_has_expired(vault, clock, tmp_path):
    jwt_file = tmp_path / "token"
    jwt_file.write_text(K8S_JWT)
    vault.configure_kubernetes("coffeebuddy", K8S_JWT)
    env = {"VAULT_ADDR": vault.url, "VAULT_ROLE": "coffeebuddy"}
    env |= {"VAULT_K8S_TOKEN_PATH": str(jwt_file), "SECRETS_DIR": str(tmp_path / "none")}
    provider = load_secret_provider(env, clock=clock)
    vault.revoke_all_tokens()
    vault.clear_requests()
    clock.advance(timedelta(seconds=300))

    assert provider.get("SLACK_BOT_TOKEN") == VAULT_VALUES["SLACK_BOT_TOKEN"]
    assert [(r.method, r.path) for r in vault.requests] == [
        ("GET", "/v1/secret/data/coffeebuddy"),
        ("POST", "/v1/auth/kubernetes/login"),
        ("GET", "/v1/secret/data/coffeebuddy"),
    ]


@pytest.mark.parametrize(
    ("role", "jwt", "reason"),
    [
        ("coffeebuddy", "eyJ.wrong-jwt", "permission denied (403)"),
        ("someone-else", K8S_JWT, "request rejected (400)"),
    ],
)
def test_refused_kubernetes_login_names_the_role(vault, clock, tmp_path, role, jwt, reason):
    jwt_file = tmp_path / "token"
    jwt_file.write_text(jwt)
    vault.configure_kubernetes("coffeebuddy", K8S_JWT)
    env = {"VAULT_ADDR": vault.url, "VAULT_ROLE": role, "VAULT_K8S_TOKEN_PATH": str(jwt_file)}

    with pytest.raises(SecretsError) as caught:
        load_secret_provider(env | {"SECRETS_DIR": str(tmp_path)}, clock=clock)

    host = vault.url.removeprefix("http://")
    assert str(caught.value) == (
        f"Vault at {host}: Kubernetes login as role {role!r} failed: {reason}"
    )
    assert_no_secret_in(*_error_texts(caught.value))


def test_missing_service_account_token_names_the_file(vault, clock, tmp_path):
    missing = tmp_path / "no-such-token"
    env = {"VAULT_ADDR": vault.url, "VAULT_ROLE": "coffeebuddy"}
    env |= {"VAULT_K8S_TOKEN_PATH": str(missing), "SECRETS_DIR": str(tmp_path)}

    with pytest.raises(SecretsError, match=r"service-account token .*no-such-token"):
        load_secret_provider(env, clock=clock)
    assert vault.requests == []


def test_unreachable_vault_at_start_up_names_the_address_not_the_token(secrets_dir, clock):
    with VaultApiServer() as stopped:
        address = stopped.url
    env = {"VAULT_ADDR": address, "VAULT_TOKEN": VAULT_TOKEN, "SECRETS_DIR": str(secrets_dir)}
    env |= {"SLACK_BOT_TOKEN": VAULT_VALUES["SLACK_BOT_TOKEN"]}

    with pytest.raises(SecretsError) as caught:
        load_secret_provider(env, clock=clock)

    host = address.removeprefix("http://")
    assert str(caught.value) == (
        f"Vault at {host}: reading KV v2 secret secret/coffeebuddy failed: unreachable"
    )
    assert_no_secret_in(*_error_texts(caught.value))


def test_sealed_vault_at_start_up_is_a_clear_error(token_env, clock, vault):
    vault.down()

    with pytest.raises(SecretsError, match=r"failed: sealed or unavailable \(503\)$"):
        load_secret_provider(token_env, clock=clock)


def test_wrong_token_is_refused_without_showing_it(token_env, clock, vault):
    env = token_env | {"VAULT_TOKEN": "hvs.not-a-valid-token-" + VAULT_TOKEN}

    with pytest.raises(SecretsError) as caught:
        load_secret_provider(env, clock=clock)

    assert str(caught.value).endswith(
        "reading KV v2 secret secret/coffeebuddy failed: permission denied (403)"
    )
    assert "not-a-valid-token" not in "".join(_error_texts(caught.value))
    assert_no_secret_in(*_error_texts(caught.value))


def test_missing_secret_path_names_the_path(token_env, clock, vault):
    vault.delete_secret("coffeebuddy")

    with pytest.raises(SecretsError, match=r"secret/coffeebuddy failed: not found \(404\)"):
        load_secret_provider(token_env, clock=clock)


def test_missing_key_names_the_key_and_where_it_was_looked_for(token_env, clock, vault):
    vault.put_secret("coffeebuddy", {"SLACK_SIGNING_SECRET": VAULT_VALUES["SLACK_SIGNING_SECRET"]})

    with pytest.raises(SecretsError) as caught:
        load_secret_provider(token_env, clock=clock)

    message = str(caught.value)
    assert message.startswith("SLACK_BOT_TOKEN not set: looked in Vault at 127.0.0.1:")
    assert "(secret/coffeebuddy), then files in " in message
    assert message.endswith(", then the environment")
    assert_no_secret_in(*_error_texts(caught.value))


def test_an_optional_secret_nowhere_to_be_found_is_none_and_get_names_it(token_env, clock, vault):
    vault.put_secret("coffeebuddy", {"SLACK_SIGNING_SECRET": "s", "SLACK_BOT_TOKEN": "b"})
    provider = load_secret_provider(token_env, clock=clock)

    assert provider.get_optional("DATABASE_PASSWORD") is None
    with pytest.raises(SecretsError, match=r"^DATABASE_PASSWORD is not set: looked in Vault"):
        provider.get("DATABASE_PASSWORD")


def test_vault_values_that_are_not_strings_count_as_missing(token_env, clock, vault):
    vault.put_secret("coffeebuddy", {"SLACK_SIGNING_SECRET": "s", "SLACK_BOT_TOKEN": 12345})

    with pytest.raises(SecretsError, match=r"^SLACK_BOT_TOKEN not set"):
        load_secret_provider(token_env, clock=clock)


def test_start_up_read_needs_no_second_round_trip_per_get(token_env, clock: ManualClock, vault):
    provider = load_secret_provider(token_env, clock=clock)
    for _ in range(5):
        provider.get("SLACK_SIGNING_SECRET")

    assert len(_data_reads(vault)) == 1


def test_a_vault_that_never_answers_times_out_with_a_clear_error():
    with socket.socket() as silent:  # accepts connections (backlog) but never replies
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        port = silent.getsockname()[1]
        config = VaultConfig(
            addr=f"http://127.0.0.1:{port}", token=Secret(VAULT_TOKEN), timeout_seconds=0.2
        )

        with pytest.raises(SecretsError) as caught:
            VaultSource(config).read()

    assert str(caught.value) == (
        f"Vault at 127.0.0.1:{port}: reading KV v2 secret secret/coffeebuddy failed: "
        "no answer within 0.2 s"
    )


def test_an_answer_that_is_not_a_kv_v2_secret_is_refused(token_env, clock, vault):
    vault.fail_next(200)  # a 200 without the data.data envelope

    with pytest.raises(SecretsError, match=r"unexpected response shape, not a KV v2 secret$"):
        load_secret_provider(token_env, clock=clock)


def test_an_empty_service_account_token_is_refused_before_any_request(vault, clock, tmp_path):
    jwt_file = tmp_path / "token"
    jwt_file.write_text("\n")
    env = {"VAULT_ADDR": vault.url, "VAULT_ROLE": "coffeebuddy"}
    env |= {"VAULT_K8S_TOKEN_PATH": str(jwt_file), "SECRETS_DIR": str(tmp_path)}

    with pytest.raises(SecretsError, match=r"service-account token .*token is empty$"):
        load_secret_provider(env, clock=clock)
    assert vault.requests == []


def test_vault_source_needs_a_token_or_a_role_and_hides_the_address_user_info(vault):
    with pytest.raises(SecretsError, match=r"VAULT_TOKEN .* or VAULT_ROLE"):
        VaultSource(VaultConfig(addr=vault.url))
    config = VaultConfig(addr="https://ops:hunter2@vault.internal:8200", role="cb")

    assert VaultSource(config).description == "Vault at vault.internal:8200 (secret/coffeebuddy)"


def test_closing_the_source_drops_the_session_and_the_next_read_reconnects(vault):
    source = VaultSource(VaultConfig(addr=vault.url, token=Secret(VAULT_TOKEN)))
    source.read()
    source.close()
    source.close()

    assert source.read().values["SLACK_BOT_TOKEN"].reveal() == VAULT_VALUES["SLACK_BOT_TOKEN"]
