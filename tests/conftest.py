"""Real infrastructure, started once per session: a Postgres database and the Slack API server.

Each test starts from empty tables, an empty Slack call log and a clock at a fixed time.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime

import psycopg
import pytest
from sqlalchemy import text

from local.slack_api import SlackApiServer

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
def oidc_issuer() -> Iterator[object]:
    """A real OIDC issuer (RSA and EC keys, JWKS over HTTP) minting on the runtime's clock."""
    from shared.clock import ClockOf
    from shared.runtime import get_runtime
    from tests.support.oidc_issuer import OidcIssuer

    class _Holder:
        @property
        def clock(self) -> object:
            return get_runtime().clock

    with OidcIssuer(clock=ClockOf(_Holder()), audience="coffeebuddy") as issuer:  # type: ignore[arg-type]
        yield issuer


@pytest.fixture(scope="session")
def environment(
    postgres_url: str, slack_api: SlackApiServer, oidc_issuer: object
) -> Iterator[None]:
    """The environment a deployed function would see, pointed at the test services."""
    values = {
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "DATABASE_URL": postgres_url,
        "SLACK_API_URL": slack_api.url,
        "OIDC_ISSUER": oidc_issuer.url,  # type: ignore[attr-defined]
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
def runtime(environment: None, slack_api: SlackApiServer) -> Iterator[object]:
    from shared.clock import ManualClock
    from shared.intake.runtime import get_intake_runtime
    from shared.runtime import get_runtime
    from tests.support.events import RecordingPublisher, Sleeps

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


def _truncate(engine: object) -> None:
    from sqlmodel import SQLModel

    import shared.db.models  # noqa: F401

    names = ", ".join(f'"{t.name}"' for t in SQLModel.metadata.sorted_tables)
    with engine.begin() as conn:  # type: ignore[attr-defined]
        conn.execute(text(f"TRUNCATE {names} CASCADE"))


ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _function_app(name: str) -> object:
    from functions_framework import create_app

    return create_app(target=name, source=os.path.join(ROOT, "functions", name, "main.py"))


@pytest.fixture(scope="session")
def slash_app(environment: None) -> object:
    return _function_app("slash")


@pytest.fixture(scope="session")
def interactions_app(environment: None) -> object:
    return _function_app("interactions")


@pytest.fixture(scope="session")
def admin_app(environment: None) -> object:
    from functions_framework import create_app

    return create_app(target="admin", source=os.path.join(ROOT, "functions", "admin", "main.py"))


@pytest.fixture(scope="session")
def admin_api_app(environment: None) -> object:
    from functions_framework import create_app

    return create_app(
        target="admin_api", source=os.path.join(ROOT, "functions", "admin", "main.py")
    )


@pytest.fixture(scope="session")
def close_app(environment: None) -> object:
    return _function_app("close")


@pytest.fixture(scope="session")
def reminders_app(environment: None) -> object:
    return _function_app("reminders")


@pytest.fixture
def events(runtime: object, close_app: object, reminders_app: object) -> object:
    """Events published by the functions, delivered on demand to close and reminders."""
    from tests.platform.code_facts import accepts
    from tests.support.events import EventDeliverer

    return EventDeliverer(
        runtime.publisher,  # type: ignore[attr-defined]
        [
            (close_app.test_client(), accepts("close")),  # type: ignore[attr-defined]
            (
                reminders_app.test_client(),  # type: ignore[attr-defined]
                accepts("reminders"),
            ),
        ],
    )


@pytest.fixture
def slack(
    runtime: object,
    slash_app: object,
    interactions_app: object,
    events: object,
    slack_api: SlackApiServer,
) -> object:
    """Signed senders for the two Slack endpoints, sharing the test's clock; after each
    answer, the events it caused are delivered (``slack.deliver_events(False)`` stops that)."""
    from tests.support.slack_requests import SlackSender

    deliver = events.run  # type: ignore[attr-defined]

    def response_url(channel: str, user: str) -> str:
        return slack_api.new_response_url(channel=channel, user=user)

    class Slack:
        commands = SlackSender(
            slash_app.test_client(),  # type: ignore[attr-defined]
            SIGNING_SECRET,
            runtime.clock,  # type: ignore[attr-defined]
            deliver,
            response_url,
        )
        interactions = SlackSender(
            interactions_app.test_client(),  # type: ignore[attr-defined]
            SIGNING_SECRET,
            runtime.clock,  # type: ignore[attr-defined]
            deliver,
        )

        def deliver_events(self, on: bool) -> None:
            self.commands.after = self.interactions.after = deliver if on else None

    return Slack()


@pytest.fixture(scope="session")
def tansu() -> Iterator[object]:
    from tests.support.tansu import Tansu

    broker = Tansu()
    broker.start()
    yield broker
    broker.stop()
