"""A local Slack Web API for tests and the embedded run; see `SlackApiServer`."""

from local.slack_api.realism import Realism
from local.slack_api.recording import RecordedCall
from local.slack_api.response_urls import PostedResponse
from local.slack_api.server import SlackApiServer

__all__ = ["PostedResponse", "Realism", "RecordedCall", "SlackApiServer"]
