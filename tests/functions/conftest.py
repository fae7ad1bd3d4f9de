"""Fixtures the ops API's test modules share: a channel to act on, and an admin's calls."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlmodel import Session

from shared.db.models import Channel
from tests.support.slack_requests import CHANNEL


@pytest.fixture
def channel_row(runtime: Any) -> str:
    with Session(runtime.engine) as session:
        session.add(Channel(id=CHANNEL, name="coffee"))
        session.commit()
    return CHANNEL


@pytest.fixture
def admin_call(admin_api_app: Any, oidc_issuer: Any, channel_row: str) -> Callable[..., Any]:
    """``admin_call(method, path, **kw)``: the ops API as an admin, with a valid token."""
    client = admin_api_app.test_client()
    token = oidc_issuer.mint({"scp": ["coffeebuddy:admin"]}, key="ec", expires_in=3600)
    return lambda method, path, **kw: client.open(
        path, method=method, headers={"Authorization": f"Bearer {token}"}, **kw
    )
