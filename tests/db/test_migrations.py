"""`alembic upgrade head` builds the schema the models describe, and downgrade undoes it."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect
from sqlmodel import SQLModel

import shared.db.models  # noqa: F401
from shared.db.migrate import downgrade, upgrade
from shared.settings import normalize_database_url
from tests.conftest import PG_ADMIN_URL, _database_url

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def empty_database() -> Iterator[str]:
    name = f"coffeebuddy_migrate_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield _database_url(name)
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _differences(url: str) -> list[object]:
    engine = create_engine(normalize_database_url(url))
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            return list(compare_metadata(context, SQLModel.metadata))
    finally:
        engine.dispose()


def _tables(url: str) -> set[str]:
    engine = create_engine(normalize_database_url(url))
    try:
        return set(inspect(engine).get_table_names()) - {"alembic_version"}
    finally:
        engine.dispose()


def test_alembic_upgrade_head_command_migrates_an_empty_database(empty_database):
    env = {**os.environ, "DATABASE_URL": empty_database}
    result = subprocess.run(
        [str(Path(sys.executable).parent / "alembic"), "upgrade", "head"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert _tables(empty_database) == set(SQLModel.metadata.tables)


def test_migrated_schema_matches_the_models(empty_database):
    upgrade(empty_database)
    assert _differences(empty_database) == []


def test_downgrade_to_base_and_upgrade_again(empty_database):
    upgrade(empty_database)
    downgrade(empty_database, "base")
    assert _tables(empty_database) == set()
    upgrade(empty_database)
    assert _differences(empty_database) == []


def test_migrations_run_on_sqlite_for_the_embedded_default(tmp_path):
    url = f"sqlite:///{tmp_path / 'local.db'}"
    upgrade(url)
    assert _tables(url) == set(SQLModel.metadata.tables)
