from __future__ import annotations

from sqlalchemy import create_engine, event

from shared.db.engine import use_password_from
from shared.settings import normalize_database_url


def test_new_connections_get_the_current_password(postgres_url):
    engine = create_engine(normalize_database_url(postgres_url))
    password = {"value": "first-password"}
    use_password_from(engine, lambda: password["value"])
    seen: list[str | None] = []

    @event.listens_for(engine, "do_connect")
    def capture(_dialect, _record, _cargs, cparams):
        seen.append(cparams.get("password"))

    engine.connect().close()
    password["value"] = "rotated-password"
    engine.dispose()
    engine.connect().close()
    engine.dispose()
    assert seen == ["first-password", "rotated-password"]
