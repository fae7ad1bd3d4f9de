"""Slack request signatures (v0): HMAC-SHA256 over the raw body, five minutes of freshness.

Computed here over the raw bytes rather than with slack-sdk's SignatureVerifier, which
decodes the body as UTF-8 first and raises (a 500) on a signed body that isn't UTF-8.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping

from shared.clock import Clock

MAX_AGE_SECONDS = 5 * 60


def signature_is_valid(
    *, signing_secret: str, body: bytes, headers: Mapping[str, str], clock: Clock
) -> bool:
    """True only for a fresh request signed with our secret (constant-time comparison)."""
    timestamp = headers.get("x-slack-request-timestamp", "")
    signature = headers.get("x-slack-signature", "")
    if not (timestamp.isascii() and timestamp.isdigit()) or len(timestamp) > 12:
        return False
    if not signature.startswith("v0="):
        return False
    if abs(clock.now().timestamp() - int(timestamp)) > MAX_AGE_SECONDS:
        return False
    base = b"v0:" + timestamp.encode() + b":" + body
    expected = "v0=" + hmac.new(signing_secret.encode(), base, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected.encode(), signature.encode("utf-8", "replace"))
