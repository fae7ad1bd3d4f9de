"""A local Slack Web API for tests and the embedded run; see `SlackApiServer`."""

from shared.local.slack_api.realism import Realism
from shared.local.slack_api.recording import RecordedCall
from shared.local.slack_api.response_urls import PostedResponse
from shared.local.slack_api.server import SlackApiServer

__all__ = ["PostedResponse", "Realism", "RecordedCall", "SlackApiServer"]
