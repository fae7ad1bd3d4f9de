"""Every variable the code reads is set by each Service, every secret is there as a file
where the code looks, and nothing is configured that the code ignores."""

from __future__ import annotations

import pytest

from shared.secrets import SECRET_NAMES, SecretsConfig
from shared.settings import load_settings
from tests.platform import code_facts
from tests.platform.manifests import (
    BUNDLES,
    bundle,
    configuration,
    container_port,
    secret_files,
    secret_template,
    services,
)

ALL = [(b, name, service) for b in BUNDLES for name, service in services(bundle(b)).items()]
IDS = [f"{b}-{name}" for b, name, _ in ALL]


@pytest.mark.parametrize(("bundle_name", "name", "service"), ALL, ids=IDS)
def test_every_variable_start_up_reads_is_set(bundle_name: str, name: str, service: dict) -> None:
    env = configuration(service, bundle(bundle_name))
    read = code_facts.configuration_read(env)
    assert read - set(env) == set()


@pytest.mark.parametrize(("bundle_name", "name", "service"), ALL, ids=IDS)
def test_every_variable_the_code_names_is_set_or_a_secret_file(
    bundle_name: str, name: str, service: dict
) -> None:
    env = configuration(service, bundle(bundle_name))
    files = secret_files(service, SecretsConfig.from_env(env).secrets_dir.as_posix())
    missing = code_facts.environment_read_in_source() - set(env) - set(files)
    assert missing == set()


@pytest.mark.parametrize(("bundle_name", "name", "service"), ALL, ids=IDS)
def test_every_secret_is_a_file_where_the_code_reads_secrets(
    bundle_name: str, name: str, service: dict
) -> None:
    env = configuration(service, bundle(bundle_name))
    secrets_dir = SecretsConfig.from_env(env).secrets_dir.as_posix()
    assert set(SECRET_NAMES) <= set(secret_files(service, secrets_dir))


@pytest.mark.parametrize(("bundle_name", "name", "service"), ALL, ids=IDS)
def test_the_deployed_configuration_starts(bundle_name: str, name: str, service: dict) -> None:
    env = configuration(service, bundle(bundle_name))
    settings = load_settings(env)
    config = SecretsConfig.from_env(env)
    assert settings.port == container_port(service)
    assert settings.kafka_brokers, "events would stay in one process"
    assert config.vault is None, "the Vault agent reads Vault; the code reads its files"


def test_no_setting_is_configured_that_the_code_ignores() -> None:
    for name in BUNDLES:
        for service_name, service in services(bundle(name)).items():
            env = configuration(service, bundle(name))
            read = code_facts.configuration_read(env) | code_facts.environment_read_in_source()
            platform = {"PORT", "FUNCTION_TARGET", "FUNCTION_SOURCE", "WORKERS", "THREADS"}
            assert set(env) - read - platform == set(), f"{name}: {service_name}"


def test_no_secret_is_deployed_from_git() -> None:
    for name in BUNDLES:
        assert [r for r in bundle(name) if r["kind"] == "Secret"] == [], name


def test_the_secret_template_documents_exactly_the_secrets() -> None:
    assert set(secret_template()["stringData"]) == set(SECRET_NAMES)


def test_the_database_url_carries_no_password() -> None:
    """The password is a secret (DATABASE_PASSWORD), not a setting in a ConfigMap."""
    from sqlalchemy import make_url

    for name in BUNDLES:
        for service in services(bundle(name)).values():
            url = configuration(service, bundle(name))["DATABASE_URL"]
            assert make_url(url).password is None
