"""Signed requests to the app's own Slack endpoints, exactly as Slack sends them."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from slack_sdk.signature import SignatureVerifier

from shared.clock import Clock

TIMEOUT_SECONDS = 10.0


@dataclass(frozen=True)
class AppAnswer:
    """What the app answered (status 0: no answer at all); Slack reads the status and, for
    some requests, a JSON body."""

    status: int
    body: bytes

    def json(self) -> dict[str, Any] | None:
        if not self.body.strip():
            return None
        try:
            decoded = json.loads(self.body)
        except ValueError:
            return None
        return decoded if isinstance(decoded, dict) else None


class SignedSender:
    """Posts form bodies to ``base_url + path`` with a v0 signature on the runtime's clock.

    The app checks the timestamp against the same clock, so an advanced playground clock
    never makes its own requests look stale.
    """

    def __init__(self, base_url: str, signing_secret: Callable[[], str], clock: Clock) -> None:
        if not base_url.startswith(("http://", "https://")):
            raise ValueError("the app's base URL must be http(s)")
        self._base_url = base_url.rstrip("/")
        self._secret = signing_secret  # read per request: secrets may rotate
        self._clock = clock

    def post(self, path: str, body: bytes) -> AppAnswer:
        timestamp = str(int(self._clock.now().timestamp()))
        verifier = SignatureVerifier(self._secret())
        signature = verifier.generate_signature(timestamp=timestamp, body=body) or ""
        request = urllib.request.Request(  # noqa: S310  (http(s) checked in __init__)
            self._base_url + path,
            data=body,
            method="POST",
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "X-Slack-Request-Timestamp": timestamp,
                "X-Slack-Signature": signature,
                "User-Agent": "Slackbot 1.0 (+https://api.slack.com/robots)",
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
                return AppAnswer(status=response.status, body=response.read())
        except urllib.error.HTTPError as error:
            return AppAnswer(status=error.code, body=error.read())
        except OSError:  # refused, reset or timed out: Slack would say "dispatch_failed"
            return AppAnswer(status=0, body=b"")
