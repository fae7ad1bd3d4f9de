"""Every failed Slack call gets one verdict: try later, gone, or refused for good."""

from __future__ import annotations

import pytest
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.web.slack_response import SlackResponse

from shared.slack.errors import Gone, Refused, ResponseUrlError, TryLater, classify, error_code


def api_error(status: int, code: str, headers: dict | None = None) -> SlackApiError:
    response = SlackResponse(
        client=None,
        http_verb="POST",
        api_url="https://slack.test/api/chat.postMessage",
        req_args={},
        data={"ok": False, "error": code},
        headers=headers or {},
        status_code=status,
    )
    return SlackApiError("refused", response)


def test_a_rate_limit_carries_its_retry_after():
    verdict = classify(api_error(429, "ratelimited", {"Retry-After": "7"}))
    assert verdict == TryLater("ratelimited", 7.0)


@pytest.mark.parametrize("headers", [{}, {"retry-after": "soon"}, {"Retry-After": "-3"}])
def test_a_rate_limit_without_a_usable_retry_after_is_still_transient(headers):
    assert classify(api_error(429, "ratelimited", headers)) == TryLater("ratelimited", None)


@pytest.mark.parametrize(
    ("status", "code"), [(500, "internal_error"), (503, "service_unavailable"), (502, "x")]
)
def test_server_errors_are_transient(status, code):
    assert isinstance(classify(api_error(status, code)), TryLater)


def test_slack_saying_try_again_with_a_200_is_transient():
    assert isinstance(classify(api_error(200, "fatal_error")), TryLater)


@pytest.mark.parametrize(
    "code", ["not_in_channel", "channel_not_found", "is_archived", "invalid_auth", "invalid_blocks"]
)
def test_refusals_are_permanent(code):
    assert classify(api_error(200, code)) == Refused(code)


def test_a_deleted_message_is_gone_not_an_outage():
    assert classify(api_error(200, "message_not_found")) == Gone("message_not_found")


def test_network_and_client_errors_are_transient():
    assert isinstance(classify(TimeoutError()), TryLater)
    assert isinstance(classify(SlackClientError("connection reset")), TryLater)
    assert error_code(ConnectionRefusedError()) == "ConnectionRefusedError"


def test_response_url_answers():
    assert classify(ResponseUrlError(429, "", 3.0)) == TryLater("http_429", 3.0)
    assert isinstance(classify(ResponseUrlError(502, "bad gateway")), TryLater)
    assert classify(ResponseUrlError(404, "used_up")) == Gone("used_up")
    assert classify(ResponseUrlError(403, "response_url_not_allowed")) == Refused(
        "response_url_not_allowed"
    )
