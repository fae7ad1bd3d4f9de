"""Alembic environment: migrates the database named by DATABASE_URL."""

from __future__ import annotations

import os

from alembic import context
from sqlalchemy import create_engine, make_url, pool
from sqlmodel import SQLModel

import shared.db.models  # noqa: F401  (registers every table on SQLModel.metadata)
from shared.secrets import DATABASE_PASSWORD, load_secret_provider
from shared.settings import normalize_database_url

config = context.config
target_metadata = SQLModel.metadata


def _database_url() -> str:
    url = config.attributes.get("database_url") or os.environ.get("DATABASE_URL", "")
    if not url:
        raise SystemExit("DATABASE_URL is required to run migrations")
    url = normalize_database_url(str(url))
    # The password may come separately (Vault, agent files or env), as for the functions.
    password = load_secret_provider(required=()).get_optional(DATABASE_PASSWORD)
    if password:
        return make_url(url).set(password=password).render_as_string(hide_password=False)
    return url


def run_migrations_offline() -> None:
    context.configure(
        url=_database_url(),
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        context.configure(
            connection=connection, target_metadata=target_metadata, render_as_batch=True
        )
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = create_engine(_database_url(), poolclass=pool.NullPool)
    with engine.connect() as conn:
        context.configure(connection=conn, target_metadata=target_metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
