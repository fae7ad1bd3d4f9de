"""Cached secrets are read again after their lease or TTL; a failed refresh serves the last good."""

from __future__ import annotations

import logging
import threading
from datetime import timedelta

import pytest

from shared.observability.logging import JsonFormatter
from shared.secrets import Secret, SecretProvider, SecretsError, load_secret_provider
from shared.secrets.sources import Reading
from tests.secrets.conftest import ROTATED_VALUES, VAULT_VALUES, assert_no_secret_in


def _reads(vault) -> int:
    return sum(1 for r in vault.requests if r.path == "/v1/secret/data/coffeebuddy")


def test_rotated_secret_is_picked_up_after_its_lease_and_not_before(token_env, clock, vault):
    vault.put_secret("coffeebuddy", VAULT_VALUES, lease_duration=60)
    provider = load_secret_provider(token_env, clock=clock)
    vault.put_secret("coffeebuddy", ROTATED_VALUES, lease_duration=60)

    clock.advance(timedelta(seconds=59))
    assert provider.get("SLACK_BOT_TOKEN") == VAULT_VALUES["SLACK_BOT_TOKEN"]
    assert _reads(vault) == 1

    clock.advance(timedelta(seconds=1))
    assert provider.get("SLACK_BOT_TOKEN") == ROTATED_VALUES["SLACK_BOT_TOKEN"]
    assert provider.get("SLACK_SIGNING_SECRET") == ROTATED_VALUES["SLACK_SIGNING_SECRET"]
    assert _reads(vault) == 2


def test_without_a_lease_vault_refresh_seconds_sets_the_ttl(token_env, clock, vault):
    provider = load_secret_provider(token_env | {"VAULT_REFRESH_SECONDS": "120"}, clock=clock)
    vault.put_secret("coffeebuddy", ROTATED_VALUES)

    clock.advance(timedelta(seconds=119))
    assert provider.get("SLACK_SIGNING_SECRET") == VAULT_VALUES["SLACK_SIGNING_SECRET"]
    clock.advance(timedelta(seconds=1))
    assert provider.get("SLACK_SIGNING_SECRET") == ROTATED_VALUES["SLACK_SIGNING_SECRET"]


def test_a_long_lease_is_cut_to_the_max_age(token_env, clock, vault):
    vault.put_secret("coffeebuddy", VAULT_VALUES, lease_duration=30 * 86_400)
    provider = load_secret_provider(token_env, clock=clock, max_age=timedelta(hours=1))
    vault.put_secret("coffeebuddy", ROTATED_VALUES)

    clock.advance(timedelta(minutes=59))
    assert provider.get("SLACK_BOT_TOKEN") == VAULT_VALUES["SLACK_BOT_TOKEN"]
    clock.advance(timedelta(minutes=1))
    assert provider.get("SLACK_BOT_TOKEN") == ROTATED_VALUES["SLACK_BOT_TOKEN"]


def test_rotated_files_are_picked_up_after_the_ttl(clock, secrets_dir):
    (secrets_dir / "SLACK_SIGNING_SECRET").write_text("first-signing")
    (secrets_dir / "SLACK_BOT_TOKEN").write_text("first-bot")
    provider = load_secret_provider({"SECRETS_DIR": str(secrets_dir)}, clock=clock)
    (secrets_dir / "SLACK_BOT_TOKEN").write_text("second-bot")

    assert provider.get("SLACK_BOT_TOKEN") == "first-bot"
    clock.advance(timedelta(seconds=300))
    assert provider.get("SLACK_BOT_TOKEN") == "second-bot"


def test_failed_refresh_serves_the_last_good_value_then_raises_after_max_age(
    token_env, clock, vault, caplog
):
    provider = load_secret_provider(token_env, clock=clock)
    vault.down()
    caplog.set_level(logging.INFO, logger="shared.secrets")

    clock.advance(timedelta(seconds=300))
    assert provider.get("SLACK_BOT_TOKEN") == VAULT_VALUES["SLACK_BOT_TOKEN"]
    assert _reads(vault) == 2
    [warning] = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert warning.getMessage() == "secrets refresh failed; serving the last good values"
    assert "sealed or unavailable (503)" in warning.error  # type: ignore[attr-defined]

    clock.advance(timedelta(seconds=29))  # inside the retry interval: no new attempt
    assert provider.get("SLACK_BOT_TOKEN") == VAULT_VALUES["SLACK_BOT_TOKEN"]
    assert _reads(vault) == 2
    clock.advance(timedelta(seconds=1))
    assert provider.get("SLACK_BOT_TOKEN") == VAULT_VALUES["SLACK_BOT_TOKEN"]
    assert _reads(vault) == 3

    clock.advance(timedelta(seconds=3600 - 330))  # the values are now exactly 1 h old
    with pytest.raises(SecretsError) as caught:
        provider.get("SLACK_BOT_TOKEN")
    assert "sealed or unavailable (503)" in str(caught.value)
    assert str(caught.value).endswith("3600 s old, past the 3600 s limit")

    lines = [JsonFormatter().format(record) for record in caplog.records]
    assert_no_secret_in(str(caught.value), repr(caught.value), *lines)

    vault.up()
    vault.put_secret("coffeebuddy", ROTATED_VALUES)
    assert provider.get("SLACK_BOT_TOKEN") == ROTATED_VALUES["SLACK_BOT_TOKEN"]


def test_a_key_removed_from_vault_keeps_the_last_good_value(token_env, clock, vault):
    provider = load_secret_provider(token_env, clock=clock)
    vault.put_secret(
        "coffeebuddy", {"SLACK_SIGNING_SECRET": ROTATED_VALUES["SLACK_SIGNING_SECRET"]}
    )

    clock.advance(timedelta(seconds=300))
    assert provider.get("SLACK_SIGNING_SECRET") == VAULT_VALUES["SLACK_SIGNING_SECRET"]
    assert provider.get("SLACK_BOT_TOKEN") == VAULT_VALUES["SLACK_BOT_TOKEN"]


def test_rotation_is_logged_by_name_only(token_env, clock, vault, caplog):
    provider = load_secret_provider(token_env, clock=clock)
    vault.put_secret("coffeebuddy", VAULT_VALUES | {"SLACK_BOT_TOKEN": "xoxb-new-" + "9" * 8})
    caplog.set_level(logging.INFO, logger="shared.secrets")

    clock.advance(timedelta(seconds=300))
    provider.get("SLACK_BOT_TOKEN")

    [record] = caplog.records
    assert (record.getMessage(), record.secrets) == ("secrets rotated", ["SLACK_BOT_TOKEN"])  # type: ignore[attr-defined]
    assert "xoxb-new-" not in JsonFormatter().format(record)


def test_concurrent_reads_after_expiry_cause_one_vault_read(token_env, clock, vault):
    provider = load_secret_provider(token_env, clock=clock)
    vault.put_secret("coffeebuddy", ROTATED_VALUES)
    clock.advance(timedelta(seconds=300))
    start = threading.Barrier(16)
    seen: list[str] = []

    def read() -> None:
        start.wait()
        seen.append(provider.get("SLACK_BOT_TOKEN"))

    threads = [threading.Thread(target=read) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert _reads(vault) == 2
    assert set(seen) <= {VAULT_VALUES["SLACK_BOT_TOKEN"], ROTATED_VALUES["SLACK_BOT_TOKEN"]}
    assert provider.get("SLACK_BOT_TOKEN") == ROTATED_VALUES["SLACK_BOT_TOKEN"]


class _SlowSource:
    """Answers the start-up read at once; a refresh waits until the test releases it."""

    description = "a slow source"

    def __init__(self) -> None:
        self.value = "first-token"
        self.refreshing = threading.Event()
        self.release = threading.Event()

    def read(self) -> Reading:
        if self.value != "first-token":
            self.refreshing.set()
            self.release.wait(timeout=2)
        return Reading({"SLACK_BOT_TOKEN": Secret(self.value)})


def test_readers_get_the_last_good_value_while_another_thread_refreshes(clock):
    source = _SlowSource()
    provider = SecretProvider(source, clock=clock, required=["SLACK_BOT_TOKEN"])
    provider.load()
    source.value = "second-token"
    clock.advance(timedelta(seconds=300))
    refreshed: list[str] = []
    refresher = threading.Thread(target=lambda: refreshed.append(provider.get("SLACK_BOT_TOKEN")))
    refresher.start()
    assert source.refreshing.wait(timeout=2)

    assert provider.get("SLACK_BOT_TOKEN") == "first-token"  # not queued behind the refresh

    source.release.set()
    refresher.join()
    assert refreshed == ["second-token"]
    assert provider.get("SLACK_BOT_TOKEN") == "second-token"


def test_only_known_names_can_be_asked_for_or_required(clock):
    provider = SecretProvider(_SlowSource(), clock=clock)
    provider.load()

    with pytest.raises(ValueError, match="unknown secret name"):
        provider.get("HOME")
    with pytest.raises(ValueError, match="not known names"):
        SecretProvider(_SlowSource(), clock=clock, required=["HOME"])
    with pytest.raises(ValueError, match="must be positive"):
        SecretProvider(_SlowSource(), clock=clock, refresh=timedelta(0))
