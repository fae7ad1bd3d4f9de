"""The local Vault API server answers hvac the way Vault does."""

from __future__ import annotations

import hvac
import hvac.exceptions
import pytest

from tests.secrets.conftest import VAULT_TOKEN, VAULT_VALUES
from tests.support.vault_api import VaultApiServer


def _client(vault: VaultApiServer, token: str = VAULT_TOKEN) -> hvac.Client:
    return hvac.Client(url=vault.url, token=token, timeout=2)


def _read(client: hvac.Client, **kwargs: object) -> dict:
    return client.secrets.kv.v2.read_secret_version(
        path="coffeebuddy", raise_on_deleted_version=True, **kwargs
    )


def test_kv_v2_read_has_vaults_shape_and_versions(vault):
    client = _client(vault)
    assert vault.put_secret("coffeebuddy", {"A": "2"}, lease_duration=45) == 2

    latest = _read(client)
    first = _read(client, version=1)

    assert latest["lease_duration"] == 45
    assert latest["data"]["data"] == {"A": "2"}
    assert latest["data"]["metadata"]["version"] == 2
    assert first["data"]["data"] == VAULT_VALUES
    assert first["data"]["metadata"]["version"] == 1
    with pytest.raises(hvac.exceptions.InvalidPath):
        _read(client, version=3)


def test_token_lookup_self_and_wrong_token(vault):
    assert _client(vault).auth.token.lookup_self()["data"]["id"] == VAULT_TOKEN
    assert _client(vault).is_authenticated()
    with pytest.raises(hvac.exceptions.Forbidden) as caught:
        _read(_client(vault, "wrong"))
    assert caught.value.errors == ["permission denied"]
    assert not _client(vault, "wrong").is_authenticated()


def test_revoked_token_is_refused(vault):
    vault.revoke_token(VAULT_TOKEN)

    with pytest.raises(hvac.exceptions.Forbidden):
        _read(_client(vault))


def test_outages_are_503_until_up_and_fail_next_fails_only_the_next(vault):
    client = _client(vault)
    vault.down()
    with pytest.raises(hvac.exceptions.VaultDown):
        _read(client)
    vault.up()
    vault.fail_next(500)
    with pytest.raises(hvac.exceptions.InternalServerError):
        _read(client)
    assert _read(client)["data"]["data"] == VAULT_VALUES


def test_requests_are_recorded_and_unknown_paths_are_404(vault):
    client = _client(vault)
    with pytest.raises(hvac.exceptions.InvalidPath):
        client.adapter.get("/v1/sys/nothing-here")

    assert [(r.method, r.path, r.authenticated) for r in vault.requests] == [
        ("GET", "/v1/sys/nothing-here", True)
    ]


def test_url_needs_a_running_server_and_start_twice_is_refused():
    server = VaultApiServer()
    with pytest.raises(RuntimeError):
        _ = server.url
    with server, pytest.raises(RuntimeError):
        server.start()
    server.stop()  # stopping a stopped server is harmless


def test_malformed_requests_get_vaults_400(vault):
    client = _client(vault)
    with pytest.raises(hvac.exceptions.InvalidRequest):
        client.adapter.post("/v1/auth/kubernetes/login", data=b"{not json")
    with pytest.raises(hvac.exceptions.InvalidRequest):
        client.adapter.get("/v1/secret/data/coffeebuddy", params={"version": "x"})
    with pytest.raises(hvac.exceptions.InvalidPath):
        client.adapter.put("/v1/secret", json={})
