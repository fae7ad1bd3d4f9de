"""The one place that decides what a failed Slack call means: try again later, gone, or fail.

Slack answers a refusal with HTTP 200 and ``{"ok": false, "error": code}``, a rate limit
with 429 and ``Retry-After``, an outage with 5xx; the network fails with OSError. Every
delivery asks :func:`classify` rather than reading error codes itself.
"""

from __future__ import annotations

from dataclasses import dataclass

from slack_sdk.errors import SlackApiError, SlackClientError


class ResponseUrlError(Exception):
    """A post to a ``response_url`` that Slack did not take (it answers plain HTTP)."""

    def __init__(self, status: int, body: str, retry_after: float | None = None) -> None:
        super().__init__(f"response_url answered {status}")
        self.status = status
        self.code = (body or f"http_{status}").strip()[:60]
        self.retry_after = retry_after


# What a Web API call can raise besides bugs: Slack's own refusal, the client's, the network.
SLACK_ERRORS = (SlackApiError, SlackClientError, ResponseUrlError, OSError)

# Slack's own "try again" codes, whatever the HTTP status they come with.
TRANSIENT_CODES = frozenset(
    {
        "ratelimited",
        "rate_limited",
        "internal_error",
        "fatal_error",
        "service_unavailable",
        "request_timeout",
        "team_added_to_org",
    }
)
# The thing to edit is no longer there (someone deleted the message, the modal was closed):
# nothing to deliver, and nothing is wrong with Slack.
GONE_CODES = frozenset({"message_not_found", "cant_update_message", "not_found", "view_not_found"})


@dataclass(frozen=True)
class TryLater:
    """Slack is busy or down: the same call may work later (after ``retry_after`` s)."""

    reason: str
    retry_after: float | None = None


@dataclass(frozen=True)
class Gone:
    reason: str


@dataclass(frozen=True)
class Refused:
    """Slack will keep refusing this (not_in_channel, invalid_auth, is_archived, ...)."""

    reason: str


SlackVerdict = TryLater | Gone | Refused


def error_code(error: BaseException) -> str:
    """Slack's error code, or the exception's type name for a client or network error."""
    if isinstance(error, SlackApiError):
        code = error.response.get("error") if hasattr(error.response, "get") else None
        return str(code or f"http_{_status(error)}")
    if isinstance(error, ResponseUrlError):
        return error.code
    return type(error).__name__


def classify(error: BaseException) -> SlackVerdict:
    code = error_code(error)
    if isinstance(error, ResponseUrlError):
        if error.status == 429 or error.status >= 500:
            return TryLater(error.code, error.retry_after)
        return Gone(error.code) if error.status in (404, 410) else Refused(error.code)
    if not isinstance(error, SlackApiError):
        return TryLater(code)  # a timeout, a refused connection, a reset: the network
    status = _status(error)
    if status == 429 or code in TRANSIENT_CODES:
        return TryLater(code, _retry_after(error))
    if status >= 500:
        return TryLater(code)
    if code in GONE_CODES:
        return Gone(code)
    return Refused(code)


def _status(error: SlackApiError) -> int:
    status = getattr(error.response, "status_code", 200)
    return status if isinstance(status, int) else 200


def _retry_after(error: SlackApiError) -> float | None:
    return retry_after_of(getattr(error.response, "headers", None) or {})


def retry_after_of(headers: object) -> float | None:
    """Seconds from a ``Retry-After`` header (any capitalisation), if it is sane."""
    if not isinstance(headers, dict):
        return None
    for name, value in headers.items():
        if str(name).lower() == "retry-after":
            raw = value[0] if isinstance(value, list | tuple) and value else value
            try:
                seconds = float(str(raw))
            except ValueError:
                return None
            return seconds if 0 <= seconds <= 3600 else None
    return None
