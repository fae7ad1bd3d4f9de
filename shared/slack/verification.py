"""Slack request signatures (v0): HMAC-SHA256 over the raw body, five minutes of freshness."""

from __future__ import annotations

from collections.abc import Mapping

from slack_sdk.signature import Clock as SlackClock
from slack_sdk.signature import SignatureVerifier

from shared.clock import Clock


class _ClockAdapter(SlackClock):
    def __init__(self, clock: Clock) -> None:
        self._clock = clock

    def now(self) -> float:
        return self._clock.now().timestamp()


def signature_is_valid(
    *, signing_secret: str, body: bytes, headers: Mapping[str, str], clock: Clock
) -> bool:
    """True only for a fresh request signed with our secret (constant-time comparison)."""
    timestamp = headers.get("x-slack-request-timestamp", "")
    signature = headers.get("x-slack-signature", "")
    # slack-sdk's verifier raises on a non-numeric timestamp; that is bad input, not a bug.
    if not timestamp.isdigit() or not signature:
        return False
    verifier = SignatureVerifier(signing_secret, clock=_ClockAdapter(clock))
    return verifier.is_valid(body=body, timestamp=timestamp, signature=signature)
