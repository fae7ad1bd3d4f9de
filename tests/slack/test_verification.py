from __future__ import annotations

from datetime import UTC, datetime, timedelta

from shared.clock import ManualClock
from shared.slack.verification import signature_is_valid
from tests.support.slack_requests import sign

NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
SECRET = "signing-secret"
BODY = b"command=%2Fcoffee&text=10%3A30"


def _headers(secret: str = SECRET, body: bytes = BODY, at: datetime = NOW) -> dict[str, str]:
    return {k.lower(): v for k, v in sign(secret, body, int(at.timestamp())).items()}


def _valid(headers: dict[str, str], body: bytes = BODY, now: datetime = NOW) -> bool:
    return signature_is_valid(
        signing_secret=SECRET, body=body, headers=headers, clock=ManualClock(now)
    )


def test_fresh_correct_signature_is_valid():
    assert _valid(_headers())


def test_wrong_secret_tampered_body_and_missing_headers_are_invalid():
    assert not _valid(_headers(secret="other"))
    assert not _valid(_headers(), body=BODY + b"x")
    assert not _valid({})
    assert not _valid({"x-slack-request-timestamp": str(int(NOW.timestamp()))})


def test_timestamp_older_or_newer_than_five_minutes_is_invalid():
    assert _valid(_headers(at=NOW - timedelta(minutes=4)))
    assert not _valid(_headers(at=NOW - timedelta(minutes=6)))
    assert not _valid(_headers(at=NOW + timedelta(minutes=6)))


def test_garbage_timestamp_is_invalid():
    headers = _headers()
    headers["x-slack-request-timestamp"] = "yesterday"
    assert not _valid(headers)
