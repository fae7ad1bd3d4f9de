"""Real infrastructure, started once per session: a Postgres database and the Slack API server.

Each test starts from empty tables, an empty Slack call log and a clock at a fixed time.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import psycopg
import pytest
from flask import Flask
from sqlalchemy import Engine, text

from local.slack_api import SlackApiServer
from shared.runtime import Runtime
from tests.support.events import EventDeliverer, RecordingPublisher, Sleeps
from tests.support.oidc_issuer import OidcIssuer
from tests.support.slack_requests import SlackSender
from tests.support.tansu import Tansu

PG_ADMIN_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
SIGNING_SECRET = "test-signing-secret-4f1c2b"
BOT_TOKEN = "xoxb-test-token-9d8e7f"
# Postgres here trusts local connections, so any password works: this one only has to
# travel the real path (secrets provider → every new connection) and never leak.
DB_PASSWORD = "db-password-51c0e2"
START = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)


def _database_url(name: str) -> str:
    base = PG_ADMIN_URL.rsplit("/", 1)[0]
    return f"{base}/{name}"


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A fresh database for this test session, migrated with `alembic upgrade head`."""
    name = f"coffeebuddy_test_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = _database_url(name)
    from shared.db.migrate import upgrade

    upgrade(url)
    yield url
    from shared.db.engine import get_engine

    get_engine.cache_clear()
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def slack_api() -> Iterator[SlackApiServer]:
    server = SlackApiServer(token=BOT_TOKEN)
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def oidc_issuer() -> Iterator[OidcIssuer]:
    """A real OIDC issuer (RSA and EC keys, JWKS over HTTP) minting on the runtime's clock."""
    from shared.clock import Clock, ClockOf
    from shared.runtime import get_runtime

    class _Holder:
        @property
        def clock(self) -> Clock:
            return get_runtime().clock

    with OidcIssuer(clock=ClockOf(_Holder()), audience="coffeebuddy") as issuer:
        yield issuer


@pytest.fixture(scope="session")
def environment(
    postgres_url: str, slack_api: SlackApiServer, oidc_issuer: OidcIssuer
) -> Iterator[None]:
    """The environment a deployed function would see, pointed at the test services."""
    values = {
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "DATABASE_URL": postgres_url,
        "SLACK_API_URL": slack_api.url,
        "OIDC_ISSUER": oidc_issuer.url,
        "DATABASE_PASSWORD": DB_PASSWORD,
    }
    saved = {key: os.environ.get(key) for key in values}
    os.environ.update(values)
    from shared.intake.runtime import get_intake_runtime
    from shared.runtime import get_runtime
    from shared.settings import get_settings

    get_settings.cache_clear()
    get_runtime.cache_clear()
    get_intake_runtime.cache_clear()
    yield
    get_runtime().engine.dispose()
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


@pytest.fixture
def runtime(environment: None, slack_api: SlackApiServer) -> Iterator[Runtime]:
    from shared.clock import ManualClock
    from shared.intake.runtime import get_intake_runtime
    from shared.runtime import get_runtime

    rt = get_runtime()
    rt.clock = ManualClock(START)
    rt.publisher = RecordingPublisher()
    rt.sleep = Sleeps()  # a Retry-After waited out costs the test no time
    intake = get_intake_runtime()  # the slash function's own: same clock, same broker
    intake.clock, intake.publisher = rt.clock, rt.publisher
    slack_api.reset()
    for user, tz in (("U1", "Europe/London"), ("U2", "America/New_York"), ("U3", "Asia/Tokyo")):
        slack_api.add_user(user, user.lower(), tz=tz)
    yield rt
    _truncate(rt.engine)


def _truncate(engine: Engine) -> None:
    from sqlmodel import SQLModel

    import shared.db.models  # noqa: F401

    names = ", ".join(f'"{t.name}"' for t in SQLModel.metadata.sorted_tables)
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {names} CASCADE"))


ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _function_app(name: str, target: str | None = None) -> Flask:
    from functions_framework import create_app

    app: Flask = create_app(
        target=target or name, source=os.path.join(ROOT, "functions", name, "main.py")
    )
    return app


@pytest.fixture(scope="session")
def slash_app(environment: None) -> Flask:
    return _function_app("slash")


@pytest.fixture(scope="session")
def interactions_app(environment: None) -> Flask:
    return _function_app("interactions")


@pytest.fixture(scope="session")
def admin_app(environment: None) -> Flask:
    return _function_app("admin")


@pytest.fixture(scope="session")
def admin_api_app(environment: None) -> Flask:
    return _function_app("admin", "admin_api")


@pytest.fixture(scope="session")
def close_app(environment: None) -> Flask:
    return _function_app("close")


@pytest.fixture(scope="session")
def reminders_app(environment: None) -> Flask:
    return _function_app("reminders")


@pytest.fixture
def events(runtime: Runtime, close_app: Flask, reminders_app: Flask) -> EventDeliverer:
    """Events published by the functions, delivered on demand to close and reminders."""
    from tests.platform.code_facts import accepts

    publisher = runtime.publisher if isinstance(runtime.publisher, RecordingPublisher) else None
    return EventDeliverer(
        publisher,
        [
            (close_app.test_client(), accepts("close")),
            (reminders_app.test_client(), accepts("reminders")),
        ],
    )


class Slack:
    """Signed senders for the two Slack endpoints, sharing the test's clock."""

    def __init__(self, commands: SlackSender, interactions: SlackSender, deliver: Any) -> None:
        self.commands, self.interactions, self._deliver = commands, interactions, deliver

    def deliver_events(self, on: bool) -> None:
        """After each answer the events it caused are delivered, unless turned off."""
        self.commands.after = self.interactions.after = self._deliver if on else None


@pytest.fixture
def slack(
    runtime: Runtime,
    slash_app: Flask,
    interactions_app: Flask,
    events: EventDeliverer,
    slack_api: SlackApiServer,
) -> Slack:
    def response_url(channel: str, user: str) -> str:
        return slack_api.new_response_url(channel=channel, user=user)

    commands = SlackSender(
        slash_app.test_client(), SIGNING_SECRET, runtime.clock, events.run, response_url
    )
    interactions = SlackSender(
        interactions_app.test_client(), SIGNING_SECRET, runtime.clock, events.run
    )
    return Slack(commands, interactions, events.run)


@pytest.fixture(scope="session")
def tansu() -> Iterator[Tansu]:
    broker = Tansu()
    broker.start()
    yield broker
    broker.stop()
